import PyFlameIR

/// The cores' side of a big program's cycle: most of its cores wait for wavelets most of the time (a
/// whole-wafer reduction's chains pass one partial along 750 PEs). A core whose every unfinished operation
/// waits for a wavelet none of its queues holds (``CoreState``'s wait without the fabric) is left asleep:
/// the cycle loop skips it until a delivery to one of its queues (the fabric's occupied bits, marked
/// where the router delivers) wakes it, and the cycles it slept count as waiting when it wakes or when the
/// simulation is looked at (``Simulation/settleSleepingCores()``). A sleeping core's step would have
/// found nothing to do, so the run is the same cycle for cycle; only the walk over idle cores is gone.
struct SleepingCores {
    /// A bit per core index: awake (stepped each cycle) until finished or asleep.
    var awake: [UInt64] = []
    /// Per core: the first cycle its sleep has not yet counted as waiting; -1 when awake.
    var since: [Int] = []
    /// Per core queue: the index of the core that reads it (-1: none).
    var coreOfQueue: [Int32] = []
    var asleepCount = 0

    init() {}

    init(_ cores: [CoreState], fabric: Fabric) {
        guard !cores.isEmpty else { return }
        since = [Int](repeating: -1, count: cores.count)
        awake = [UInt64](repeating: 0, count: (cores.count + 63) / 64)
        wakeAll(cores)
        var index: [PECoord: Int32] = Dictionary(minimumCapacity: cores.count)
        for (i, core) in cores.enumerated() { index[core.pe] = Int32(i) }
        coreOfQueue = (0..<fabric.coreQueueCount).map { index[fabric.coreQueuePEOf($0)] ?? -1 }
    }

    var isEmpty: Bool { since.isEmpty }

    /// Every unfinished core awake (a new simulation, a restored checkpoint: its cores counted every cycle).
    mutating func wakeAll(_ cores: [CoreState]) {
        for w in awake.indices { awake[w] = 0 }
        for i in cores.indices where !cores[i].isFinished { awake[i >> 6] |= 1 << UInt64(i & 63) }
        for i in since.indices { since[i] = -1 }
        asleepCount = 0
    }
}

extension Simulation {
    /// Steps the awake cores in index order (as the plain loop does); returns false on an error.
    func stepAwakeCores(now: Int, progress: inout Int) -> Bool {
        if sleeping.asleepCount > 0 { wakeDelivered(now: now) }
        for w in sleeping.awake.indices where sleeping.awake[w] != 0 {
            var bits = sleeping.awake[w]
            while bits != 0 {
                let i = w << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                if cores[i].step(now: now) { progress += 1 }
                if cores[i].isFinished {
                    coresDone += 1
                    sleeping.awake[w] &= ~(1 << UInt64(i & 63))
                } else if cores[i].waitedOnEmptyQueues {
                    // This cycle's wait is counted; the next one is the first the sleep counts.
                    sleeping.awake[w] &= ~(1 << UInt64(i & 63))
                    sleeping.since[i] = now + 1
                    sleeping.asleepCount += 1
                }
                if let e = cores[i].error {
                    coreError = e
                    return false
                }
                if fabric.error != nil { return false }
                if cores[i].busyThisCycle { busyCycles[cores[i].pe, default: 0] += 1 }
            }
        }
        return true
    }

    /// Wakes the sleeping cores whose queues got a wavelet since the last cycle (taking the occupied
    /// bits: a lowered program's run reads them nowhere else).
    private func wakeDelivered(now: Int) {
        fabric.occupied.forEachWord(taking: true) { w, word in
            var bits = word
            while bits != 0 {
                let q = w << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                let c = q < sleeping.coreOfQueue.count ? Int(sleeping.coreOfQueue[q]) : -1
                guard c >= 0, sleeping.since[c] >= 0 else { continue }
                cores[c].addWaiting(now - sleeping.since[c])
                sleeping.since[c] = -1
                sleeping.asleepCount -= 1
                sleeping.awake[c >> 6] |= 1 << UInt64(c & 63)
            }
            return true
        }
    }

    /// Counts the sleeping cores' waits up to the cycle now (they stay asleep): every core's cycle
    /// counts read as if each had been stepped.
    func settleSleepingCores() {
        guard sleeping.asleepCount > 0 else { return }
        for i in sleeping.since.indices where sleeping.since[i] >= 0 {
            cores[i].addWaiting(cycle - sleeping.since[i])
            sleeping.since[i] = cycle
        }
    }
}
