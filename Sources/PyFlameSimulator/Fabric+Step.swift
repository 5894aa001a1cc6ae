import PyFlameIR

extension Fabric {
    /// Moves wavelets for cycle `now` (cycles in increasing order; a cycle's injections come before
    /// it): every busy PE's router, in address order, sends at most one wavelet per output. With
    /// `immediatePushes`, every push lands as it is decided, also into PEs the scan has yet to reach.
    /// Nothing can tell the difference from landing every push at the end of the cycle: a FIFO has one
    /// sender, which checks its room (a slot popped this cycle is free only in the next) before it
    /// pushes, and a pushed wavelet cannot leave in the cycle it arrives (hop latency >= 1). Arrivals
    /// at a slot with several rx FIFOs are checked for races in the order decided. The loop keeps base
    /// pointers in locals: no exclusivity, uniqueness or overflow checks per wavelet.
    public func step(now: Int) {
        keepStampsExact(at: now)
        clock = now
        // Two copies of the loop, each with `immediate` a constant.
        if immediatePushes { runRouters(now: now, immediate: true) } else { runRouters(now: now, immediate: false) }
    }

    /// `step`'s router loop. The cycle's counts come from what the loop writes anyway (fewer live
    /// counters, fewer spills): hops from the per-color hop counts, deliveries from the delivery log,
    /// moves from both less the extra copies of multicasts (and plus the deliveries a misroute kept
    /// from landing).
    @inline(__always) private func runRouters(now: Int, immediate: Bool) {
        var list = deliveryLog.appender
        let loggedBefore = list.count
        let occupied = self.occupied
        let next = self.nextActive
        let rampLatency = model.rampLatency
        let now32 = Stamp(cycle: now), hopReady = Stamp(cycle: now &+ model.hopLatency)
        let peFifoStart = self.peFifoStart.pointer, peRR = self.peRR.pointer, peRouter = self.peRouter.pointer
        let fifos = self.fifos.pointer, routes = self.fifoRoutes.pointer, fifoRings = self.fifoRings
        let linkCapacity = self.linkCapacity
        // The PE a link port leads to is `pe + neighbour[p]` (N, E, S, W).
        let neighbour = self.neighbourOffsets.pointer
        let coreQueues = self.coreQueues.pointer, coreRings = self.coreRings
        let outDelayed = self.outDelayed.pointer, outBackpressure = self.outBackpressure.pointer
        let pending = self.pending.pointer
        let hopCountByColor = self.hopCountByColor.pointer, inFlightByColor = self.inFlightByColor.pointer
        var hopsBefore = 0
        for c in 0..<Fabric.colorCount { hopsBefore &+= hopCountByColor[c] }
        // The extra copies multicasts put on the fabric (a move to k outputs is k − 1 of them).
        var copies = 0
        // Pushes decided this cycle in `pending[0..<pc]` (without `immediate`) land at its end.
        var pc = 0
        var failed = false
        // Busy PEs in address order, taken out of `active` (this cycle's) as the walk goes.
        self.active.forEachWord(taking: true) { w, word in
            var bits = word
            while bits != 0 {
                let pe = w &<< 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                // One router: its FIFOs from the round-robin position, at most one wavelet per output.
                let start = Int(peFifoStart[pe]), end = Int(peFifoStart[pe &+ 1])
                let n = end &- start
                var used: UInt8 = 0
                // Whether a FIFO still holds a wavelet after this cycle (then the PE is busy next cycle).
                var holding = false
                let rr = Int(peRR[pe])  // always < n
                if n > 1 { peRR[pe] = UInt16(truncatingIfNeeded: rr &+ 1 == n ? 0 : rr &+ 1) }
                var f = start &+ rr &- 1
                for _ in 0..<n {
                    f &+= 1
                    if f == end { f = start }
                    let size = Int(fifos[f].size)
                    if size == 0 { continue }
                    if size > 1 { holding = true }
                    if fifos[f].headReady.isAfter(now32) { holding = true; continue }
                    let kind = fifos[f].txAndKind
                    let tx = kind & 0x1F
                    if tx & used != 0 {
                        let r = Int(peRouter[pe])
                        var shared = tx & used
                        while shared != 0 { let p = shared.trailingZeroBitCount; shared &= shared &- 1; outDelayed[r &* 5 &+ p] &+= 1 }
                        holding = true
                        continue
                    }
                    if kind & FifoRecord.oneLink != 0 {
                        // One link out, the common case.
                        let p = tx.trailingZeroBitCount
                        let target = fifos[f].target
                        if !target.isFifo {
                            reportMisroute(slot: Int(fifoSlot[f]), port: p, target: target, now: now)
                            failed = true
                            return false
                        }
                        if !Fabric.hasRoom(target.fifo, capacity: linkCapacity, now: now32, fifos) {
                            outBackpressure[Int(peRouter[pe]) &* 5 &+ p] &+= 1
                            holding = true
                            continue
                        }
                        let value = fifos[f].headValue
                        Fabric.pop(f, size: size, now: now32, fifos, fifoRings)
                        used |= tx
                        let push = PendingPush(ready: hopReady, target: target, value: value, pe: Int32(truncatingIfNeeded: pe &+ neighbour[p]))
                        if !immediate {
                            pending[pc] = push
                            pc &+= 1
                        } else {
                            Fabric.arrive(target.fifo, value: value, ready: hopReady, pe: Int(push.pe), fifos, fifoRings, next, self)
                        }
                        hopCountByColor[Int(fifos[f].color)] &+= 1
                        continue
                    }
                    if kind & FifoRecord.rampOnly != 0 {
                        // Into the core only.
                        let q = fifos[f].target.coreQueue
                        if !Fabric.hasRoom(coreQueue: q, now: now32, coreQueues) {
                            outBackpressure[Int(peRouter[pe]) &* 5 &+ Port.ramp] &+= 1
                            holding = true
                            continue
                        }
                        let value = fifos[f].headValue
                        Fabric.pop(f, size: size, now: now32, fifos, fifoRings)
                        used |= tx
                        if immediate {
                            Fabric.deliver(q, value: value, ready: now &+ rampLatency, coreQueues, coreRings, inFlightByColor, &list, occupied)
                        } else {
                            pending[pc] = PendingPush(ready: Stamp(cycle: now &+ rampLatency), target: .coreQueue(q), value: value, pe: 0)
                            pc &+= 1
                        }
                        continue
                    }
                    if kind & FifoRecord.dynamic != 0 {
                        // A color with switches, filters, swap or control wavelets: apart, not inlined.
                        switch routeDynamic(f, pe: pe, now: now, immediate: immediate, used: &used, pc: &pc, copies: &copies, list: &list) {
                        case .moved: continue
                        case .held: holding = true; continue
                        case .failed: failed = true; return false
                        }
                    }
                    // Several outputs (the FIFO's `route`): room at every one (all-or-nothing multicast).
                    // (The link and core sends below repeat the paths above on purpose, measured: as local
                    // functions capturing the counters they cost 23% more instructions per cycle, and the
                    // link send as a static helper taking `pc` inout 1.9% more.)
                    let route = routes + fifos[f].route
                    let links = UnsafeRawPointer(route)
                    var ok = true
                    var t = tx
                    while t != 0 {
                        let p = t.trailingZeroBitCount
                        t &= t &- 1
                        if p == Port.ramp {
                            if !Fabric.hasRoom(coreQueue: Int(route.pointee.coreQueue), now: now32, coreQueues) {
                                outBackpressure[Int(peRouter[pe]) &* 5 &+ p] &+= 1
                                ok = false
                            }
                        } else {
                            let target = LinkTargets.load(links, port: p)
                            if !target.isFifo {
                                reportMisroute(slot: Int(fifoSlot[f]), port: p, target: target, now: now)
                                failed = true
                                return false
                            }
                            if !Fabric.hasRoom(target.fifo, capacity: linkCapacity, now: now32, fifos) {
                                outBackpressure[Int(peRouter[pe]) &* 5 &+ p] &+= 1; ok = false
                            }
                        }
                    }
                    if !ok { holding = true; continue }
                    let value = fifos[f].headValue
                    Fabric.pop(f, size: size, now: now32, fifos, fifoRings)
                    used |= tx
                    let color = Int(fifos[f].color)
                    t = tx
                    while t != 0 {
                        let p = t.trailingZeroBitCount
                        t &= t &- 1
                        if p == Port.ramp {
                            let q = Int(route.pointee.coreQueue)
                            if immediate {
                                Fabric.deliver(q, value: value, ready: now &+ rampLatency, coreQueues, coreRings, inFlightByColor, &list, occupied)
                            } else {
                                pending[pc] = PendingPush(ready: Stamp(cycle: now &+ rampLatency), target: .coreQueue(q), value: value, pe: 0)
                                pc &+= 1
                            }
                        } else {
                            let target = LinkTargets.load(links, port: p)
                            let push = PendingPush(ready: hopReady, target: target, value: value, pe: Int32(truncatingIfNeeded: pe &+ neighbour[p]))
                            if !immediate {
                                pending[pc] = push
                                pc &+= 1
                            } else {
                                Fabric.arrive(target.fifo, value: value, ready: hopReady, pe: Int(push.pe), fifos, fifoRings, next, self)
                            }
                            hopCountByColor[color] &+= 1
                        }
                    }
                    // A multicast to k outputs puts k − 1 copies on the fabric (each leaves inFlight when delivered).
                    if tx & (tx &- 1) != 0 {
                        inFlightByColor[color] &+= tx.nonzeroBitCount &- 1
                        copies &+= tx.nonzeroBitCount &- 1
                    }
                }
                if holding { next.mark(pe) }
            }
            return true
        }
        if !failed {
            // The pushes decided above that still wait, in order.
            for k in 0..<pc {
                let push = pending[k]
                if push.target.isCoreQueue {
                    // The cycle the wavelet reaches the core: the stamp is within the ramp latency of now.
                    let cycle = now &+ push.ready.cycles(since: now32)
                    Fabric.deliver(push.target.coreQueue, value: push.value, ready: cycle, coreQueues, coreRings, inFlightByColor, &list, occupied)
                    if hasDynamicColors { landTag(k, push, list: &list) }
                } else {
                    if hasDynamicColors { landTag(k, push, list: &list) }
                    Fabric.arrive(push.target.fifo, value: push.value, ready: push.ready, pe: Int(push.pe), fifos, fifoRings, next, self)
                }
            }
        }
        var hopsAfter = 0
        for c in 0..<Fabric.colorCount { hopsAfter &+= hopCountByColor[c] }
        let delivered = list.count &- loggedBefore
        // Moves into cores decided before a misroute stopped the cycle still count.
        let stopped = failed ? (0..<pc).reduce(0) { $0 + (pending[$1].target.isCoreQueue ? 1 : 0) } : 0
        hops += hopsAfter &- hopsBefore
        movedThisCycle = hopsAfter &- hopsBefore &+ delivered &+ stopped &- copies
        queuedAtCores += delivered
        deliveredCount += delivered
        deliveryLog.finish(list)
        if failed { return }
        promoteNextActive()
    }

    /// Next cycle's busy PEs become this cycle's (the router scan emptied this cycle's set). Apart from
    /// the router loop: inlined there, it cost the loop registers.
    @inline(never) private func promoteNextActive() {
        let active = self.active
        nextActive.forEachWord(taking: true) { w, bits in
            active.setWord(w, bits)
            return true
        }
    }

    /// Takes the head of FIFO `f` (holding `size`): the second wavelet, if any, becomes the head, and
    /// the third, if any, comes out of the ring.
    @inline(__always) static func pop(_ f: Int, size: Int, now: Stamp, _ fifos: UnsafeMutablePointer<FifoRecord>, _ rings: Rings) {
        let pops = fifos[f].pops
        if size > 1 {
            fifos[f].headValue = fifos[f].secondValue
            fifos[f].headReady = fifos[f].secondReady
            if size > 2 {
                let third = rings[f, pops: Int(truncatingIfNeeded: pops), k: 2]
                fifos[f].secondValue = third.value
                fifos[f].secondReady = third.ready
            }
        }
        fifos[f].pops = pops &+ 1
        fifos[f].size = UInt8(truncatingIfNeeded: size &- 1)
        fifos[f].lastPop = now
    }

    /// Whether core queue `q` takes a wavelet in cycle `now` (its wavelets on the ramp down count; a
    /// place its core freed this cycle is free from the next).
    @inline(__always) static func hasRoom(coreQueue q: Int, now: Stamp, _ coreQueues: UnsafeMutablePointer<CoreQueueRecord>) -> Bool {
        Int(coreQueues[q].size) &+ (coreQueues[q].lastPop == now ? 1 : 0) < Int(coreQueues[q].capacity)
    }

    /// A wavelet reaching core queue `q`.
    @inline(__always) static func deliver(
        _ q: Int, value: UInt32, ready: Int, _ coreQueues: UnsafeMutablePointer<CoreQueueRecord>, _ rings: Rings,
        _ inFlightByColor: UnsafeMutablePointer<Int>, _ list: inout DeliveryLog.Appender, _ occupied: ActivityBits
    ) {
        let stamp = Stamp(cycle: ready)
        let size = Int(coreQueues[q].size)
        if size == 0 {
            coreQueues[q].headValue = value
            coreQueues[q].headReady = stamp
        } else if size == 1 {
            coreQueues[q].secondValue = value
            coreQueues[q].secondReady = stamp
        } else {
            rings[q, pops: Int(coreQueues[q].pops), k: size] = Entry(ready: stamp, value: value)
        }
        coreQueues[q].size = UInt8(truncatingIfNeeded: size &+ 1)
        occupied.mark(q)
        inFlightByColor[Int(coreQueues[q].color)] &-= 1
        list.append(queue: q, payload: value, cycle: ready)
    }

    /// A wavelet entering FIFO `target` at PE index `pe` (ready at `ready`): it becomes the head or the
    /// second, or waits behind them in storage; two arrivals on one color (slot) in one cycle from different sides
    /// are a race (only a slot with several rx FIFOs can have one); the PE is busy next cycle.
    @inline(__always) static func arrive(
        _ target: Int, value: UInt32, ready: Stamp, pe: Int, _ fifos: UnsafeMutablePointer<FifoRecord>, _ rings: Rings,
        _ next: ActivityBits, _ fabric: Fabric
    ) {
        if fifos[target].shared { fabric.checkRace(target, ready: ready) }
        push(target, value: value, ready: ready, fifos, rings)
        next.mark(pe)
    }

    /// Records an arrival at FIFO `target` of a slot with several rx FIFOs, reporting a race when
    /// another of the slot's FIFOs had one in the same cycle.
    @inline(never) func checkRace(_ target: Int, ready: Stamp) {
        let arrivals = fifoArrivals.pointer
        let first = target &- Int(arrivals[target].fromFirst)
        let port = arrivals[target].port
        // The arrival's full cycle (the stamp is within the hop latency of the clock).
        let cycle = clock &+ ready.cycles(since: Stamp(cycle: clock))
        if arrivals[first].lastArrival == cycle && arrivals[first].lastArrivalPort != port {
            reportRace(fifo: target, from: Int(arrivals[first].lastArrivalPort), ready: cycle)
        }
        arrivals[first].lastArrival = cycle
        arrivals[first].lastArrivalPort = port
    }

    @inline(never) private func reportRace(fifo f: Int, from earlier: Int, ready: Int) {
        guard error == nil else { return }
        let s = Int(fifoSlot[f])
        let pe = coordinate(Int(routerPE[Int(slotRouter[s])]))
        error = SimulationError(
            .race(color: Int(slotColor[s]), pe: pe, cycle: ready, from: Port.direction(earlier), and: Port.direction(Int(fifoPort[f]))), cycle: ready)
    }

    /// `arrivesAs`: the color a color swap gives the wavelet on this link (nil: none).
    @inline(never) func reportMisroute(slot s: Int, port p: Int, target: RouteTarget, now: Int, arrivesAs: Int? = nil) {
        let pe = coordinate(Int(routerPE[Int(slotRouter[s])]))
        let color = Int(slotColor[s])
        let (dx, dy) = Port.direction(p).step
        let next = PECoord(pe.x + dx, pe.y + dy)
        let arrival = now + model.hopLatency
        // The cycle the simulation stops at (what :status then says): the cycle being run, counted from 1.
        let stop = now + 1
        let direction = Port.direction(p), from = Port.direction(Port.opposite(p))
        switch target {
        case .offFabric:
            error = SimulationError(.leavesFabric(pe: pe, color: color, direction: direction, cycle: stop, next: next), cycle: stop)
        case .noRoute:
            error = SimulationError(
                .unrouted(pe: pe, color: color, direction: direction, cycle: stop, next: next, from: from, arrival: arrival, arrivesAs: arrivesAs),
                cycle: stop)
        default:
            error = SimulationError(
                .wrongDirection(pe: pe, color: color, direction: direction, cycle: stop, next: next, from: from, arrival: arrival, arrivesAs: arrivesAs),
                cycle: stop)
        }
    }
}
