import Foundation
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator
import PyFlameViews

extension Shell {
    /// `:status`'s playground and simulation lines.
    func simulationStatus() -> [String] {
        playgroundStatus() + loadedSimulationStatus()
    }

    /// `playground 4 routes on 1 color, 1 send of 30 wavelets`, from the playground's program (nothing
    /// for an empty playground).
    private func playgroundStatus() -> [String] {
        guard !session.playground.isEmpty else { return [] }
        guard let program = try? playgroundProgram() else {
            return ["playground " + ((try? checkPlaygroundFitsFabric()) == nil ? "lies partly outside fabric \(session.fabric)" : "makes no program")]
        }
        let sends = program.hostInputs.reduce(0) { $0 + $1.pieces.count }
        let wavelets = program.hostInputs.reduce(0) { $0 + $1.type.shape.elementCount }
        return [
            "playground \(plural(program.routes.count, "route")) on \(plural(program.colors.count, "color")), \(plural(sends, "send")) of \(plural(wavelets, "wavelet"))"
        ]
    }

    private func loadedSimulationStatus() -> [String] {
        guard let loaded else { return ["sim      none loaded"] }
        let sim = loaded.simulation
        let what = loaded.name.map { "\($0)'s program" } ?? "the playground"
        var state = sim.isFinished ? "finished" : "running"
        if let e = sim.error { state = "stopped: \(e.kind.label)" }
        let flight = sim.fabric.inFlight.enumerated().filter { $0.element > 0 }.map { "color \($0.offset): \($0.element)" }
        let busy = sim.cores.filter { !$0.isFinished }.count
        let stalled = sim.fabric.heldWavelets().count
        let sending = sim.sends.filter { $0.next < $0.values.count }.count
        return [
            "sim      \(what) at cycle \(sim.cycle), \(state)",
            "flight   " + (flight.isEmpty ? "no wavelets in flight" : flight.joined(separator: ", ")),
            loaded.playground != nil ? "sends    \(sending) of \(sim.sends.count) still sending" : "cores    \(busy) busy of \(sim.cores.count)",
            "links    \(stalled) router input\(stalled == 1 ? "" : "s") holding wavelets",
        ]
    }

    /// `:pe X,Y`: about the loaded simulation's program (or `program`, when the view shows one that is
    /// not simulated), else the playground.
    func peReport(_ pe: PECoord, at range: SourceRange, program subject: (String, FabricProgram)? = nil) throws(Diagnostic) -> [String] {
        var lines = ["PE \(pe)"]
        let routes: [RouteConfig]
        let simulated = subject == nil || (loaded?.name == subject?.0 && loaded?.program == subject?.1)
        let loaded = simulated ? self.loaded : nil
        // The answer is about the loaded simulation, whose fabric may differ from the one set since.
        if let fabric = loaded?.simulation.fabric, subject == nil {
            guard pe.x >= 0, pe.y >= 0, pe.x < fabric.width, pe.y < fabric.height else {
                let size = FabricSize(width: fabric.width, height: fabric.height)
                let later = size == session.fabric ? "" : " (fabric \(session.fabric) applies at the next :sim)"
                throw .error("\(pe) is outside the loaded simulation's fabric \(size)\(later)", at: range)
            }
        } else {
            guard pe.x >= 0, pe.y >= 0, pe.x < session.fabric.width, pe.y < session.fabric.height else {
                throw .error("\(pe) is outside fabric \(session.fabric)", at: range)
            }
        }
        if let program = subject?.1 ?? loaded?.program {
            routes = program.routes.filter { $0.pe == pe }
            if let p = program.program(at: pe) {
                let role = program.roles[p.role]
                lines.append("role     \(role.name) (\(role.pes.count) PE\(role.pes.count == 1 ? "" : "s")), local task ID \(p.taskID)")
                if let core = loaded?.simulation.cores.first(where: { $0.pe == pe }) {
                    lines.append("program  " + core.position)
                    lines.append("busy     \(core.busyCycles) cycles")
                }
                lines.append(
                    "buffers  " + p.buffers.map { "\($0.name) \($0.dtype)[\($0.count)] \($0.bytes) B" }.joined(separator: ", ")
                        + "; peak \(p.peakBytes) B of \(program.peDataBudget) B")
            } else {
                lines.append("role     none: \(routes.isEmpty ? "not used by the program" : "only passes wavelets on")")
            }
        } else {
            routes = session.playground.routes.filter { $0.pe == pe }
            let sends = session.playground.sends.filter { $0.pe == pe }
            lines.append("role     playground " + (sends.isEmpty ? "router" : "sender of " + plural(sends.reduce(0) { $0 + $1.values.count }, "wavelet")))
        }
        lines.append("routes   " + (routes.isEmpty ? "none" : routes.map { "color \($0.color): rx \($0.rx) tx \($0.tx)" }.joined(separator: "; ")))
        guard let loaded else {
            lines.append("sim      none loaded (:sim)")
            return lines
        }
        let sim = loaded.simulation
        var queues: [String] = []
        for q in 0..<sim.fabric.coreQueueCount where sim.fabric.coreQueuePEOf(q) == pe {
            let arrived = sim.fabric.coreQueueArrived(q, now: sim.cycle)
            let onRamp = sim.fabric.coreQueueFill(q) - arrived
            queues.append("color \(sim.fabric.coreQueueColorOf(q)): \(arrived) waiting" + (onRamp > 0 ? ", \(onRamp) on the ramp" : ""))
        }
        lines.append("queues   " + (queues.isEmpty ? "none" : queues.joined(separator: ", ")))
        let received = sim.deliveries[pe] ?? []
        lines.append("received \(received.count) wavelet\(received.count == 1 ? "" : "s")" + (received.isEmpty ? "" : ":"))
        let shown = 16
        for d in received.suffix(shown) {
            lines.append("  cycle \(d.cycle): \(payloadText(d.payload, loaded)) on color \(d.color)")
        }
        if received.count > shown { lines.append("  (the last \(shown); \(received.count - shown) earlier)") }
        return lines
    }

    /// The program `:routes` and `:colors` report on: `--playground` names the playground's; without a
    /// NAME, the last tensor's, else the playground's when it has routes or sends.
    func reportedProgram(_ word: CommandWord?) throws(Diagnostic) -> ProgramReport {
        let noTensor = session.lastDefined.flatMap { session.bindings[$0] } == nil
        if word?.text == "--playground" || (word == nil && noTensor && !session.playground.isEmpty) {
            guard !session.playground.isEmpty else {
                throw .error("the playground has no routes yet (color red = 0, route red (0,0): RAMP -> EAST, ...)", at: word?.range)
            }
            return ProgramReport(program: try playgroundProgram(at: word?.range), graph: session.graph, name: "the playground")
        }
        let (name, program) = try fabricProgram(word)
        return ProgramReport(program: program, graph: session.graph, name: name)
    }

    /// `:stats`.
    func statsReport() throws(Diagnostic) -> [String] {
        let loaded = try requireSimulation()
        let sim = loaded.simulation
        let cycles = max(sim.cycle, 1)
        var lines = [
            "cycles   \(sim.cycle) (\(Shell.time(sim.cycle)))",
            "hops     \(sim.fabric.hops) link hops, \(sim.fabric.deliveredCount) wavelets delivered to cores",
        ]
        if !sim.cores.isEmpty {
            lines.append("PE busy:")
            let ranked = sim.cores.sorted { ($0.busyCycles, $1.pe) > ($1.busyCycles, $0.pe) }
            for core in ranked.prefix(12) {
                lines.append("  \(core.pe) \(String(format: "%5.1f%%", Double(core.busyCycles) / Double(cycles) * 100)) (\(core.busyCycles) cycles)")
            }
            if ranked.count > 12 { lines.append("  ... \(ranked.count - 12) more PEs") }
        }
        if let program = loaded.program { lines += opBreakdown(program, sim) }
        let links = sim.fabric.linkStatistics()
        let delayed = links.reduce(0) { $0 + $1.delayed }, pressure = links.reduce(0) { $0 + $1.backpressure }
        lines.append("links (Active cycles and utilisation; Delayed = waiting for a shared output; Backpressure = destination full):")
        let ranked = links.sorted { ($0.active, $1.pe, $1.direction) > ($1.active, $0.pe, $0.direction) }
        for l in ranked.prefix(16) {
            lines.append(
                "  \(l.pe) \(l.direction.description.padded(to: 5)) \(String(format: "%5.1f%%", Double(l.active) / Double(cycles) * 100)) active \(l.active), delayed \(l.delayed), backpressure \(l.backpressure)"
            )
        }
        if ranked.count > 16 { lines.append("  ... \(ranked.count - 16) more links") }
        lines.append("totals   \(links.count) link outputs used, Delayed \(delayed), Backpressure \(pressure)")
        return lines
    }

    /// `:stats` for a lowered program: each op's PE-cycles computing, moving wavelets and waiting, summed over
    /// the PEs that run it.
    func opBreakdown(_ program: FabricProgram, _ sim: Simulation) -> [String] {
        var opOfNode: [NodeID: Int] = [:]
        for (i, op) in program.ops.enumerated() { for node in op.nodes { opOfNode[node] = i } }
        var totals = [CoreState.StepCycles](repeating: CoreState.StepCycles(), count: program.ops.count)
        var pes = [Set<PECoord>](repeating: [], count: program.ops.count)
        for core in sim.cores {
            for (step, cycles) in core.stepCycles.enumerated() {
                guard step < core.program.stepNodes.count, let node = core.program.stepNodes[step], let op = opOfNode[node] else { continue }
                totals[op].compute += cycles.compute
                totals[op].moving += cycles.moving
                totals[op].waiting += cycles.waiting
                pes[op].insert(core.pe)
            }
        }
        var lines = ["ops (PE-cycles summed over each op's PEs: computing, moving wavelets, waiting for start-up, room or data):"]
        for (i, op) in program.ops.enumerated() {
            let t = totals[i]
            let name = session.graph[op.nodes.last!].map { GraphPrinter.call($0) } ?? op.kernel
            lines.append("  op \(i + 1) \(name) on \(plural(pes[i].count, "PE")): compute \(t.compute), send/receive \(t.moving), wait \(t.waiting)")
        }
        return lines
    }

    /// `:trace FILE [filters]` or `:trace off`.
    func startTrace(_ words: [CommandWord]) throws(Diagnostic) -> [String] {
        let loaded = try requireSimulation()
        if words.count == 1 && words[0].text == "off" {
            guard let trace = loaded.trace else { return ["no trace is being written"] }
            let events = trace.events
            if let problem = finishTrace() { throw .error(problem, at: words[0].range) }
            return ["trace closed: \(events) event\(events == 1 ? "" : "s") in \(trace.path)"]
        }
        if let problem = finishTrace() { throw .error(problem, at: words[0].range) }
        var filter = TraceFilter()
        var i = 1
        while i < words.count {
            let flag = words[i]
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
        let path = FilePaths.resolve(words[0].text, against: baseDirectory)
        let writer: TraceWriter
        do { writer = try TraceWriter(path: path, shown: words[0].text, filter: filter, width: session.fabric.width) } catch {
            throw .error(error.message, at: words[0].range)
        }
        writer.attach(to: loaded.simulation)
        loaded.trace = writer
        return ["tracing deliveries to \(words[0].text) from cycle \(loaded.simulation.cycle) (complete when the run finishes or at :trace off)"]
    }

    /// `:export NAME FILE.npy --sim`.
    func exportSimulated(_ nameWord: CommandWord, _ fileWord: CommandWord) throws(Diagnostic) -> StatementResult {
        let loaded = try requireSimulation()
        guard let program = loaded.program, let name = loaded.name else {
            throw .error("the playground has no tensors: :sim NAME loads a tensor's program", at: nameWord.range)
        }
        guard nameWord.text == name else {
            throw .error("the simulation holds \(name)'s program; --sim reads back its result \(name)", at: nameWord.range)
        }
        guard loaded.simulation.isFinished else {
            throw .error("\(name)'s program has not finished (cycle \(loaded.simulation.cycle)): :run first", at: nameWord.range)
        }
        guard let value = ResultComparison.readBack(program, loaded.simulation) else {
            throw .error("\(name) could not be read back from the fabric", at: nameWord.range)
        }
        let path = FilePaths.resolve(fileWord.text, against: baseDirectory)
        do { try SafeFileWriter.write(NPY.encode(value), to: path, shown: fileWord.text) } catch { throw .error(error.message, at: fileWord.range) }
        return StatementResult(lines: [OutputLine("wrote \(name) (\(value.type)) read back from the simulated fabric to \(fileWord.text)")])
    }
}
