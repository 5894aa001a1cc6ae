import Foundation
import PyFlameFrontend
import PyFlameIR
import PyFlameLanguage
import PyFlameSimulator

/// The trace file of `:trace FILE`: written while the loaded simulation runs, carried into the next
/// simulation `:sim` loads, and finished (valid JSON with what was recorded) on every way out: the run's
/// end, `:trace off`, `:reset`, and the end of the session (`:quit`, the end of a script, Ctrl-D); or
/// when it reaches `trace_limit`, which says so once.
extension Shell {
    /// `:trace FILE [KINDS] [filters]` or `:trace off`.
    func startTrace(_ words: [CommandWord]) throws(Diagnostic) -> [String] {
        let loaded = try requireSimulation()
        if words.count == 1 && words[0].text == "off" {
            guard let trace = loaded.trace else { return ["no trace is being written"] }
            let events = trace.events
            if let problem = finishTrace() { throw .error(problem, at: words[0].range) }
            return ["trace closed: \(events) event\(events == 1 ? "" : "s") in \(trace.path)"]
        }
        // The options are read before the open trace is finished: a mistyped :trace leaves it recording.
        var filter = TraceFilter()
        var kinds = TraceKinds.standard
        var i = 1
        if i < words.count, !words[i].text.hasPrefix("--") {
            kinds = try traceKinds(words[i])
            i += 1
        }
        while i < words.count {
            let flag = words[i]
            guard flag.text.hasPrefix("--") else {
                throw .error("\(flag.text): what to record comes right after the file (:trace FILE all --pes ...)", at: flag.range)
            }
            guard i + 1 < words.count else { throw .error("\(flag.text) needs a value", at: flag.range) }
            let value = words[i + 1]
            switch flag.text {
            case "--pes":
                let parts = value.text.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
                    .components(separatedBy: "..").map { $0.split(separator: ",").compactMap { Int($0) } }
                guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }) else { throw .error("--pes takes (x0,y0)..(x1,y1)", at: value.range) }
                filter.pes = (PECoord(parts[0][0], parts[0][1]), PECoord(parts[1][0], parts[1][1]))
            case "--colors":
                let colors = value.text.split(separator: ",").compactMap { Int($0) }
                guard !colors.isEmpty, colors.allSatisfy({ Architecture.colors.contains($0) }) else {
                    throw .error("--colors takes color IDs: 0,3", at: value.range)
                }
                filter.colors = Set(colors)
            case "--cycles":
                let parts = value.text.components(separatedBy: "..").compactMap { Int($0) }
                guard parts.count == 2, parts[0] <= parts[1] else { throw .error("--cycles takes A..B", at: value.range) }
                filter.cycles = parts[0]...parts[1]
            default:
                throw .error("unknown option \(flag.text): --pes, --colors or --cycles", at: flag.range)
            }
            i += 2
        }
        // A trace already open is finished first, and says so.
        var closed: [String] = []
        if let open = loaded.trace {
            let events = open.events
            if let problem = finishTrace() { throw .error(problem, at: words[0].range) }
            closed.append("trace closed: \(events) event\(events == 1 ? "" : "s") in \(open.path)")
        }
        let path = FilePaths.resolve(words[0].text, against: baseDirectory)
        let writer: TraceWriter
        // Thread IDs number the PEs of the loaded simulation's fabric (not a fabric set since).
        do {
            writer = try TraceWriter(
                path: path, shown: words[0].text, filter: filter, kinds: kinds, limit: session.settings.integer(.traceLimit),
                width: loaded.simulation.fabric.width)
        } catch {
            throw .error(error.message, at: words[0].range)
        }
        writer.attach(to: loaded.simulation, payloads: loaded.payloadKinds)
        loaded.trace = writer
        return closed + ["tracing \(kinds.text) to \(words[0].text) from cycle \(loaded.simulation.cycle) (complete when the run finishes or at :trace off)"]
    }

    /// What a trace records: `all`, or kinds joined by commas (`hops,links`).
    private func traceKinds(_ word: CommandWord) throws(Diagnostic) -> TraceKinds {
        if word.text == "all" { return .all }
        var kinds: TraceKinds = []
        for part in word.text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let known = TraceKinds.words.first(where: { $0.word == part }) else {
                let names = TraceKinds.words.map(\.word)
                let hint = Suggestions.closest(to: String(part), in: names + ["all"]).map { " (did you mean \($0)?)" } ?? ""
                throw .error(
                    "'\(part)' is not something a trace records\(hint): all, or \(names.joined(separator: ", ")) joined by commas", at: word.range)
            }
            kinds.insert(known.kind)
        }
        return kinds
    }

    /// `next` with the trace of the simulation it replaces, which goes on recording into the same file.
    func carryingTrace(into next: LoadedSimulation) -> LoadedSimulation {
        if let old = loaded, let trace = old.trace {
            old.trace = nil
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

    /// ``writeTrace()`` as output lines; a trace its size limit stopped is finished here, with a note.
    func flushTrace() -> [OutputLine] {
        if let problem = writeTrace() { return [OutputLine("error: " + problem, .error)] }
        guard let trace = loaded?.trace, let cycle = trace.stopped, let limit = trace.limit else { return [] }
        let events = trace.events
        if let problem = finishTrace() { return [OutputLine("error: " + problem, .error)] }
        return [
            OutputLine(
                "note: trace stopped at \(TraceWriter.sizeText(limit)) (trace_limit) in cycle \(cycle): \(events) event\(events == 1 ? "" : "s") in \(trace.path); set trace_limit higher, or trace fewer kinds or a smaller --pes rectangle",
                .note)
        ]
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
    /// ``finishTrace()`` as output lines: `trace closed: N events in FILE` (a note) when a trace was open.
    @discardableResult
    func closeTrace() -> [OutputLine] {
        guard let trace = loaded?.trace else { return [] }
        let events = trace.events
        if let problem = finishTrace() { return [OutputLine("error: " + problem, .error)] }
        return [OutputLine("trace closed: \(events) event\(events == 1 ? "" : "s") in \(trace.path)", .note)]
    }

    /// Called once when the session ends, however it ends: finishes an open trace and says so.
    public func endSession() -> [OutputLine] {
        guard let trace = loaded?.trace else { return [] }
        // Stopped by its limit in a run nothing flushed after (the fabric view's): say so now.
        if trace.stopped != nil { return flushTrace() }
        return closeTrace()
    }
}
