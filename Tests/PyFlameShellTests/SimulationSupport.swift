import PyFlameIR
import PyFlameLowering
import PyFlameShell
import PyFlameTestSupport
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
