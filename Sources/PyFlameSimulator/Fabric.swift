import Foundation
import PyFlameIR
import PyFlameLowering

/// A fixed-size array in manually managed memory: the simulator's flat state (no per-wavelet objects,
/// no bounds checks in the hot loop, no copy-on-write). Large slabs sit in 2 MiB-aligned memory
/// marked for transparent huge pages where the system offers them (fewer TLB misses across a
/// wafer's state).
struct Slab<T> {
    let pointer: UnsafeMutablePointer<T>
    let count: Int

    init(_ count: Int, _ value: T, alignment: Int = MemoryLayout<T>.alignment) {
        self.count = count
        pointer = Slab.allocate(max(count, 1), alignment: alignment)
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    init(_ values: [T]) {
        count = values.count
        pointer = Slab.allocate(max(values.count, 1), alignment: MemoryLayout<T>.alignment)
        if values.isEmpty { return }
        values.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: values.count) }
    }

    private static func allocate(_ count: Int, alignment: Int) -> UnsafeMutablePointer<T> {
        let bytes = count * MemoryLayout<T>.stride
        let huge = 2 << 20
        let large = bytes >= 2 * huge
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: large ? huge : max(alignment, MemoryLayout<T>.alignment))
        #if os(Linux)
        if large { _ = madvise(raw, bytes / huge * huge, MADV_HUGEPAGE) }
        #endif
        return raw.bindMemory(to: T.self, capacity: count)
    }

    subscript(i: Int) -> T {
        @inline(__always) get { pointer[i] }
        @inline(__always) nonmutating set { pointer[i] = newValue }
    }

    func free() { UnsafeMutableRawPointer(pointer).deallocate() }
}

/// A set of indices (busy routers, occupied core queues) walked in increasing order: a bit per index,
/// a summary bit per word of those, a top bit per summary word; an empty set costs a few words to
/// walk. A word is nonzero only with its summary bit set, and a summary word only with its top bit.
struct ActivityBits {
    let bits: UnsafeMutablePointer<UInt64>
    let summary: UnsafeMutablePointer<UInt64>
    let top: UnsafeMutablePointer<UInt64>
    let words: Int, summaryWords: Int, topWords: Int

    init(count: Int) {
        words = (count + 63) / 64
        summaryWords = (words + 63) / 64
        topWords = (summaryWords + 63) / 64
        bits = Slab(words, 0).pointer
        summary = Slab(summaryWords, 0).pointer
        top = Slab(topWords, 0).pointer
    }

    @inline(__always) func mark(_ r: Int) {
        let old = bits[r &>> 6]
        bits[r &>> 6] = old | 1 &<< UInt64(r & 63)
        if old == 0 {
            summary[r &>> 12] |= 1 &<< UInt64((r &>> 6) & 63)
            top[r &>> 18] |= 1 &<< UInt64((r &>> 12) & 63)
        }
    }

    var isEmpty: Bool {
        for w in 0..<topWords where top[w] != 0 { return false }
        return true
    }

    func free() { UnsafeMutableRawPointer(bits).deallocate(); UnsafeMutableRawPointer(summary).deallocate(); UnsafeMutableRawPointer(top).deallocate() }
}

/// One field of a `Slab` of records, read and written like a `Slab` of its own.
struct Field<Record, T> {
    let base: UnsafeMutableRawPointer

    init(_ slab: Slab<Record>, _ key: WritableKeyPath<Record, T>) {
        base = UnsafeMutableRawPointer(slab.pointer) + MemoryLayout<Record>.offset(of: key)!
    }

    subscript(i: Int) -> T {
        @inline(__always) get { base.load(fromByteOffset: i &* MemoryLayout<Record>.stride, as: T.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: i &* MemoryLayout<Record>.stride, as: T.self) }
    }
}

/// The low 32 bits of a cycle, as FIFOs, core queues and their entries keep them (half the memory
/// of a full cycle number in the hot state). Compared with wrap-around arithmetic, which is exact
/// while every stamp is within 2^31 cycles of the clock: `Fabric.rebaseStamps` keeps them within 2^30.
typealias Stamp = UInt32

extension Stamp {
    @inline(__always) init(cycle: Int) { self = UInt32(truncatingIfNeeded: cycle) }

    /// Whether this stamp is a later cycle than `now`.
    @inline(__always) func isAfter(_ now: Stamp) -> Bool { Int32(bitPattern: self &- now) > 0 }
}

/// What an input FIFO's own router reads and writes when it forwards the FIFO's head, 32 bytes: the
/// cycle of its last pop, how many it has forwarded, and copies of its route's tx, color, targets and
/// core queue. (Its size and head are in `Fabric.fifoRing`, its storage at `f << Fabric.fifoShift`;
/// its capacity is the link's, or the ramp's for an injection FIFO.)
struct FifoRecord {
    /// The cycle of the last pop (its slot is not free again until the next cycle).
    var lastPop: Stamp = .max
    /// Wavelets forwarded (each to every output in tx): the per-output Active counts of `:stats`.
    var pops: UInt32 = 0
    /// With RAMP in tx: the core queue it delivers into.
    var coreQueue: Int32 = -1
    /// For port p (N, E, S, W), at byte offset 12 + 4p: the neighbour FIFO a wavelet enters, or a negative error code.
    var target: (Int32, Int32, Int32, Int32) = (-3, -3, -3, -3)
    var tx: UInt8
    var color: UInt8
    /// Bit p set when the target at port p is in a slot with several rx FIFOs (`shared`).
    var sharedTargets: UInt8 = 0
    /// Whether its slot has several rx FIFOs (arrivals are then checked for races, see `FifoArrivalRecord`).
    var shared: Bool

    /// The byte offset of `target` (checked in `Fabric.init`).
    static let targetOffset = 12
}

/// Where an input FIFO is (its slot and rx port) and, in a slot's first FIFO, the slot's last arrival:
/// what error reports and the race check of a slot with several rx FIFOs read, apart from the hot state.
struct FifoArrivalRecord {
    /// In the slot's first FIFO: the cycle and port of the slot's last arrival (race detection).
    var lastArrival = -1
    var slot: Int32
    var port: UInt8
    var lastArrivalPort: UInt8 = 0
    /// This FIFO's index minus the index of its slot's first FIFO.
    var fromFirst: UInt8
}

/// A wavelet in a FIFO or core queue: the cycle it is ready to leave (or arrived), and its payload.
struct Entry {
    var ready: Stamp
    var value: UInt32
}

/// A route (slot): its neighbour targets (N, E, S, W), core queue, tx and color. (Each of its FIFOs
/// carries copies for the router loop.)
struct SlotRecord {
    /// For port p (N, E, S, W): the neighbour FIFO a wavelet enters, or a negative error code.
    var target: (Int32, Int32, Int32, Int32) = (-3, -3, -3, -3)
    /// With RAMP in tx: the core queue it delivers into.
    var coreQueue: Int32 = -1
    var tx: UInt8
    var color: UInt8

    func target(_ p: Int) -> Int32 {
        switch p {
        case 0: return target.0
        case 1: return target.1
        case 2: return target.2
        default: return target.3
        }
    }

    mutating func setTarget(_ p: Int, _ f: Int32) {
        switch p {
        case 0: target.0 = f
        case 1: target.1 = f
        case 2: target.2 = f
        default: target.3 = f
        }
    }
}

/// A core input queue (28 bytes), with copies of the ready cycles of its head and newest entries
/// (valid while it holds wavelets), so sinks check and take the head without reading its storage.
struct CoreQueueRecord {
    var lastPop: Stamp = .max
    var headReady: Stamp = 0
    var tailReady: Stamp = 0
    var base: Int32
    var pe: Int32
    var size: UInt16 = 0
    var head: UInt16 = 0
    var capacity: UInt16
    var color: UInt8
}

/// A wavelet a core put on its ramp this cycle, not yet written into its FIFO's storage.
struct Injection {
    var ready: Stamp
    /// Its storage entry.
    var at: Int32
    var fifo: Int32
    var value: UInt32
}

/// The injections of a cycle, in manually managed memory, their count included (so appending needs
/// no exclusive access to the fabric).
struct InjectionList {
    let entries: UnsafeMutablePointer<Injection>
    /// [0]: how many; [1]: 1 while each came at a FIFO index no lower than the one before.
    let counters: UnsafeMutablePointer<Int>

    init(capacity: Int) {
        entries = Slab(capacity, Injection(ready: 0, at: 0, fifo: 0, value: 0)).pointer
        counters = Slab([0, 1]).pointer
    }

    var count: Int {
        @inline(__always) get { counters[0] }
        @inline(__always) nonmutating set { counters[0] = newValue }
    }

    var inOrder: Bool {
        @inline(__always) get { counters[1] != 0 }
        @inline(__always) nonmutating set { counters[1] = newValue ? 1 : 0 }
    }

    /// Writes entries `from..<count` into `storage` and empties the list.
    func land(from: Int, _ storage: UnsafeMutablePointer<Entry>) {
        for k in from..<count { storage[Int(entries[k].at)] = Entry(ready: entries[k].ready, value: entries[k].value) }
        count = 0
        inOrder = true
    }

    func free() { UnsafeMutableRawPointer(entries).deallocate(); UnsafeMutableRawPointer(counters).deallocate() }
}

/// A push decided during a cycle, applied at its end.
struct PendingPush {
    var ready: Stamp
    /// A FIFO index, or -(core queue + 1).
    var target: Int32
    var value: UInt32
    /// Whether the target FIFO is in a slot with several rx FIFOs.
    var shared: Bool
}


/// Port numbers: the four neighbours and the core's ramp.
enum Port {
    static let north = 0, east = 1, south = 2, west = 3, ramp = 4
    static func of(_ d: Direction) -> Int {
        switch d {
        case .north: return north
        case .east: return east
        case .south: return south
        case .west: return west
        case .ramp: return ramp
        }
    }
    static func direction(_ p: Int) -> Direction { [Direction.north, .east, .south, .west, .ramp][p] }
    static func opposite(_ p: Int) -> Int { p == ramp ? ramp : (p + 2) & 3 }
}

/// The routers and links of the fabric: per (PE, color) routes with rx/tx sets, per-color input
/// buffers behind each link's pipeline stages, one wavelet per link direction per cycle, round-robin
/// arbitration at a shared output, all-or-nothing multicast, and end-to-end backpressure into the
/// cores' input queues. State exists only where routes exist; busy routers are found through a bitmap
/// with a summary level, so an idle fabric costs nothing per cycle.
public final class Fabric {
    public let width: Int
    public let height: Int
    let model: FabricModel

    // Routers (PEs with at least one route), in address order.
    let routerCount: Int
    let routerPE: Slab<Int32>              // y * width + x
    let routerFifoStart: Slab<Int32>       // routerCount + 1
    let routerRR: Slab<UInt16>
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
        subscript(i: Int) -> Int32 {
            @inline(__always) get { UnsafeRawPointer(slots + (i &>> 2)).load(fromByteOffset: (i & 3) &* 4, as: Int32.self) }
        }
    }
    // Input FIFOs: one per (slot, rx port), grouped by router: rings and routers (dense, what senders
    // touch), records (what the FIFO's own router reads), and their storage.
    let fifoCount: Int
    /// Per FIFO, what a sender reads and writes to push: its size (low 16 bits) and the position of its
    /// head (high 16 bits, counting pops modulo 2^16; the entry is at `head & fifoMask`).
    let fifoRing: Slab<UInt32>
    /// Per FIFO, the router that holds it (busy next cycle when a wavelet arrives).
    let fifoRouter: Slab<Int32>
    /// FIFO f's storage is `storage[f << fifoShift ..< (f + 1) << fifoShift]`: the largest FIFO capacity,
    /// rounded up to a power of two.
    let fifoShift: Int
    var fifoMask: Int { (1 << fifoShift) - 1 }
    /// The capacity of every FIFO behind a link (hop latency + buffer depth).
    let linkCapacity: Int
    /// Wavelets the cores put on their ramps this cycle: their FIFOs' sizes count them, and the router
    /// scan writes them into storage when it reaches their FIFOs (whose storage it reads then anyway),
    /// or at its start when they did not come in FIFO order.
    let injections: InjectionList
    let fifos: Slab<FifoRecord>
    let storage: Slab<Entry>
    let fifoArrivals: Slab<FifoArrivalRecord>
    var fifoSlot: Field<FifoArrivalRecord, Int32> { Field(fifoArrivals, \.slot) }
    var fifoPort: Field<FifoArrivalRecord, UInt8> { Field(fifoArrivals, \.port) }
    /// The capacity of an injection FIFO (ramp latency + buffer depth).
    let rampCapacity: Int
    /// The wavelets FIFO f can hold.
    func fifoCapacity(_ f: Int) -> Int { fifoPort[f] == UInt8(Port.ramp) ? rampCapacity : linkCapacity }
    var fifoLastPop: Field<FifoRecord, Stamp> { Field(fifos, \.lastPop) }
    /// The wavelets FIFO f holds.
    func fifoSize(_ f: Int) -> Int { Int(fifoRing[f] & 0xFFFF) }
    /// The storage entry of FIFO f's head.
    func fifoHeadEntry(_ f: Int) -> Int { f << fifoShift | Int(fifoRing[f] >> 16) & fifoMask }
    var storageValue: Field<Entry, UInt32> { Field(storage, \.value) }
    var storageReady: Field<Entry, Stamp> { Field(storage, \.ready) }
    // Core queues: one per (PE, color) delivered to the core, and their storage.
    public let coreQueueCount: Int
    let coreQueues: Slab<CoreQueueRecord>
    let coreStorage: Slab<Entry>
    var coreQueuePE: Field<CoreQueueRecord, Int32> { Field(coreQueues, \.pe) }
    var coreQueueColor: Field<CoreQueueRecord, UInt8> { Field(coreQueues, \.color) }
    var coreQueueBase: Field<CoreQueueRecord, Int32> { Field(coreQueues, \.base) }
    var coreQueueCapacity: Field<CoreQueueRecord, UInt16> { Field(coreQueues, \.capacity) }
    var coreQueueHead: Field<CoreQueueRecord, UInt16> { Field(coreQueues, \.head) }
    var coreQueueSize: Field<CoreQueueRecord, UInt16> { Field(coreQueues, \.size) }
    var coreStorageValue: Field<Entry, UInt32> { Field(coreStorage, \.value) }
    // Busy routers, this cycle's and the next's (constants, so marking a router costs no exclusivity
    // check; the next cycle's bits move over at the end of one).
    let active: ActivityBits
    let nextActive: ActivityBits
    /// Whether the router loop applies pushes as it decides them (the same result as applying them at
    /// the end of the cycle, in the same order: see `init`), or applies them at the end.
    let immediatePushes: Bool
    // Pushes decided this cycle that wait, in the order decided: all of them, applied at its end, when
    // pushes do not land at once; else the pushes south, landed as the scan reaches their routers.
    let pending: Slab<PendingPush>
    var pendingCount = 0
    let pendingCapacity: Int
    // Statistics per router output (5 per router); Active counts come from the FIFOs' pops (`outputActivity`).
    let outDelayed: Slab<UInt32>
    let outBackpressure: Slab<UInt32>
    /// Wavelets on the fabric per color (injected, not yet in a core queue).
    public var inFlight: [Int] { Array(UnsafeBufferPointer(start: inFlightByColor.pointer, count: 24)) }
    let inFlightByColor = Slab<Int>(24, 0)
    public private(set) var hops: Int = 0
    /// Link hops per color since the start.
    public var hopsByColor: [Int] { Array(UnsafeBufferPointer(start: hopCountByColor.pointer, count: 24)) }
    let hopCountByColor = Slab<Int>(24, 0)
    public private(set) var deliveredCount: Int = 0
    /// Wavelets sitting in core queues, over all cores.
    public private(set) var queuedAtCores: Int = 0
    /// Core queues that have held wavelets since the sinks last found them empty: the queues the
    /// playground sinks drain, in address order.
    let occupied: ActivityBits
    public private(set) var movedThisCycle = 0
    /// The cycle being stepped (the full cycle of the 32-bit stamps near it).
    private(set) var clock = 0
    /// The cycle of the last `rebaseStamps`.
    private(set) var stampBase = 0
    public private(set) var error: SimulationError?
    /// Every wavelet delivered into a core queue, in delivery order (the simulation records and trims it).
    let deliveryLog = DeliveryLog()

    /// (PE index, color) → slot, and (PE index, color) → core queue.
    let slotIndex: [Int: Int32]
    public let coreQueueIndex: [Int: Int32]

    static func key(_ pe: Int, _ color: Int) -> Int { pe &* 32 &+ color }

    public init(width: Int, height: Int, routes: [RouteConfig], model: FabricModel) {
        self.width = width
        self.height = height
        self.model = model
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
        func mask(_ set: DirectionSet) -> UInt8 { set.sorted.reduce(0) { $0 | UInt8(1 << Port.of($1)) } }
        var slotRecords = sorted.map { SlotRecord(tx: mask($0.tx), color: UInt8($0.color)) }
        slotRx = Slab(sorted.map { mask($0.rx) })
        // FIFOs per (slot, rx port), grouped by router.
        var fifoRecords: [FifoRecord] = []
        fifoRecords.reserveCapacity(sorted.count)
        var routerList: [Int32] = []
        routerList.reserveCapacity(sorted.count)
        var arrivalList: [FifoArrivalRecord] = []
        arrivalList.reserveCapacity(sorted.count)
        var routerStart: [Int32] = []
        var inject = [Int32](repeating: -1, count: sorted.count)
        var fifoOf: [Int: Int32] = [:]   // slot * 5 + port
        var lastRouter: Int32 = -1
        for (s, r) in sorted.enumerated() {
            if slotRouterList[s] != lastRouter {
                routerStart.append(Int32(fifoRecords.count))
                lastRouter = slotRouterList[s]
            }
            let first = fifoRecords.count
            let shared = r.rx.sorted.count > 1
            for d in r.rx.sorted {
                let port = Port.of(d)
                fifoOf[s * 5 + port] = Int32(fifoRecords.count)
                if port == Port.ramp { inject[s] = Int32(fifoRecords.count) }
                routerList.append(slotRouterList[s])
                arrivalList.append(FifoArrivalRecord(slot: Int32(s), port: UInt8(port), fromFirst: UInt8(fifoRecords.count - first)))
                fifoRecords.append(FifoRecord(tx: slotRecords[s].tx, color: slotRecords[s].color, shared: shared))
            }
        }
        routerStart.append(Int32(fifoRecords.count))
        routerFifoStart = Slab(routerStart)
        routerRR = Slab(routerCount, 0)
        fifoCount = fifoRecords.count
        let largest = max(model.hopLatency, model.rampLatency) + model.bufferDepth
        var shift = 0
        while 1 << shift < largest { shift += 1 }
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
        var queueIndex: [Int: Int32] = [:]
        var coreStorageCount = 0
        var queueOfPE: [Int32: Int] = [:]
        let free = model.freeQueues
        for (s, r) in sorted.enumerated() where r.tx.contains(.ramp) {
            let pe = Int32(r.pe.y * width + r.pe.x)
            let n = queueOfPE[pe, default: 0]
            queueOfPE[pe] = n + 1
            let depth = model.queueDepths[free[n % free.count]]
            let capacity = model.rampLatency + depth
            slotRecords[s].coreQueue = Int32(queueRecords.count)
            queueIndex[Fabric.key(Int(pe), r.color)] = Int32(queueRecords.count)
            queueRecords.append(CoreQueueRecord(base: Int32(coreStorageCount), pe: pe, capacity: UInt16(capacity), color: UInt8(r.color)))
            coreStorageCount += capacity
        }
        coreQueueIndex = queueIndex
        fifos = Slab(fifoCount, FifoRecord(tx: 0, color: 0, shared: false), alignment: 64)
        for f in 0..<fifoCount {
            let s = Int(arrivalList[f].slot)
            fifoRecords[f].target = slotRecords[s].target
            fifoRecords[f].coreQueue = slotRecords[s].coreQueue
            for p in 0..<4 {
                let t = Int(slotRecords[s].target(p))
                if t >= 0 && fifoRecords[t].shared { fifoRecords[f].sharedTargets |= UInt8(1 << p) }
            }
            fifos[f] = fifoRecords[f]
        }
        precondition(MemoryLayout<FifoRecord>.offset(of: \FifoRecord.target) == FifoRecord.targetOffset && MemoryLayout<FifoRecord>.stride == 32
                     && MemoryLayout<Entry>.stride == 8)
        fifoArrivals = Slab(arrivalList)
        arrivalList = []
        fifoRecords = []
        fifoRouter = Slab(routerList)
        routerList = []
        fifoRing = Slab(fifoCount, 0, alignment: 64)
        linkCapacity = model.hopLatency + model.bufferDepth
        rampCapacity = model.rampLatency + model.bufferDepth
        // At most a full injection FIFO's worth each cycle.
        injections = InjectionList(capacity: inject.reduce(0) { $0 + ($1 < 0 ? 0 : model.rampLatency + model.bufferDepth) })
        slots = Slab(slotRecords)
        slotRecords = []
        // Pushes land at once when nothing a wavelet does this cycle can see them (hop latency ≥ 1)
        // and no route can misroute (an error stops the cycle before its pushes land).
        var misroutes = false
        for s in 0..<slotCount {
            for p in 0..<4 where slots[s].tx & (1 << p) != 0 && slots[s].target(p) < 0 { misroutes = true }
        }
        immediatePushes = model.hopLatency >= 1 && !misroutes
        coreQueueCount = queueRecords.count
        coreQueues = Slab(queueRecords)
        coreStorage = Slab(coreStorageCount, Entry(ready: 0, value: 0), alignment: 64)
        active = ActivityBits(count: routerCount); nextActive = ActivityBits(count: routerCount)
        occupied = ActivityBits(count: coreQueueCount)
        pendingCapacity = routerCount * 5 + 64
        pending = Slab(pendingCapacity, PendingPush(ready: 0, target: 0, value: 0, shared: false))
        outDelayed = Slab(routerCount * 5, 0); outBackpressure = Slab(routerCount * 5, 0)
    }

    deinit {
        routerPE.free(); routerFifoStart.free(); routerRR.free()
        slots.free(); slotRx.free(); slotRouter.free(); slotInjectFifo.free()
        fifoRing.free(); fifoRouter.free(); injections.free(); fifos.free(); fifoArrivals.free(); storage.free(); coreQueues.free(); coreStorage.free()
        active.free(); nextActive.free(); occupied.free(); pending.free()
        outDelayed.free(); outBackpressure.free()
        inFlightByColor.free(); hopCountByColor.free()
    }

    public var isIdle: Bool {
        active.isEmpty
    }

    @inline(__always) func markActive(_ router: Int) { active.mark(router) }

    @inline(__always) func markNextActive(_ router: Int) { nextActive.mark(router) }

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
        let f = Int(slotInjectFifo[s])
        return canInject(fifo: f, now: now)
    }

    /// Puts a wavelet from the core at `pe` onto `color` (after ``canInject``); it reaches the router
    /// after the ramp latency.
    public func inject(pe: PECoord, color: Int, value: UInt32, now: Int) {
        let s = slot(pe: pe, color: color)!
        inject(fifo: Int(slotInjectFifo[s]), value: value, now: now)
    }

    /// The injection FIFO of the route at (pe, color): nil when there is no route or no RAMP in its rx
    /// (then ``canInject(pe:color:now:)`` reports the error).
    func injectionFifo(pe: PECoord, color: Int) -> Int? {
        guard let s = slot(pe: pe, color: color), slotInjectFifo[s] >= 0 else { return nil }
        return Int(slotInjectFifo[s])
    }

    /// ``canInject(pe:color:now:)`` for a FIFO from ``injectionFifo(pe:color:)``.
    @inline(__always) func canInject(fifo f: Int, now: Int) -> Bool {
        Fabric.hasRoom(f, capacity: rampCapacity, now: Stamp(cycle: now), fifoRing.pointer, fifos.pointer)
    }

    /// Whether FIFO `f` (of `capacity`) takes a wavelet in cycle `now`: a slot popped this cycle is not
    /// free again until the next (the FIFO's record, with its last pop, is read only when that decides it).
    @inline(__always) static func hasRoom(_ f: Int, capacity: Int, now: Stamp, _ rings: UnsafeMutablePointer<UInt32>,
                                          _ fifos: UnsafeMutablePointer<FifoRecord>) -> Bool {
        let size = Int(rings[f] & 0xFFFF)
        return size &+ 1 < capacity || (size < capacity && fifos[f].lastPop != now)
    }

    /// ``inject(pe:color:value:now:)`` for a FIFO from ``injectionFifo(pe:color:)``: the wavelet joins
    /// `injections` (see there).
    @inline(__always) func inject(fifo f: Int, value: UInt32, now: Int) {
        let injections = self.injections
        let ring = fifoRing[f]
        let at = f &<< fifoShift | Int(truncatingIfNeeded: (ring &>> 16) &+ (ring & 0xFFFF)) & fifoMask
        let k = injections.count
        if k > 0 && Int(injections.entries[k &- 1].fifo) > f { injections.inOrder = false }
        injections.entries[k] = Injection(ready: Stamp(cycle: now &+ model.rampLatency), at: Int32(truncatingIfNeeded: at),
                                          fifo: Int32(truncatingIfNeeded: f), value: value)
        injections.count = k &+ 1
        fifoRing[f] = ring &+ 1
        inFlightByColor[Int(fifos[f].color)] &+= 1
        markActive(Int(fifoRouter[f]))
    }

    /// Writes this cycle's injections into storage (for readers of FIFO storage outside `step`).
    func landInjections() {
        injections.land(from: 0, storage.pointer)
    }

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
        for k in 0..<(fifoCount << fifoShift) { storage[k].ready = rebased(storage[k].ready) }
        for f in 0..<fifoCount { fifos[f].lastPop = rebased(fifos[f].lastPop) }
        for k in 0..<coreStorage.count { coreStorage[k].ready = rebased(coreStorage[k].ready) }
        for q in 0..<coreQueueCount {
            coreQueues[q].lastPop = rebased(coreQueues[q].lastPop)
            coreQueues[q].headReady = rebased(coreQueues[q].headReady)
            coreQueues[q].tailReady = rebased(coreQueues[q].tailReady)
        }
        stampBase = target
    }

    /// The oldest wavelet that has arrived in core queue `q` by `now`, without taking it.
    public func peekCore(_ q: Int, now: Int) -> UInt32? {
        guard coreQueueSize[q] > 0, !coreQueues[q].headReady.isAfter(Stamp(cycle: now)) else { return nil }
        return coreStorageValue[Int(coreQueueBase[q]) + Int(coreQueueHead[q])]
    }

    /// Takes the head of core queue `q` (after ``peekCore``).
    public func popCore(_ q: Int, now: Int) {
        Fabric.popHead(q, now: now, coreQueues.pointer, coreStorage.pointer)
        queuedAtCores -= 1
    }

    /// Takes the head of core queue `q` (not empty): the new head's ready cycle is the newest entry's
    /// when that is the one left, else it is read from storage.
    @inline(__always) static func popHead(_ q: Int, now: Int, _ coreQueues: UnsafeMutablePointer<CoreQueueRecord>,
                                          _ coreStorage: UnsafeMutablePointer<Entry>) {
        var h = Int(coreQueues[q].head) &+ 1
        if h == Int(coreQueues[q].capacity) { h = 0 }
        coreQueues[q].head = UInt16(truncatingIfNeeded: h)
        let size = Int(coreQueues[q].size) &- 1
        coreQueues[q].size = UInt16(truncatingIfNeeded: size)
        coreQueues[q].lastPop = Stamp(cycle: now)
        if size == 1 {
            coreQueues[q].headReady = coreQueues[q].tailReady
        } else if size > 1 {
            coreQueues[q].headReady = coreStorage[Int(coreQueues[q].base) &+ h].ready
        }
    }

    public func coreQueueFill(_ q: Int) -> Int { Int(coreQueueSize[q]) }

    /// Playground sinks: every occupied queue gives up one arrived wavelet. Returns how many.
    func drainOnePerQueue(now: Int) -> Int {
        var taken = 0
        let now32 = Stamp(cycle: now)
        let coreQueues = self.coreQueues.pointer, coreStorage = self.coreStorage.pointer
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
                            Fabric.popHead(q, now: now, coreQueues, coreStorage)
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
    public func coreQueueColorOf(_ q: Int) -> Int { Int(coreQueueColor[q]) }
    public func coreQueuePEOf(_ q: Int) -> PECoord { coordinate(Int(coreQueuePE[q])) }

    // MARK: - One cycle of the routers

    /// Moves wavelets for cycle `now`: every busy router, in address order, sends at most one wavelet
    /// per output. A push lands where it goes at once when nothing later in the cycle can tell (see
    /// `immediatePushes`), else at the end of the cycle; the result is the same. Landing at once, a
    /// push south (into the next row, not yet in cache) waits in `pending` until the scan reaches its
    /// router, whose storage the scan reads then anyway: nothing reads it before (its one sender has
    /// checked its room, its router's pop leaves the tail where it is). The loop keeps base pointers
    /// and counters in locals (stored once at the end): no exclusivity, uniqueness or overflow checks
    /// per wavelet.
    public func step(now: Int) {
        clock = now
        var list = deliveryLog.appender
        let occupied = self.occupied
        let immediate = immediatePushes
        let active = self.active.bits, summary = self.active.summary, top = self.active.top
        let next = self.nextActive
        let hopLatency = model.hopLatency, rampLatency = model.rampLatency
        let routerFifoStart = self.routerFifoStart.pointer, routerRR = self.routerRR.pointer
        let rings = self.fifoRing.pointer, routers = self.fifoRouter.pointer, fifos = self.fifos.pointer, storage = self.storage.pointer
        let shift = fifoShift, mask = fifoMask
        let linkCapacity = self.linkCapacity
        let now32 = Stamp(cycle: now)
        // Injections land as the scan reaches their FIFOs (`injections[0..<injected]` have landed).
        let injections = self.injections
        let injectionCount = injections.count
        var injected = 0
        if !injections.inOrder { injections.land(from: 0, storage) }
        let injectionEntries = injections.entries
        let coreQueues = self.coreQueues.pointer, coreStorage = self.coreStorage.pointer
        let outDelayed = self.outDelayed.pointer, outBackpressure = self.outBackpressure.pointer
        let pending = self.pending.pointer
        let hopCountByColor = self.hopCountByColor.pointer, inFlightByColor = self.inFlightByColor.pointer
        var moved = 0, hopCount = 0, pc = 0, delivered = 0
        // Pushes in `pending[landed..<pc]` wait (south pushes when landing at once, in router order).
        var landed = 0
        var failed = false
        scan: for tw in 0..<self.active.topWords {
          var tbits = top[tw]
          if tbits == 0 { continue }
          top[tw] = 0
          while tbits != 0 {
            let sw = tw &<< 6 | tbits.trailingZeroBitCount
            tbits &= tbits &- 1
            var sbits = summary[sw]
            summary[sw] = 0
            while sbits != 0 {
                let w = sw &<< 6 | sbits.trailingZeroBitCount
                sbits &= sbits &- 1
                var bits = active[w]
                active[w] = 0
                while bits != 0 {
                    let r = w &<< 6 | bits.trailingZeroBitCount
                    bits &= bits &- 1
                    // One router: its FIFOs from the round-robin position, at most one wavelet per output.
                    let start = Int(routerFifoStart[r]), end = Int(routerFifoStart[r &+ 1])
                    while injected < injectionCount && Int(injectionEntries[injected].fifo) < end {
                        storage[Int(injectionEntries[injected].at)] = Entry(ready: injectionEntries[injected].ready, value: injectionEntries[injected].value)
                        injected &+= 1
                    }
                    while immediate && landed < pc && Int(pending[landed].target) < end {
                        arrive(Int(pending[landed].target), value: pending[landed].value, ready: pending[landed].ready, shared: pending[landed].shared,
                               rings, routers, storage, shift, mask, next)
                        landed &+= 1
                    }
                    let n = end &- start
                    var used: UInt8 = 0
                    // Whether a FIFO still holds a wavelet after this cycle (then the router is busy next cycle).
                    var holding = false
                    let rr = Int(routerRR[r])   // always < n
                    var f = start &+ rr &- 1
                    for _ in 0..<n {
                        f &+= 1
                        if f == end { f = start }
                        let ring = rings[f]
                        if ring & 0xFFFF == 0 { continue }
                        if ring & 0xFFFF > 1 { holding = true }
                        let at = f &<< shift | Int(truncatingIfNeeded: ring &>> 16) & mask
                        if storage[at].ready.isAfter(now32) { holding = true; continue }
                        let tx = fifos[f].tx
                        if tx & used != 0 {
                            var shared = tx & used
                            while shared != 0 { let p = shared.trailingZeroBitCount; shared &= shared &- 1; outDelayed[r &* 5 &+ p] &+= 1 }
                            holding = true
                            continue
                        }
                        let targets = UnsafeRawPointer(fifos + f) + FifoRecord.targetOffset
                        if tx & (tx &- 1) == 0 && tx < 1 << Port.ramp {
                            // One link out, the common case: the general path below, unrolled.
                            let p = tx.trailingZeroBitCount
                            let target = Int(targets.load(fromByteOffset: p &* 4, as: Int32.self))
                            if target < 0 {
                                reportMisroute(slot: Int(fifoSlot[f]), port: p, code: target, now: now)
                                failed = true
                                break scan
                            }
                            if !Fabric.hasRoom(target, capacity: linkCapacity, now: now32, rings, fifos) {
                                outBackpressure[r &* 5 &+ p] &+= 1
                                holding = true
                                continue
                            }
                            let value = storage[at].value
                            rings[f] = ring &+ 0xFFFF
                            fifos[f].lastPop = now32
                            fifos[f].pops &+= 1
                            used |= tx
                            let shared = fifos[f].sharedTargets != 0
                            if immediate && (p != Port.south || shared) {
                                arrive(target, value: value, ready: Stamp(cycle: now &+ hopLatency), shared: shared, rings, routers, storage, shift, mask, next)
                            } else {
                                pending[pc] = PendingPush(ready: Stamp(cycle: now &+ hopLatency), target: Int32(truncatingIfNeeded: target), value: value, shared: shared)
                                pc &+= 1
                            }
                            hopCount &+= 1
                            hopCountByColor[Int(fifos[f].color)] &+= 1
                            moved &+= 1
                            continue
                        }
                        // Room at every target (all-or-nothing multicast).
                        var ok = true
                        var t = tx
                        while t != 0 {
                            let p = t.trailingZeroBitCount
                            t &= t &- 1
                            if p == Port.ramp {
                                let q = Int(fifos[f].coreQueue)
                                let fill = Int(coreQueues[q].size) &+ (coreQueues[q].lastPop == now32 ? 1 : 0)
                                if fill >= Int(coreQueues[q].capacity) { outBackpressure[r &* 5 &+ p] &+= 1; ok = false }
                            } else {
                                let target = Int(targets.load(fromByteOffset: p &* 4, as: Int32.self))
                                if target < 0 {
                                    reportMisroute(slot: Int(fifoSlot[f]), port: p, code: target, now: now)
                                    failed = true
                                    break scan
                                }
                                if !Fabric.hasRoom(target, capacity: linkCapacity, now: now32, rings, fifos) { outBackpressure[r &* 5 &+ p] &+= 1; ok = false }
                            }
                        }
                        if !ok { holding = true; continue }
                        let value = storage[at].value
                        rings[f] = ring &+ 0xFFFF   // one fewer, the head one further
                        fifos[f].lastPop = now32
                        fifos[f].pops &+= 1
                        used |= tx
                        let color = Int(fifos[f].color)
                        t = tx
                        while t != 0 {
                            let p = t.trailingZeroBitCount
                            t &= t &- 1
                            if p == Port.ramp {
                                let q = Int(fifos[f].coreQueue)
                                if immediate {
                                    Fabric.deliver(q, value: value, ready: now &+ rampLatency, coreQueues, coreStorage, inFlightByColor, &list, occupied)
                                    delivered &+= 1
                                } else {
                                    pending[pc] = PendingPush(ready: Stamp(cycle: now &+ rampLatency), target: Int32(truncatingIfNeeded: -q &- 1), value: value, shared: false)
                                    pc &+= 1
                                }
                            } else {
                                let target = targets.load(fromByteOffset: p &* 4, as: Int32.self)
                                let shared = fifos[f].sharedTargets & (1 &<< UInt8(p)) != 0
                                if immediate && (p != Port.south || shared) {
                                    arrive(Int(target), value: value, ready: Stamp(cycle: now &+ hopLatency), shared: shared, rings, routers, storage, shift, mask, next)
                                } else {
                                    pending[pc] = PendingPush(ready: Stamp(cycle: now &+ hopLatency), target: target, value: value, shared: shared)
                                    pc &+= 1
                                }
                                hopCount &+= 1
                                hopCountByColor[color] &+= 1
                            }
                        }
                        // A multicast to k outputs puts k − 1 copies on the fabric (each leaves inFlight when delivered).
                        if tx & (tx &- 1) != 0 { inFlightByColor[color] &+= tx.nonzeroBitCount &- 1 }
                        moved &+= 1
                    }
                    if n > 1 { routerRR[r] = UInt16(truncatingIfNeeded: rr &+ 1 == n ? 0 : rr &+ 1) }
                    if holding { next.mark(r) }
                }
            }
          }
        }
        if injectionCount > 0 { injections.land(from: injected, storage) }
        hops += hopCount
        movedThisCycle = moved
        pendingCount = pc
        if !failed {
            // The pushes decided above that still wait, in order.
            for k in landed..<pc {
                let target = Int(pending[k].target)
                let value = pending[k].value, ready = pending[k].ready
                if target < 0 {
                    // The cycle the wavelet reaches the core: the stamp is within the ramp latency of now.
                    let cycle = now &+ Int(Int32(bitPattern: ready &- now32))
                    Fabric.deliver(-target &- 1, value: value, ready: cycle, coreQueues, coreStorage, inFlightByColor, &list, occupied)
                    delivered &+= 1
                } else {
                    arrive(target, value: value, ready: ready, shared: pending[k].shared, rings, routers, storage, shift, mask, next)
                }
            }
        }
        queuedAtCores += delivered
        deliveredCount += delivered
        deliveryLog.finish(list)
        if failed { return }
        // Next cycle's routers become this cycle's (the loop above cleared this cycle's bits).
        for tw in 0..<next.topWords {
            var tbits = next.top[tw]
            if tbits == 0 { continue }
            top[tw] = tbits
            next.top[tw] = 0
            while tbits != 0 {
                let sw = tw &<< 6 | tbits.trailingZeroBitCount
                tbits &= tbits &- 1
                var sbits = next.summary[sw]
                summary[sw] = sbits
                next.summary[sw] = 0
                while sbits != 0 {
                    let w = sw &<< 6 | sbits.trailingZeroBitCount
                    sbits &= sbits &- 1
                    active[w] = next.bits[w]
                    next.bits[w] = 0
                }
            }
        }
    }

    /// A wavelet reaching core queue `q`.
    @inline(__always) private static func deliver(_ q: Int, value: UInt32, ready: Int, _ coreQueues: UnsafeMutablePointer<CoreQueueRecord>,
                                                  _ coreStorage: UnsafeMutablePointer<Entry>, _ inFlightByColor: UnsafeMutablePointer<Int>,
                                                  _ list: inout DeliveryLog.Appender, _ occupied: ActivityBits) {
        let cap = Int(coreQueues[q].capacity)
        var at = Int(coreQueues[q].head) &+ Int(coreQueues[q].size)
        if at >= cap { at &-= cap }
        let stamp = Stamp(cycle: ready)
        coreStorage[Int(coreQueues[q].base) &+ at] = Entry(ready: stamp, value: value)
        if coreQueues[q].size == 0 { coreQueues[q].headReady = stamp }
        coreQueues[q].tailReady = stamp
        coreQueues[q].size &+= 1
        occupied.mark(q)
        inFlightByColor[Int(coreQueues[q].color)] &-= 1
        list.append(queue: q, payload: value, cycle: ready)
    }

    /// A wavelet entering FIFO `target` (ready at `ready`): two arrivals on one color (slot) in one
    /// cycle from different sides are a race (only a slot with several rx FIFOs can have one); its
    /// router is busy next cycle.
    @inline(__always) private func arrive(_ target: Int, value: UInt32, ready: Stamp, shared: Bool, _ rings: UnsafeMutablePointer<UInt32>,
                                          _ routers: UnsafeMutablePointer<Int32>, _ storage: UnsafeMutablePointer<Entry>,
                                          _ shift: Int, _ mask: Int, _ next: ActivityBits) {
        if shared { checkRace(target, ready: ready) }
        let ring = rings[target]
        storage[target &<< shift | Int(truncatingIfNeeded: (ring &>> 16) &+ (ring & 0xFFFF)) & mask] = Entry(ready: ready, value: value)
        rings[target] = ring &+ 1
        next.mark(Int(routers[target]))
    }

    /// Records an arrival at FIFO `target` of a slot with several rx FIFOs, reporting a race when
    /// another of the slot's FIFOs had one in the same cycle.
    @inline(never) private func checkRace(_ target: Int, ready: Stamp) {
        let arrivals = fifoArrivals.pointer
        let first = target &- Int(arrivals[target].fromFirst)
        let port = arrivals[target].port
        // The arrival's full cycle (the stamp is within the hop latency of the clock).
        let cycle = clock &+ Int(Int32(bitPattern: ready &- Stamp(cycle: clock)))
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
        error = SimulationError(kind: .race, message: "two wavelets on color \(slotColor[s]) arrive at \(pe) in cycle \(ready), from \(Port.direction(earlier)) and from \(Port.direction(Int(fifoPort[f]))): undefined in hardware", cycle: ready)
    }

    @inline(never) private func reportMisroute(slot s: Int, port p: Int, code: Int, now: Int) {
        let pe = coordinate(Int(routerPE[Int(slotRouter[s])]))
        let color = Int(slotColor[s])
        let (dx, dy) = Port.direction(p).step
        let next = PECoord(pe.x + dx, pe.y + dy)
        let arrival = now + model.hopLatency
        let message: String
        switch code {
        case -3:
            message = "a wavelet on color \(color) leaves the fabric: \(pe) sends it \(Port.direction(p)) at cycle \(now), and there is no PE \(next)"
            error = SimulationError(kind: .leavesFabric, message: message, cycle: now)
        case -1:
            message = "a wavelet on color \(color) arrives at \(next) from \(Port.direction(Port.opposite(p))) at cycle \(arrival), but \(next) has no route for color \(color)"
            error = SimulationError(kind: .unrouted, message: message, cycle: arrival)
        default:
            message = "a wavelet on color \(color) arrives at \(next) from \(Port.direction(Port.opposite(p))) at cycle \(arrival), which is not in the rx of \(next)'s route for color \(color)"
            error = SimulationError(kind: .wrongDirection, message: message, cycle: arrival)
        }
    }
}
