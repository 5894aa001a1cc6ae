import Foundation
import PyFlameIR
import PyFlameLowering

/// The routers and links of the fabric: per (PE, color) routes with rx/tx sets, per-color input
/// buffers behind each link's pipeline stages, one wavelet per link direction per cycle, round-robin
/// arbitration at a shared output, all-or-nothing multicast, and end-to-end backpressure into the
/// cores' input queues. State exists only where routes exist; busy PEs are found through a bitmap
/// with summary levels, so an idle fabric costs nothing per cycle. One cycle is `step(now:)`
/// (Fabric+Step.swift); the records it reads are in FabricRecords.swift.
public final class Fabric {
    public let width: Int
    public let height: Int
    let model: FabricModel

    // PEs, by index y * width + x: the FIFOs of each (`peFifoStart[pe] ..< peFifoStart[pe + 1]`), its
    // round-robin position among them, and its router (-1 without routes).
    let peFifoStart: Slab<Int32>
    let peRR: Slab<UInt16>
    let peRouter: Slab<Int32>
    // Routers (PEs with at least one route), in address order: what statistics and reports name.
    let routerCount: Int
    let routerPE: Slab<Int32>              // y * width + x
    // Slots: one per (PE, color) route, in address order.
    let slotCount: Int
    let slots: Slab<SlotRecord>
    let slotRx: Slab<UInt8>
    let slotRouter: Slab<Int32>
    /// For a slot with RAMP in rx: its injection FIFO.
    let slotInjectFifo: Slab<Int32>
    var slotColor: Field<SlotRecord, UInt8> { Field(slots, \.color) }
    var slotTx: Field<SlotRecord, UInt8> { Field(slots, \.tx) }
    var slotCoreQueue: Field<SlotRecord, Int32> { Field(slots, \.coreQueue) }
    /// For slot s and port p (N, E, S, W), at s * 4 + p: the neighbour FIFO a wavelet enters, or a negative error code.
    var slotTarget: SlotTargets { SlotTargets(slots: slots.pointer) }
    struct SlotTargets {
        let slots: UnsafeMutablePointer<SlotRecord>
        subscript(i: Int) -> Int32 { slots[i >> 2].target(i & 3) }
    }
    // Input FIFOs: one per (slot, rx port), grouped by PE: their records (heads included), the routes
    // of those with several outputs, and the storage of the wavelets behind their heads.
    let fifoCount: Int
    let fifos: Slab<FifoRecord>
    let fifoRoutes: Slab<FifoRoute>
    /// FIFO f's storage is `storage[f << fifoShift ..< (f + 1) << fifoShift]`: the largest FIFO capacity,
    /// rounded up to a power of two.
    let fifoShift: Int
    var fifoMask: Int { (1 << fifoShift) - 1 }
    let storage: Slab<Entry>
    /// The capacity of every FIFO behind a link (hop latency + buffer depth).
    let linkCapacity: Int
    /// The capacity of an injection FIFO (ramp latency + buffer depth).
    let rampCapacity: Int
    /// Wavelets the cores put on their ramps this cycle, when the ramp takes a cycle or more (so none
    /// can leave its FIFO this cycle): their FIFOs count them in `injected`, and the router scan adds
    /// them once their PE has popped (usually as the head, without touching storage), or at its start
    /// when they did not come in FIFO order. With no ramp latency they join their FIFOs at once.
    let injections: InjectionList
    let lateInjections: Bool
    let fifoArrivals: Slab<FifoArrivalRecord>
    var fifoSlot: Field<FifoArrivalRecord, Int32> { Field(fifoArrivals, \.slot) }
    var fifoPort: Field<FifoArrivalRecord, UInt8> { Field(fifoArrivals, \.port) }
    /// The wavelets FIFO f holds.
    func fifoSize(_ f: Int) -> Int { Int(fifos[f].size) + Int(fifos[f].injected) }
    /// The wavelets FIFO f can hold.
    func fifoCapacity(_ f: Int) -> Int { fifoPort[f] == UInt8(Port.ramp) ? rampCapacity : linkCapacity }
    // Core queues: one per (PE, color) delivered to the core; their records (heads included), PEs, and
    // the storage of the wavelets behind their heads (`coreStorage[q << coreShift ...]`).
    public let coreQueueCount: Int
    let coreQueues: Slab<CoreQueueRecord>
    let coreQueuePE: Slab<Int32>
    let coreShift: Int
    var coreMask: Int { (1 << coreShift) - 1 }
    let coreStorage: Slab<Entry>
    var coreQueueColor: Field<CoreQueueRecord, UInt8> { Field(coreQueues, \.color) }
    var coreQueueCapacity: Field<CoreQueueRecord, UInt8> { Field(coreQueues, \.capacity) }
    var coreQueueSize: Field<CoreQueueRecord, UInt8> { Field(coreQueues, \.size) }
    // Busy PEs, this cycle's and the next's (constants, so marking a PE costs no exclusivity check;
    // the next cycle's bits move over at the end of one).
    let active: ActivityBits
    let nextActive: ActivityBits
    /// Whether the router loop applies pushes as it decides them (the same result as applying them at
    /// the end of the cycle, in the same order: see `init`), or applies them at the end.
    let immediatePushes: Bool
    // Pushes decided this cycle that wait, in the order decided: all of them, applied at its end, when
    // pushes do not land at once; else the pushes south, and apart the pushes east, each landed as the
    // scan passes their PEs (see `step`).
    let pending: Slab<PendingPush>
    let eastPending: Slab<PendingPush>
    /// What a link port adds to a PE index: N, E, S, W.
    let neighbourOffsets: Slab<Int>
    var pendingCount = 0
    let pendingCapacity: Int
    // Statistics per router output (5 per router); Active counts come from the FIFOs' pops (`outputActivity`).
    let outDelayed: Slab<UInt32>
    let outBackpressure: Slab<UInt32>
    /// Wavelets on the fabric per color (injected, not yet in a core queue).
    public var inFlight: [Int] { Array(UnsafeBufferPointer(start: inFlightByColor.pointer, count: 24)) }
    let inFlightByColor = Slab<Int>(24, 0)
    public internal(set) var hops: Int = 0
    /// Link hops per color since the start.
    public var hopsByColor: [Int] { Array(UnsafeBufferPointer(start: hopCountByColor.pointer, count: 24)) }
    let hopCountByColor = Slab<Int>(24, 0)
    public internal(set) var deliveredCount: Int = 0
    /// Wavelets sitting in core queues, over all cores.
    public internal(set) var queuedAtCores: Int = 0
    /// Core queues that have held wavelets since the sinks last found them empty: the queues the
    /// playground sinks drain, in address order.
    let occupied: ActivityBits
    public internal(set) var movedThisCycle = 0
    /// The cycle being stepped (the full cycle of the 32-bit stamps near it).
    var clock = 0
    /// The cycle of the last `rebaseStamps`.
    private(set) var stampBase = 0
    public internal(set) var error: SimulationError?
    /// Every wavelet delivered into a core queue, in delivery order (the simulation records and trims it).
    let deliveryLog = DeliveryLog()

    /// (PE index, color) → slot, and (PE index, color) → core queue.
    let slotIndex: [Int: Int32]
    public let coreQueueIndex: [Int: Int32]

    static func key(_ pe: Int, _ color: Int) -> Int { pe &* 32 &+ color }

    /// Cycles, buffer depths and latencies above these do not fit the records (the shell's settings stay below).
    static let largestCapacity = 255

    public init(width: Int, height: Int, routes: [RouteConfig], model: FabricModel) {
        self.width = width
        self.height = height
        self.model = model
        let peCount = width * height
        // Slots sorted by PE address, then color.
        let sorted = routes.sorted { ($0.pe.y, $0.pe.x, $0.color) < ($1.pe.y, $1.pe.x, $1.color) }
        slotCount = sorted.count
        var routerPEs: [Int32] = []
        var slotRouterList: [Int32] = []
        var index: [Int: Int32] = [:]
        for (s, r) in sorted.enumerated() {
            let pe = Int32(r.pe.y * width + r.pe.x)
            if routerPEs.last != pe { routerPEs.append(pe) }
            slotRouterList.append(Int32(routerPEs.count - 1))
            index[Fabric.key(Int(pe), r.color)] = Int32(s)
        }
        slotIndex = index
        routerCount = routerPEs.count
        routerPE = Slab(routerPEs)
        slotRouter = Slab(slotRouterList)
        peRouter = Slab(peCount, -1)
        for (r, pe) in routerPEs.enumerated() { peRouter[Int(pe)] = Int32(r) }
        func mask(_ set: DirectionSet) -> UInt8 { set.sorted.reduce(0) { $0 | UInt8(1 << Port.of($1)) } }
        var slotRecords = sorted.map { SlotRecord(tx: mask($0.tx), color: UInt8($0.color)) }
        slotRx = Slab(sorted.map { mask($0.rx) })
        // FIFOs per (slot, rx port), grouped by PE.
        var fifoRecords: [FifoRecord] = []
        fifoRecords.reserveCapacity(sorted.count)
        var arrivalList: [FifoArrivalRecord] = []
        arrivalList.reserveCapacity(sorted.count)
        var fifoStart = [Int32](repeating: 0, count: peCount + 1)
        var inject = [Int32](repeating: -1, count: sorted.count)
        var fifoOf: [Int: Int32] = [:]   // slot * 5 + port
        for (s, r) in sorted.enumerated() {
            let first = fifoRecords.count
            let shared = r.rx.sorted.count > 1
            for d in r.rx.sorted {
                let port = Port.of(d)
                fifoOf[s * 5 + port] = Int32(fifoRecords.count)
                if port == Port.ramp { inject[s] = Int32(fifoRecords.count) }
                arrivalList.append(FifoArrivalRecord(slot: Int32(s), port: UInt8(port), fromFirst: UInt8(fifoRecords.count - first)))
                fifoRecords.append(FifoRecord(tx: slotRecords[s].tx, color: slotRecords[s].color, shared: shared))
                fifoStart[r.pe.y * width + r.pe.x + 1] += 1
            }
        }
        for pe in 0..<peCount { fifoStart[pe + 1] += fifoStart[pe] }
        peFifoStart = Slab(fifoStart)
        peRR = Slab(peCount, 0)
        fifoCount = fifoRecords.count
        linkCapacity = model.hopLatency + model.bufferDepth
        rampCapacity = model.rampLatency + model.bufferDepth
        precondition(max(linkCapacity, rampCapacity) <= Fabric.largestCapacity, "FIFO capacity over \(Fabric.largestCapacity)")
        var shift = 0
        while 1 << shift < max(linkCapacity, rampCapacity) { shift += 1 }
        fifoShift = shift
        storage = Slab(fifoCount << shift, Entry(ready: 0, value: 0), alignment: 64)
        slotInjectFifo = Slab(inject)
        // Targets toward neighbours: the FIFO that accepts the wavelet there, or why none does.
        for (s, r) in sorted.enumerated() {
            for d in r.tx.sorted where d != .ramp {
                let (dx, dy) = d.step
                let nx = r.pe.x + dx, ny = r.pe.y + dy
                let p = Port.of(d)
                guard nx >= 0, nx < width, ny >= 0, ny < height else { slotRecords[s].setTarget(p, -3); continue }
                guard let t = index[Fabric.key(ny * width + nx, r.color)] else { slotRecords[s].setTarget(p, -1); continue }
                guard let f = fifoOf[Int(t) * 5 + Port.opposite(p)] else { slotRecords[s].setTarget(p, -2); continue }
                slotRecords[s].setTarget(p, f)
            }
        }
        // Core queues for every route that delivers to its core.
        var queueRecords: [CoreQueueRecord] = []
        var queuePEs: [Int32] = []
        var queueIndex: [Int: Int32] = [:]
        var queueOfPE: [Int32: Int] = [:]
        let free = model.freeQueues
        for (s, r) in sorted.enumerated() where r.tx.contains(.ramp) {
            let pe = Int32(r.pe.y * width + r.pe.x)
            let n = queueOfPE[pe, default: 0]
            queueOfPE[pe] = n + 1
            let capacity = model.rampLatency + model.queueDepths[free[n % free.count]]
            precondition(capacity <= Fabric.largestCapacity, "core queue capacity over \(Fabric.largestCapacity)")
            slotRecords[s].coreQueue = Int32(queueRecords.count)
            queueIndex[Fabric.key(Int(pe), r.color)] = Int32(queueRecords.count)
            queueRecords.append(CoreQueueRecord(capacity: UInt8(capacity), color: UInt8(r.color)))
            queuePEs.append(pe)
        }
        coreQueueIndex = queueIndex
        coreQueueCount = queueRecords.count
        var coreShiftValue = 0
        while 1 << coreShiftValue < queueRecords.reduce(1, { max($0, Int($1.capacity)) }) { coreShiftValue += 1 }
        coreShift = coreShiftValue
        coreQueues = Slab(queueRecords)
        coreQueuePE = Slab(queuePEs)
        coreStorage = Slab(coreQueueCount << coreShiftValue, Entry(ready: 0, value: 0), alignment: 64)
        // Each FIFO's target: its one link's, its core queue, or its route among the FIFOs with several outputs.
        var routeList: [FifoRoute] = []
        for f in 0..<fifoRecords.count {
            let s = Int(arrivalList[f].slot)
            let tx = slotRecords[s].tx
            if tx != 0 && tx & (tx - 1) == 0 && tx < 1 << Port.ramp {
                fifoRecords[f].target = slotRecords[s].target(tx.trailingZeroBitCount)
            } else if tx == 1 << Port.ramp {
                fifoRecords[f].target = slotRecords[s].coreQueue
            } else {
                fifoRecords[f].target = Int32(routeList.count)
                routeList.append(FifoRoute(target: slotRecords[s].target, coreQueue: slotRecords[s].coreQueue))
            }
        }
        precondition(MemoryLayout<FifoRecord>.stride == 24 && MemoryLayout<CoreQueueRecord>.stride == 24 && MemoryLayout<Entry>.stride == 8)
        fifos = Slab(fifoCount, FifoRecord(tx: 0, color: 0, shared: false), alignment: 64)
        for f in 0..<fifoCount { fifos[f] = fifoRecords[f] }
        fifoRecords = []
        fifoRoutes = Slab(routeList)
        routeList = []
        fifoArrivals = Slab(arrivalList)
        arrivalList = []
        // At most a full injection FIFO's worth each cycle.
        injections = InjectionList(capacity: inject.reduce(0) { $0 + ($1 < 0 ? 0 : model.rampLatency + model.bufferDepth) })
        lateInjections = model.rampLatency >= 1
        slots = Slab(slotRecords)
        slotRecords = []
        // Pushes land at once when nothing a wavelet does this cycle can see them (hop latency ≥ 1)
        // and no route can misroute (an error stops the cycle before its pushes land).
        var misroutes = false
        for s in 0..<slotCount {
            for p in 0..<4 where slots[s].tx & (1 << p) != 0 && slots[s].target(p) < 0 { misroutes = true }
        }
        immediatePushes = model.hopLatency >= 1 && !misroutes
        active = ActivityBits(count: peCount); nextActive = ActivityBits(count: peCount)
        occupied = ActivityBits(count: coreQueueCount)
        pendingCapacity = routerCount * 5 + 64
        pending = Slab(pendingCapacity, PendingPush(ready: 0, target: 0, value: 0, pe: 0))
        eastPending = Slab(routerCount + 1, PendingPush(ready: 0, target: 0, value: 0, pe: 0))
        neighbourOffsets = Slab([-width, 1, width, -1])
        outDelayed = Slab(routerCount * 5, 0); outBackpressure = Slab(routerCount * 5, 0)
    }

    deinit {
        peFifoStart.free(); peRR.free(); peRouter.free(); routerPE.free()
        slots.free(); slotRx.free(); slotRouter.free(); slotInjectFifo.free()
        fifos.free(); fifoRoutes.free(); storage.free(); injections.free(); fifoArrivals.free()
        coreQueues.free(); coreQueuePE.free(); coreStorage.free()
        active.free(); nextActive.free(); occupied.free(); pending.free(); eastPending.free(); neighbourOffsets.free()
        outDelayed.free(); outBackpressure.free()
        inFlightByColor.free(); hopCountByColor.free()
    }

    public var isIdle: Bool {
        active.isEmpty
    }

    func coordinate(_ pe: Int) -> PECoord { PECoord(pe % width, pe / width) }

    // MARK: - Cores' side

    /// The slot of the route at (pe, color), if any.
    public func slot(pe: PECoord, color: Int) -> Int? {
        slotIndex[Fabric.key(pe.y * width + pe.x, color)].map(Int.init)
    }

    /// Whether a core at `pe` can put a wavelet on `color` now; sets ``error`` when the color has no
    /// route from the ramp there.
    public func canInject(pe: PECoord, color: Int, now: Int) -> Bool {
        guard let s = slot(pe: pe, color: color), slotInjectFifo[s] >= 0 else {
            if error == nil {
                let why = slot(pe: pe, color: color) == nil ? "has no route for color \(color)" : "has no RAMP in the rx of color \(color)"
                error = SimulationError(kind: .unrouted, message: "the core at \(pe) sends on color \(color) at cycle \(now), but \(pe) \(why)", cycle: now)
            }
            return false
        }
        return canInject(fifo: Int(slotInjectFifo[s]), now: now)
    }

    /// Puts a wavelet from the core at `pe` onto `color` (after ``canInject``); it reaches the router
    /// after the ramp latency.
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

    /// ``canInject(pe:color:now:)`` for a FIFO from ``injectionFifo(pe:color:)``.
    @inline(__always) func canInject(fifo f: Int, now: Int) -> Bool {
        let used = Int(fifos[f].size) &+ Int(fifos[f].injected)
        return used &+ 1 < rampCapacity || (used < rampCapacity && fifos[f].lastPop != Stamp(cycle: now))
    }

    /// Whether FIFO `f` (of `capacity`) takes a wavelet in cycle `now`: a slot popped this cycle is not
    /// free again until the next.
    @inline(__always) static func hasRoom(_ f: Int, capacity: Int, now: Stamp, _ fifos: UnsafeMutablePointer<FifoRecord>) -> Bool {
        let size = Int(fifos[f].size)
        return size &+ 1 < capacity || (size < capacity && fifos[f].lastPop != now)
    }

    /// ``inject(pe:color:value:now:)`` for a FIFO from ``injectionFifo(pe:color:)`` at PE index `pe`:
    /// the wavelet joins `injections` (see there), or its FIFO at once with no ramp latency.
    @inline(__always) func inject(fifo f: Int, pe: Int, value: UInt32, now: Int) {
        let fifos = self.fifos.pointer
        let ready = Stamp(cycle: now &+ model.rampLatency)
        if lateInjections {
            let injections = self.injections
            let k = injections.count
            if k > 0 && Int(injections.entries[k &- 1].fifo) > f { injections.inOrder = false }
            injections.entries[k] = Injection(ready: ready, fifo: Int32(truncatingIfNeeded: f), value: value)
            injections.count = k &+ 1
            fifos[f].injected &+= 1
        } else {
            Fabric.push(f, value: value, ready: ready, fifos, storage.pointer, fifoShift, fifoMask)
        }
        inFlightByColor[Int(fifos[f].color)] &+= 1
        active.mark(pe)
    }

    /// One cycle of playground sends whose routes all exist (`active[0..<count]`, sends by index, in
    /// FIFO order): each puts its next value on the ramp if its FIFO has room, as `inject` does, with
    /// the list's end in locals. The sends with values left move to the front of `active`; returns how
    /// many injected and how many are left.
    func injectSends(_ cursors: UnsafeMutablePointer<PlaygroundSends.Cursor>, _ active: UnsafeMutablePointer<Int32>, count: Int,
                     values: UnsafePointer<[UInt32]>, now: Int) -> (injected: Int, kept: Int) {
        let fifos = self.fifos.pointer, storage = self.storage.pointer, shift = fifoShift, mask = fifoMask
        let now32 = Stamp(cycle: now), ready = Stamp(cycle: now &+ model.rampLatency)
        let late = lateInjections, capacity = rampCapacity
        let entries = injections.entries, inFlightByColor = self.inFlightByColor.pointer, busy = self.active
        var k = injections.count
        var inOrder = injections.inOrder
        var lastFifo = k > 0 ? Int(entries[k &- 1].fifo) : -1
        var injected = 0, keep = 0
        for a in 0..<count {
            let i = Int(active[a])
            let f = Int(cursors[i].fifo)
            let used = Int(fifos[f].size) &+ Int(fifos[f].injected)
            var next = Int(cursors[i].next)
            if used &+ 1 < capacity || (used < capacity && fifos[f].lastPop != now32) {
                let value = values[i].withUnsafeBufferPointer { $0[next] }
                if late {
                    if f < lastFifo { inOrder = false }
                    lastFifo = f
                    entries[k] = Injection(ready: ready, fifo: Int32(truncatingIfNeeded: f), value: value)
                    k &+= 1
                    fifos[f].injected &+= 1
                } else {
                    Fabric.push(f, value: value, ready: ready, fifos, storage, shift, mask)
                }
                inFlightByColor[Int(fifos[f].color)] &+= 1
                busy.mark(Int(cursors[i].pe))
                next &+= 1
                cursors[i].next = Int32(truncatingIfNeeded: next)
                injected &+= 1
            }
            if next < Int(cursors[i].count) {
                active[keep] = Int32(truncatingIfNeeded: i)
                keep &+= 1
            }
        }
        injections.count = k
        injections.inOrder = inOrder
        return (injected, keep)
    }

    /// Adds injections `from..<count` to their FIFOs and empties the list.
    func landInjections(from: Int = 0) {
        let fifos = self.fifos.pointer, storage = self.storage.pointer, shift = fifoShift, mask = fifoMask
        for k in from..<injections.count {
            let e = injections.entries[k]
            let f = Int(e.fifo)
            Fabric.push(f, value: e.value, ready: e.ready, fifos, storage, shift, mask)
            fifos[f].injected &-= 1
        }
        injections.clear()
    }

    /// A wavelet joining FIFO `f`: it becomes the head, or waits behind it in storage.
    @inline(__always) static func push(_ f: Int, value: UInt32, ready: Stamp, _ fifos: UnsafeMutablePointer<FifoRecord>,
                                       _ storage: UnsafeMutablePointer<Entry>, _ shift: Int, _ mask: Int) {
        let size = Int(fifos[f].size)
        if size == 0 {
            fifos[f].headValue = value
            fifos[f].headReady = ready
        } else {
            storage[f &<< shift | Int(truncatingIfNeeded: fifos[f].pops &+ UInt32(truncatingIfNeeded: size)) & mask] = Entry(ready: ready, value: value)
        }
        fifos[f].size = UInt8(truncatingIfNeeded: size &+ 1)
    }

    /// The oldest wavelet that has arrived in core queue `q` by `now`, without taking it.
    public func peekCore(_ q: Int, now: Int) -> UInt32? {
        guard coreQueues[q].size > 0, !coreQueues[q].headReady.isAfter(Stamp(cycle: now)) else { return nil }
        return coreQueues[q].headValue
    }

    /// Takes the head of core queue `q` (after ``peekCore``).
    public func popCore(_ q: Int, now: Int) {
        Fabric.popHead(q, now: Stamp(cycle: now), coreQueues.pointer, coreStorage.pointer, coreShift)
        queuedAtCores -= 1
    }

    /// Takes the head of core queue `q` (not empty): the second wavelet becomes the head, and the
    /// third, if any, comes out of storage.
    @inline(__always) static func popHead(_ q: Int, now: Stamp, _ coreQueues: UnsafeMutablePointer<CoreQueueRecord>,
                                          _ coreStorage: UnsafeMutablePointer<Entry>, _ coreShift: Int) {
        let size = Int(coreQueues[q].size) &- 1
        let head = coreQueues[q].head &+ 1
        if size > 0 {
            coreQueues[q].headValue = coreQueues[q].secondValue
            coreQueues[q].headReady = coreQueues[q].secondReady
            if size > 1 {
                let third = coreStorage[q &<< coreShift | Int(head &+ 1) & ((1 &<< coreShift) &- 1)]
                coreQueues[q].secondValue = third.value
                coreQueues[q].secondReady = third.ready
            }
        }
        coreQueues[q].head = head
        coreQueues[q].size = UInt8(truncatingIfNeeded: size)
        coreQueues[q].lastPop = now
    }

    public func coreQueueFill(_ q: Int) -> Int { Int(coreQueueSize[q]) }
    public func coreQueueColorOf(_ q: Int) -> Int { Int(coreQueueColor[q]) }
    public func coreQueuePEOf(_ q: Int) -> PECoord { coordinate(Int(coreQueuePE[q])) }

    /// Playground sinks: every occupied queue gives up one arrived wavelet. Returns how many.
    func drainOnePerQueue(now: Int) -> Int {
        var taken = 0
        let now32 = Stamp(cycle: now)
        let coreQueues = self.coreQueues.pointer, coreStorage = self.coreStorage.pointer, coreShift = self.coreShift
        let bits = occupied.bits, summary = occupied.summary, top = occupied.top
        for tw in 0..<occupied.topWords {
            var tbits = top[tw]
            while tbits != 0 {
                let sw = tw &<< 6 | tbits.trailingZeroBitCount
                tbits &= tbits &- 1
                var sbits = summary[sw]
                var summaryKeep = sbits
                while sbits != 0 {
                    let w = sw &<< 6 | sbits.trailingZeroBitCount
                    sbits &= sbits &- 1
                    var qbits = bits[w]
                    var keep = qbits
                    while qbits != 0 {
                        let q = w &<< 6 | qbits.trailingZeroBitCount
                        qbits &= qbits &- 1
                        if coreQueues[q].size > 0 && !coreQueues[q].headReady.isAfter(now32) {
                            // popCore, with the count of queued wavelets kept below.
                            Fabric.popHead(q, now: now32, coreQueues, coreStorage, coreShift)
                            taken &+= 1
                        }
                        if coreQueues[q].size == 0 { keep &= ~(1 &<< UInt64(q & 63)) }
                    }
                    bits[w] = keep
                    if keep == 0 { summaryKeep &= ~(1 &<< UInt64(w & 63)) }
                }
                summary[sw] = summaryKeep
                if summaryKeep == 0 { top[tw] &= ~(1 &<< UInt64(sw & 63)) }
            }
        }
        queuedAtCores -= taken
        return taken
    }

    // MARK: - Stamps

    /// How far the clock may run past `stampBase` before the stamps are rebased.
    static let stampHorizon = 1 << 28
    /// The oldest a stamp is left by `rebaseStamps`.
    static let stampFloor = 1 << 29

    /// Whether the clock moving to `target` needs `rebaseStamps` first.
    @inline(__always) func needsRebase(at target: Int) -> Bool { target &- stampBase >= Fabric.stampHorizon }

    /// Keeps every 32-bit stamp exact as the clock moves from `now` to `target` (`target >= now`;
    /// equal for the periodic rebase): a stamp's age (cycles before the clock, negative in the future)
    /// grows by the move and is capped at `stampFloor`. Nothing compares a stamp against a clock more
    /// than `stampFloor + stampHorizon` (< 2^31) cycles later, so wrap-around comparisons stay exact
    /// however long a wavelet waits. Called at least every `stampHorizon` cycles, before a cycle's
    /// sends (no injection is pending).
    func rebaseStamps(from now: Int, to target: Int) {
        let old = Stamp(cycle: now), new = Stamp(cycle: target)
        let move = target - now
        @inline(__always) func rebased(_ s: Stamp) -> Stamp {
            let age = min(Int(Int32(bitPattern: old &- s)) + move, Fabric.stampFloor)
            return new &- Stamp(truncatingIfNeeded: age)
        }
        landInjections()
        for k in 0..<storage.count { storage[k].ready = rebased(storage[k].ready) }
        for f in 0..<fifoCount {
            fifos[f].lastPop = rebased(fifos[f].lastPop)
            fifos[f].headReady = rebased(fifos[f].headReady)
        }
        for k in 0..<coreStorage.count { coreStorage[k].ready = rebased(coreStorage[k].ready) }
        for q in 0..<coreQueueCount {
            coreQueues[q].lastPop = rebased(coreQueues[q].lastPop)
            coreQueues[q].headReady = rebased(coreQueues[q].headReady)
            coreQueues[q].secondReady = rebased(coreQueues[q].secondReady)
        }
        stampBase = target
    }
}
