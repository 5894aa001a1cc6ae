import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator

extension Shell {
    /// `color`, `route` and `send`: the routing playground, checked against the fabric as typed.
    func runPlayground(_ statement: Statement, text: String) throws(Diagnostic) -> StatementResult {
        var lines: [OutputLine] = []
        switch statement {
        case .color(let name, _, let id, _):
            session.playground.colors[name] = id
            lines.append(OutputLine("color \(name) = \(id)"))
            if Architecture.memcpyColors.contains(id) {
                lines.append(OutputLine("warning: memcpy reserves colors \(Architecture.memcpyColorsText) in emitted programs", .warning))
            }
        case .route(let r):
            let color = try playgroundColor(r.color, r.colorRange)
            let to = r.to ?? r.from
            guard to.x >= r.from.x, to.y >= r.from.y else {
                throw .error(
                    "a rectangle goes from its north-west PE to its south-east PE: (\(min(r.from.x, to.x)),\(min(r.from.y, to.y)))..(\(max(r.from.x, to.x)),\(max(r.from.y, to.y)))",
                    at: to.range)
            }
            for p in [r.from, to] where p.x >= session.fabric.width || p.y >= session.fabric.height {
                throw .error("(\(p.x),\(p.y)) is outside fabric \(session.fabric)", at: p.range)
            }
            let rx = DirectionSet(r.rx.map(Shell.direction)), tx = DirectionSet(r.tx.map(Shell.direction))
            var replaced = 0
            for y in r.from.y...to.y {
                for x in r.from.x...to.x {
                    let config = RouteConfig(pe: PECoord(x, y), color: color, rx: rx, tx: tx)
                    if let i = session.playground.routes.firstIndex(where: { $0.pe == config.pe && $0.color == color }) {
                        session.playground.routes[i] = config
                        replaced += 1
                    } else {
                        session.playground.routes.append(config)
                    }
                }
            }
            let count = (to.x - r.from.x + 1) * (to.y - r.from.y + 1)
            let place = count == 1 ? "(\(r.from.x),\(r.from.y))" : "\(count) PEs (\(r.from.x),\(r.from.y))..(\(to.x),\(to.y))"
            lines.append(OutputLine("route \(r.color) (color \(color)) at \(place): rx \(rx) tx \(tx)"))
            if replaced > 0 { lines.append(OutputLine("note: replaces the route of color \(color) at \(replaced) PE\(replaced == 1 ? "" : "s")", .note)) }
        case .send(let name, let range, let pe, let values, _):
            let color = try playgroundColor(name, range)
            guard pe.x < session.fabric.width, pe.y < session.fabric.height else {
                throw .error("(\(pe.x),\(pe.y)) is outside fabric \(session.fabric)", at: pe.range)
            }
            session.playground.sends.append(
                PlaygroundSend(
                    pe: PECoord(pe.x, pe.y), color: color,
                    values: values.map { UInt32(truncatingIfNeeded: $0) }))
            lines.append(OutputLine("send \(name) (color \(color)) at (\(pe.x),\(pe.y)): \(values.count) wavelet\(values.count == 1 ? "" : "s") queued"))
        default:
            return StatementResult()
        }
        session.log.append(text)
        return StatementResult(lines: lines)
    }

    private func playgroundColor(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Int {
        guard let id = session.playground.colors[name] else {
            let hint = Suggestions.closest(to: name, in: Array(session.playground.colors.keys)).map { " (did you mean \($0)?)" } ?? ""
            throw .error("unknown color '\(name)'\(hint): define it first, e.g. color \(name) = 0", at: range)
        }
        return id
    }

    static func direction(_ name: String) -> Direction {
        switch name {
        case "NORTH": return .north
        case "SOUTH": return .south
        case "EAST": return .east
        case "WEST": return .west
        default: return .ramp
        }
    }
}

extension Shell {
    /// The playground's routes and sends all lie on the current fabric (a `fabric` statement may have made
    /// it smaller since they were written): otherwise the error names the first one outside.
    func checkPlaygroundFitsFabric(at range: SourceRange? = nil) throws(Diagnostic) {
        let fabric = session.fabric
        func outside(_ pe: PECoord) -> Bool { pe.x < 0 || pe.y < 0 || pe.x >= fabric.width || pe.y >= fabric.height }
        if let route = session.playground.routes.first(where: { outside($0.pe) }) {
            throw .error(
                "the route of color \(route.color) at \(route.pe) lies outside fabric \(fabric): make the fabric larger again (:reset starts over)", at: range)
        }
        if let send = session.playground.sends.first(where: { outside($0.pe) }) {
            throw .error(
                "the send on color \(send.color) at \(send.pe) lies outside fabric \(fabric): make the fabric larger again (:reset starts over)", at: range)
        }
    }
}
