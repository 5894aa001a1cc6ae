import PyFlameIR

/// The cores' side of the fabric: putting wavelets on a ramp (cores and playground sends), taking
/// them out of core queues (cores and playground sinks).
extension Fabric {
    /// The slot of the route at (pe, color), if any.
    public func slot(pe: PECoord, color: Int) -> Int? {
        slotIndex[Fabric.key(pe.y * width + pe.x, color)].map(Int.init)
    }

    /// Whether a core at `pe` can put a wavelet on `color` now; sets ``error`` when the color has no
    /// route from the ramp there.
    public func canInject(pe: PECoord, color: Int, now: Int) -> Bool {
        keepStampsExact(at: now)
        guard let s = slot(pe: pe, color: color), slotInjectFifo[s] >= 0 else {
            if error == nil {
                error = SimulationError(.coreSendUnrouted(pe: pe, color: color, cycle: now, hasRoute: slot(pe: pe, color: color) != nil), cycle: now)
            }
            return false
        }
        return canInject(fifo: Int(slotInjectFifo[s]), pe: pe.y * width + pe.x, now: now)
    }

    /// Puts a wavelet from the core at `pe` onto `color` in cycle `now`, before `step(now:)` and after
    /// ``canInject`` said yes (otherwise it traps); it reaches the router after the ramp latency.
    public func inject(pe: PECoord, color: Int, value: UInt32, now: Int) {
        let s = slot(pe: pe, color: color)!
        inject(fifo: Int(slotInjectFifo[s]), pe: pe.y * width + pe.x, value: value, now: now)
    }

    /// The injection FIFO of the route at (pe, color): nil when there is no route or no RAMP in its rx
    /// (then ``canInject(pe:color:now:)`` reports the error).
    func injectionFifo(pe: PECoord, color: Int) -> Int? {
        guard let s = slot(pe: pe, color: color), slotInjectFifo[s] >= 0 else { return nil }
        return Int(slotInjectFifo[s])
    }

    /// Whether the injection FIFO of (pe, color) has a place for a wavelet its core puts there in the next
    /// cycle: it is not full now (a pop in this cycle only adds room). True without a route from the ramp
    /// (the injection then reports it).
    public func hasPlaceNextCycle(pe: PECoord, color: Int) -> Bool {
        guard let f = injectionFifo(pe: pe, color: color) else { return true }
        return fifoSize(f) < rampCapacity
    }

    /// ``canInject(pe:color:now:)`` for a FIFO from ``injectionFifo(pe:color:)`` at PE index `pe`: the
    /// FIFO has room and the PE's ramp has taken no wavelet yet in cycle `now` (one a cycle, any color).
    @inline(__always) func canInject(fifo f: Int, pe: Int, now: Int) -> Bool {
        rampFree(pe: pe, now: now) && Fabric.hasRoom(f, capacity: rampCapacity, now: Stamp(cycle: now), fifos.pointer)
    }

    /// Whether the ramp from the core at PE index `pe` (which has a route) is free in cycle `now`.
    @inline(__always) func rampFree(pe: Int, now: Int) -> Bool {
        routerRampCycle.pointer[Int(peRouter.pointer[pe])] != now
    }

    /// Whether FIFO `f` (of `capacity`) takes a wavelet in cycle `now`: a slot popped this cycle is
    /// not free again until the next.
    @inline(__always) static func hasRoom(_ f: Int, capacity: Int, now: Stamp, _ fifos: UnsafeMutablePointer<FifoRecord>) -> Bool {
        let size = Int(fifos[f].size)
        return size &+ 1 < capacity || (size < capacity && fifos[f].lastPop != now)
    }

    /// ``inject(pe:color:value:now:)`` for a FIFO from ``injectionFifo(pe:color:)`` at PE index `pe`.
    /// Cores and sends inject before the cycle's router scan, so with a ramp latency of a cycle or more
    /// the wavelet cannot leave before the next cycle; with none it may leave in this one.
    @inline(__always) func inject(fifo f: Int, pe: Int, value: UInt32, now: Int, commandWord: UInt32 = 0) {
        let fifos = self.fifos.pointer
        // A FIFO of a dynamic color keeps each wavelet's command word (0: data).
        if fifos[f].isDynamic { tagNext(f, commandWord) } else { precondition(commandWord == 0, "a control wavelet on a color the fabric was not built for") }
        precondition(Fabric.hasRoom(f, capacity: rampCapacity, now: Stamp(cycle: now), fifos), "inject with no room on the ramp: call canInject first")
        precondition(rampFree(pe: pe, now: now), "a second wavelet on the ramp of PE index \(pe) in cycle \(now): call canInject first")
        precondition(now > clock, "inject at cycle \(now) after step(now: \(clock)): a cycle's injections come before its step")
        routerRampCycle.pointer[Int(peRouter.pointer[pe])] = now
        Fabric.push(f, value: value, ready: Stamp(cycle: now &+ model.rampLatency), fifos, fifoRings)
        inFlightByColor[Int(fifos[f].color)] &+= 1
        active.mark(pe)
    }

    /// A wavelet joining FIFO `f`: it becomes the head or the second, or waits behind them in its ring.
    @inline(__always) static func push(_ f: Int, value: UInt32, ready: Stamp, _ fifos: UnsafeMutablePointer<FifoRecord>, _ rings: Rings) {
        let size = Int(fifos[f].size)
        if size == 0 {
            fifos[f].headValue = value
            fifos[f].headReady = ready
        } else if size == 1 {
            fifos[f].secondValue = value
            fifos[f].secondReady = ready
        } else {
            rings[f, pops: Int(truncatingIfNeeded: fifos[f].pops), k: size] = Entry(ready: ready, value: value)
        }
        fifos[f].size = UInt8(truncatingIfNeeded: size &+ 1)
    }

    /// The oldest wavelet that has arrived in core queue `q` by `now`, without taking it.
    public func peekCore(_ q: Int, now: Int) -> UInt32? {
        keepStampsExact(at: now)
        guard coreQueues[q].size > 0, !coreQueues[q].headReady.isAfter(Stamp(cycle: now)) else { return nil }
        return coreQueues[q].headValue
    }

    /// Takes the head of core queue `q` (after ``peekCore``).
    public func popCore(_ q: Int, now: Int) {
        Fabric.popHead(q, now: Stamp(cycle: now), coreQueues.pointer, coreRings)
        queuedAtCores -= 1
    }

    /// Takes the head of core queue `q` (not empty): the second wavelet becomes the head, and the
    /// third, if any, comes out of its ring.
    @inline(__always) static func popHead(_ q: Int, now: Stamp, _ coreQueues: UnsafeMutablePointer<CoreQueueRecord>, _ rings: Rings) {
        let size = Int(coreQueues[q].size)
        if size > 1 {
            coreQueues[q].headValue = coreQueues[q].secondValue
            coreQueues[q].headReady = coreQueues[q].secondReady
            if size > 2 {
                let third = rings[q, pops: Int(coreQueues[q].pops), k: 2]
                coreQueues[q].secondValue = third.value
                coreQueues[q].secondReady = third.ready
            }
        }
        coreQueues[q].pops &+= 1
        coreQueues[q].size = UInt8(truncatingIfNeeded: size &- 1)
        coreQueues[q].lastPop = now
    }

    public func coreQueueFill(_ q: Int) -> Int { Int(coreQueueSize[q]) }

    /// Wavelets of core queue `q` that have reached the core by cycle `now`; the rest of its fill is still
    /// on the ramp down from the router.
    public func coreQueueArrived(_ q: Int, now: Int) -> Int {
        let record = coreQueues[q]
        let size = Int(record.size)
        let cutoff = Stamp(cycle: now)
        var arrived = 0
        for i in 0..<size {
            let ready: Stamp
            switch i {
            case 0: ready = record.headReady
            case 1: ready = record.secondReady
            default: ready = coreRings[q, pops: Int(record.pops), k: i].ready
            }
            if !ready.isAfter(cutoff) { arrived += 1 }
        }
        return arrived
    }
    public func coreQueueColorOf(_ q: Int) -> Int { Int(coreQueueColor[q]) }
    public func coreQueuePEOf(_ q: Int) -> PECoord { coordinate(Int(coreQueuePE[q])) }

    /// Playground sinks: every occupied queue gives up one arrived wavelet. Returns how many.
    func drainOnePerQueue(now: Int) -> Int {
        var taken = 0
        let now32 = Stamp(cycle: now)
        let coreQueues = self.coreQueues.pointer, coreRings = self.coreRings
        let occupied = self.occupied
        occupied.forEachWord(taking: false) { w, word in
            var qbits = word
            while qbits != 0 {
                let q = w &<< 6 | qbits.trailingZeroBitCount
                qbits &= qbits &- 1
                if coreQueues[q].size > 0 && !coreQueues[q].headReady.isAfter(now32) {
                    // popCore, with the count of queued wavelets kept below.
                    Fabric.popHead(q, now: now32, coreQueues, coreRings)
                    taken &+= 1
                }
                if coreQueues[q].size == 0 { occupied.unmark(q) }
            }
            return true
        }
        queuedAtCores -= taken
        return taken
    }
}
