import PyFlameIR

/// Everything about the fabric that changes while it runs, copied out as flat arrays: the FIFO and
/// core-queue records with their storage, the round-robin and ramp positions, the busy and occupied
/// bits, the per-output and per-color counters and the clock. The route tables (slots, targets,
/// FIFO routes) never change after `Fabric.init`, so a checkpoint shares them with the live fabric.
///
/// Whoever adds state to `Fabric` that a cycle changes adds it here too (the rewind property test,
/// `RewindPropertyTests`, fails otherwise).
struct FabricSnapshot {
    var peRR: [UInt16]
    var routerRampCycle: [Int]
    var fifos: [FifoRecord]
    var storage: [Entry]
    var fifoArrivals: [FifoArrivalRecord]
    var coreQueues: [CoreQueueRecord]
    var coreStorage: [Entry]
    /// The input queue each core queue is bound to now (a step may rebind it).
    var coreQueueID: [Int]
    var active: ActivityBits.Copy
    var nextActive: ActivityBits.Copy
    var occupied: ActivityBits.Copy
    var outDelayed: [UInt32]
    var outBackpressure: [UInt32]
    var inFlightByColor: [Int]
    var hopCountByColor: [Int]
    var hops: Int
    var deliveredCount: Int
    var queuedAtCores: Int
    var movedThisCycle: Int
    var clock: Int
    var stampBase: Int
    var error: SimulationError?
    var deliveryLog: DeliveryLog.Copy
    /// Switch positions, teardowns and event counts; the command words in dynamic FIFOs; the Active
    /// counts of their outputs (one element each without dynamic colors).
    var dynamicStates: [DynamicState]
    var fifoTags: [UInt32]
    var dynamicActive: [UInt32]

    /// The bytes the copy holds (its arrays' elements).
    var byteCount: Int {
        peRR.byteCount + routerRampCycle.byteCount + fifos.byteCount + storage.byteCount + fifoArrivals.byteCount
            + coreQueues.byteCount + coreStorage.byteCount + coreQueueID.byteCount + active.byteCount + nextActive.byteCount + occupied.byteCount
            + outDelayed.byteCount + outBackpressure.byteCount + inFlightByColor.byteCount + hopCountByColor.byteCount
            + deliveryLog.byteCount + dynamicStates.byteCount + fifoTags.byteCount + dynamicActive.byteCount + 128
    }
}

extension Array {
    /// The bytes of the elements.
    var byteCount: Int { count * MemoryLayout<Element>.stride }
}

extension Slab {
    /// The elements as an array (one copy of the memory).
    func copied() -> [T] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Overwrites the elements with `values` (the same count, from `copied()` of this slab).
    func assign(_ values: [T]) {
        precondition(values.count == count, "a checkpoint of another fabric")
        values.withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.update(from: base, count: count) } }
    }
}

extension Rings {
    /// Every ring's places, copied.
    func copied() -> [Entry] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Overwrites every place with `values` (from `copied()` of these rings).
    func assign(_ values: [Entry]) {
        precondition(values.count == count, "a checkpoint of another fabric")
        values.withUnsafeBufferPointer { if let b = $0.baseAddress { base.update(from: b, count: count) } }
    }
}

extension ActivityBits {
    /// The three levels of bits, copied.
    struct Copy {
        var bits: [UInt64]
        var summary: [UInt64]
        var top: [UInt64]
        var byteCount: Int { bits.byteCount + summary.byteCount + top.byteCount }
    }

    func copied() -> Copy {
        Copy(
            bits: Array(UnsafeBufferPointer(start: bits, count: words)),
            summary: Array(UnsafeBufferPointer(start: summary, count: summaryWords)),
            top: Array(UnsafeBufferPointer(start: top, count: topWords)))
    }

    func assign(_ copy: Copy) {
        precondition(copy.bits.count == words && copy.summary.count == summaryWords && copy.top.count == topWords, "a checkpoint of another fabric")
        copy.bits.withUnsafeBufferPointer { if let b = $0.baseAddress { bits.update(from: b, count: words) } }
        copy.summary.withUnsafeBufferPointer { if let b = $0.baseAddress { summary.update(from: b, count: summaryWords) } }
        copy.top.withUnsafeBufferPointer { if let b = $0.baseAddress { top.update(from: b, count: topWords) } }
    }
}

extension Fabric {
    /// A copy of the state a cycle changes (between cycles: not during `step`).
    func snapshot() -> FabricSnapshot {
        FabricSnapshot(
            peRR: peRR.copied(), routerRampCycle: routerRampCycle.copied(), fifos: fifos.copied(), storage: fifoRings.copied(),
            fifoArrivals: fifoArrivals.copied(), coreQueues: coreQueues.copied(), coreStorage: coreRings.copied(), coreQueueID: coreQueueID,
            active: active.copied(), nextActive: nextActive.copied(), occupied: occupied.copied(),
            outDelayed: outDelayed.copied(), outBackpressure: outBackpressure.copied(),
            inFlightByColor: inFlightByColor.copied(), hopCountByColor: hopCountByColor.copied(),
            hops: hops, deliveredCount: deliveredCount, queuedAtCores: queuedAtCores, movedThisCycle: movedThisCycle,
            clock: clock, stampBase: stampBase, error: error, deliveryLog: deliveryLog.copied(),
            dynamicStates: dynamicStates.copied(), fifoTags: fifoTags.copied(), dynamicActive: dynamicActive.copied())
    }

    /// Puts back the state of `snapshot` (taken from this fabric).
    func restore(_ s: FabricSnapshot) {
        peRR.assign(s.peRR)
        routerRampCycle.assign(s.routerRampCycle)
        fifos.assign(s.fifos)
        fifoRings.assign(s.storage)
        fifoArrivals.assign(s.fifoArrivals)
        coreQueues.assign(s.coreQueues)
        coreRings.assign(s.coreStorage)
        coreQueueID = s.coreQueueID
        active.assign(s.active)
        nextActive.assign(s.nextActive)
        occupied.assign(s.occupied)
        outDelayed.assign(s.outDelayed)
        outBackpressure.assign(s.outBackpressure)
        inFlightByColor.assign(s.inFlightByColor)
        hopCountByColor.assign(s.hopCountByColor)
        hops = s.hops
        deliveredCount = s.deliveredCount
        queuedAtCores = s.queuedAtCores
        movedThisCycle = s.movedThisCycle
        clock = s.clock
        stampBase = s.stampBase
        error = s.error
        deliveryLog.restore(s.deliveryLog)
        dynamicStates.assign(s.dynamicStates)
        fifoTags.assign(s.fifoTags)
        dynamicActive.assign(s.dynamicActive)
    }
}
