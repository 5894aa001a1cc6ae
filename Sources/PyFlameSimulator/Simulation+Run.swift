import PyFlameIR
import PyFlameLowering

/// How a run ended.
public enum RunOutcome: Equatable, Sendable {
    case finished
    case reachedLimit
    case interrupted
    case failed(SimulationError)
}

extension Simulation {
    /// Advances up to `cycles` cycles (stopping early when finished, on an error, or when `shouldStop`
    /// says so). An idle fabric whose cores only compute jumps ahead to the next completion.
    public func advance(_ cycles: Int, shouldStop: () -> Bool = { false }) -> RunOutcome {
        let end = cycle + cycles
        var polled = 0
        while cycle < end {
            if let e = error { return .failed(e) }
            if isFinished { return .finished }
            polled += 1
            if polled & 0x3FF == 0, shouldStop() { return .interrupted }
            if skipIdle(until: end) { continue }
            step()
            if let e = error { return .failed(e) }
            if quietCycles >= model.stallLimit && !isFinished {
                let e = stallError()
                coreError = e
                return .failed(e)
            }
        }
        if let e = error { return .failed(e) }
        return isFinished ? .finished : .reachedLimit
    }

    /// Runs to the end (or `limit` cycles).
    public func run(limit: Int, shouldStop: () -> Bool = { false }) -> RunOutcome {
        advance(limit, shouldStop: shouldStop)
    }

    /// When nothing is on the fabric and no core can act before some later cycle, jump there.
    private func skipIdle(until end: Int) -> Bool {
        guard fabric.isIdle, sendsPending == 0, pendingDeliveryCount == 0, fabric.queuedAtCores == 0 || program != nil else { return false }
        var wake = Int.max
        for core in cores where !core.isFinished {
            guard let at = core.nextEventCycle else { return false }
            wake = min(wake, at)
        }
        guard wake != Int.max, wake > cycle + 1 else { return false }
        let target = min(wake - 1, end)
        let skipped = target - cycle
        for i in cores.indices where !cores[i].isFinished { cores[i].addBusy(skipped) }
        advanceClock(to: target)
        return true
    }

    /// Names what is stuck: routers holding wavelets (PE, color, direction) and cores waiting for
    /// wavelets, with the color and the count they still miss.
    func stallError() -> SimulationError {
        var stuck: [String] = []
        let held = fabric.heldWavelets(now: cycle)
        for h in held.prefix(8) { stuck.append("\(h.pe) holds \(h.count) on color \(h.color) from \(h.from) waiting to go \(h.to)") }
        if held.count > 8 { stuck.append("... \(held.count - 8) more") }
        var waiting: [String] = []
        for core in cores where !core.isFinished {
            for w in core.waitingFor { waiting.append("the core at \(core.pe) waits for \(w.missing) more on color \(w.color)") }
        }
        let kind: SimulationError.Kind = held.isEmpty ? .starvation : .deadlock
        var message = held.isEmpty
            ? "stall: no progress for \(model.stallLimit) cycles and no wavelet in flight: nothing will send what the cores wait for"
            : "deadlock: no wavelet moved and no core worked for \(model.stallLimit) cycles"
        if !stuck.isEmpty { message += "; stuck: " + stuck.joined(separator: "; ") }
        if !waiting.isEmpty { message += "; " + waiting.prefix(8).joined(separator: "; ") }
        return SimulationError(kind: kind, message: message, cycle: cycle)
    }
}

extension Fabric {
    /// Routers holding wavelets: where, on which color, from which side, toward which outputs, and the
    /// state of the head wavelet in the SDK GUI's words: Active (still crossing the link, or free to
    /// move), Delayed (its outputs are free of backpressure, so it waits for a shared output),
    /// Backpressure (a destination is full).
    public func heldWavelets(now: Int = Int.max) -> [(pe: PECoord, color: Int, count: Int, from: Direction, to: String, state: LinkState)] {
        landInjections()
        var result: [(PECoord, Int, Int, Direction, String, LinkState)] = []
        for f in 0..<fifoCount where fifoSize(f) > 0 {
            let s = Int(fifoSlot[f])
            let pe = coordinate(Int(routerPE[Int(slotRouter[s])]))
            let tx = slotTx[s]
            let to = (0..<5).filter { tx & (1 << $0) != 0 }.map { Port.direction($0).description }.joined(separator: "+")
            var state = LinkState.active
            if now == Int.max || !fifos[f].headReady.isAfter(Stamp(cycle: now - 1)) {
                var full = false
                for p in 0..<5 where tx & (1 << p) != 0 {
                    if p == Port.ramp {
                        let q = Int(slotCoreQueue[s])
                        if q >= 0 && coreQueueSize[q] >= coreQueueCapacity[q] { full = true }
                    } else {
                        let t = Int(slotTarget[s * 4 + p])
                        if t >= 0 && fifoSize(t) >= fifoCapacity(t) { full = true }
                    }
                }
                state = full ? .backpressure : .delayed
            }
            result.append((pe, Int(slotColor[s]), fifoSize(f), Port.direction(Int(fifoPort[f])), to, state))
        }
        return result.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    /// Router r's outputs (N, E, S, W, RAMP): the wavelets each has carried (its FIFOs' pops).
    func outputActivity(router r: Int) -> [Int] {
        var active = [0, 0, 0, 0, 0]
        let pe = Int(routerPE[r])
        for f in Int(peFifoStart[pe])..<Int(peFifoStart[pe + 1]) {
            for p in 0..<5 where fifos[f].tx & (1 << p) != 0 { active[p] += Int(fifos[f].pops) }
        }
        return active
    }

    /// Per router output: cycles Active, Delayed and Backpressure, for `:stats`.
    public func linkStatistics() -> [(pe: PECoord, direction: Direction, active: Int, delayed: Int, backpressure: Int)] {
        var result: [(PECoord, Direction, Int, Int, Int)] = []
        for r in 0..<routerCount {
            let active = outputActivity(router: r)
            for p in 0..<5 {
                let a = active[p], d = Int(outDelayed[r * 5 + p]), b = Int(outBackpressure[r * 5 + p])
                if a + d + b > 0 { result.append((coordinate(Int(routerPE[r])), Port.direction(p), a, d, b)) }
            }
        }
        return result
    }

}

extension CoreState {
    /// The cycle this core can next act without the fabric: a compute step's completion. Nil when it
    /// depends on the fabric (a fabric step in progress or a step not yet started).
    var nextEventCycle: Int? {
        guard !isFinished else { return nil }
        if !stepStarted && stepIndex == 0 && startAt > 0 { return startAt }
        guard stepStarted, case .compute = program.steps[stepIndex] else { return nil }
        return computeDoneAt
    }

    mutating func addBusy(_ cycles: Int) { busyCycles += cycles }
}
