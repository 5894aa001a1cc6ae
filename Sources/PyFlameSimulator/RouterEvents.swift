import PyFlameIR
import PyFlameLowering

/// The kinds of router event a ``RouterWatch`` looks for.
public struct RouterEventKinds: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A wavelet crossing a link.
    public static let hops = RouterEventKinds(rawValue: 1)
    /// A router output Delayed or Backpressure in a cycle.
    public static let links = RouterEventKinds(rawValue: 2)
    /// A switch changing position, a teardown, a reconfiguration.
    public static let switches = RouterEventKinds(rawValue: 4)
    /// A filter keeping a data wavelet from its core.
    public static let drops = RouterEventKinds(rawValue: 8)
}

/// Something a router did in one cycle, as a trace records it and a breakpoint reports it.
public enum RouterEvent: Equatable, Sendable {
    /// A wavelet left `pe` by `direction` on `color`; `arrivesOn` is its color on the next router (another
    /// with color swap). `control` for a control wavelet (its payload then holds entry point and argument).
    case hop(pe: PECoord, direction: Direction, color: Int, arrivesOn: Int, payload: UInt32, control: Bool)
    /// The filter of the route at `pe` on `color` kept this data wavelet from the core (it still forwards).
    case drop(pe: PECoord, color: Int, payload: UInt32)
    /// The switch of the route at `pe` on `color` moved from one position to another: by a control
    /// wavelet's command, or (`by` nil) by its core reconfiguring the route after a teardown.
    case switchMove(pe: PECoord, color: Int, from: Int, to: Int, by: ControlCommand?)
    /// A TEARDOWN froze the route at `pe` on `color`.
    case teardown(pe: PECoord, color: Int)
    /// The core at `pe` reconfigured its route on `color` after a teardown: it moves wavelets again.
    case reconfigure(pe: PECoord, color: Int)
    /// The router output at `pe` in `direction` was Delayed or Backpressure in the cycle, holding wavelets
    /// on `colors`.
    case link(pe: PECoord, direction: Direction, state: LinkState, colors: [Int])

    /// The color an event concerns (nil for a link state, which may hold several).
    public var color: Int? {
        switch self {
        case .hop(_, _, let c, _, _, _), .drop(_, let c, _), .switchMove(_, let c, _, _, _), .teardown(_, let c), .reconfigure(_, let c): c
        case .link: nil
        }
    }

    public var pe: PECoord {
        switch self {
        case .hop(let p, _, _, _, _, _), .drop(let p, _, _), .switchMove(let p, _, _, _, _), .teardown(let p, _), .reconfigure(let p, _),
            .link(let p, _, _, _):
            p
        }
    }
}

extension ControlCommand {
    /// The command as CSL's `<control>` library spells it: `SWITCH_ADV`.
    public var name: String {
        switch self {
        case .nop: "NOP"
        case .switchAdvance: "SWITCH_ADV"
        case .switchReset: "SWITCH_RST"
        case .teardown: "TEARDOWN"
        }
    }
}

/// Finds what the routers of some PEs (a rectangle, or all) do in each cycle without touching the router
/// loop: `Simulation.step` calls ``before(_:now:)`` and ``after(_:now:)`` around `Fabric.step` only
/// while a watch is registered (a trace that asks for router events, a switch or drop breakpoint), and
/// the watch compares what it saw. Only the busy PEs of the rectangle are looked at: a FIFO whose pop
/// count moved sent its head (read before the cycle) to its route's outputs; for a route with switches,
/// filters or control wavelets the outputs are decided again the way `Fabric.routeDynamic` decides them,
/// in the router's round-robin order; link states are the growth of the per-output Delayed and
/// Backpressure counts; switch positions and teardowns the change of each route's dynamic state.
public final class RouterWatch {
    public let kinds: RouterEventKinds
    let area: (from: PECoord, to: PECoord)?
    /// The events of the last cycle, in router order (cleared by whoever reads them, or by `before`).
    public internal(set) var events: [RouterEvent] = []
    /// Called after each cycle with its events (when there are any).
    var onCycle: ((Int, [RouterEvent]) -> Void)?

    private struct Head {
        var fifo: Int
        var pops: UInt32
        var value: UInt32
        var word: UInt32
        /// A dynamic FIFO's switch position before the cycle.
        var position: UInt8
    }
    /// Per busy PE of the area before the cycle: its index, round-robin position and the range of its
    /// heads in `heads`.
    private var routers: [(pe: Int, rr: Int, heads: Range<Int>)] = []
    private var heads: [Head] = []
    /// Per busy router of the area: the Delayed and Backpressure counts of its five outputs.
    private var counts: [UInt32] = []
    /// The dynamic routes of the area (index, PE, color) and their state after the last cycle.
    private var dynamic: [(d: Int, pe: PECoord, color: Int)] = []
    private var states: [DynamicState] = []
    /// The last command each dynamic route applied in the cycle (by position in `dynamic`).
    private var commands: [Int: ControlCommand] = [:]
    private var dynamicIndex: [Int: Int] = [:]
    /// False when nothing it looks for can happen (switches and drops on a fabric without dynamic routes).
    private var looks = true
    private var popped: [Head] = []

    public init(kinds: RouterEventKinds, area: (from: PECoord, to: PECoord)? = nil) {
        self.kinds = kinds
        self.area = area
    }

    func contains(_ p: PECoord) -> Bool {
        guard let a = area else { return true }
        return p.x >= a.from.x && p.x <= a.to.x && p.y >= a.from.y && p.y <= a.to.y
    }

    /// Starts watching `fabric`: the dynamic routes of the area and their state now.
    func start(_ fabric: Fabric) {
        looks = !kinds.isDisjoint(with: [.hops, .links]) || fabric.hasDynamicColors
        dynamic = []
        states = []
        dynamicIndex = [:]
        for (s, d) in fabric.slotDynamic.sorted(by: { $0.value < $1.value }) {
            let pe = fabric.coordinate(Int(fabric.routerPE[Int(fabric.slotRouter[s])]))
            guard contains(pe) else { continue }
            dynamicIndex[d] = dynamic.count
            dynamic.append((d, pe, Int(fabric.slotColor[s])))
            states.append(fabric.dynamicStates[d])
        }
    }

    /// Before `fabric.step(now:)`: the heads of the busy PEs' FIFOs and their output counts.
    func before(_ fabric: Fabric, now: Int) {
        events.removeAll(keepingCapacity: true)
        routers.removeAll(keepingCapacity: true)
        heads.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
        guard looks else { return }
        let width = fabric.width
        let needHeads = !kinds.isDisjoint(with: [.hops, .drops, .switches])
        // Without hops only the routes with switches, filters or control wavelets matter.
        let onlyDynamic = !kinds.contains(.hops)
        let links = kinds.contains(.links)
        fabric.active.forEachWord(taking: false) { w, word in
            var bits = word
            while bits != 0 {
                let pe = w << 6 | bits.trailingZeroBitCount
                bits &= bits - 1
                guard contains(PECoord(pe % width, pe / width)) else { continue }
                let start = Int(fabric.peFifoStart[pe]), end = Int(fabric.peFifoStart[pe + 1])
                let first = heads.count
                if needHeads {
                    for f in start..<end where fabric.fifos[f].size > 0 && (!onlyDynamic || fabric.fifos[f].isDynamic) {
                        let dynamic = fabric.fifos[f].isDynamic
                        heads.append(
                            Head(
                                fifo: f, pops: fabric.fifos[f].pops, value: fabric.fifos[f].headValue,
                                word: dynamic ? fabric.fifoTags[fabric.tagPlace(f, k: 0)] : 0,
                                position: dynamic ? fabric.dynamicStates[fabric.fifos[f].route].position : 0))
                    }
                }
                if !links && heads.count == first { continue }
                routers.append((pe, Int(fabric.peRR[pe]), first..<heads.count))
                if links {
                    let r = Int(fabric.peRouter[pe])
                    for p in 0..<5 {
                        counts.append(fabric.outDelayed[r * 5 + p])
                        counts.append(fabric.outBackpressure[r * 5 + p])
                    }
                }
            }
            return true
        }
    }

    /// After `fabric.step(now:)`: the cycle's events.
    func after(_ fabric: Fabric, now: Int) {
        guard looks else { return }
        if !commands.isEmpty { commands.removeAll(keepingCapacity: true) }
        let stamp = Stamp(cycle: now)
        for (k, router) in routers.enumerated() {
            let pe = fabric.coordinate(router.pe)
            if !router.heads.isEmpty { replay(fabric, pe: pe, router: router) }
            guard kinds.contains(.links) else { continue }
            let r = Int(fabric.peRouter[router.pe])
            for p in 0..<5 {
                let delayed = fabric.outDelayed[r * 5 + p] != counts[k * 10 + p * 2]
                let backpressure = fabric.outBackpressure[r * 5 + p] != counts[k * 10 + p * 2 + 1]
                guard delayed || backpressure else { continue }
                // The wavelets held for that output: FIFOs at the PE heading there that did not move.
                var colors: Set<Int> = []
                for f in Int(fabric.peFifoStart[router.pe])..<Int(fabric.peFifoStart[router.pe + 1])
                where fabric.fifos[f].size > 0 && fabric.fifos[f].lastPop != stamp && tx(fabric, f) & (1 << p) != 0 {
                    colors.insert(Int(fabric.fifos[f].color))
                }
                events.append(.link(pe: pe, direction: Port.direction(p), state: backpressure ? .backpressure : .delayed, colors: colors.sorted()))
            }
        }
        if kinds.contains(.switches) {
            for (i, route) in dynamic.enumerated() {
                let now = fabric.dynamicStates[route.d], was = states[i]
                guard now.position != was.position || now.frozen != was.frozen else { continue }
                states[i] = now
                if now.frozen && !was.frozen { events.append(.teardown(pe: route.pe, color: route.color)) }
                if !now.frozen && was.frozen { events.append(.reconfigure(pe: route.pe, color: route.color)) }
                if now.position != was.position {
                    let by = commands[i]
                    events.append(
                        .switchMove(
                            pe: route.pe, color: route.color, from: Int(was.position), to: Int(now.position),
                            by: by == .switchAdvance || by == .switchReset ? by : nil))
                }
            }
        }
        if !events.isEmpty { onCycle?(now, events) }
    }

    /// The head's tx as the router reads it now (a dynamic route's: its switch position's).
    private func tx(_ fabric: Fabric, _ f: Int) -> UInt8 {
        guard fabric.fifos[f].isDynamic else { return fabric.fifos[f].tx }
        let d = fabric.fifos[f].route
        return fabric.dynamicRoutes[d].tx[Int(fabric.dynamicStates[d].position)]
    }

    /// The moves of one router's FIFOs in the cycle, in its round-robin order.
    private func replay(_ fabric: Fabric, pe: PECoord, router: (pe: Int, rr: Int, heads: Range<Int>)) {
        let start = Int(fabric.peFifoStart[router.pe]), n = Int(fabric.peFifoStart[router.pe + 1]) - start
        popped.removeAll(keepingCapacity: true)
        for head in heads[router.heads] where fabric.fifos[head.fifo].pops != head.pops { popped.append(head) }
        guard !popped.isEmpty else { return }
        if popped.count > 1 { popped.sort { ($0.fifo - start - router.rr + n) % n < ($1.fifo - start - router.rr + n) % n } }
        // Switch positions as the cycle goes (a command moves the switch for the FIFOs after it).
        var positions: [Int: Int] = [:]
        for head in popped {
            let f = head.fifo
            let color = Int(fabric.fifos[f].color)
            var tx = fabric.fifos[f].tx
            var swap: UInt8 = 0
            if fabric.fifos[f].isDynamic {
                let d = fabric.fifos[f].route
                let route = fabric.dynamicRoutes[d]
                let k = dynamicIndex[d]
                let position = positions[d] ?? Int(head.position)
                let decision = Fabric.decide(route, position: position, word: head.word, value: head.value, model: fabric.model)
                tx = decision.tx
                swap = route.swapPorts
                if decision.dropped && kinds.contains(.drops) { events.append(.drop(pe: pe, color: color, payload: head.value)) }
                if let c = decision.command {
                    if let k { commands[k] = c.command }
                    switch c.command {
                    case .nop, .teardown: break
                    case .switchAdvance: positions[d] = fabric.advanced(route, from: position)
                    case .switchReset: positions[d] = 0
                    }
                }
            }
            guard kinds.contains(.hops) else { continue }
            var t = tx & 0xF
            while t != 0 {
                let p = t.trailingZeroBitCount
                t &= t - 1
                // Off the rectangle's edge to a host stream: no fabric link is crossed (the fabric counts no hop).
                if fabric.fifos[f].isDynamic, !fabric.dynamicRoutes[fabric.fifos[f].route].links[p].isFifo { continue }
                events.append(
                    .hop(
                        pe: pe, direction: Port.direction(p), color: color, arrivesOn: swap & (1 << p) != 0 ? color ^ 1 : color, payload: head.value,
                        control: head.word != 0))
            }
        }
    }
}

extension Simulation {
    /// Starts `watch` on this simulation's routers: it reports from the next cycle on.
    public func addRouterWatch(_ watch: RouterWatch) {
        watch.start(fabric)
        routerWatches.append(watch)
    }

    /// Stops `watch` (nothing is looked at any more when it was the last).
    public func removeRouterWatch(_ watch: RouterWatch) {
        routerWatches.removeAll { $0 === watch }
    }
}

extension Fabric {
    /// Whether the route at (pe, color) has a filter.
    public func hasFilter(pe: PECoord, color: Int) -> Bool {
        guard let s = slot(pe: pe, color: color), let d = slotDynamic[s] else { return false }
        return dynamicRoutes[d].filter != nil
    }
}
