import Foundation
import PyFlameIR
import PyFlameLanguage
import PyFlameSimulator

/// `:back N`, `:step -N` and `:goto CYCLE`: moving the loaded simulation to another cycle. Back goes
/// through the last checkpoint at or before the cycle (one every `checkpoint_interval` cycles) and runs
/// on from it; the simulator is deterministic, so that is the state the run passed through.
extension Shell {
    /// The checkpoints a `:sim` turns on, from the settings.
    var checkpointPolicy: CheckpointPolicy {
        CheckpointPolicy(interval: session.settings.integer(.checkpointInterval), byteLimit: checkpointByteLimit)
    }

    /// `checkpoint_memory`, but never more than a quarter of the machine's memory: checkpoints past that
    /// would have the system kill the shell (and lose the session) instead of thinning out.
    var checkpointByteLimit: Int {
        let quarter = Int(clamping: ProcessInfo.processInfo.physicalMemory / 4)
        return min(session.settings.integer(.checkpointMemory), max(quarter, 1 << 26))
    }

    /// `:back N` (and `:step -N`).
    func goBack(_ cycles: Int, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let loaded = try requireSimulation()
        let now = loaded.simulation.cycle
        guard cycles <= now else {
            throw .error(
                "cannot go back \(cycles) cycle\(cycles == 1 ? "" : "s") from cycle \(now): the simulation starts at cycle 0 (:goto 0 goes there)", at: range)
        }
        return try goTo(now - cycles, at: range)
    }

    /// `:goto CYCLE`.
    func goTo(_ target: Int, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let loaded = try requireSimulation()
        let sim = loaded.simulation
        let start = sim.cycle
        if target == start { return StatementResult(lines: [OutputLine("at cycle \(start) already")]) }
        if target > start, sim.isFinished {
            throw .error("the simulation finished at cycle \(start); cycle \(target) is past its end", at: range)
        }
        var lines: [OutputLine] = []
        if target < start {
            // A trace records one pass forward: going back finishes the file with what it has.
            if let trace = loaded.trace {
                let events = trace.events
                if let problem = finishTrace() {
                    lines.append(OutputLine("error: " + problem, .error))
                } else {
                    lines.append(
                        OutputLine(
                            "note: trace closed at cycle \(start) before going back: \(events) event\(events == 1 ? "" : "s") in \(trace.path) (:trace FILE again records from cycle \(target))",
                            .note))
                }
            }
        }
        let outcome = sim.seek(to: target, shouldStop: shouldStop)
        lines += flushTrace()
        switch outcome {
        case .arrived(let from, let ran):
            if let from {
                let rerun = ran == 0 ? "" : " and ran \(ran) cycle\(ran == 1 ? "" : "s") again"
                lines.append(OutputLine("back at cycle \(target) (from cycle \(start): restored the checkpoint at cycle \(from)\(rerun))"))
            } else {
                lines.append(OutputLine("at cycle \(target) (ran \(ran) cycle\(ran == 1 ? "" : "s") from cycle \(start))"))
            }
            lines.append(OutputLine("  " + positionLine(sim)))
            return StatementResult(lines: lines, failed: lines.contains { $0.style == .error })
        case .noCheckpoint:
            throw .error("no checkpoint at or before cycle \(target) (the simulation was loaded without checkpoints): :sim again to start over", at: range)
        case .interrupted:
            lines.append(OutputLine("interrupted at cycle \(sim.cycle) on the way to cycle \(target) (Ctrl-C); the simulation is consistent there", .error))
            _ = shouldStop()
            return StatementResult(lines: lines, failed: true)
        case .ended(let run):
            switch run {
            case .finished:
                lines.append(OutputLine("finished at cycle \(sim.cycle), before cycle \(target): the simulation ends there"))
                lines += closeTrace()
                return StatementResult(lines: lines, failed: lines.contains { $0.style == .error })
            case .failed(let e):
                lines.append(OutputLine("stopped at cycle \(sim.cycle), before cycle \(target):", .error))
                lines.append(OutputLine("error: \(e.message)", .error))
                lines += closeTrace()
                return StatementResult(lines: lines, failed: true)
            case .reachedLimit, .interrupted, .breakpoint:
                lines.append(OutputLine("stopped at cycle \(sim.cycle), before cycle \(target)", .error))
                return StatementResult(lines: lines, failed: true)
            }
        }
    }

    /// Where things stand after a move: wavelets in flight, deliveries so far, sends and cores left.
    func positionLine(_ sim: Simulation) -> String {
        let delivered = sim.deliveries.values.reduce(0) { $0 + $1.count }
        var parts = ["\(sim.waveletsInFlight) wavelet\(sim.waveletsInFlight == 1 ? "" : "s") in flight", "\(delivered) delivered so far"]
        if sim.cores.isEmpty {
            let left = sim.sends.reduce(0) { $0 + $1.values.count - $1.next }
            parts.append("\(left) left to send")
        } else {
            let running = sim.cores.filter { !$0.isFinished }.count
            parts.append("\(running) of \(sim.cores.count) core\(sim.cores.count == 1 ? "" : "s") still running")
        }
        if let e = sim.error { parts.append("stopped: \(e.headline)") }
        return parts.joined(separator: ", ")
    }
}
