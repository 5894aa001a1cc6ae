import PyFlameIR

/// How often a simulation keeps a checkpoint and how much memory its checkpoints may take.
public struct CheckpointPolicy: Sendable, Equatable {
    /// Cycles between checkpoints (at least 1).
    public var interval: Int
    /// The bytes all checkpoints together may hold; past it every other one goes and the interval doubles
    /// (the one at the start always stays).
    public var byteLimit: Int

    public init(interval: Int, byteLimit: Int) {
        self.interval = max(1, interval)
        self.byteLimit = max(0, byteLimit)
    }
}

/// A deep copy of a simulation between two cycles: the fabric's changing state (``FabricSnapshot``),
/// the cores, the playground sends, the counters and the clock. Deliveries already in the per-PE lists
/// are not copied: those lists only grow, so the checkpoint keeps their lengths and a restore cuts
/// them back (the copy holds only the deliveries still on a ramp).
public final class SimulationCheckpoint {
    public let cycle: Int
    let fabric: FabricSnapshot
    let cores: [CoreState]
    let coresDone: Int
    let coreError: SimulationError?
    let coreProgress: Int
    let playgroundSends: PlaygroundSends
    /// The host streams' state without what the edge took (``HostEdgeState/received`` only grows, so
    /// `hostReceivedCounts` cuts it back on restore, as the delivery lists are): a copy per checkpoint
    /// would make the checkpoints of a long stream out quadratic in its length.
    let hostEdges: HostEdgeState?
    let hostReceivedCounts: [Int]
    let quietCycles: Int
    let unproductiveCycles: Int
    let busyCycles: [PECoord: Int]
    let recordedDeliveries: Int
    /// The length of each per-PE delivery list, in `deliveryLists` order (PEs past the end had none yet).
    let deliveryListLengths: [Int]
    /// The bytes the checkpoint holds (an estimate for the arrays of cores and dictionaries).
    public let byteCount: Int

    init(_ sim: Simulation) {
        // Recorded deliveries go into the per-PE lists first: the log keeps only those on a ramp.
        sim.sortDeliveryLog()
        // The sleeping cores' waits so far, so that the copy's cores count every cycle.
        sim.settleSleepingCores()
        cycle = sim.cycle
        fabric = sim.fabric.snapshot()
        cores = sim.cores
        coresDone = sim.coresDone
        coreError = sim.coreError
        coreProgress = sim.coreProgress
        playgroundSends = sim.playgroundSends
        if var edges = sim.fabric.hostEdges {
            hostReceivedCounts = edges.received.map(\.count)
            edges.received = edges.received.map { _ in [] }
            hostEdges = edges
        } else {
            hostReceivedCounts = []
            hostEdges = nil
        }
        quietCycles = sim.quietCycles
        unproductiveCycles = sim.unproductiveCycles
        busyCycles = sim.busyCycles
        recordedDeliveries = sim.recordedDeliveries
        deliveryListLengths = sim.deliveryLists.map(\.count)
        var bytes = fabric.byteCount + deliveryListLengths.byteCount + busyCycles.count * 32 + playgroundSends.byteCount
        if let hostEdges { bytes += hostEdges.streams.count * 64 + hostReceivedCounts.byteCount }
        for core in cores { bytes += core.byteCount }
        byteCount = bytes
    }
}

extension CoreState {
    /// The bytes of a copy of the core's changing state: buffers, the step's operations, step counters.
    var byteCount: Int {
        var bytes = MemoryLayout<CoreState>.stride + stepCycles.byteCount
        for b in buffers { bytes += b.byteCount }
        for o in operations { bytes += MemoryLayout<Operation>.stride + o.offsets.byteCount }
        return bytes
    }
}

extension PlaygroundSends {
    /// The bytes of a copy (the cursors and the active list; the values are shared).
    var byteCount: Int { cursors.byteCount + active.byteCount }
}

/// The checkpoints of one simulation, in cycle order: one every `interval` cycles from the start, thinned
/// (every other one dropped, the interval doubled) when they pass the byte limit. Those after a cycle the
/// simulation goes back to stay valid: the simulation is deterministic, so running on from the earlier
/// cycle passes through the same states.
public final class CheckpointStore {
    public let policy: CheckpointPolicy
    /// The interval now (the policy's, doubled by each thinning).
    public private(set) var interval: Int
    public private(set) var list: [SimulationCheckpoint] = []
    public private(set) var byteCount = 0
    /// The cycle at or after which `advance` takes the next checkpoint.
    var nextAt = 0

    init(policy: CheckpointPolicy) {
        self.policy = policy
        interval = policy.interval
    }

    /// The last checkpoint at or before `cycle`.
    public func latest(atOrBefore cycle: Int) -> SimulationCheckpoint? {
        var lo = 0, hi = list.count  // the first checkpoint after `cycle`
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].cycle <= cycle { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? list[lo - 1] : nil
    }

    /// The next cycle a checkpoint is due after one at `cycle`.
    func due(after cycle: Int) -> Int {
        let (next, overflow) = (cycle / interval + 1).multipliedReportingOverflow(by: interval)
        return overflow ? Int.max : next
    }

    /// Keeps a checkpoint of `sim` at its cycle, unless one is kept there already.
    func take(_ sim: Simulation) {
        defer { nextAt = due(after: sim.cycle) }
        if let last = latest(atOrBefore: sim.cycle), last.cycle == sim.cycle { return }
        let checkpoint = SimulationCheckpoint(sim)
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].cycle < checkpoint.cycle { lo = mid + 1 } else { hi = mid }
        }
        list.insert(checkpoint, at: lo)
        byteCount += checkpoint.byteCount
        while byteCount > policy.byteLimit && list.count > 1 { thin() }
    }

    /// Doubles the interval and keeps the first checkpoint of each new interval (and the first of all).
    private func thin() {
        let (doubled, overflow) = interval.multipliedReportingOverflow(by: 2)
        interval = overflow ? Int.max : doubled
        var kept: [SimulationCheckpoint] = []
        var lastBucket = -1
        for (k, c) in list.enumerated() {
            let bucket = c.cycle / interval
            if k == 0 || bucket != lastBucket { kept.append(c) }
            lastBucket = bucket
        }
        // A list that thinning cannot shorten (one checkpoint per bucket even at a huge interval) keeps the first.
        if kept.count == list.count { kept = [list[0]] }
        list = kept
        byteCount = list.reduce(0) { $0 + $1.byteCount }
    }
}

/// How a ``Simulation/seek(to:shouldStop:)`` ended.
public enum SeekOutcome: Equatable, Sendable {
    /// At the cycle asked for, after going back to the checkpoint at `from` and running on `ran` cycles
    /// (`from` nil: it only ran forward).
    case arrived(from: Int?, ran: Int)
    /// Before the cycle asked for: the simulation finished (or stopped on an error) earlier.
    case ended(RunOutcome)
    /// Ctrl-C on the way; the simulation is at a consistent cycle short of the target.
    case interrupted
    /// No checkpoint at or before the target (checkpoints are off, or were turned on later).
    case noCheckpoint
}

extension Simulation {
    /// Starts keeping checkpoints with `policy` (nil: stops and drops them). Turned on before the first
    /// cycle, a rewind can reach any cycle.
    public func keepCheckpoints(_ policy: CheckpointPolicy?) {
        checkpoints = policy.map { CheckpointStore(policy: $0) }
    }

    /// A deep copy of the simulation now.
    public func checkpoint() -> SimulationCheckpoint { SimulationCheckpoint(self) }

    /// Puts the simulation back to `checkpoint`, taken from it at or before its cycle now.
    public func restore(_ c: SimulationCheckpoint) {
        precondition(c.cycle <= cycle, "restore of a checkpoint after the cycle now")
        // Every delivery recorded so far into the per-PE lists first: the lists are then what the run
        // reached now, and cutting them back to the checkpoint's lengths gives what it had reached then.
        // (Deliveries still in the log since the last sort would otherwise be dropped with the log.)
        sortDeliveryLog()
        fabric.restore(c.fabric)
        cores = c.cores
        if !sleeping.isEmpty { sleeping.wakeAll(cores) }
        coresDone = c.coresDone
        coreError = c.coreError
        coreProgress = c.coreProgress
        playgroundSends = c.playgroundSends
        if var edges = c.hostEdges, let live = fabric.hostEdges {
            // What the edge took then: the first of what it has taken now (restores only go back).
            edges.received = zip(live.received, c.hostReceivedCounts).map { Array($0.0.prefix($0.1)) }
            fabric.hostEdges = edges
        } else {
            fabric.hostEdges = c.hostEdges
        }
        quietCycles = c.quietCycles
        unproductiveCycles = c.unproductiveCycles
        busyCycles = c.busyCycles
        recordedDeliveries = c.recordedDeliveries
        cycle = c.cycle
        // The per-PE lists back to their lengths then; PEs that first received later go.
        let keptPEs = c.deliveryListLengths.count
        for l in deliveryLists.indices.reversed() {
            if l >= keptPEs {
                deliveryListOfPE[deliveryPEs[l]] = nil
                deliveryLists.removeLast()
                deliveryPEs.removeLast()
            } else if deliveryLists[l].count > c.deliveryListLengths[l] {
                deliveryLists[l].removeLast(deliveryLists[l].count - c.deliveryListLengths[l])
            }
        }
        for q in deliveryListOfQueue.indices where deliveryListOfQueue[q] >= Int32(keptPEs) { deliveryListOfQueue[q] = -1 }
        deliveriesByPE = nil
        checkpoints?.nextAt = checkpoints?.due(after: cycle) ?? 0
    }

    /// Goes to cycle `target`: forward by running, back by restoring the last checkpoint at or before it
    /// and running on (deterministic, so the same states again). Breakpoints do not stop it; Ctrl-C does.
    public func seek(to target: Int, shouldStop: () -> Bool = { false }) -> SeekOutcome {
        var from: Int?
        if target < cycle {
            guard let c = checkpoints?.latest(atOrBefore: target) else { return .noCheckpoint }
            restore(c)
            from = c.cycle
        }
        let start = cycle
        let outcome = advance(target - cycle, shouldStop: shouldStop)
        if cycle == target, outcome != .interrupted {
            if case .failed = outcome { return .ended(outcome) }
            return .arrived(from: from, ran: cycle - start)
        }
        switch outcome {
        case .interrupted: return .interrupted
        default: return .ended(outcome)
        }
    }
}
