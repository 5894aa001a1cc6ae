import Foundation
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator
import PyFlameViews

/// The simulation a session has loaded: the playground or a program, and where its trace goes.
final class LoadedSimulation {
    let simulation: Simulation
    /// NAME for a program, nil for the playground.
    let name: String?
    let program: FabricProgram?
    /// The playground's program and the values it sends, for the playground.
    let playground: (program: FabricProgram, inputs: [TransferSource: TensorValue])?
    var trace: TraceWriter?
    /// Whether a playground statement since this `:sim` already said the simulation runs the old playground.
    var toldPlaygroundChanged = false
    /// How its payloads read: a program's as f32, the playground's the way its sends typed them.
    var payloadKinds: PayloadKinds
    /// Cycles a whole run of this simulation takes from cycle 0 (-1: too long to find out quickly), for the
    /// fabric view's starting speed.
    var runLength: Int?

    init(
        simulation: Simulation, name: String?, program: FabricProgram?,
        playground: (program: FabricProgram, inputs: [TransferSource: TensorValue])? = nil, payloadKinds: PayloadKinds = .program
    ) {
        self.simulation = simulation
        self.name = name
        self.program = program
        self.playground = playground
        self.payloadKinds = payloadKinds
    }
}

extension Shell {
    /// The fabric model of the current settings.
    var fabricModel: FabricModel { session.settings.fabricModel(architecture: session.target) }

    /// The values a program's host inputs copy in (what `run.py` would send): the IR values of a lowered
    /// program, the playground's sent wavelets for the playground's.
    func hostInputValues(_ program: FabricProgram) -> [TransferSource: TensorValue] {
        program.isPlayground ? playgroundInputs() : Simulation.hostInputValues(program, graph: session.graph)
    }

    /// `:sim [NAME]`.
    func loadSimulation(_ word: CommandWord?) throws(Diagnostic) -> [OutputLine] {
        if word == nil, let opened = openedProject(for: nil) {
            return try loadSimulation(CommandWord(text: opened.name, range: SourceRange(0, 0)))
        }
        let model = fabricModel
        if let word {
            // A :sim that fails leaves the simulation loaded before: say so, so a :run after it is no surprise.
            let stillLoaded =
                loaded.map {
                    "; the simulation loaded before (\($0.name.map { "\($0)'s program" } ?? "the playground") at cycle \($0.simulation.cycle)) is still loaded"
                } ?? ""
            let name: String, program: FabricProgram
            do { (name, program) = try fabricProgram(word) } catch {
                var refused = error
                refused.message += stillLoaded
                throw refused
            }
            let simulation: Simulation
            do { simulation = try Simulation(program: program, inputs: hostInputValues(program), model: model) } catch {
                throw .error(error.message + stillLoaded, at: word.range)
            }
            simulation.keepCheckpoints(checkpointPolicy)
            loaded = carryingTrace(into: LoadedSimulation(simulation: simulation, name: name, program: program))
            return [
                OutputLine(
                    "loaded \(name)'s program at cycle 0: \(program.pes.count) PE\(program.pes.count == 1 ? "" : "s"), \(program.routes.count) route\(program.routes.count == 1 ? "" : "s") on \(program.colors.count) color\(program.colors.count == 1 ? "" : "s"), hop latency \(model.hopLatency), ramp latency \(model.rampLatency)"
                )
            ]
        }
        let playground = session.playground
        guard !playground.isEmpty else {
            throw .error(
                "nothing to simulate: :sim NAME loads a tensor's program; the playground has no routes yet (color red = 0, route red (0,0): RAMP -> EAST, ...)")
        }
        let program = try playgroundProgram()
        let inputs = hostInputValues(program)
        let simulation: Simulation
        do { simulation = try Simulation(program: program, inputs: inputs, model: model) } catch {
            throw .error(error.message)
        }
        simulation.keepCheckpoints(checkpointPolicy)
        loaded = carryingTrace(
            into: LoadedSimulation(
                simulation: simulation, name: nil, program: nil, playground: (program, inputs), payloadKinds: playground.payloadKinds))
        let wavelets = playground.sends.reduce(0) { $0 + $1.values.count }
        let colors = program.colors.count
        // Host streams: what memcpy pushes in and reads out at the edges, when there are any.
        let streamedIn = playground.hostStreams.filter(\.isToDevice).reduce(0) { $0 + $1.count }
        let streamedOut = playground.hostStreams.filter { !$0.isToDevice }.reduce(0) { $0 + $1.count }
        let streams =
            playground.hostStreams.isEmpty
            ? ""
            : ", \(playground.hostStreams.count) host stream\(playground.hostStreams.count == 1 ? "" : "s") (\(streamedIn) in, \(streamedOut) out)"
        return [
            OutputLine(
                "loaded the playground at cycle 0: \(program.routes.count) route\(program.routes.count == 1 ? "" : "s") on \(colors) color\(colors == 1 ? "" : "s"), \(wavelets) wavelet\(wavelets == 1 ? "" : "s") to send\(streams), hop latency \(model.hopLatency), ramp latency \(model.rampLatency)"
            )
        ]
    }

    func requireSimulation() throws(Diagnostic) -> LoadedSimulation {
        guard let loaded else { throw .error("no simulation loaded: :sim NAME (a tensor's program) or :sim (the playground)") }
        return loaded
    }

    /// `:step [N]`: advance and summarise what moved, with at most a screenful of details.
    func stepSimulation(_ count: Int) throws(Diagnostic) -> StatementResult {
        let loaded = try requireSimulation()
        let sim = loaded.simulation
        let hopsBefore = sim.fabric.hopsByColor
        let deliveredBefore = sim.deliveries.mapValues(\.count)
        let startCycle = sim.cycle
        let outcome = sim.advance(count, breakpoints: breakpointWatch, shouldStop: shouldStop)
        let traceProblems = flushTrace()
        let hops = zip(sim.fabric.hopsByColor, hopsBefore).map { $0 - $1 }
        let colors = hops.indices.filter { hops[$0] > 0 }
        var newDeliveries: [(PECoord, Delivery)] = []
        for (pe, list) in sim.deliveries {
            for d in list.dropFirst(deliveredBefore[pe] ?? 0) { newDeliveries.append((pe, d)) }
        }
        newDeliveries.sort { ($0.1.cycle, $0.0) < ($1.1.cycle, $1.0) }
        let moved = hops.reduce(0, +)
        var summary = "cycle \(sim.cycle): \(moved) hop\(moved == 1 ? "" : "s")"
        if !colors.isEmpty { summary += " on color\(colors.count == 1 ? "" : "s") " + colors.map(String.init).joined(separator: ", ") }
        summary += "; \(newDeliveries.count) delivered"
        if sim.cycle - startCycle != count && outcome == .finished { summary += "; finished" }
        var lines = [OutputLine(summary)]
        let screenful = 20
        for (pe, d) in newDeliveries.prefix(screenful) {
            lines.append(OutputLine("  \(pe) received \(SimulationReport.delivered(d, kinds: loaded.payloadKinds)) on color \(d.color) at cycle \(d.cycle)"))
        }
        if newDeliveries.count > screenful { lines.append(OutputLine("  ... \(newDeliveries.count - screenful) more (:pe X,Y lists a PE's)")) }
        if case .breakpoint(let hits) = outcome { lines += breakpointLines(hits, loaded) }
        return try finishOutcome(outcome, loaded, lines: lines + traceProblems, compare: false)
    }

    /// `:run [MAX]`: to the end (or MAX cycles), then the comparison lines for a program.
    func runSimulation(_ limit: Int?) throws(Diagnostic) -> StatementResult {
        let loaded = try requireSimulation()
        let sim = loaded.simulation
        let maximum = limit ?? session.settings.integer(.runLimit)
        let watch = breakpointWatch
        let outcome: RunOutcome
        if let paint = onRunProgress {
            // The simulator polls this between cycles (every 1024): after a second, a progress line.
            let clock = ContinuousClock()
            var due = clock.now.advanced(by: .seconds(1))
            var painted = false
            let start = sim.cycle
            outcome = sim.advance(maximum, breakpoints: watch) {
                let now = clock.now
                if now >= due {
                    paint(RunProgress.line(cycle: sim.cycle, ran: sim.cycle - start, limit: maximum))
                    painted = true
                    due = now.advanced(by: .milliseconds(200))
                }
                return self.shouldStop()
            }
            if painted { paint(nil) }
        } else {
            outcome = sim.advance(maximum, breakpoints: watch, shouldStop: shouldStop)
        }
        var lines: [OutputLine] = []
        switch outcome {
        case .finished:
            lines.append(OutputLine("finished at cycle \(sim.cycle) (\(SimulationReport.time(sim.cycle)))"))
            lines += hostStreamLines(sim)
        case .reachedLimit: lines.append(OutputLine("stopped at cycle \(sim.cycle) after \(maximum) cycles; :run again to go on"))
        case .interrupted: lines.append(OutputLine("paused at cycle \(sim.cycle) (Ctrl-C); :run or :step go on"))
        case .failed: break
        case .breakpoint(let hits): lines += breakpointLines(hits, loaded)
        }
        lines += flushTrace()
        return try finishOutcome(outcome, loaded, lines: lines, compare: outcome == .finished)
    }

    private func finishOutcome(_ outcome: RunOutcome, _ loaded: LoadedSimulation, lines: [OutputLine], compare: Bool) throws(Diagnostic) -> StatementResult {
        var lines = lines
        if case .failed(let e) = outcome {
            lines.append(OutputLine("error: \(e.message)", .error))
            // A stall names no cycle of its own (a misroute or a race does): say where the run stopped.
            if e.isStall {
                lines.append(OutputLine("stopped at cycle \(loaded.simulation.cycle); :back N shows the cycles before", .error))
            }
            lines += closeTrace()
            return StatementResult(lines: lines, failed: true)
        }
        if outcome == .interrupted { _ = shouldStop() }
        // An opened CSL project's program has no result to read back (`result` nil).
        guard compare, let program = loaded.program, !program.isPlayground, let name = loaded.name else {
            if outcome == .finished { lines += closeTrace() }
            return StatementResult(lines: lines, failed: lines.contains { $0.style == .error })
        }
        lines += closeTrace()
        let c = ResultComparison.compare(program: program, simulation: loaded.simulation, graph: session.graph)
        func n(_ x: Double) -> String { ValueFormat.number(x, c.dtype) }
        if !c.readable {
            lines.append(OutputLine("error: \(name): the result could not be read back from the fabric", .error))
        } else if let m = c.mismatch {
            let index = "[" + m.index.map(String.init).joined(separator: ", ") + "]"
            lines.append(
                OutputLine(
                    "error: \(name): MISMATCH at \(index): simulated \(n(m.simulated)), reference \(n(m.reference))"
                        + (c.maxTolerance.map { " (tolerance up to \(ValueFormat.number($0, .f32)))" } ?? ""), .error))
        } else {
            lines.append(OutputLine("\(name): simulated result matches reference (\(ResultComparisonText.detail(c)))"))
        }
        return StatementResult(lines: lines, failed: !c.matches || lines.contains { $0.style == .error })
    }

    func payloadText(_ payload: UInt32, color: Int, _ loaded: LoadedSimulation) -> String {
        SimulationReport.payload(payload, color: color, kinds: loaded.payloadKinds)
    }
}

/// The progress line of a long `:run` (what the terminal paints in place while it goes).
public enum RunProgress {
    public static func line(cycle: Int, ran: Int, limit: Int) -> String {
        ran == cycle
            ? "running: cycle \(cycle) of at most \(limit) · Ctrl-C to pause"
            : "running: cycle \(cycle), \(ran) of at most \(limit) cycles of this :run done · Ctrl-C to pause"
    }
}
