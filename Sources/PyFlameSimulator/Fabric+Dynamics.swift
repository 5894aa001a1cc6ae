import PyFlameIR
import PyFlameLowering

// Routes that change as wavelets pass (switches moved by control wavelets, teardown), filters, color
// swap and control wavelets (docs/fabric-model.md, "Switches, control wavelets, filters, color swap").
// Every FIFO of a color that has any of these is `FifoRecord.dynamic`: the router loop hands its head to
// `routeDynamic` (not inlined), so the static routes keep their fast paths. A wavelet's command word (0
// for data) travels beside its payload in `fifoTags`, at the same place of the FIFO's ring convention.

/// A route of a dynamic color as built: the rx and tx of each switch position (port bit masks), the
/// switch's behaviour, the filter, and where each link port leads (after color swap).
struct DynamicRoute {
    /// rx and tx masks of positions 0 (the base) to `positionCount - 1`.
    var rx: [UInt8]
    var tx: [UInt8]
    var positionCount: Int
    var startPosition: Int
    var ringMode: Bool
    var popMode: PopMode
    var filter: RouteFilter?
    /// Which link ports swap the wavelet's color (bit p for port p).
    var swapPorts: UInt8
    var links: LinkTargets
    var coreQueue: Int32
    var color: Int

    init(_ r: RouteConfig, links: LinkTargets, coreQueue: Int32, mask: (DirectionSet) -> UInt8) {
        positionCount = 1 + (r.switches?.positions.count ?? 0)
        rx = (0..<positionCount).map { mask(r.position($0).rx) }
        tx = (0..<positionCount).map { mask(r.position($0).tx) }
        startPosition = r.switches?.currentPosition ?? 0
        ringMode = r.switches?.ringMode ?? false
        popMode = r.switches?.popMode ?? .noPop
        filter = r.filter
        swapPorts = (r.colorSwapX ? UInt8(1 << Port.east | 1 << Port.west) : 0) | (r.colorSwapY ? UInt8(1 << Port.north | 1 << Port.south) : 0)
        self.links = links
        self.coreQueue = coreQueue
        color = r.color
    }
}

/// What a cycle changes of a dynamic route: its switch position, whether a teardown froze it, and the
/// events counted (switch moves, filter drops).
struct DynamicState: Equatable {
    var position: UInt8
    var frozen = false
    var moves: UInt32 = 0
    var drops: UInt32 = 0
    /// Wavelets that ended at this router with nowhere to go: a filter drop or ce_ignore on a route into
    /// the core only, or a control wavelet whose last command was popped.
    var ends: UInt32 = 0
}

/// What `routeDynamic` did with a FIFO's head.
/// What a dynamic route does with the wavelet at a FIFO's head (``Fabric/decide(_:position:word:value:model:)``).
struct DynamicDecision {
    var tx: UInt8
    var forward: UInt32
    var dropped: Bool
    var command: ControlItem?
}

enum DynamicMove {
    case moved, held, failed
}

extension Fabric {
    /// Where the k-th wavelet (the head is 0) of dynamic FIFO `f` keeps its command word.
    @inline(__always) func tagPlace(_ f: Int, k: Int) -> Int {
        f &<< tagShift | (Int(fifos[f].pops) &+ k) & ((1 &<< tagShift) &- 1)
    }

    /// Sets the command word of the wavelet about to join dynamic FIFO `f` (before it is pushed).
    @inline(__always) func tagNext(_ f: Int, _ word: UInt32) {
        fifoTags[tagPlace(f, k: Int(fifos[f].size))] = word
    }

    /// One dynamic FIFO's ready head at router `pe` in cycle `now` (`Fabric.step`'s loop, with its
    /// counters): routed by the switch's position *before* any command it carries moves it; a filter keeps a
    /// data wavelet outside its range from the core (a drop), `ce_ignore` keeps a control wavelet from it;
    /// then, once it moved, the router applies its first command and pops it per the pop mode.
    @inline(never) func routeDynamic(
        _ f: Int, pe: Int, now: Int, immediate: Bool, used: inout UInt8, pc: inout Int, copies: inout Int,
        list: inout DeliveryLog.Appender
    ) -> DynamicMove {
        let fifos = self.fifos.pointer
        let d = fifos[f].route
        let route = dynamicRoutes[d]
        var state = dynamicStates[d]
        // A torn-down color moves nothing until its core reconfigures it.
        if state.frozen { return .held }
        let position = Int(state.position)
        let port = Int(fifoArrivals[f].port)
        // A side this position does not receive from waits for a position that does.
        if route.rx[position] & (1 << port) == 0 { return .held }
        let now32 = Stamp(cycle: now)
        let value = fifos[f].headValue
        let word = fifoTags[tagPlace(f, k: 0)]
        let decision = Fabric.decide(route, position: position, word: word, value: value, model: model)
        let tx = decision.tx
        let forward = decision.forward, command = decision.command, dropped = decision.dropped
        let r = Int(peRouter[pe])
        if tx & used != 0 {
            var shared = tx & used
            while shared != 0 { let p = shared.trailingZeroBitCount; shared &= shared &- 1; outDelayed[r &* 5 &+ p] &+= 1 }
            return .held
        }
        var ok = true
        var t = tx
        while t != 0 {
            let p = t.trailingZeroBitCount
            t &= t &- 1
            if p == Port.ramp {
                if !Fabric.hasRoom(coreQueue: Int(route.coreQueue), now: now32, coreQueues.pointer) {
                    outBackpressure[r &* 5 &+ p] &+= 1
                    ok = false
                }
            } else {
                let target = route.links[p]
                if !target.isFifo {
                    // Off the rectangle's edge to a host stream (Fabric+HostEdges.swift), or a misroute.
                    if let room = hostExitRoom(slot: Int(fifoArrivals[f].slot), port: p) {
                        if !room { outBackpressure[r &* 5 &+ p] &+= 1; ok = false }
                        continue
                    }
                    reportMisroute(
                        slot: Int(fifoArrivals[f].slot), port: p, target: target, now: now,
                        arrivesAs: route.swapPorts & (1 << p) != 0 ? route.color ^ 1 : nil)
                    return .failed
                }
                if !Fabric.hasRoom(target.fifo, capacity: linkCapacity, now: now32, fifos) {
                    outBackpressure[r &* 5 &+ p] &+= 1
                    ok = false
                }
            }
        }
        if !ok { return .held }
        Fabric.pop(f, size: Int(fifos[f].size), now: now32, fifos, fifoRings)
        used |= tx
        let color = route.color
        let inFlight = inFlightByColor.pointer
        // The wavelet leaves its color's count; each copy joins the count of the color it travels on.
        inFlight[color] &-= 1
        let hopReady = Stamp(cycle: now &+ model.hopLatency)
        t = tx
        while t != 0 {
            let p = t.trailingZeroBitCount
            t &= t &- 1
            dynamicActive[r &* 5 &+ p] &+= 1
            if p == Port.ramp {
                let q = Int(route.coreQueue)
                inFlight[color] &+= 1
                if immediate {
                    Fabric.deliver(q, value: value, ready: now &+ model.rampLatency, coreQueues.pointer, coreRings, inFlight, &list, occupied)
                    if word != 0 { list.markLastControl() }
                } else {
                    pending[pc] = PendingPush(ready: Stamp(cycle: now &+ model.rampLatency), target: .coreQueue(q), value: value, pe: 0)
                    pendingTags[pc] = word
                    pc &+= 1
                }
            } else {
                let target = route.links[p]
                if !target.isFifo {
                    takeAtHostExit(slot: Int(fifoArrivals[f].slot), port: p, value: value, now: now)
                    continue
                }
                inFlight[route.swapPorts & (1 << p) != 0 ? color ^ 1 : color] &+= 1
                let next = pe &+ neighbourOffsets[p]
                if immediate {
                    tagNext(target.fifo, forward)
                    Fabric.arrive(target.fifo, value: value, ready: hopReady, pe: next, fifos, fifoRings, nextActive, self)
                } else {
                    pending[pc] = PendingPush(ready: hopReady, target: target, value: value, pe: Int32(truncatingIfNeeded: next))
                    pendingTags[pc] = forward
                    pc &+= 1
                }
                hopCountByColor[color] &+= 1
            }
        }
        if tx & (tx &- 1) != 0 { copies &+= tx.nonzeroBitCount &- 1 }
        if tx == 0 { state.ends &+= 1 }
        if dropped { state.drops &+= 1 }
        if let c = command {
            switch c.command {
            case .nop: break
            case .switchAdvance: state.position = UInt8(advanced(route, from: position))
            case .switchReset: state.position = 0
            case .teardown: state.frozen = true
            }
            if Int(state.position) != position { state.moves &+= 1 }
        }
        dynamicStates[d] = state
        return .moved
    }

    /// What a dynamic FIFO's head does at switch `position`, decided in one place for the router
    /// (``routeDynamic(_:pe:now:immediate:used:pc:copies:list:)``) and for ``RouterWatch``: the outputs it
    /// goes to (the position's tx less RAMP for a `ce_ignore` command or a filtered data wavelet, RAMP alone
    /// when the last command is popped), the command word it carries on (its first command popped by the
    /// route's `pop_mode`), whether the filter kept it from the core, and the command the router applies.
    @inline(__always) static func decide(_ route: DynamicRoute, position: Int, word: UInt32, value: UInt32, model: FabricModel)
        -> DynamicDecision
    {
        let ramp = UInt8(1 << Port.ramp)
        var decision = DynamicDecision(tx: route.tx[position], forward: word, dropped: false, command: nil)
        if word != 0 {
            guard let c = ControlWavelet.first(of: word) else { return decision }
            decision.command = c
            if c.ceIgnore { decision.tx &= ~ramp }
            let pop: Bool
            switch route.popMode {
            case .noPop: pop = false
            case .alwaysPop: pop = true
            case .popOnAdvance:
                pop = c.command == .switchAdvance && (model.popOnAdvanceAtLastPosition || advancedPosition(route, from: position) != position)
            }
            if pop {
                decision.forward = ControlWavelet.popped(word)
                // Nothing left to carry: the wavelet ends here (its own core may still receive it).
                if decision.forward == 0 { decision.tx &= ramp }
            }
        } else if let filter = route.filter, decision.tx & ramp != 0, !filter.passes(index: UInt16(truncatingIfNeeded: value >> 16)) {
            decision.tx &= ~ramp
            decision.dropped = true
        }
        return decision
    }

    /// The position SWITCH_ADV moves a switch to from `position`: the next; after the last, the base in ring
    /// mode, otherwise it stays.
    func advanced(_ route: DynamicRoute, from position: Int) -> Int { Fabric.advancedPosition(route, from: position) }

    @inline(__always) static func advancedPosition(_ route: DynamicRoute, from position: Int) -> Int {
        if position + 1 < route.positionCount { return position + 1 }
        return route.ringMode ? 0 : position
    }

    /// The core at `pe` reconfigures its route on `color` after a teardown: the color moves again, from
    /// the switch position the route starts at. False when (pe, color) has no route with dynamic state.
    @discardableResult
    public func reconfigure(pe: PECoord, color: Int) -> Bool {
        guard let s = slot(pe: pe, color: color), let d = slotDynamic[s] else { return false }
        dynamicStates[d].frozen = false
        dynamicStates[d].position = UInt8(dynamicRoutes[d].startPosition)
        active.mark(pe.y * width + pe.x)
        return true
    }

    /// The switch position of the route at (pe, color) now (0: the base), nil without switches.
    public func switchPosition(pe: PECoord, color: Int) -> Int? {
        guard let s = slot(pe: pe, color: color), let d = slotDynamic[s], dynamicRoutes[d].positionCount > 1 else { return nil }
        return Int(dynamicStates[d].position)
    }

    /// Whether a teardown froze the route at (pe, color).
    public func isTornDown(pe: PECoord, color: Int) -> Bool {
        guard let s = slot(pe: pe, color: color), let d = slotDynamic[s] else { return false }
        return dynamicStates[d].frozen
    }

    /// Data wavelets the filter of the route at (pe, color) kept from its core so far.
    public func filterDrops(pe: PECoord, color: Int) -> Int {
        guard let s = slot(pe: pe, color: color), let d = slotDynamic[s] else { return 0 }
        return Int(dynamicStates[d].drops)
    }

    /// Filter drops over the whole fabric, and switch moves.
    public var totalFilterDrops: Int { (0..<dynamicRoutes.count).reduce(0) { $0 + Int(dynamicStates[$1].drops) } }
    public var totalSwitchMoves: Int { (0..<dynamicRoutes.count).reduce(0) { $0 + Int(dynamicStates[$1].moves) } }
    /// Wavelets that ended at a router without going anywhere (see `DynamicState.ends`).
    public var totalEnded: Int { (0..<dynamicRoutes.count).reduce(0) { $0 + Int(dynamicStates[$1].ends) } }

    /// A pending push decided by `routeDynamic` landing at the end of a cycle (without immediate pushes):
    /// its command word goes with it.
    @inline(never) func landTag(_ k: Int, _ push: PendingPush, list: inout DeliveryLog.Appender) {
        if push.target.isCoreQueue {
            if coreQueueDynamic[push.target.coreQueue] && pendingTags[k] != 0 { list.markLastControl() }
        } else if fifos[push.target.fifo].isDynamic {
            tagNext(push.target.fifo, pendingTags[k])
        }
    }
}
