import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator

/// A slow, plainly written model of the playground's routers, written from docs/fabric-model.md ("The
/// routers", "The playground", "Cycles and the end of a run") and nothing else: dictionaries of arrays per
/// (PE, color, input side), one loop per cycle, each rule stated once (also "Switches, control wavelets,
/// filters, color swap": a wavelet carries its command word). The property tests run it beside the
/// fast `Fabric` and compare every delivery (PE, color, payload, cycle), the link counts, how the run ends
/// and its error.
final class ReferenceRouter {
    /// A wavelet in a FIFO or core queue: its payload and the cycle it may leave (a FIFO) or reaches the
    /// core (a core queue).
    struct Wavelet {
        var payload: UInt32
        var ready: Int
        /// The commands a control wavelet still carries (0: a data wavelet).
        var word: UInt32 = 0
    }

    /// A route's place: (PE, color).
    struct Place: Hashable {
        var pe: PECoord
        var color: Int
    }

    /// An input FIFO: (PE, color, the side a wavelet comes in from).
    struct Input: Hashable {
        var pe: PECoord
        var color: Int
        var side: Direction
    }

    /// A router output: (PE, the way out).
    struct Output: Hashable {
        var pe: PECoord
        var direction: Direction
    }

    /// A router output's cycles: moved a wavelet, waited for an output used this cycle, found no room.
    struct Counts: Equatable {
        var active = 0
        var delayed = 0
        var backpressure = 0
    }

    let width: Int
    let height: Int
    let model: FabricModel
    var routes: [Place: RouteConfig] = [:]
    var fifos: [Input: [Wavelet]] = [:]
    var coreQueues: [Place: [Wavelet]] = [:]
    /// Each core queue's capacity: ramp latency plus the depth of its queue.
    var queueCapacity: [Place: Int] = [:]
    /// A router's FIFOs in arbitration order: by color, then input side RAMP, N, E, S, W.
    var inputOrder: [PECoord: [Input]] = [:]
    /// The round-robin position of each router among its FIFOs.
    var roundRobin: [PECoord: Int] = [:]
    var sends: [PlaygroundSend]
    /// How many values of each send are on the fabric.
    var sent: [Int]
    /// Every delivery decided so far, by PE, stamped with the cycle it reaches the core.
    var deliveries: [PECoord: [Delivery]] = [:]
    var counts: [Output: Counts] = [:]
    /// Each switch's position, where it is not the route's starting one; routes torn down.
    var position: [Place: Int] = [:]
    var frozen: Set<Place> = []
    /// Data wavelets a filter kept from a core, per route.
    var drops: [Place: Int] = [:]
    /// Cycles run.
    var cycle = 0
    var error: SimulationError?

    var linkCapacity: Int { model.hopLatency + model.bufferDepth }
    var rampCapacity: Int { model.rampLatency + model.bufferDepth }

    init(width: Int, height: Int, routes list: [RouteConfig], sends: [PlaygroundSend], model: FabricModel) {
        self.width = width
        self.height = height
        self.model = model
        self.sends = sends
        self.sent = sends.map { _ in 0 }
        for r in list { routes[Place(pe: r.pe, color: r.color)] = r }
        for r in list.sorted(by: { ($0.pe.y, $0.pe.x, $0.color) < ($1.pe.y, $1.pe.x, $1.color) }) {
            for side in r.allRx.sorted { inputOrder[r.pe, default: []].append(Input(pe: r.pe, color: r.color, side: side)) }
            if r.allTx.contains(.ramp) {
                // "Which queue depth a core queue gets": a PE's core queues take the depths of its free
                // queues in route (color) order.
                let n = queueCapacity.keys.filter { $0.pe == r.pe }.count
                let free = model.freeQueues
                queueCapacity[Place(pe: r.pe, color: r.color)] = model.rampLatency + model.queueDepths[free[n % free.count]]
            }
        }
    }

    /// Runs until finished, an error, or `limit` cycles in all.
    func run(limit: Int) {
        while cycle < limit && error == nil && !isFinished { step() }
    }

    /// Every send done, nothing in a FIFO or on a ramp down, and (with a sink) every core queue empty.
    var isFinished: Bool {
        zip(sends, sent).allSatisfy { $0.values.count == $1 }
            && fifos.values.allSatisfy(\.isEmpty)
            && deliveries.values.allSatisfy { $0.allSatisfy { $0.cycle <= cycle } }
            && (model.sinkRate == 0 || coreQueues.values.allSatisfy(\.isEmpty))
    }

    /// The deliveries that have reached their cores.
    var arrived: [PECoord: [Delivery]] {
        deliveries.mapValues { $0.filter { $0.cycle <= cycle } }.filter { !$0.value.isEmpty }
    }

    /// One cycle: the sends, then every router, then the sinks.
    func step() {
        let now = cycle
        guard injectSends(now: now) else { return }
        runRouters(now: now)
        // Sinks: every core queue gives up one wavelet that has reached the core.
        if model.sinkRate > 0 {
            for place in coreQueues.keys {
                if let head = coreQueues[place]!.first, head.ready <= now { coreQueues[place]!.removeFirst() }
            }
        }
        cycle += 1
    }

    /// Every send with values left, in the order written, puts its next value into its injection FIFO when
    /// that has room and its PE's ramp has carried nothing this cycle. False on an unrouted send.
    private func injectSends(now: Int) -> Bool {
        var rampUsed: Set<PECoord> = []
        for i in sends.indices where sent[i] < sends[i].values.count {
            let s = sends[i]
            guard let r = routes[Place(pe: s.pe, color: s.color)], r.rx.contains(.ramp) else {
                let hasRoute = routes[Place(pe: s.pe, color: s.color)] != nil
                error = SimulationError(.coreSendUnrouted(pe: s.pe, color: s.color, cycle: now, hasRoute: hasRoute), cycle: now)
                return false
            }
            let input = Input(pe: s.pe, color: s.color, side: .ramp)
            if rampUsed.contains(s.pe) || fifos[input, default: []].count >= rampCapacity { continue }
            let word = s.commandWords.isEmpty ? 0 : s.commandWords[sent[i]]
            fifos[input, default: []].append(Wavelet(payload: s.values[sent[i]], ready: now + model.rampLatency, word: word))
            sent[i] += 1
            rampUsed.insert(s.pe)
        }
        return true
    }

    /// A move decided in a cycle, made at its end.
    enum Move {
        case hop(Input, Wavelet)
        case deliver(Place, Wavelet)
    }

    /// Every router that holds a wavelet, in address order: from its round-robin position, each FIFO's
    /// ready head leaves if none of its outputs was used this cycle and every output has room (counted
    /// before this cycle's moves); the moves land at the end, in the order decided.
    private func runRouters(now: Int) {
        let fifoFill = fifos.mapValues(\.count)
        let queueFill = coreQueues.mapValues(\.count)
        var moves: [Move] = []
        for y in 0..<height {
            for x in 0..<width {
                let pe = PECoord(x, y)
                let inputs = inputOrder[pe] ?? []
                guard inputs.contains(where: { !(fifos[$0] ?? []).isEmpty }) else { continue }
                let start = roundRobin[pe, default: 0]
                roundRobin[pe] = (start + 1) % inputs.count
                var used: Set<Direction> = []
                for k in 0..<inputs.count {
                    let input = inputs[(start + k) % inputs.count]
                    guard let head = fifos[input]?.first, head.ready <= now else { continue }
                    let place = Place(pe: pe, color: input.color)
                    let route = routes[place]!
                    // A torn-down route moves nothing; a switch position takes only from its own rx.
                    if frozen.contains(place) { continue }
                    let at = position[place] ?? route.switches?.currentPosition ?? 0
                    let (rx, tx) = route.position(at)
                    guard rx.contains(input.side) else { continue }
                    var outputs = Direction.allCases.filter { tx.contains($0) }  // N, E, S, W, RAMP
                    var forward = head.word
                    var dropped = false
                    let command = ControlWavelet.first(of: head.word)
                    if let c = command {
                        // ce_ignore: not down the ramp. Popped per the pop mode; nothing left: it goes no further.
                        if c.ceIgnore { outputs.removeAll { $0 == .ramp } }
                        let popMode = route.switches?.popMode ?? .noPop
                        let popped =
                            popMode == .alwaysPop
                            || (popMode == .popOnAdvance && c.command == .switchAdvance
                                && (model.popOnAdvanceAtLastPosition || advance(route, from: at) != at))
                        if popped {
                            forward = head.word >> 4
                            if forward == 0 { outputs.removeAll { $0 != .ramp } }
                        }
                    } else if head.word == 0, let filter = route.filter, outputs.contains(.ramp), !filter.passes(index: UInt16(head.payload >> 16)) {
                        outputs.removeAll { $0 == .ramp }
                        dropped = true
                    }
                    /// The color a wavelet has after leaving toward `d` (swapped across an axis with swap set).
                    func color(toward d: Direction) -> Int {
                        ((d == .east || d == .west) && route.colorSwapX) || ((d == .north || d == .south) && route.colorSwapY) ? input.color ^ 1 : input.color
                    }
                    let taken = outputs.filter { used.contains($0) }
                    if !taken.isEmpty {
                        for d in taken { counts[Output(pe: pe, direction: d), default: Counts()].delayed += 1 }
                        continue
                    }
                    var room = true
                    for d in outputs {
                        if d == .ramp {
                            if queueFill[place, default: 0] >= queueCapacity[place]! {
                                counts[Output(pe: pe, direction: d), default: Counts()].backpressure += 1
                                room = false
                            }
                            continue
                        }
                        let next = PECoord(pe.x + d.step.dx, pe.y + d.step.dy)
                        if let misroute = misroute(from: pe, color: input.color, arriving: color(toward: d), toward: d, now: now) {
                            error = misroute
                            return
                        }
                        if fifoFill[Input(pe: next, color: color(toward: d), side: d.opposite), default: 0] >= linkCapacity {
                            counts[Output(pe: pe, direction: d), default: Counts()].backpressure += 1
                            room = false
                        }
                    }
                    if !room { continue }
                    fifos[input]!.removeFirst()
                    for d in outputs {
                        used.insert(d)
                        counts[Output(pe: pe, direction: d), default: Counts()].active += 1
                        if d == .ramp {
                            moves.append(.deliver(place, Wavelet(payload: head.payload, ready: now + model.rampLatency, word: head.word)))
                        } else {
                            let next = PECoord(pe.x + d.step.dx, pe.y + d.step.dy)
                            moves.append(
                                .hop(
                                    Input(pe: next, color: color(toward: d), side: d.opposite),
                                    Wavelet(payload: head.payload, ready: now + model.hopLatency, word: forward)))
                        }
                    }
                    if dropped { drops[place, default: 0] += 1 }
                    // The router applies the command after the wavelet left by the old position.
                    switch command?.command {
                    case .switchAdvance?: position[place] = advance(route, from: at)
                    case .switchReset?: position[place] = 0
                    case .teardown?: frozen.insert(place)
                    case .nop?, nil: break
                    }
                }
            }
        }
        // The moves land; two arrivals on one color at one router in one cycle from different sides are a race.
        var lastSide: [Place: Direction] = [:]
        for move in moves {
            switch move {
            case .hop(let input, let w):
                let place = Place(pe: input.pe, color: input.color)
                if routes[place]!.allRx.count > 1 {
                    if let earlier = lastSide[place], earlier != input.side, error == nil {
                        error = SimulationError(
                            .race(color: input.color, pe: input.pe, cycle: w.ready, from: earlier, and: input.side), cycle: w.ready)
                    }
                    lastSide[place] = input.side
                }
                fifos[input, default: []].append(w)
            case .deliver(let place, let w):
                coreQueues[place, default: []].append(w)
                deliveries[place.pe, default: []].append(Delivery(cycle: w.ready, color: place.color, payload: w.payload, isControl: w.word != 0))
            }
        }
    }

    /// SWITCH_ADV from position `at`: the next; after the last, the base in ring mode, else it stays.
    private func advance(_ route: RouteConfig, from at: Int) -> Int {
        let count = route.switches?.positions.count ?? 0
        if at < count { return at + 1 }
        return route.switches?.ringMode == true ? 0 : at
    }

    /// The error of a wavelet leaving `pe` toward `d` on `color` in cycle `now`, if its neighbour does not
    /// take it: off the fabric, no route there, or that side not in the route's rx.
    private func misroute(from pe: PECoord, color: Int, arriving: Int, toward d: Direction, now: Int) -> SimulationError? {
        let next = PECoord(pe.x + d.step.dx, pe.y + d.step.dy)
        let stop = now + 1
        let arrival = now + model.hopLatency
        guard next.x >= 0, next.x < width, next.y >= 0, next.y < height else {
            return SimulationError(.leavesFabric(pe: pe, color: color, direction: d, cycle: stop, next: next), cycle: stop)
        }
        guard let r = routes[Place(pe: next, color: arriving)] else {
            return SimulationError(
                .unrouted(
                    pe: pe, color: color, direction: d, cycle: stop, next: next, from: d.opposite, arrival: arrival,
                    arrivesAs: arriving == color ? nil : arriving), cycle: stop)
        }
        guard r.allRx.contains(d.opposite) else {
            return SimulationError(
                .wrongDirection(
                    pe: pe, color: color, direction: d, cycle: stop, next: next, from: d.opposite, arrival: arrival,
                    arrivesAs: arriving == color ? nil : arriving), cycle: stop)
        }
        return nil
    }
}
