import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator

// The playground's switches, filters, color swap and control wavelets: what `route ... switch/filter/swap`
// and a `send` list's control wavelets become, checked the way the fabric model checks them.
extension Shell {
    /// A route's switches, range filter and color swap, as `route` wrote them, on `config`; refused (with
    /// the reason `RouteConfig.refusal(on:)` gives) when the target cannot configure the route.
    func applyModifiers(_ m: RouteModifiersSyntax, to config: inout RouteConfig, name: String, at range: SourceRange) throws(Diagnostic) {
        if !m.positions.isEmpty {
            let positions = m.positions.map { p in
                SwitchPosition(rx: p.rx.map { DirectionSet($0.map(Shell.direction)) }, tx: p.tx.map { DirectionSet($0.map(Shell.direction)) })
            }
            let pop: PopMode =
                switch m.pop {
                case "always": .alwaysPop
                case "advance": .popOnAdvance
                default: .noPop
                }
            config.switches = RouteSwitches(positions: positions, currentPosition: m.at ?? 0, ringMode: m.ring, popMode: pop)
        }
        if let f = m.filter, let lo = UInt16(exactly: f.lowerBound), let hi = UInt16(exactly: f.upperBound) {
            config.filter = RouteFilter(minIndex: lo, maxIndex: hi)
        }
        config.colorSwapX = m.swapX
        config.colorSwapY = m.swapY
        if let why = config.refusal(on: session.target) {
            throw .error("\(why) (route \(name))", at: m.range ?? range)
        }
    }

    /// A send list's wavelets: data as written, control wavelets as `ControlWavelet`s (checked: 1 to 8
    /// commands, an entry point the core has).
    static func wavelets(_ values: [UInt32], controls: [Int: ControlSyntax]) throws(Diagnostic) -> [WaveletValue] {
        var result: [WaveletValue] = []
        result.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard let c = controls[i] else {
                result.append(.data(v))
                continue
            }
            guard !c.commands.isEmpty else {
                throw .error("a control wavelet needs a command first: nop, advance, reset or teardown (then task N arg N)", at: c.range)
            }
            guard c.commands.count <= ControlWavelet.maxCommands else {
                throw .error(
                    "a control wavelet carries at most \(ControlWavelet.maxCommands) commands, not \(c.commands.count)", at: c.range)
            }
            if let e = c.entryPoint, e > ControlWavelet.maxEntryPoint {
                throw .error("control task entry points are 0 to \(ControlWavelet.maxEntryPoint), not \(e)", at: c.range)
            }
            let items = c.commands.map { w in
                let command: ControlCommand =
                    switch w.word {
                    case "advance": .switchAdvance
                    case "reset": .switchReset
                    case "teardown": .teardown
                    default: .nop
                    }
                return ControlItem(command, ceIgnore: w.ignore)
            }
            result.append(.control(ControlWavelet(items, entryPoint: c.entryPoint, argument: UInt16(clamping: c.argument))))
        }
        return result
    }

    /// A control wavelet as written: `advance ignore task 40 arg 2`.
    static func controlText(_ c: ControlSyntax) -> String {
        (c.commands.map { $0.word + ($0.ignore ? " ignore" : "") } + (c.entryPoint.map { ["task \($0)"] } ?? [])
            + (c.argument != 0 ? ["arg \(c.argument)"] : [])).joined(separator: " ")
    }

    /// The first playground route the session's target cannot configure, as an error (a later `target`
    /// can make a written route impossible: WSE-3 has no color swap and fewer switch colors).
    func checkPlaygroundRoutesOnTarget(at range: SourceRange?) throws(Diagnostic) {
        let names = Dictionary(session.playground.colors.map { ($1, $0) }, uniquingKeysWith: { a, b in min(a, b) })
        for r in session.playground.routes where r.isDynamic {
            if let why = r.refusal(on: session.target) {
                throw .error("\(why) (route \(names[r.color] ?? "\(r.color)"))", at: range)
            }
        }
    }

    /// Why `:emit --playground` cannot write the playground yet, or nil: a reacting core that sends control
    /// wavelets is not emitted (switches, filters, swap and control wavelets in sends are).
    func playgroundEmissionRefusal() -> String? {
        if let r = session.playground.reactions.first(where: { !$0.commandWords.isEmpty }) {
            return "the reacting core at \(r.pe) sends control wavelets: emitting them as CSL is not written yet (:sim, :view and :trace run them)"
        }
        return nil
    }
}
