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
    /// Every slab below is made through it and freed with it.
    let memory: SlabArena

    // PEs, by index y * width + x: the FIFOs of each (`peFifoStart[pe] ..< peFifoStart[pe + 1]`), its
    // round-robin position among them, and its router (-1 without routes).
    let peFifoStart: Slab<Int32>
    let peRR: Slab<UInt16>
    let peRouter: Slab<Int32>
    // Routers (PEs with at least one route), in address order: what statistics and reports name.
    let routerCount: Int
    let routerPE: Slab<Int32>  // y * width + x
    /// The cycle each router's ramp from its core last took a wavelet: the ramp is a link like the
    /// others, one wavelet per cycle whatever the color.
    let routerRampCycle: Slab<Int>
    // Slots: one per (PE, color) route, in address order.
    let slotCount: Int
    let slots: Slab<SlotRecord>
    let slotRouter: Slab<Int32>
    /// For a slot with RAMP in rx: its injection FIFO.
    let slotInjectFifo: Slab<Int32>
    var slotColor: Field<SlotRecord, UInt8> { Field(slots, \.color) }
    var slotTx: Field<SlotRecord, UInt8> { Field(slots, \.tx) }
    var slotCoreQueue: Field<SlotRecord, Int32> { Field(slots, \.coreQueue) }
    /// Slot s's target toward link port p (N, E, S, W): the neighbour FIFO a wavelet enters, or the misroute.
    func slotTarget(_ s: Int, port p: Int) -> RouteTarget { slots[s].links[p] }
    // Input FIFOs: one per (slot, rx port), grouped by PE: their records (each with its first two
    // wavelets), the routes of those with several outputs, and the storage of the wavelets behind those.
    let fifoCount: Int
    let fifos: Slab<FifoRecord>
    let fifoRoutes: Slab<FifoRoute>
    /// FIFO f's ring for the wavelets behind the two its record holds.
    let fifoRings: Rings
    /// The capacity of every FIFO behind a link (hop latency + buffer depth).
    let linkCapacity: Int
    /// The capacity of an injection FIFO (ramp latency + buffer depth).
    let rampCapacity: Int
    let fifoArrivals: Slab<FifoArrivalRecord>
    var fifoSlot: Field<FifoArrivalRecord, Int32> { Field(fifoArrivals, \.slot) }
    var fifoPort: Field<FifoArrivalRecord, UInt8> { Field(fifoArrivals, \.port) }
    /// The wavelets FIFO f holds.
    func fifoSize(_ f: Int) -> Int { Int(fifos[f].size) }
    /// The wavelets FIFO f can hold.
    func fifoCapacity(_ f: Int) -> Int { fifoPort[f] == UInt8(Port.ramp) ? rampCapacity : linkCapacity }
    // Core queues: one per (PE, color) delivered to the core; their records (each with its first two
    // wavelets), PEs, and the rings of the wavelets behind those.
    public let coreQueueCount: Int
    let coreQueues: Slab<CoreQueueRecord>
    let coreQueuePE: Slab<Int32>
    let coreRings: Rings
    var coreQueueColor: Field<CoreQueueRecord, UInt8> { Field(coreQueues, \.color) }
    var coreQueueCapacity: Field<CoreQueueRecord, UInt8> { Field(coreQueues, \.capacity) }
    var coreQueueSize: Field<CoreQueueRecord, UInt8> { Field(coreQueues, \.size) }
    // Busy PEs, this cycle's and the next's (constants, so marking a PE costs no exclusivity check;
    // the next cycle's bits move over at the end of one).
    let active: ActivityBits
    let nextActive: ActivityBits
    /// Whether the router loop lands each push as it decides it (the same result as landing them all
    /// at the end of the cycle, see `step`), or lands them all at the end in the order decided (no hop
    /// latency, or misroutes to report).
    let immediatePushes: Bool
    /// Pushes decided this cycle that wait for its end, without `immediatePushes`.
    let pending: Slab<PendingPush>
    /// What a link port adds to a PE index: N, E, S, W.
    let neighbourOffsets: Slab<Int>
    // Statistics per router output (5 per router); Active counts come from the FIFOs' pops (`outputActivity`).
    let outDelayed: Slab<UInt32>
    let outBackpressure: Slab<UInt32>
    /// Wavelets on the fabric per color (injected, not yet in a core queue).
    public var inFlight: [Int] { Array(UnsafeBufferPointer(start: inFlightByColor.pointer, count: Fabric.colorCount)) }
    let inFlightByColor: Slab<Int>
    public internal(set) var hops: Int = 0
    /// Link hops per color since the start.
    public var hopsByColor: [Int] { Array(UnsafeBufferPointer(start: hopCountByColor.pointer, count: Fabric.colorCount)) }
    let hopCountByColor: Slab<Int>
    public internal(set) var deliveredCount: Int = 0
    /// Wavelets sitting in core queues, over all cores.
    public internal(set) var queuedAtCores: Int = 0
    /// Core queues that have held wavelets since the sinks last found them empty: the queues the
    /// playground sinks drain, in address order.
    let occupied: ActivityBits
    /// Wavelets that moved in the last cycle stepped: link hops and deliveries, less multicast copies.
    public internal(set) var movedThisCycle = 0
    /// The cycle being stepped, or the last one stepped (−1 before the first): the full cycle of the
    /// 32-bit stamps near it.
    var clock = -1
    /// The cycle of the last `rebaseStamps`.
    var stampBase = 0
    public internal(set) var error: SimulationError?
    /// Every wavelet delivered into a core queue, in delivery order (the simulation records and trims it).
    let deliveryLog = DeliveryLog()

    // Routes beyond a fixed rx/tx and colors that carry control wavelets (Fabric+Dynamics.swift); all
    // FIFOs of such a color are `FifoRecord.dynamic`. Empty (one unused tag) without them.
    /// Whether any color is dynamic.
    public let hasDynamicColors: Bool
    /// Every route of a dynamic color, by the `route` of its FIFOs.
    let dynamicRoutes: [DynamicRoute]
    /// Their switch position, teardown and event counts (what a cycle changes).
    let dynamicStates: Slab<DynamicState>
    /// Slot → its dynamic route.
    let slotDynamic: [Int: Int]
    /// The command word of every wavelet in a dynamic FIFO (0: data), at the places of `Rings`' convention
    /// over the whole FIFO (head included): `fifoTags[f << tagShift | (pops + k) & tagMask]`.
    let fifoTags: Slab<UInt32>
    let tagShift: Int
    /// The command words of `pending` pushes decided by `routeDynamic` (read only for dynamic targets).
    let pendingTags: Slab<UInt32>
    /// Wavelets each router output carried from dynamic FIFOs (their tx changes, so pops do not tell).
    let dynamicActive: Slab<UInt32>
    /// Whether a core queue belongs to a dynamic route (only those receive control wavelets).
    let coreQueueDynamic: [Bool]

    /// (PE index, color) → slot, and (PE index, color) → core queue.
    let slotIndex: [Int: Int32]
    public let coreQueueIndex: [Int: Int32]
    /// The input queue ID each core queue is bound to now (its depth is that queue's).
    public internal(set) var coreQueueID: [Int]
    /// Host streams at the edges (Fabric+HostEdges.swift); nil without them.
    public internal(set) var hostEdges: HostEdgeState?

    static func key(_ pe: Int, _ color: Int) -> Int { pe &* 32 &+ color }

    /// The routable colors (0 to 23).
    static let colorCount = Architecture.colorCount
    /// The largest FIFO or core queue capacity (latency + depth) the records hold (the shell's settings
    /// stay below: at most 64 + 64).
    static let largestCapacity = 255

    /// `coreQueueIDs`: for (PE index, color) (``key(_:_:)``), the input queue a program first receives that
    /// color through (`PEProgram.queues`): the core queue starts bound to it, with that queue's depth, and a
    /// step rebinds it (``bindCoreQueue(_:to:)``) to any of `coreQueueIDs.used`. A route to a core no
    /// program names (the playground's) takes the free input queues in route order. `controlColors`: the
    /// colors that may carry control wavelets (besides those of routes with switches, filters or swap).
    public init(
        width: Int, height: Int, routes: [RouteConfig], model: FabricModel, coreQueueIDs: CoreQueueBindings = CoreQueueBindings(),
        controlColors: Set<Int> = []
    ) {
        self.width = width
        self.height = height
        self.model = model
        let memory = SlabArena()
        self.memory = memory
        inFlightByColor = memory.slab(Fabric.colorCount, 0)
        hopCountByColor = memory.slab(Fabric.colorCount, 0)
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
        routerPE = memory.slab(routerPEs)
        routerRampCycle = memory.slab(routerPEs.count, Int.min)
        slotRouter = memory.slab(slotRouterList)
        peRouter = memory.slab(peCount, -1)
        for (r, pe) in routerPEs.enumerated() { peRouter[Int(pe)] = Int32(r) }
        func mask(_ set: DirectionSet) -> UInt8 { set.sorted.reduce(0) { $0 | UInt8(1 << Port.of($1)) } }
        var slotRecords = sorted.map { SlotRecord(tx: mask($0.tx), color: UInt8($0.color)) }
        var dynamicColors = controlColors
        for r in sorted {
            precondition(r.pe.x >= 0 && r.pe.x < width && r.pe.y >= 0 && r.pe.y < height, "route at \(r.pe) outside the \(width)x\(height) fabric")
            precondition(r.color >= 0 && r.color < Fabric.colorCount, "route on color \(r.color): colors are 0 to \(Fabric.colorCount - 1)")
            if let why = r.refusal(on: model.architecture) { preconditionFailure(why) }
            if r.isDynamic { dynamicColors.insert(r.color) }
            if r.colorSwapX || r.colorSwapY { dynamicColors.insert(r.color ^ 1) }
        }
        hasDynamicColors = !dynamicColors.isEmpty
        // FIFOs per (slot, rx port), grouped by PE.
        var fifoRecords: [FifoRecord] = []
        fifoRecords.reserveCapacity(sorted.count)
        var arrivalList: [FifoArrivalRecord] = []
        arrivalList.reserveCapacity(sorted.count)
        var fifoStart = [Int32](repeating: 0, count: peCount + 1)
        var inject = [Int32](repeating: -1, count: sorted.count)
        var fifoOf: [Int: Int32] = [:]  // slot * 5 + port
        for (s, r) in sorted.enumerated() {
            let first = fifoRecords.count
            // Every side some switch position receives from.
            let rxSides = r.allRx.sorted
            let shared = rxSides.count > 1
            for d in rxSides {
                let port = Port.of(d)
                fifoOf[s * 5 + port] = Int32(fifoRecords.count)
                if port == Port.ramp { inject[s] = Int32(fifoRecords.count) }
                arrivalList.append(FifoArrivalRecord(slot: Int32(s), port: UInt8(port), fromFirst: UInt8(fifoRecords.count - first)))
                fifoRecords.append(FifoRecord(tx: slotRecords[s].tx, color: slotRecords[s].color, shared: shared, dynamic: dynamicColors.contains(r.color)))
                fifoStart[r.pe.y * width + r.pe.x + 1] += 1
            }
        }
        for pe in 0..<peCount { fifoStart[pe + 1] += fifoStart[pe] }
        peFifoStart = memory.slab(fifoStart)
        peRR = memory.slab(peCount, 0)
        fifoCount = fifoRecords.count
        linkCapacity = model.hopLatency + model.bufferDepth
        rampCapacity = model.rampLatency + model.bufferDepth
        precondition(max(linkCapacity, rampCapacity) <= Fabric.largestCapacity, "FIFO capacity over \(Fabric.largestCapacity)")
        fifoRings = Rings(memory: memory, rings: fifoCount, capacity: max(linkCapacity, rampCapacity))
        slotInjectFifo = memory.slab(inject)
        // Targets toward neighbours: the FIFO that accepts the wavelet there, or why none does.
        // Every way some switch position sends; a wavelet leaving across an axis with color swap enters the
        // neighbour's route for the other color of its pair.
        var linkMasks: [UInt8] = []
        for (s, r) in sorted.enumerated() {
            linkMasks.append(mask(r.allTx) & 0x0F)
            for d in r.allTx.sorted where d != .ramp {
                let (dx, dy) = d.step
                let nx = r.pe.x + dx, ny = r.pe.y + dy
                let p = Port.of(d)
                let swaps = (dx != 0 && r.colorSwapX) || (dy != 0 && r.colorSwapY)
                let color = swaps ? r.color ^ 1 : r.color
                guard nx >= 0, nx < width, ny >= 0, ny < height else { slotRecords[s].links[p] = .offFabric; continue }
                guard let t = index[Fabric.key(ny * width + nx, color)] else { slotRecords[s].links[p] = .noRoute; continue }
                guard let f = fifoOf[Int(t) * 5 + Port.opposite(p)] else { slotRecords[s].links[p] = .notInRx; continue }
                slotRecords[s].links[p] = .fifo(Int(f))
            }
        }
        // Core queues for every route that delivers to its core.
        var queueRecords: [CoreQueueRecord] = []
        var queuePEs: [Int32] = []
        var queueIndex: [Int: Int32] = [:]
        var queueOfPE: [Int32: Int] = [:]
        let free = model.freeQueues
        var boundIDs: [Int] = []
        let largestBound = coreQueueIDs.used.reduce(1) { max($0, model.rampLatency + model.queueDepths[$1]) }
        for (s, r) in sorted.enumerated() where r.allTx.contains(.ramp) {
            let pe = Int32(r.pe.y * width + r.pe.x)
            let id: Int
            if let first = coreQueueIDs.first[Fabric.key(Int(pe), r.color)] {
                id = first
            } else {
                let n = queueOfPE[pe, default: 0]
                queueOfPE[pe] = n + 1
                id = free[n % free.count]
            }
            boundIDs.append(id)
            let capacity = model.rampLatency + model.queueDepths[id]
            precondition(capacity <= Fabric.largestCapacity, "core queue capacity over \(Fabric.largestCapacity)")
            slotRecords[s].coreQueue = Int32(queueRecords.count)
            queueIndex[Fabric.key(Int(pe), r.color)] = Int32(queueRecords.count)
            queueRecords.append(CoreQueueRecord(capacity: UInt8(capacity), color: UInt8(r.color)))
            queuePEs.append(pe)
        }
        coreQueueIndex = queueIndex
        coreQueueCount = queueRecords.count
        coreQueueID = boundIDs
        precondition(largestBound <= Fabric.largestCapacity, "core queue capacity over \(Fabric.largestCapacity)")
        // Rings deep enough for every queue a step may rebind a core queue to.
        coreRings = Rings(memory: memory, rings: coreQueueCount, capacity: queueRecords.reduce(largestBound) { max($0, Int($1.capacity)) })
        coreQueues = memory.slab(queueRecords)
        coreQueuePE = memory.slab(queuePEs)
        // Each FIFO's target: its one link's, its core queue, or its route among the FIFOs with several outputs.
        var routeList: [FifoRoute] = []
        var dynamicList: [DynamicRoute] = []
        var dynamicOfSlot: [Int: Int] = [:]
        for (s, r) in sorted.enumerated() where dynamicColors.contains(r.color) {
            dynamicOfSlot[s] = dynamicList.count
            dynamicList.append(DynamicRoute(r, links: slotRecords[s].links, coreQueue: slotRecords[s].coreQueue, mask: mask))
        }
        for f in 0..<fifoRecords.count {
            let s = Int(arrivalList[f].slot)
            let tx = slotRecords[s].tx
            if let d = dynamicOfSlot[s] {
                fifoRecords[f].route = d
            } else if tx != 0 && tx & (tx - 1) == 0 && tx < 1 << Port.ramp {
                fifoRecords[f].target = slotRecords[s].links[tx.trailingZeroBitCount]
            } else if tx == 1 << Port.ramp {
                fifoRecords[f].target = .coreQueue(Int(slotRecords[s].coreQueue))
            } else {
                fifoRecords[f].route = routeList.count
                routeList.append(FifoRoute(links: slotRecords[s].links, coreQueue: slotRecords[s].coreQueue))
            }
        }
        precondition(MemoryLayout<FifoRecord>.stride == 32 && MemoryLayout<CoreQueueRecord>.stride == 24 && MemoryLayout<Entry>.stride == 8)
        // The router loop reads a route's link targets as 32-bit words from its start (`LinkTargets.load`).
        precondition(MemoryLayout<FifoRoute>.offset(of: \FifoRoute.links) == 0 && MemoryLayout<LinkTargets>.stride == 16)
        fifos = memory.slab(fifoCount, FifoRecord(tx: 0, color: 0, shared: false), alignment: 64)
        for f in 0..<fifoCount { fifos[f] = fifoRecords[f] }
        fifoRecords = []
        fifoRoutes = memory.slab(routeList)
        routeList = []
        fifoArrivals = memory.slab(arrivalList)
        arrivalList = []
        slots = memory.slab(slotRecords)
        slotRecords = []
        // Pushes land at once when nothing a wavelet does this cycle can see them (hop latency ≥ 1)
        // and no route can misroute (an error stops the cycle before its pushes land).
        var misroutes = false
        for s in 0..<slotCount {
            for p in 0..<4 where linkMasks[s] & (1 << p) != 0 && !slots[s].links[p].isFifo { misroutes = true }
        }
        dynamicRoutes = dynamicList
        slotDynamic = dynamicOfSlot
        dynamicStates = memory.slab(dynamicList.map { DynamicState(position: UInt8($0.startPosition)) })
        var shift = 0
        while 1 << shift < max(linkCapacity, rampCapacity) { shift += 1 }
        tagShift = shift
        fifoTags = memory.slab(hasDynamicColors ? fifoCount << shift : 1, 0)
        var queueDynamic = [Bool](repeating: false, count: coreQueueCount)
        for d in dynamicList where d.coreQueue >= 0 { queueDynamic[Int(d.coreQueue)] = true }
        coreQueueDynamic = queueDynamic
        immediatePushes = model.hopLatency >= 1 && !misroutes
        active = ActivityBits(count: peCount, memory: memory)
        nextActive = ActivityBits(count: peCount, memory: memory)
        occupied = ActivityBits(count: coreQueueCount, memory: memory)
        pending = memory.slab(routerCount * 5 + 64, PendingPush(ready: Stamp(cycle: 0), target: .fifo(0), value: 0, pe: 0))
        pendingTags = memory.slab(hasDynamicColors ? routerCount * 5 + 64 : 1, 0)
        dynamicActive = memory.slab(hasDynamicColors ? routerCount * 5 : 1, 0)
        neighbourOffsets = memory.slab([-width, 1, width, -1])
        outDelayed = memory.slab(routerCount * 5, 0)
        outBackpressure = memory.slab(routerCount * 5, 0)
    }

    public var isIdle: Bool {
        active.isEmpty
    }

    func coordinate(_ pe: Int) -> PECoord { PECoord(pe % width, pe / width) }
}
