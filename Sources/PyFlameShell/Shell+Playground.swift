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
        case .send(let name, let range, let pe, let values, let valuesRange, let kind):
            let color = try playgroundColor(name, range)
            guard pe.x < session.fabric.width, pe.y < session.fabric.height else {
                throw .error("(\(pe.x),\(pe.y)) is outside fabric \(session.fabric)", at: pe.range)
            }
            try checkPayloadKind(kind, color: color, name: name, at: valuesRange)
            session.playground.sends.append(PlaygroundSend(pe: PECoord(pe.x, pe.y), color: color, values: values, kind: kind))
            lines.append(OutputLine("send \(name) (color \(color)) at (\(pe.x),\(pe.y)): \(values.count) wavelet\(values.count == 1 ? "" : "s") queued"))
        default:
            return StatementResult()
        }
        // The program the playground now makes (a failure is reported when something reads it).
        session.playground.program = try? Shell.makePlaygroundProgram(session)
        session.log.append(text)
        return StatementResult(lines: lines)
    }

    /// The playground's ``FabricProgram`` for the session's target, fabric and PE data budget.
    static func makePlaygroundProgram(_ session: Session) throws(LoweringError) -> FabricProgram {
        try PlaygroundProgram.make(
            routes: session.playground.routes, colorNames: session.playground.colors, sends: playgroundStreams(session.playground),
            architecture: session.target, fabric: session.fabric, peDataBudget: session.settings.peDataBudget)
    }

    /// The playground's sends as the program's streams, in statement order.
    static func playgroundStreams(_ playground: Playground) -> [PlaygroundProgram.Stream] {
        playground.sends.map { PlaygroundProgram.Stream(pe: $0.pe, color: $0.color, count: $0.values.count) }
    }

    /// The playground's program, which `:sim`, `:view`, `:routes`, `:colors` and `:emit --playground`
    /// read: the one the last playground statement built, or a new one when the target, the fabric or
    /// the PE data budget changed since. Refused when a route or send lies outside the fabric.
    func playgroundProgram(at range: SourceRange? = nil) throws(Diagnostic) -> FabricProgram {
        try checkPlaygroundFitsFabric(at: range)
        if let program = session.playground.program, program.architecture == session.target, program.fabric == session.fabric,
            program.peDataBudget == session.settings.peDataBudget
        {
            return program
        }
        do {
            let program = try Shell.makePlaygroundProgram(session)
            session.playground.program = program
            return program
        } catch {
            throw .error("the playground makes no program: \(error.message)", at: range)
        }
    }

    /// The values the playground's program sends, by host input: each color's sends end to end, in
    /// statement order, as 32-bit words.
    func playgroundInputs() -> [TransferSource: TensorValue] {
        var words: [ColorID: [Double]] = [:]
        for send in session.playground.sends {
            words[send.color, default: []] += send.values.map { Double(Int32(bitPattern: $0)) }
        }
        var inputs: [TransferSource: TensorValue] = [:]
        for (color, values) in words {
            inputs[.playgroundSends(color: color)] = TensorValue(TensorType(Shape([values.count]), .i32), exact: values)
        }
        return inputs
    }

    /// A color's wavelets are read one way: a send (or a reaction's own values) in another kind than the
    /// color already carries is refused.
    func checkPayloadKind(_ kind: PayloadKind, color: Int, name: String, at range: SourceRange) throws(Diagnostic) {
        let carried = session.playground.payloadKinds
        guard let old = carried.byColor[color], old != kind else { return }
        throw .error(
            "color \(name) already carries \(old.description) payloads, so its wavelets are read that way: send these \(kind.description) values on another color",
            at: range)
    }

    func playgroundColor(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Int {
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
