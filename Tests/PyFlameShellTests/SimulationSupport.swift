import PyFlameIR
import PyFlameLowering
import PyFlameShell
import Testing

/// A fresh shell that ran `fabric 16x16` and then `statements`; a statement that fails is an issue.
func makeShell(_ statements: [String], fabric: String = "fabric 16x16", sourceLocation: SourceLocation = #_sourceLocation) -> Shell {
    let shell = Shell()
    for statement in [fabric] + statements {
        let result = shell.execute(statement)
        if result.failed { Issue.record("`\(statement)` failed: \(result.text)", sourceLocation: sourceLocation) }
    }
    return shell
}

/// The cycle of `finished at cycle N (...)` in a `:run` output, nil when the run did not finish.
func finishedCycle(_ text: String) -> Int? {
    for line in text.split(separator: "\n") where line.hasPrefix("finished at cycle ") {
        return Int(line.dropFirst("finished at cycle ".count).prefix { $0.isNumber })
    }
    return nil
}

/// A straight path of `hops` from `from` in `direction`, color 0.
func straight(from: PECoord, _ direction: Direction, hops: Int, color: Int = 0) -> [RouteConfig] {
    var routes: [RouteConfig] = []
    var at = from
    var incoming: Direction = .ramp
    for i in 0...hops {
        let out: Direction = i == hops ? .ramp : direction
        routes.append(RouteConfig(pe: at, color: color, rx: [incoming], tx: [out]))
        let (dx, dy) = direction.step
        at = PECoord(at.x + dx, at.y + dy)
        incoming = direction.opposite
    }
    return routes
}
