import PyFlameIR
import PyFlameLowering

/// How a run ended.
public enum RunOutcome: Equatable, Sendable {
    case finished
    case reachedLimit
    case interrupted
    case failed(SimulationError)
    /// Stopped after the cycle in which these breakpoints fired (one or more, in number order).
    case breakpoint([BreakpointHit])
}

extension Simulation {
    /// Advances up to `cycles` cycles (stopping early when finished, on an error, or when `shouldStop`
    /// says so). An idle fabric whose cores only compute jumps ahead to the next completion. A count
    /// that would pass `Int.max` runs as far as the clock goes (it saturates, never overflows).
    ///
    /// With `breakpoints`, it stops after the first cycle in which one fires (a cycle breakpoint: on
    /// reaching its cycle). With ``checkpoints`` on, it keeps one whenever one is due.
    public func advance(_ cycles: Int, breakpoints: BreakpointWatch? = nil, shouldStop: () -> Bool = { false }) -> RunOutcome {
        let (sum, overflow) = cycle.addingReportingOverflow(max(cycles, 0))
        var end = overflow ? Int.max : sum
        var breakCycle: Int?
        if let breakpoints {
            breakpoints.start(self)
            if breakpoints.watchesArrivals { watch = breakpoints }
            breakCycle = breakpoints.nextCycleBreak(after: cycle)
            if let c = breakCycle, c < end { end = c }
        }
        defer {
            watch = nil
            breakpoints?.stop(self)
            settleSleepingCores()
        }
        var polled = 0
        // Ctrl-C (and the progress line) are polled about every million PE-cycles: every 1,024 cycles on a
        // small fabric, every cycle on a whole wafer (where one cycle takes a good part of a second).
        let pollEvery = max(1, min(1024, 1_000_000 / max(fabric.width * fabric.height, 1)))
        while cycle < end {
            if let e = error { return .failed(e) }
            if isFinished { return .finished }
            polled += 1
            if polled >= pollEvery {
                polled = 0
                if shouldStop() { return .interrupted }
            }
            if let store = checkpoints, cycle >= store.nextAt { store.take(self) }
            if skipIdle(until: end) { continue }
            stepCycle()
            if let e = error { return .failed(e) }
            if quietCycles >= model.stallLimit && !isFinished {
                let e = stallError()
                coreError = e
                return .failed(e)
            }
            // Still moving (this cycle) but nothing sent, received or worked for the stall limit: circling.
            if unproductiveCycles >= model.stallLimit && quietCycles == 0 && !isFinished {
                let e = livelockError()
                coreError = e
                return .failed(e)
            }
            if let breakpoints, var hits = breakpoints.check(self) {
                // A cycle breakpoint at the cycle this one reached fires with them (it is not skipped).
                if let c = breakCycle, cycle == c { hits += breakpoints.cycleHits(at: c) }
                return .breakpoint(hits)
            }
        }
        if let e = error { return .failed(e) }
        if isFinished { return .finished }
        if let c = breakCycle, cycle == c, let breakpoints { return .breakpoint(breakpoints.cycleHits(at: c)) }
        return .reachedLimit
    }

    /// Runs to the end (or `limit` cycles).
    public func run(limit: Int, shouldStop: () -> Bool = { false }) -> RunOutcome {
        advance(limit, shouldStop: shouldStop)
    }

    /// When nothing is on the fabric and no core can act before some later cycle, jump there.
    private func skipIdle(until end: Int) -> Bool {
        guard fabric.isIdle, sendsPending == 0, pendingDeliveryCount == 0, fabric.queuedAtCores == 0 || !isPlayground,
            (fabric.hostEdges?.pending ?? 0) == 0
        else { return false }
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
        if let e = hostStreamStall() { return e }
        var stuck: [String] = []
        let held = fabric.heldWavelets(now: cycle)
        for h in held.prefix(8) {
            let frozen = fabric.isTornDown(pe: h.pe, color: h.color) ? " (a teardown froze color \(h.color) there; its core has not reconfigured it)" : ""
            stuck.append("\(h.pe) holds \(h.count) on color \(h.color) from \(h.from) waiting to go \(h.to)\(frozen)")
        }
        if held.count > 8 { stuck.append("... \(held.count - 8) more") }
        var waiting: [String] = []
        for core in cores where !core.isFinished {
            for w in core.waitingFor { waiting.append("the core at \(core.pe) waits for \(w.missing) more on color \(w.color)") }
        }
        waiting += hostStreamsWaiting()
        let kind: SimulationError.Kind =
            held.isEmpty
            ? .starvation(stallLimit: model.stallLimit, stuck: stuck, waiting: waiting)
            : .deadlock(stallLimit: model.stallLimit, stuck: stuck, waiting: waiting)
        return SimulationError(kind, cycle: cycle)
    }
}

extension Simulation {
    /// Names the circling: the colors of the wavelets on the fabric and the PEs their routes carry them
    /// through (from every router holding one, following the tx links, RAMP aside).
    func livelockError() -> SimulationError {
        var seen = Set<Int>()
        var work: [Int] = []
        for f in 0..<fabric.fifoCount where fabric.fifoSize(f) > 0 {
            let s = Int(fabric.fifoSlot[f])
            if seen.insert(s).inserted { work.append(s) }
        }
        while let s = work.popLast() {
            let tx = fabric.slotTx[s]
            for p in 0..<4 where tx & (1 << p) != 0 {
                let t = fabric.slotTarget(s, port: p)
                guard t.isFifo else { continue }
                let next = Int(fabric.fifoSlot[t.fifo])
                if seen.insert(next).inserted { work.append(next) }
            }
        }
        let colors = Set(seen.map { Int(fabric.slotColor[$0]) }).sorted()
        let pes = Set(seen.map { fabric.coordinate(Int(fabric.routerPE[Int(fabric.slotRouter[$0])])) }).sorted()
        return SimulationError(.livelock(colors: colors, stallLimit: model.stallLimit, wavelets: waveletsInFlight, pes: pes), cycle: cycle)
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

    /// Cycles skipped while the core computes (the idle-skip jumps over them).
    mutating func addBusy(_ cycles: Int) {
        busyCycles += cycles
        if stepStarted, !isFinished, case .compute = program.steps[stepIndex] { stepCycles[stepIndex].compute += cycles }
    }
}

extension SimulationError {
    /// The message led by its kind, once: `deadlock: ...`, `livelock: ...` and `stall: ...` messages
    /// already start with it; the others (`race`, `unrouted`, ...) get it in front.
    public var headline: String {
        for word in [category.rawValue, "stall"] where message.hasPrefix(word + ":") { return message }
        return category.label + ": " + message
    }
}

extension SimulationError.Category {
    /// The kind in words (`wrong direction`, not `wrongDirection`), for `:status` and the view.
    public var label: String {
        switch self {
        case .wrongDirection: "wrong direction"
        case .leavesFabric: "leaves the fabric"
        case .program: "program error"
        default: rawValue
        }
    }
}
