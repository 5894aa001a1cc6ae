/// Keeping the 32-bit cycle stamps of FIFOs and core queues exact (see `Stamp`).
extension Fabric {
    /// How far the clock may run past `stampBase` before the stamps are rebased.
    static let stampHorizon = 1 << 28
    /// The oldest a stamp is left by `rebaseStamps`.
    static let stampFloor = 1 << 29

    /// Whether the clock moving to `target` needs `rebaseStamps` first.
    @inline(__always) func needsRebase(at target: Int) -> Bool { target &- stampBase >= Fabric.stampHorizon }

    /// Rebases the stamps if cycle `now` is far enough past the last rebase (what the public entry
    /// points call, so a direct user of `Fabric` gets exact stamps too).
    @inline(__always) func keepStampsExact(at now: Int) {
        if needsRebase(at: now) { rebaseStamps(from: clock, to: now) }
    }

    /// Keeps every 32-bit stamp exact as the clock moves from `now` to `target` (`target >= now`;
    /// equal for the periodic rebase): a stamp's age (cycles before the clock, negative in the future)
    /// grows by the move and is capped at `stampFloor`. Nothing compares a stamp against a clock more
    /// than `stampFloor + stampHorizon` (< 2^31) cycles later, so wrap-around comparisons stay exact
    /// however long a wavelet waits. `step` calls it at least every `stampHorizon` cycles, and the
    /// simulation before a jump of the clock.
    func rebaseStamps(from now: Int, to target: Int) {
        let old = Stamp(cycle: now), new = Stamp(cycle: target)
        let move = target - now
        @inline(__always) func rebased(_ s: Stamp) -> Stamp {
            let age = min(old.cycles(since: s) + move, Fabric.stampFloor)
            return new.back(age)
        }
        for k in 0..<fifoRings.count { fifoRings.base[k].ready = rebased(fifoRings.base[k].ready) }
        for f in 0..<fifoCount {
            fifos[f].lastPop = rebased(fifos[f].lastPop)
            fifos[f].headReady = rebased(fifos[f].headReady)
            fifos[f].secondReady = rebased(fifos[f].secondReady)
        }
        for k in 0..<coreRings.count { coreRings.base[k].ready = rebased(coreRings.base[k].ready) }
        for q in 0..<coreQueueCount {
            coreQueues[q].lastPop = rebased(coreQueues[q].lastPop)
            coreQueues[q].headReady = rebased(coreQueues[q].headReady)
            coreQueues[q].secondReady = rebased(coreQueues[q].secondReady)
        }
        stampBase = target
    }
}
