import Foundation
import PyFlameSimulator

/// The trace file of `:trace FILE`: written while the loaded simulation runs, carried into the next
/// simulation `:sim` loads, and finished (valid JSON with what was recorded) on every way out: the run's
/// end, `:trace off`, `:reset`, and the end of the session (`:quit`, the end of a script, Ctrl-D).
extension Shell {
    /// `next` with the trace of the simulation it replaces, which goes on recording into the same file.
    func carryingTrace(into next: LoadedSimulation) -> LoadedSimulation {
        if let old = loaded, let trace = old.trace {
            old.trace = nil
            old.simulation.onDelivery = nil
            trace.attach(to: next.simulation, width: next.simulation.fabric.width, payloads: next.payloadKinds)
            next.trace = trace
        }
        return next
    }

    /// Writes what the trace buffered: nil, or why the trace stopped (a failed write, such as a full disk).
    func writeTrace() -> String? {
        guard let loaded, let trace = loaded.trace else { return nil }
        do { try trace.flush() } catch {
            loaded.trace = nil
            trace.discard(loaded.simulation)
            return "\(error.message); the trace is stopped and its file not written"
        }
        return nil
    }

    /// ``writeTrace()`` as output lines.
    func flushTrace() -> [OutputLine] {
        writeTrace().map { [OutputLine("error: " + $0, .error)] } ?? []
    }

    /// Finishes the trace file (nothing to do when no trace is open): nil, or why it could not be written.
    func finishTrace() -> String? {
        guard let loaded, let trace = loaded.trace else { return nil }
        loaded.trace = nil
        do { try trace.close(loaded.simulation) } catch {
            trace.discard(loaded.simulation)
            return "\(error.message); the trace is not written"
        }
        return nil
    }

    /// ``finishTrace()`` as output lines.
    @discardableResult
    func closeTrace() -> [OutputLine] {
        finishTrace().map { [OutputLine("error: " + $0, .error)] } ?? []
    }

    /// Called once when the session ends, however it ends: finishes an open trace and says so.
    public func endSession() -> [OutputLine] {
        guard let trace = loaded?.trace else { return [] }
        let events = trace.events
        let problems = closeTrace()
        guard problems.isEmpty else { return problems }
        return [OutputLine("trace closed: \(events) event\(events == 1 ? "" : "s") in \(trace.path)", .note)]
    }
}
