import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

/// A dynamic route's state in a simulation: its switch position now, whether a teardown froze it, and the
/// wavelets its filter kept from the core so far.
public struct RouteLiveState: Sendable, Equatable {
    /// The switch position now (0: the base); nil without switches.
    public var position: Int?
    public var tornDown: Bool
    public var drops: Int

    public init(position: Int?, tornDown: Bool = false, drops: Int = 0) {
        self.position = position
        self.tornDown = tornDown
        self.drops = drops
    }

    /// The state of `route` in `fabric` (the fabric the route was simulated on).
    public static func of(_ route: RouteConfig, in fabric: Fabric) -> RouteLiveState {
        RouteLiveState(
            position: fabric.switchPosition(pe: route.pe, color: route.color), tornDown: fabric.isTornDown(pe: route.pe, color: route.color),
            drops: fabric.filterDrops(pe: route.pe, color: route.color))
    }
}

/// What `:routes`, `:pe` and the view's panel say about a route's switches, filter, color swap and
/// teardown (nothing for a static route): one text, so they always agree.
public enum RouteText {
    /// The switch position a route is at: `live`'s when simulated, else the one it starts at.
    public static func position(_ route: RouteConfig, live: RouteLiveState?) -> Int {
        live?.position ?? route.switches?.currentPosition ?? 0
    }

    /// The rx and tx a route uses now (its switch's position; the base without switches).
    public static func active(_ route: RouteConfig, live: RouteLiveState?) -> (rx: DirectionSet, tx: DirectionSet) {
        route.position(position(route, live: live))
    }

    /// A route's switches, filter and swap on one line, after its `rx … tx …` (the playground's echo of a
    /// route statement, `unroute` and the replaced-route note): `; switch pos1 tx {WEST}, at 1, ring;
    /// filter 3..5; swap x`, or nothing for a static route.
    public static func summary(_ config: RouteConfig) -> String {
        var parts: [String] = []
        if let s = config.switches {
            let positions = s.positions.enumerated().map { k, p in
                "pos\(k + 1)" + (p.rx.map { " rx \($0)" } ?? "") + (p.tx.map { " tx \($0)" } ?? "")
            }
            parts.append(
                "switch " + positions.joined(separator: ", ") + ", at \(s.currentPosition)" + (s.ringMode ? ", ring" : "")
                    + (s.popMode == .noPop ? "" : ", \(s.popMode.rawValue)"))
        }
        if let f = config.filter { parts.append("filter \(f.minIndex)..\(f.maxIndex)") }
        if config.colorSwapX || config.colorSwapY {
            parts.append("swap " + (config.colorSwapX ? "x" : "") + (config.colorSwapY ? "y" : ""))
        }
        return parts.isEmpty ? "" : "; " + parts.joined(separator: "; ")
    }

    /// The lines under a route's `rx … tx …`: its switch positions (the current one marked `>`), ring and
    /// pop mode; its filter (with the drops so far when simulated); its color swap; a teardown that froze it.
    public static func detailLines(_ route: RouteConfig, live: RouteLiveState?) -> [String] {
        var lines: [String] = []
        if let s = route.switches {
            let at = position(route, live: live)
            let pop: String =
                switch s.popMode {
                case .noPop: "pop none"
                case .alwaysPop: "pop always"
                case .popOnAdvance: "pop advance"
                }
            lines.append("switch \(live == nil ? "starts" : "now") at pos\(at); \(s.ringMode ? "ring" : "no ring"); \(pop)")
            for k in 0...s.positions.count {
                let p = route.position(k)
                lines.append("\(k == at ? "  > " : "    ")pos\(k) rx \(p.rx) tx \(p.tx)" + (k == 0 ? " (base)" : ""))
            }
        }
        if let f = route.filter {
            lines.append(
                "filter indices \(f.minIndex)..\(f.maxIndex) reach the core" + (live.map { "; \($0.drops) dropped" } ?? ""))
        }
        if route.colorSwapX || route.colorSwapY {
            let sides = [route.colorSwapX ? "east or west" : nil, route.colorSwapY ? "north or south" : nil].compactMap { $0 }
            lines.append(
                "swap \(route.colorSwapX ? "x" : "")\(route.colorSwapY ? "y" : ""): a wavelet leaving \(sides.joined(separator: " or ")) takes color \(route.color ^ 1)"
            )
        }
        if live?.tornDown == true {
            lines.append("torn down: color \(route.color) moves nothing here until the core reconfigures it")
        }
        return lines
    }

    /// A control wavelet's commands and what its core receives, in the playground's words:
    /// `advance ignore, reset task 40 arg 2`.
    public static func control(commandWord: UInt32, payload: UInt32) -> String {
        var word = commandWord
        var commands: [String] = []
        while let item = ControlWavelet.first(of: word) {
            let name: String =
                switch item.command {
                case .nop: "nop"
                case .switchAdvance: "advance"
                case .switchReset: "reset"
                case .teardown: "teardown"
                }
            commands.append(name + (item.ceIgnore ? " ignore" : ""))
            word = ControlWavelet.popped(word)
        }
        let task = ControlWavelet.entryPoint(ofPayload: payload).map { " task \($0) arg \(ControlWavelet.argument(ofPayload: payload))" } ?? ""
        return "control " + (commands.isEmpty ? "(no command left)" : commands.joined(separator: " ")) + task
    }
}
