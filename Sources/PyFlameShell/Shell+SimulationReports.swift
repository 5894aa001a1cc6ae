import Foundation
import PyFlameFrontend
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator
import PyFlameViews

extension Shell {
    /// `:status`'s playground and simulation lines.
    func simulationStatus() -> [String] {
        playgroundStatus() + SimulationReport.statusLines(loaded?.simulation, name: loaded?.name)
    }

    /// `playground 4 routes on 1 color, 1 send of 30 wavelets` (and its reacting cores and host streams),
    /// from the playground's program (nothing for an empty playground).
    private func playgroundStatus() -> [String] {
        guard !session.playground.isEmpty else { return [] }
        guard let program = try? playgroundProgram() else {
            return ["playground " + ((try? checkPlaygroundFitsFabric()) == nil ? "lies partly outside fabric \(session.fabric)" : "makes no program")]
        }
        let sent = program.hostInputs.filter { if case .playgroundSends = $0.source { return true } else { return false } }
        let sends = sent.reduce(0) { $0 + $1.pieces.count }
        let wavelets = sent.reduce(0) { $0 + $1.type.shape.elementCount }
        let reacting = session.playground.reactions.count
        let streams = session.playground.hostStreams.count
        return [
            "playground \(plural(program.routes.count, "route")) on \(plural(program.colors.count, "color")), \(plural(sends, "send")) of \(plural(wavelets, "wavelet"))"
                + (reacting > 0 ? ", \(plural(reacting, "reacting core"))" : "") + (streams > 0 ? ", \(plural(streams, "host stream"))" : "")
        ]
    }

    /// `:pe X,Y`: about the loaded simulation's program (or `program`, when the view shows one that is
    /// not simulated), else the playground.
    func peReport(_ pe: PECoord, at range: SourceRange, program given: (String, FabricProgram)? = nil) throws(Diagnostic) -> [String] {
        // An opened CSL project: its program, and the file and parameters the PE runs (Shell+Open.swift).
        var subject = given
        if subject == nil, let opened = session.opened,
            loaded == nil ? openedProject(for: nil) != nil : loaded?.program == opened.program
        {
            subject = (opened.name, opened.program)
        }
        if let opened = session.opened, let subject, subject.1 == opened.program {
            return openedPELines(pe, opened, report: try peReport(pe, at: range, program: (subject.0, subject.1), opened: true))
        }
        return try peReport(pe, at: range, program: subject, opened: false)
    }

    private func peReport(_ pe: PECoord, at range: SourceRange, program subject: (String, FabricProgram)?, opened: Bool) throws(Diagnostic) -> [String] {
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
        // The playground's program as the rest reads it: the loaded simulation's, else the playground's now.
        var program = subject?.1 ?? loaded?.program
        if program == nil { program = loaded?.playground?.program ?? (try? playgroundProgram()) }
        return SimulationReport.peLines(
            pe, program: program, playgroundRoutes: session.playground.routes, playgroundSends: session.playground.sends,
            playgroundReactions: Dictionary(session.playground.reactions.map { ($0.pe, $0.text) }, uniquingKeysWith: { _, b in b }),
            simulation: loaded.map { ($0.simulation, $0.payloadKinds) })
    }

    /// The program `:routes` and `:colors` report on: `--playground` names the playground's; without a
    /// NAME, the last tensor's, else the playground's when it has routes or sends.
    /// `playground`: a playground color name chose the playground (`:routes red`).
    func reportedProgram(_ word: CommandWord?, playground: Bool = false) throws(Diagnostic) -> ProgramReport {
        let noTensor = session.lastDefined.flatMap { session.bindings[$0] } == nil
        let opened = word == nil && openedProject(for: nil) != nil
        if word?.text == "--playground" || (word == nil && (playground || !opened && noTensor && !session.playground.isEmpty)) {
            guard !session.playground.isEmpty else {
                throw .error("the playground has no routes yet (color red = 0, route red (0,0): RAMP -> EAST, ...)", at: word?.range)
            }
            return ProgramReport(program: try playgroundProgram(at: word?.range), graph: session.graph, name: "the playground")
        }
        let (name, program) = try fabricProgram(word)
        return ProgramReport(program: program, graph: session.graph, name: name)
    }

    /// The loaded simulation when it runs `program` (a tensor's or the playground's), for reports on it.
    func simulation(running program: FabricProgram) -> Simulation? {
        guard let loaded, loaded.program == program || loaded.playground?.program == program else { return nil }
        return loaded.simulation
    }

    /// `:stats`.
    func statsReport() throws(Diagnostic) -> [String] {
        let loaded = try requireSimulation()
        return SimulationReport.statsLines(loaded.simulation, program: loaded.program, graph: session.graph)
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
