import PyFlameIR
import PyFlameLowering

/// A fixed-size array in manually managed memory: the simulator's flat state (no per-wavelet objects,
/// no bounds checks in the hot loop, no copy-on-write).
struct Slab<T> {
    let pointer: UnsafeMutablePointer<T>
    let count: Int

    init(_ count: Int, _ value: T) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    init(_ values: [T]) {
        count = values.count
        pointer = .allocate(capacity: max(values.count, 1))
        if values.isEmpty { return }
        values.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: values.count) }
    }

    subscript(i: Int) -> T {
        @inline(__always) get { pointer[i] }
        @inline(__always) nonmutating set { pointer[i] = newValue }
    }

    func free() { pointer.deallocate() }
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
    // Slots: one per (PE, color) route.
    let slotCount: Int
    let slotColor: Slab<UInt8>
    let slotTx: Slab<UInt8>
    let slotRx: Slab<UInt8>
    let slotRouter: Slab<Int32>
    /// For slot s and port p (N, E, S, W): the neighbour FIFO a wavelet enters, or a negative error code.
    let slotTarget: Slab<Int32>
    /// For a slot with RAMP in tx: the core queue it delivers into.
    let slotCoreQueue: Slab<Int32>
    /// For a slot with RAMP in rx: its injection FIFO.
    let slotInjectFifo: Slab<Int32>
    // Input FIFOs: one per (slot, rx port).
    let fifoCount: Int
    let fifoSlot: Slab<Int32>
    let fifoPort: Slab<UInt8>
    let fifoBase: Slab<Int32>
    let fifoCapacity: Slab<UInt16>
    let fifoHead: Slab<UInt16>
    let fifoSize: Slab<UInt16>
    let fifoLastPop: Slab<Int>
    let storageValue: Slab<UInt32>
    let storageReady: Slab<Int>
    // Core queues: one per (PE, color) delivered to the core.
    public let coreQueueCount: Int
    let coreQueuePE: Slab<Int32>
    let coreQueueColor: Slab<UInt8>
    let coreQueueBase: Slab<Int32>
    let coreQueueCapacity: Slab<UInt16>
    let coreQueueHead: Slab<UInt16>
    let coreQueueSize: Slab<UInt16>
    let coreQueueLastPop: Slab<Int>
    let coreStorageValue: Slab<UInt32>
    let coreStorageReady: Slab<Int>
    // Activity: a bit per router, a summary bit per word.
    let words: Int
    var active: Slab<UInt64>
    var nextActive: Slab<UInt64>
    var summary: Slab<UInt64>
    var nextSummary: Slab<UInt64>
    // Pushes decided this cycle, applied at its end.
    var pendingTarget: Slab<Int32>   // fifo index, or -(coreQueue + 1)
    var pendingValue: Slab<UInt32>
    var pendingReady: Slab<Int>
    var pendingCount = 0
    let pendingCapacity: Int
    // Race detection: last arrival cycle and port per slot.
    let slotLastArrival: Slab<Int>
    let slotLastArrivalPort: Slab<UInt8>
    // Statistics per router output (5 per router).
    let outActive: Slab<UInt32>
    let outDelayed: Slab<UInt32>
    let outBackpressure: Slab<UInt32>
    /// Wavelets on the fabric per color (injected, not yet in a core queue).
    public private(set) var inFlight = [Int](repeating: 0, count: 24)
    public private(set) var hops: Int = 0
    /// Link hops per color since the start.
    public private(set) var hopsByColor = [Int](repeating: 0, count: 24)
    public private(set) var deliveredCount: Int = 0
    /// Wavelets sitting in core queues, over all cores.
    public private(set) var queuedAtCores: Int = 0
    /// Core queues that hold wavelets (each listed once), for sinks that drain them.
    public internal(set) var occupiedQueues: [Int32] = []
    var queueListed: Slab<Bool>
    public private(set) var movedThisCycle = 0
    public private(set) var error: SimulationError?
    /// Wavelets that reached a core queue this cycle: (core queue, value), for the core layer and traces.
    public private(set) var arrivals: [(queue: Int, value: UInt32, ready: Int)] = []

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
        slotColor = Slab(sorted.map { UInt8($0.color) })
        func mask(_ set: DirectionSet) -> UInt8 { set.sorted.reduce(0) { $0 | UInt8(1 << Port.of($1)) } }
        slotTx = Slab(sorted.map { mask($0.tx) })
        slotRx = Slab(sorted.map { mask($0.rx) })
        // FIFOs per (slot, rx port), grouped by router.
        var fSlot: [Int32] = [], fPort: [UInt8] = [], fBase: [Int32] = [], fCap: [UInt16] = []
        var routerStart: [Int32] = []
        var storage = 0
        var inject = [Int32](repeating: -1, count: sorted.count)
        var fifoOf: [Int: Int32] = [:]   // slot * 5 + port
        var lastRouter: Int32 = -1
        for (s, r) in sorted.enumerated() {
            if slotRouterList[s] != lastRouter {
                routerStart.append(Int32(fSlot.count))
                lastRouter = slotRouterList[s]
            }
            for d in r.rx.sorted {
                let port = Port.of(d)
                let capacity = port == Port.ramp ? model.rampLatency + model.bufferDepth : model.hopLatency + model.bufferDepth
                fifoOf[s * 5 + port] = Int32(fSlot.count)
                if port == Port.ramp { inject[s] = Int32(fSlot.count) }
                fSlot.append(Int32(s)); fPort.append(UInt8(port)); fBase.append(Int32(storage)); fCap.append(UInt16(capacity))
                storage += capacity
            }
        }
        routerStart.append(Int32(fSlot.count))
        routerFifoStart = Slab(routerStart)
        routerRR = Slab(routerCount, 0)
        fifoCount = fSlot.count
        fifoSlot = Slab(fSlot); fifoPort = Slab(fPort); fifoBase = Slab(fBase); fifoCapacity = Slab(fCap)
        fifoHead = Slab(fifoCount, 0); fifoSize = Slab(fifoCount, 0); fifoLastPop = Slab(fifoCount, -1)
        storageValue = Slab(storage, 0); storageReady = Slab(storage, 0)
        slotInjectFifo = Slab(inject)
        // Targets toward neighbours: the FIFO that accepts the wavelet there, or why none does.
        var targets = [Int32](repeating: -3, count: sorted.count * 4)
        for (s, r) in sorted.enumerated() {
            for d in r.tx.sorted where d != .ramp {
                let (dx, dy) = d.step
                let nx = r.pe.x + dx, ny = r.pe.y + dy
                guard nx >= 0, nx < width, ny >= 0, ny < height else { targets[s * 4 + Port.of(d)] = -3; continue }
                guard let t = index[Fabric.key(ny * width + nx, r.color)] else { targets[s * 4 + Port.of(d)] = -1; continue }
                guard let f = fifoOf[Int(t) * 5 + Port.opposite(Port.of(d))] else { targets[s * 4 + Port.of(d)] = -2; continue }
                targets[s * 4 + Port.of(d)] = f
            }
        }
        slotTarget = Slab(targets)
        // Core queues for every route that delivers to its core.
        var qPE: [Int32] = [], qColor: [UInt8] = [], qBase: [Int32] = [], qCap: [UInt16] = []
        var slotQueue = [Int32](repeating: -1, count: sorted.count)
        var queueIndex: [Int: Int32] = [:]
        var coreStorage = 0
        var queueOfPE: [Int32: Int] = [:]
        let free = model.freeQueues
        for (s, r) in sorted.enumerated() where r.tx.contains(.ramp) {
            let pe = Int32(r.pe.y * width + r.pe.x)
            let n = queueOfPE[pe, default: 0]
            queueOfPE[pe] = n + 1
            let depth = model.queueDepths[free[n % free.count]]
            let capacity = model.rampLatency + depth
            slotQueue[s] = Int32(qPE.count)
            queueIndex[Fabric.key(Int(pe), r.color)] = Int32(qPE.count)
            qPE.append(pe); qColor.append(UInt8(r.color)); qBase.append(Int32(coreStorage)); qCap.append(UInt16(capacity))
            coreStorage += capacity
        }
        coreQueueIndex = queueIndex
        slotCoreQueue = Slab(slotQueue)
        coreQueueCount = qPE.count
        coreQueuePE = Slab(qPE); coreQueueColor = Slab(qColor); coreQueueBase = Slab(qBase); coreQueueCapacity = Slab(qCap)
        coreQueueHead = Slab(coreQueueCount, 0); coreQueueSize = Slab(coreQueueCount, 0); coreQueueLastPop = Slab(coreQueueCount, -1)
        coreStorageValue = Slab(coreStorage, 0); coreStorageReady = Slab(coreStorage, 0)
        queueListed = Slab(coreQueueCount, false)
        words = (routerCount + 63) / 64
        active = Slab(words, 0); nextActive = Slab(words, 0)
        summary = Slab((words + 63) / 64, 0); nextSummary = Slab((words + 63) / 64, 0)
        pendingCapacity = routerCount * 5 + 64
        pendingTarget = Slab(pendingCapacity, 0); pendingValue = Slab(pendingCapacity, 0); pendingReady = Slab(pendingCapacity, 0)
        slotLastArrival = Slab(slotCount, -1); slotLastArrivalPort = Slab(slotCount, 0)
        outActive = Slab(routerCount * 5, 0); outDelayed = Slab(routerCount * 5, 0); outBackpressure = Slab(routerCount * 5, 0)
    }

    deinit {
        for s in [routerPE, routerFifoStart, slotRouter, fifoSlot, fifoBase, slotTarget, slotCoreQueue, slotInjectFifo,
                  coreQueuePE, coreQueueBase, pendingTarget] { s.free() }
        routerRR.free(); slotColor.free(); slotTx.free(); slotRx.free(); fifoPort.free(); fifoCapacity.free(); fifoHead.free()
        fifoSize.free(); fifoLastPop.free(); storageValue.free(); storageReady.free(); coreQueueColor.free(); coreQueueCapacity.free()
        coreQueueHead.free(); coreQueueSize.free(); coreQueueLastPop.free(); coreStorageValue.free(); coreStorageReady.free()
        active.free(); nextActive.free(); summary.free(); nextSummary.free(); pendingValue.free(); pendingReady.free()
        slotLastArrival.free(); slotLastArrivalPort.free(); outActive.free(); outDelayed.free(); outBackpressure.free()
        queueListed.free()
    }

    public var isIdle: Bool {
        for w in 0..<summary.count where summary[w] != 0 { return false }
        return true
    }

    @inline(__always) func markActive(_ router: Int) {
        active[router >> 6] |= 1 << UInt64(router & 63)
        summary[router >> 12] |= 1 << UInt64((router >> 6) & 63)
    }

    @inline(__always) func markNextActive(_ router: Int) {
        nextActive[router >> 6] |= 1 << UInt64(router & 63)
        nextSummary[router >> 12] |= 1 << UInt64((router >> 6) & 63)
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
        let f = Int(slotInjectFifo[s])
        let used = Int(fifoSize[f]) + (fifoLastPop[f] == now ? 1 : 0)
        return used < Int(fifoCapacity[f])
    }

    /// Puts a wavelet from the core at `pe` onto `color` (after ``canInject``); it reaches the router
    /// after the ramp latency.
    public func inject(pe: PECoord, color: Int, value: UInt32, now: Int) {
        let s = slot(pe: pe, color: color)!
        let f = Int(slotInjectFifo[s])
        push(fifo: f, value: value, ready: now + model.rampLatency)
        inFlight[color] += 1
        markActive(Int(slotRouter[s]))
    }

    @inline(__always) func push(fifo f: Int, value: UInt32, ready: Int) {
        let cap = Int(fifoCapacity[f])
        var at = Int(fifoHead[f]) + Int(fifoSize[f])
        if at >= cap { at -= cap }
        let i = Int(fifoBase[f]) + at
        storageValue[i] = value
        storageReady[i] = ready
        fifoSize[f] &+= 1
    }

    /// The oldest wavelet that has arrived in core queue `q` by `now`, without taking it.
    public func peekCore(_ q: Int, now: Int) -> UInt32? {
        guard coreQueueSize[q] > 0 else { return nil }
        let i = Int(coreQueueBase[q]) + Int(coreQueueHead[q])
        return coreStorageReady[i] <= now ? coreStorageValue[i] : nil
    }

    /// Takes the head of core queue `q` (after ``peekCore``).
    public func popCore(_ q: Int, now: Int) {
        var h = Int(coreQueueHead[q]) + 1
        if h == Int(coreQueueCapacity[q]) { h = 0 }
        coreQueueHead[q] = UInt16(h)
        coreQueueSize[q] &-= 1
        coreQueueLastPop[q] = now
        queuedAtCores -= 1
    }

    public func coreQueueFill(_ q: Int) -> Int { Int(coreQueueSize[q]) }

    /// Playground sinks: every occupied queue gives up one arrived wavelet. Returns how many.
    func drainOnePerQueue(now: Int) -> Int {
        var taken = 0
        var keep = 0
        for k in 0..<occupiedQueues.count {
            let q = Int(occupiedQueues[k])
            if peekCore(q, now: now) != nil {
                popCore(q, now: now)
                taken += 1
            }
            if coreQueueSize[q] > 0 {
                occupiedQueues[keep] = Int32(q)
                keep += 1
            } else {
                queueListed[q] = false
            }
        }
        occupiedQueues.removeLast(occupiedQueues.count - keep)
        return taken
    }
    public func coreQueueColorOf(_ q: Int) -> Int { Int(coreQueueColor[q]) }
    public func coreQueuePEOf(_ q: Int) -> PECoord { coordinate(Int(coreQueuePE[q])) }

    // MARK: - One cycle of the routers

    /// Moves wavelets for cycle `now`: every busy router, in address order, sends at most one wavelet
    /// per output; pushes land at the end of the cycle.
    public func step(now: Int) {
        movedThisCycle = 0
        arrivals.removeAll(keepingCapacity: true)
        pendingCount = 0
        let summaryWords = summary.count
        for sw in 0..<summaryWords {
            var sbits = summary[sw]
            if sbits == 0 { continue }
            summary[sw] = 0
            while sbits != 0 {
                let w = sw << 6 | sbits.trailingZeroBitCount
                sbits &= sbits &- 1
                var bits = active[w]
                active[w] = 0
                while bits != 0 {
                    let r = w << 6 | bits.trailingZeroBitCount
                    bits &= bits &- 1
                    routeOne(r, now: now)
                    if error != nil { return }
                }
            }
        }
        applyPending(now: now)
        swap(&active, &nextActive)
        swap(&summary, &nextSummary)
    }

    @inline(__always) private func routeOne(_ r: Int, now: Int) {
        let start = Int(routerFifoStart[r]), end = Int(routerFifoStart[r + 1])
        let n = end - start
        var used: UInt8 = 0
        var busy = false
        let rr = Int(routerRR[r]) % n
        for k in 0..<n {
            var f = start + rr + k
            if f >= end { f -= n }
            let size = Int(fifoSize[f])
            if size == 0 { continue }
            busy = true
            let head = Int(fifoHead[f])
            let at = Int(fifoBase[f]) + head
            if storageReady[at] > now { continue }
            let s = Int(fifoSlot[f])
            let tx = slotTx[s]
            if tx & used != 0 {
                var shared = tx & used
                while shared != 0 { let p = shared.trailingZeroBitCount; shared &= shared &- 1; outDelayed[r * 5 + p] &+= 1 }
                continue
            }
            // Room at every target (all-or-nothing multicast).
            var ok = true
            var t = tx
            while t != 0 {
                let p = t.trailingZeroBitCount
                t &= t &- 1
                if p == Port.ramp {
                    let q = Int(slotCoreQueue[s])
                    let fill = Int(coreQueueSize[q]) + (coreQueueLastPop[q] == now ? 1 : 0)
                    if fill >= Int(coreQueueCapacity[q]) { outBackpressure[r * 5 + p] &+= 1; ok = false }
                } else {
                    let target = Int(slotTarget[s * 4 + p])
                    if target < 0 {
                        reportMisroute(slot: s, port: p, code: target, now: now)
                        return
                    }
                    let fill = Int(fifoSize[target]) + (fifoLastPop[target] == now ? 1 : 0)
                    if fill >= Int(fifoCapacity[target]) { outBackpressure[r * 5 + p] &+= 1; ok = false }
                }
            }
            if !ok { continue }
            let value = storageValue[at]
            var nh = head + 1
            if nh == Int(fifoCapacity[f]) { nh = 0 }
            fifoHead[f] = UInt16(nh)
            fifoSize[f] = UInt16(size - 1)
            fifoLastPop[f] = now
            used |= tx
            t = tx
            while t != 0 {
                let p = t.trailingZeroBitCount
                t &= t &- 1
                outActive[r * 5 + p] &+= 1
                if p == Port.ramp {
                    pendingTarget[pendingCount] = -Int32(slotCoreQueue[s]) - 1
                    pendingReady[pendingCount] = now + model.rampLatency
                } else {
                    pendingTarget[pendingCount] = slotTarget[s * 4 + p]
                    pendingReady[pendingCount] = now + model.hopLatency
                    hops += 1
                    hopsByColor[Int(slotColor[s])] += 1
                }
                pendingValue[pendingCount] = value
                pendingCount += 1
            }
            // A multicast to k outputs puts k − 1 copies on the fabric (each leaves inFlight when delivered).
            if tx & (tx &- 1) != 0 { inFlight[Int(slotColor[s])] += tx.nonzeroBitCount - 1 }
            movedThisCycle += 1
            if size > 1 { busy = true } else {
                // Still busy if another FIFO of this router holds something (checked below).
            }
        }
        routerRR[r] = UInt16((rr + 1) % n)
        if busy {
            for f in start..<end where fifoSize[f] > 0 { markNextActive(r); return }
        }
    }

    private func reportMisroute(slot s: Int, port p: Int, code: Int, now: Int) {
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

    private func applyPending(now: Int) {
        for k in 0..<pendingCount {
            let target = Int(pendingTarget[k])
            let value = pendingValue[k], ready = pendingReady[k]
            if target < 0 {
                let q = -target - 1
                let cap = Int(coreQueueCapacity[q])
                var at = Int(coreQueueHead[q]) + Int(coreQueueSize[q])
                if at >= cap { at -= cap }
                let i = Int(coreQueueBase[q]) + at
                coreStorageValue[i] = value
                coreStorageReady[i] = ready
                coreQueueSize[q] &+= 1
                queuedAtCores += 1
                if !queueListed[q] { queueListed[q] = true; occupiedQueues.append(Int32(q)) }
                inFlight[Int(coreQueueColor[q])] -= 1
                deliveredCount += 1
                arrivals.append((q, value, ready))
            } else {
                let s = Int(fifoSlot[target])
                let port = fifoPort[target]
                if slotLastArrival[s] == ready && slotLastArrivalPort[s] != port && error == nil {
                    let pe = coordinate(Int(routerPE[Int(slotRouter[s])]))
                    error = SimulationError(kind: .race, message: "two wavelets on color \(slotColor[s]) arrive at \(pe) in cycle \(ready), from \(Port.direction(Int(slotLastArrivalPort[s]))) and from \(Port.direction(Int(port))): undefined in hardware", cycle: ready)
                }
                slotLastArrival[s] = ready
                slotLastArrivalPort[s] = port
                push(fifo: target, value: value, ready: ready)
                markNextActive(Int(slotRouter[s]))
            }
        }
        // Routers with wavelets still waiting in their FIFOs are kept active by routeOne.
    }
}
