import PyFlameIR
import PyFlameLowering

/// What a breakpoint waits for. A new kind is a new case here, its words in `description`, and a branch
/// in ``BreakpointWatch``'s `start` and `check`.
public enum BreakCondition: Sendable, Equatable, CustomStringConvertible {
    /// The simulation reaches this cycle.
    case cycle(Int)
    /// A wavelet on this color crosses a link or reaches a core.
    case color(Int)
    /// Something happens at this PE: its router moves a wavelet, its core puts one on the ramp or takes
    /// one from a queue, or one reaches its core.
    case pe(PECoord)
    /// An output of the router at the PE (one direction, or any) is Delayed or Backpressure in a cycle.
    case link(LinkState, PECoord, Direction?)
    /// A wavelet reaches the core at the PE (on one color, or any).
    case delivery(PECoord, color: Int?)
    /// The switch of a route at the PE (on one color, or any) changes position.
    case switchMove(PECoord, color: Int?)
    /// The filter of a route at the PE (on one color, or any) keeps a data wavelet from its core.
    case drop(PECoord, color: Int?)

    public var description: String {
        switch self {
        case .cycle(let c): "cycle \(c)"
        case .color(let c): "color \(c)"
        case .pe(let p): "PE \(p)"
        case .link(let state, let p, let d): "\(state.rawValue.lowercased()) at \(p)" + (d.map { " \($0)" } ?? "")
        case .delivery(let p, let c): "delivery at \(p)" + (c.map { " on color \($0)" } ?? "")
        case .switchMove(let p, let c): "switch move at \(p)" + (c.map { " on color \($0)" } ?? "")
        case .drop(let p, let c): "filter drop at \(p)" + (c.map { " on color \($0)" } ?? "")
        }
    }
}

/// A numbered breakpoint, as `:break` lists it.
public struct Breakpoint: Sendable, Equatable {
    public var number: Int
    public var condition: BreakCondition

    public init(number: Int, condition: BreakCondition) {
        self.number = number
        self.condition = condition
    }
}

/// A breakpoint that fired: which, in which cycle, where, on which color, and what happened.
public struct BreakpointHit: Sendable, Equatable {
    public var breakpoint: Breakpoint
    /// The cycle the event happened in (a delivery's: the cycle it reached the core).
    public var cycle: Int
    public var pe: PECoord?
    public var color: Int?
    /// A delivered (or dropped) wavelet's payload (the shell prints it the way the simulation's values read).
    public var payload: UInt32?
    /// What happened, in words, without the payload: `(1,0) EAST had Backpressure (its destination
    /// full) holding a wavelet on color 0`.
    public var what: String
}

/// The breakpoints a run watches, bound to one simulation: each remembers the counters it compares
/// (per-color hops, per-output Delayed/Backpressure counts, FIFO pops) and sees the deliveries of
/// the cycle. `advance` checks it after every cycle only when given one: a run without breakpoints
/// pays one nil test a cycle.
public final class BreakpointWatch {
    public let breakpoints: [Breakpoint]
    /// Whether a breakpoint needs each delivery (the simulation then hands them over one by one).
    let watchesArrivals: Bool
    private var arrivals: [(PECoord, Delivery)] = []
    /// Per breakpoint: the counters it last saw.
    private var seen: [[Int]] = []
    /// Per breakpoint: the FIFOs (and for a PE, the core queues) it reads, resolved from its PE.
    private var fifoRanges: [Range<Int>] = []
    private var queues: [[Int]] = []
    private var routers: [Int] = []
    /// Per breakpoint on switch moves or filter drops: the watch of its PE's router (nil for the others).
    private var routerWatches: [RouterWatch?] = []

    public init(_ breakpoints: [Breakpoint]) {
        self.breakpoints = breakpoints
        watchesArrivals = breakpoints.contains {
            switch $0.condition {
            case .color, .pe, .delivery: true
            case .cycle, .link, .switchMove, .drop: false
            }
        }
    }

    /// The first cycle breakpoint after `cycle`.
    func nextCycleBreak(after cycle: Int) -> Int? {
        breakpoints.compactMap { if case .cycle(let c) = $0.condition, c > cycle { c } else { nil } }.min()
    }

    /// The hits of the cycle breakpoints at `cycle`.
    func cycleHits(at cycle: Int) -> [BreakpointHit] {
        breakpoints.compactMap {
            guard case .cycle(let c) = $0.condition, c == cycle else { return nil }
            return BreakpointHit(breakpoint: $0, cycle: c, what: "reached cycle \(c)")
        }
    }

    /// Resolves the PEs against `sim`'s fabric and takes its counters as they are now.
    func start(_ sim: Simulation) {
        let fabric = sim.fabric
        arrivals = []
        fifoRanges = []
        queues = []
        routers = []
        seen = []
        for w in routerWatches { if let w { sim.removeRouterWatch(w) } }
        routerWatches = breakpoints.map {
            switch $0.condition {
            case .switchMove(let p, _): RouterWatch(kinds: .switches, area: (p, p))
            case .drop(let p, _): RouterWatch(kinds: .drops, area: (p, p))
            default: nil
            }
        }
        for w in routerWatches { if let w { sim.addRouterWatch(w) } }
        for b in breakpoints {
            var range = 0..<0, queueList: [Int] = [], router = -1
            switch b.condition {
            case .pe(let p), .link(_, let p, _):
                if p.x >= 0, p.x < fabric.width, p.y >= 0, p.y < fabric.height {
                    let pe = p.y * fabric.width + p.x
                    range = Int(fabric.peFifoStart[pe])..<Int(fabric.peFifoStart[pe + 1])
                    router = Int(fabric.peRouter[pe])
                    for q in 0..<fabric.coreQueueCount where Int(fabric.coreQueuePE[q]) == pe { queueList.append(q) }
                }
            case .cycle, .color, .delivery, .switchMove, .drop: break
            }
            fifoRanges.append(range)
            queues.append(queueList)
            routers.append(router)
        }
        for k in breakpoints.indices { seen.append(counters(k, fabric)) }
    }

    /// The counters breakpoint `k` compares from one cycle to the next.
    private func counters(_ k: Int, _ fabric: Fabric) -> [Int] {
        switch breakpoints[k].condition {
        case .color(let c): return [fabric.hopCountByColor[c]]
        case .pe: return fifoRanges[k].map { Int(fabric.fifos[$0].pops) }
        case .link(let state, _, _):
            let r = routers[k]
            guard r >= 0 else { return [] }
            return (0..<5).map { Int(state == .backpressure ? fabric.outBackpressure[r * 5 + $0] : state == .delayed ? fabric.outDelayed[r * 5 + $0] : 0) }
        case .cycle, .delivery, .switchMove, .drop: return []
        }
    }

    /// After a run: the router watches leave the simulation (a run without them looks at no router).
    func stop(_ sim: Simulation) {
        for w in routerWatches { if let w { sim.removeRouterWatch(w) } }
        routerWatches = []
    }

    func arrived(_ pe: PECoord, _ d: Delivery) { arrivals.append((pe, d)) }

    /// After cycle `sim.cycle - 1`: the breakpoints that fired in it (nil: none).
    func check(_ sim: Simulation) -> [BreakpointHit]? {
        let fabric = sim.fabric
        let now = sim.cycle - 1
        var hits: [BreakpointHit] = []
        for (k, b) in breakpoints.enumerated() {
            let before = seen[k]
            let after = counters(k, fabric)
            seen[k] = after
            switch b.condition {
            case .cycle: break
            case .color(let c):
                let hops = after[0] - before[0]
                let reached = arrivals.filter { $0.1.color == c }
                guard hops > 0 || !reached.isEmpty else { continue }
                var parts: [String] = []
                if hops > 0 { parts.append("crossed \(hops) link\(hops == 1 ? "" : "s")") }
                if let first = reached.first {
                    parts.append("\(reached.count == 1 ? "one" : "\(reached.count)") reached the core at \(first.0)" + (reached.count > 1 ? " and others" : ""))
                }
                hits.append(
                    BreakpointHit(
                        breakpoint: b, cycle: now, pe: reached.first?.0, color: c,
                        what: "wavelets on color \(c) " + parts.joined(separator: " and ") + " in cycle \(now)"))
            case .pe(let p):
                var moved: [Int] = []
                for (i, f) in fifoRanges[k].enumerated() where after[i] != before[i] { moved.append(Int(fabric.fifos[f].color)) }
                let r = routers[k]
                let sent = r >= 0 && fabric.routerRampCycle[r] == now
                let reached = arrivals.filter { $0.0 == p }
                let took = queues[k].filter { fabric.coreQueues[$0].lastPop == Stamp(cycle: now) }
                guard !moved.isEmpty || sent || !reached.isEmpty || !took.isEmpty else { continue }
                var parts: [String] = []
                if !moved.isEmpty {
                    parts.append(
                        "its router moved \(moved.count) wavelet\(moved.count == 1 ? "" : "s") (color\(Set(moved).count == 1 ? "" : "s") \(Set(moved).sorted().map(String.init).joined(separator: ", ")))"
                    )
                }
                if sent { parts.append("its core put a wavelet on the ramp") }
                if !took.isEmpty {
                    parts.append(
                        "its core took a wavelet on color\(took.count == 1 ? "" : "s") \(took.map { String(fabric.coreQueueColorOf($0)) }.joined(separator: ", "))"
                    )
                }
                if !reached.isEmpty { parts.append("\(reached.count) wavelet\(reached.count == 1 ? "" : "s") reached its core") }
                let colors = Set(moved + reached.map(\.1.color) + took.map { fabric.coreQueueColorOf($0) })
                hits.append(
                    BreakpointHit(
                        breakpoint: b, cycle: now, pe: p, color: colors.count == 1 ? colors.first : nil,
                        what: "at \(p) in cycle \(now): " + parts.joined(separator: ", ")))
            case .link(let state, let p, let direction):
                guard !after.isEmpty else { continue }
                let ports = direction.map { [Port.of($0)] } ?? Array(0..<5)
                guard let port = ports.first(where: { after[$0] > before[$0] }) else { continue }
                // The wavelets held for that output: FIFOs at the PE heading there that did not move.
                var colors: [Int] = []
                for f in fifoRanges[k] where fabric.fifos[f].size > 0 && fabric.fifos[f].tx & (1 << port) != 0 && fabric.fifos[f].lastPop != Stamp(cycle: now) {
                    colors.append(Int(fabric.fifos[f].color))
                }
                let colorSet = Set(colors).sorted()
                let why = state == .backpressure ? "its destination full" : "waiting for an output another wavelet took"
                let held =
                    colorSet.isEmpty ? "" : " holding a wavelet on color\(colorSet.count == 1 ? "" : "s") \(colorSet.map(String.init).joined(separator: ", "))"
                hits.append(
                    BreakpointHit(
                        breakpoint: b, cycle: now, pe: p, color: colorSet.count == 1 ? colorSet.first : nil,
                        what: "\(p) \(Port.direction(port)) was \(state.rawValue) (\(why))\(held) in cycle \(now)"))
            case .delivery(let p, let color):
                guard let (pe, d) = arrivals.first(where: { $0.0 == p && (color == nil || $0.1.color == color) }) else { continue }
                hits.append(
                    BreakpointHit(
                        breakpoint: b, cycle: d.cycle, pe: pe, color: d.color, payload: d.payload,
                        what: "\(pe) received a wavelet on color \(d.color) at cycle \(d.cycle)"))
            case .switchMove(let p, let color):
                for event in routerWatches[k]?.events ?? [] {
                    guard case .switchMove(_, let c, let from, let to, let by) = event, color == nil || c == color else { continue }
                    let how = by.map { " (\($0.name))" } ?? " (its core reconfigured the route)"
                    hits.append(
                        BreakpointHit(
                            breakpoint: b, cycle: now, pe: p, color: c,
                            what: "the switch at \(p) on color \(c) moved from position \(from) to \(to)\(how) in cycle \(now)"))
                    break
                }
            case .drop(let p, let color):
                for event in routerWatches[k]?.events ?? [] {
                    guard case .drop(_, let c, let payload) = event, color == nil || c == color else { continue }
                    hits.append(
                        BreakpointHit(
                            breakpoint: b, cycle: now, pe: p, color: c, payload: payload,
                            what: "the filter at \(p) on color \(c) kept a wavelet with index \(payload >> 16) from the core in cycle \(now)"))
                    break
                }
            }
        }
        for w in routerWatches { w?.events.removeAll(keepingCapacity: true) }
        arrivals.removeAll(keepingCapacity: true)
        return hits.isEmpty ? nil : hits
    }
}
