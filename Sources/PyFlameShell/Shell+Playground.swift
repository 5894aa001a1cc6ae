import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator
import PyFlameViews

extension Shell {
    /// `color`, `route` and `send`: the routing playground, checked against the fabric as typed.
    func runPlayground(_ statement: Statement, text: String) throws(Diagnostic) -> StatementResult {
        var lines: [OutputLine] = []
        let before = session.playground
        switch statement {
        case .color(let name, _, let id, _):
            let was = session.playground.colors[name]
            let others = session.playground.colors.filter { $0.value == id && $0.key != name }.keys.sorted()
            session.playground.colors[name] = id
            lines.append(OutputLine("color \(name) = \(id)"))
            if let was, was != id {
                lines.append(OutputLine("note: \(name) was color \(was): what was written with \(name) before stays on color \(was)", .note))
            }
            if !others.isEmpty {
                let names = others.joined(separator: ", ")
                lines.append(
                    OutputLine(
                        "note: color \(id) is also named \(names): \(names) and \(name) are \(others.count + 1) names for one color", .note))
            }
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
            var model = RouteConfig(pe: PECoord(r.from.x, r.from.y), color: color, rx: rx, tx: tx)
            try applyModifiers(r.modifiers, to: &model, name: r.color, at: r.colorRange)
            // The routes of this color by PE (one look-up per PE, not a search: a rectangle can cover the
            // wafer), changed in a copy so that Ctrl-C leaves the playground as it was.
            var routes = session.playground.routes
            var indexOf: [PECoord: Int] = [:]
            for (i, route) in routes.enumerated() where route.color == color { indexOf[route.pe] = i }
            var replaced = 0, unchanged = 0, done = 0
            // What the replaced routes were (at most two kinds are told apart) and the first PE of each.
            var was: [(config: RouteConfig, pe: PECoord)] = []
            for y in r.from.y...to.y {
                for x in r.from.x...to.x {
                    done += 1
                    if done & 0xFFFF == 0, shouldStop() { throw .error("interrupted (Ctrl-C): the route was not added", at: r.colorRange) }
                    var config = model
                    config.pe = PECoord(x, y)
                    if let i = indexOf[config.pe] {
                        var old = routes[i]
                        old.pe = model.pe
                        if old == model {
                            unchanged += 1
                        } else if was.count < 2, !was.contains(where: { $0.config == old }) {
                            was.append((old, config.pe))
                        }
                        routes[i] = config
                        replaced += 1
                    } else {
                        indexOf[config.pe] = routes.count
                        routes.append(config)
                    }
                }
            }
            session.playground.routes = routes
            let count = (to.x - r.from.x + 1) * (to.y - r.from.y + 1)
            let place = count == 1 ? "(\(r.from.x),\(r.from.y))" : "\(count) PEs (\(r.from.x),\(r.from.y))..(\(to.x),\(to.y))"
            lines.append(OutputLine("route \(r.color) (color \(color)) at \(place): rx \(rx) tx \(tx)\(RouteText.summary(model))"))
            lines += Shell.replacementNotes(color: color, replaced: replaced, unchanged: unchanged, was: was)
        case .send(let name, let range, let pe, let values, let valuesRange, let kind, let controls):
            let color = try playgroundColor(name, range)
            guard pe.x < session.fabric.width, pe.y < session.fabric.height else {
                throw .error("(\(pe.x),\(pe.y)) is outside fabric \(session.fabric)", at: pe.range)
            }
            // A list of control wavelets only says nothing about how the color's data reads.
            let kind = !controls.isEmpty && controls.count == values.count ? session.playground.payloadKinds.kind(of: color) : kind
            try checkPayloadKind(kind, color: color, name: name, at: valuesRange)
            var playground = session.playground
            var send = PlaygroundSend(pe: PECoord(pe.x, pe.y), color: color, wavelets: try Shell.wavelets(values, controls: controls))
            send.kind = kind
            playground.sends.append(send)
            if let conflict = Shell.payloadConflict(playground, colorNames: playground.colors) { throw .error(conflict, at: valuesRange) }
            session.playground.sends = playground.sends
            let control = controls.isEmpty ? "" : " (\(controls.count) control)"
            lines.append(
                OutputLine("send \(name) (color \(color)) at (\(pe.x),\(pe.y)): \(values.count) wavelet\(values.count == 1 ? "" : "s")\(control) queued"))
        case .reaction(let r):
            lines += try addReaction(r)
        case .unroute(let name, let range, let from, let to):
            lines += try takeBackRoutes(name, range, from: from, to: to)
        case .unsend(let name, let range, let pe):
            lines += try takeBackSends(name, range, pe: pe)
        default:
            return StatementResult()
        }
        lines += playgroundChanged(from: before, by: text)
        return StatementResult(lines: lines)
    }

    /// After a playground statement changed the playground (it was `before`): the program it now makes
    /// (a failure is reported when something reads it), `:undo`'s memory, the log `:save` writes, and the
    /// note, once per `:sim`, that a loaded playground simulation runs the playground as it was.
    func playgroundChanged(from before: Playground, by text: String) -> [OutputLine] {
        session.playground.program = try? Shell.makePlaygroundProgram(session)
        rememberForUndo(before, statement: text)
        session.log.append(text)
        guard let loaded, loaded.playground != nil, !loaded.toldPlaygroundChanged else { return [] }
        loaded.toldPlaygroundChanged = true
        return [OutputLine("note: the loaded simulation runs the playground as it was at :sim; :sim loads it again", .note)]
    }

    /// The playground's ``FabricProgram`` for the session's target, fabric and PE data budget.
    static func makePlaygroundProgram(_ session: Session) throws(LoweringError) -> FabricProgram {
        try PlaygroundProgram.make(
            routes: session.playground.routes, colorNames: session.playground.colors, sends: playgroundStreams(session.playground),
            reactions: playgroundReactions(session.playground), hostStreams: session.playground.hostStreams,
            architecture: session.target, fabric: session.fabric, peDataBudget: session.settings.peDataBudget)
    }

    /// The most wavelets a relay without a count forwards (what a written count may be).
    static let relayLimit = 1_000_000

    /// The playground's reacting cores as the program's reactions: a relay without a count forwards every
    /// wavelet sent on its input color; f32 payloads make a core compute in f32, all others in i32 (whose
    /// stores pass the bits unchanged).
    static func playgroundReactions(_ playground: Playground) -> [PlaygroundProgram.Reaction] {
        let kinds = playground.payloadKinds
        let counts = playground.waveletsByColor
        return playground.reactions.map { r in
            let arithmetic: PayloadKind? =
                switch r.verb {
                case .chain: r.kind
                case .receive, .forward: r.values != nil ? r.kind : nil
                }
            let dtype: DType = (arithmetic ?? kinds.kind(of: r.from)) == .f32 && r.values != nil ? .f32 : .i32
            let action: PlaygroundProgram.Reaction.Action
            switch r.verb {
            case .receive(let n): action = .receive(from: r.from, count: n, to: r.to, ownValues: r.values?.count)
            case .forward(let n): action = .forward(from: r.from, to: r.to ?? r.from, count: n ?? min(counts[r.from] ?? 0, relayLimit))
            case .chain(let c): action = .chain(from: r.from, to: r.to ?? r.from, combine: c, count: r.values?.count ?? 0)
            }
            return PlaygroundProgram.Reaction(pe: r.pe, action: action, dtype: dtype, commandWords: r.commandWords)
        }
    }

    /// The playground's sends as the program's streams, in statement order.
    static func playgroundStreams(_ playground: Playground) -> [PlaygroundProgram.Stream] {
        playground.sends.map { PlaygroundProgram.Stream(pe: $0.pe, color: $0.color, count: $0.values.count, commandWords: $0.commandWords) }
    }

    /// The playground's program, which `:sim`, `:view`, `:routes`, `:colors` and `:emit --playground`
    /// read: the one the last playground statement built, or a new one when the target, the fabric or
    /// the PE data budget changed since. Refused when a route or send lies outside the fabric.
    func playgroundProgram(at range: SourceRange? = nil) throws(Diagnostic) -> FabricProgram {
        try checkPlaygroundFitsFabric(at: range)
        try checkPlaygroundRoutesOnTarget(at: range)
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
    /// statement order, as 32-bit words; and the reacting cores' own values per color they send on, in
    /// statement order (f32 values for a core that computes in f32, else 32-bit words).
    func playgroundInputs() -> [TransferSource: TensorValue] {
        var words: [ColorID: [Double]] = [:]
        for send in session.playground.sends {
            words[send.color, default: []] += send.values.map { Double(Int32(bitPattern: $0)) }
        }
        var inputs: [TransferSource: TensorValue] = [:]
        for (color, values) in words {
            inputs[.playgroundSends(color: color)] = TensorValue(TensorType(Shape([values.count]), .i32), exact: values)
        }
        var own: [ColorID: (DType, [Double])] = [:]
        for (r, reaction) in zip(session.playground.reactions, Shell.playgroundReactions(session.playground)) {
            guard let values = r.values, let to = r.to else { continue }
            let dtype = reaction.dtype
            let decoded = values.map { dtype == .f32 ? Double(Float(bitPattern: $0)) : Double(Int32(bitPattern: $0)) }
            own[to, default: (dtype, [])].1 += decoded
        }
        for (color, (dtype, values)) in own {
            inputs[.playgroundValues(color: color)] = TensorValue(TensorType(Shape([values.count]), dtype), exact: values)
        }
        return inputs
    }

    /// `on (x,y) ...`: a reacting core at a PE (one per PE: a later one replaces it, with a note), checked
    /// against the colors, the fabric and the payload kinds; a note when no route serves it yet.
    func addReaction(_ r: ReactionSyntax) throws(Diagnostic) -> [OutputLine] {
        let pe = PECoord(r.pe.x, r.pe.y)
        guard pe.x < session.fabric.width, pe.y < session.fabric.height else {
            throw .error("(\(pe.x),\(pe.y)) is outside fabric \(session.fabric)", at: r.pe.range)
        }
        func described(_ name: String, _ id: Int) -> String { "\(name) (color \(id))" }
        var reaction: PlaygroundReaction
        var summary: String
        switch r.action {
        case .receive(let count, let fromName, let fromRange, let back):
            let from = try playgroundColor(fromName, fromRange)
            var text = "receive \(count) \(fromName)"
            summary = "receive \(count) wavelet\(count == 1 ? "" : "s") on \(described(fromName, from))"
            var to: Int?
            var values = back?.values, kind = back?.kind
            var words: [UInt32] = []
            if let back {
                let id = try playgroundColor(back.color, back.colorRange)
                to = id
                text += " then send \(back.color)"
                if let own = back.values, let k = back.kind {
                    // Control wavelets among its own values: their payloads (entry point and argument) and command words.
                    let wavelets = try Shell.wavelets(own, controls: back.controls)
                    values = wavelets.map(\.payload)
                    words = wavelets.map(\.commandWord)
                    if words.allSatisfy({ $0 == 0 }) { words = [] }
                    // Control wavelets only say nothing about how the color's data reads.
                    if back.controls.count == own.count { kind = nil }
                    text +=
                        " " + (k == .f32 || k == .f16 ? "\(k.rawValue) " : "") + "["
                        + own.indices.map { i in back.controls[i].map(Shell.controlText) ?? WaveletPayload.text(own[i], k) }.joined(separator: ", ")
                        + "]"
                    let control = back.controls.count
                    summary +=
                        ", then send \(own.count) value\(own.count == 1 ? "" : "s") of its own"
                        + (control == 0 ? "" : " (\(control) control)") + " on \(described(back.color, id))"
                } else {
                    summary += ", then send them on \(described(back.color, id))"
                }
            }
            reaction = PlaygroundReaction(pe: pe, verb: .receive(count: count), from: from, to: to, values: values, kind: kind, text: text)
            reaction.commandWords = words
        case .forward(let count, let fromName, let fromRange, let toName, let toRange):
            let from = try playgroundColor(fromName, fromRange), to = try playgroundColor(toName, toRange)
            guard from != to else { throw .error("a relay forwards one color to another: \(fromName) -> \(toName) is color \(from) both times", at: toRange) }
            let text = "forward " + (count.map { "\($0) " } ?? "") + "\(fromName) -> \(toName)"
            summary =
                "forward " + (count.map { "\($0) wavelet\($0 == 1 ? "" : "s")" } ?? "every wavelet sent")
                + " on \(described(fromName, from)) to \(described(toName, to))"
            reaction = PlaygroundReaction(pe: pe, verb: .forward(count: count), from: from, to: to, values: nil, kind: nil, text: text)
        case .chain(let fromName, let fromRange, let toName, let toRange, let combine, let values, let kind):
            let from = try playgroundColor(fromName, fromRange), to = try playgroundColor(toName, toRange)
            guard from != to else {
                throw .error("a chain cell receives on one color and sends on another: \(fromName) -> \(toName) is color \(from) both times", at: toRange)
            }
            let text =
                "chain \(fromName) -> \(toName) \(combine) " + (kind == .f32 ? "f32 " : "") + "["
                + values.map { WaveletPayload.text($0, kind) }.joined(separator: ", ") + "]"
            summary =
                "chain \(described(fromName, from)) -> \(described(toName, to)), \(combine) \(values.count) value\(values.count == 1 ? "" : "s") of its own"
            reaction = PlaygroundReaction(pe: pe, verb: .chain(combine == "max" ? .max : .add), from: from, to: to, values: values, kind: kind, text: text)
        }
        var playground = session.playground
        let replaced = playground.reactions.firstIndex { $0.pe == pe }
        if let i = replaced { playground.reactions[i] = reaction } else { playground.reactions.append(reaction) }
        if let conflict = Shell.payloadConflict(playground, colorNames: session.playground.colors) {
            throw .error(conflict, at: r.range)
        }
        let old = replaced.map { session.playground.reactions[$0].text }
        session.playground = playground
        var lines = [OutputLine("on \(pe): \(summary)")]
        if let old { lines.append(OutputLine("note: replaces the reaction at \(pe) (\(old))", .note)) }
        lines += routeNotes(reaction)
        return lines
    }

    /// Notes for a reacting core whose PE has no route yet that brings its input color down to its core,
    /// or none that takes its output color up from it.
    func routeNotes(_ r: PlaygroundReaction) -> [OutputLine] {
        let routes = session.playground.routes.filter { $0.pe == r.pe }
        let names = Dictionary(session.playground.colors.map { ($1, $0) }, uniquingKeysWith: { a, b in min(a, b) })
        var lines: [OutputLine] = []
        if !routes.contains(where: { $0.color == r.from && $0.tx.contains(.ramp) }) {
            let name = names[r.from] ?? "\(r.from)"
            lines.append(
                OutputLine(
                    "note: no route brings color \(r.from) down to the core at \(r.pe) yet: it would wait for ever (e.g. route \(name) \(r.pe): WEST -> RAMP)",
                    .note))
        }
        if let to = r.to, !routes.contains(where: { $0.color == to && $0.rx.contains(.ramp) }) {
            let name = names[to] ?? "\(to)"
            lines.append(
                OutputLine(
                    "note: no route takes color \(to) up from the core at \(r.pe) yet: its sends would stop the run (e.g. route \(name) \(r.pe): RAMP -> EAST)",
                    .note))
        }
        return lines
    }

    /// Why `playground`'s payload kinds disagree (a reacting core's own values or input in a kind other than
    /// its color carries), or nil.
    static func payloadConflict(_ playground: Playground, colorNames: [String: Int]) -> String? {
        let kinds = playground.payloadKinds
        let names = Dictionary(colorNames.map { ($1, $0) }, uniquingKeysWith: { a, b in min(a, b) })
        func name(_ c: Int) -> String { names[c] ?? "color \(c)" }
        for r in playground.reactions {
            if let to = r.to, let kind = r.kind, r.values != nil, let carried = kinds.byColor[to], carried != kind {
                return "color \(name(to)) already carries \(carried.description) payloads: the core at \(r.pe) cannot send \(kind.description) values on it"
            }
            if case .chain = r.verb, let kind = r.kind, let input = kinds.byColor[r.from], input != kind {
                return
                    "the chain cell at \(r.pe) combines \(kind.description) values with what arrives on \(name(r.from)), which carries \(input.description) payloads: write its values in the same kind"
            }
            if r.values == nil, let to = r.to, let input = kinds.byColor[r.from], let carried = kinds.byColor[to], input != carried {
                return
                    "the core at \(r.pe) passes \(name(r.from))'s \(input.description) payloads on to \(name(to)), which carries \(carried.description) payloads"
            }
        }
        return nil
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
        if let reaction = session.playground.reactions.first(where: { outside($0.pe) }) {
            throw .error(
                "the reacting core at \(reaction.pe) lies outside fabric \(fabric): make the fabric larger again (:reset starts over)", at: range)
        }
        if let stream = session.playground.hostStreams.first(where: { outside($0.pe) }) {
            throw .error(
                "the host stream on color \(stream.color) at \(stream.pe) lies outside fabric \(fabric): make the fabric larger again (:undo or :reset take it back)",
                at: range)
        }
    }
}
