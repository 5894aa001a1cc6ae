import Foundation
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator
import PyFlameViews

extension Shell {
    /// `:view [NAME] [--frame] [--ascii|--unicode] [--size COLSxROWS]`.
    func view(_ words: [CommandWord], nameRange: SourceRange) throws(Diagnostic) -> StatementResult {
        var frame = false
        var style = viewStyle
        var size = (columns: terminalWidth, rows: terminalHeight)
        var name: CommandWord?
        var colorChoice: Int?
        var cursor: PECoord?
        var i = 0
        while i < words.count {
            let w = words[i]
            switch w.text {
            case "--frame": frame = true
            case "--ascii": style.unicode = false
            case "--unicode": style.unicode = true
            case "--color":
                guard i + 1 < words.count, let c = Int(words[i + 1].text), Architecture.colors.contains(c) else {
                    throw .error("--color takes a color ID \(Architecture.colorsText)", at: w.range)
                }
                colorChoice = c
                i += 1
            case "--cursor":
                let usage = "--cursor takes the PE the panel describes, X,Y (e.g. 1,0)"
                guard i + 1 < words.count else { throw .error(usage, at: w.range) }
                let parts = words[i + 1].text.trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(separator: ",").map { Int($0) }
                guard parts.count == 2, let x = parts[0], let y = parts[1] else { throw .error(usage, at: words[i + 1].range) }
                cursor = PECoord(x, y)
                i += 1
            case "--size":
                guard i + 1 < words.count else { throw .error("--size takes COLUMNSxROWS, e.g. 100x30", at: w.range) }
                let parts = words[i + 1].text.lowercased().split(separator: "x").compactMap { Int($0) }
                guard parts.count == 2, parts[0] >= 1, parts[1] >= 1, parts[0] <= 1000, parts[1] <= 1000 else {
                    throw .error("--size takes COLUMNSxROWS, e.g. 100x30", at: words[i + 1].range)
                }
                size = (parts[0], parts[1])
                i += 1
            default:
                guard name == nil, !w.text.hasPrefix("-") else {
                    throw .error("usage: :view [NAME] [--frame] [--color N] [--cursor X,Y] [--ascii|--unicode] [--size COLSxROWS]", at: w.range)
                }
                name = w
            }
            i += 1
        }
        let snapshot = try viewSnapshot(name)
        if frame {
            style.color = false
            var state = FabricViewState(cursor: PECoord(snapshot.rectangle.x, snapshot.rectangle.y))
            if let cursor {
                guard snapshot.rectangle.contains(cursor) else {
                    throw .error("--cursor \(cursor) is outside the picture \(snapshot.rectangle)", at: nil)
                }
                state.cursor = cursor
            }
            if let colorChoice {
                guard let index = snapshot.colors.firstIndex(of: colorChoice) else {
                    throw .error("color \(colorChoice) has no routes here (routed: \(snapshot.colors.map(String.init).joined(separator: ", ")))", at: nil)
                }
                state.colorIndex = index
            }
            let grid = FabricView.render(
                snapshot, state, rows: size.rows, columns: size.columns, style: style,
                panel: viewPanel(state.cursor, name: name?.text))
            return StatementResult(lines: grid.plainText().split(separator: "\n", omittingEmptySubsequences: false).map { OutputLine(String($0)) })
        }
        guard canOpenView else {
            throw .error(
                "the full-screen view needs a terminal (TERM set, not dumb, stdin and stdout a terminal); :view --frame prints one frame as text", at: nameRange
            )
        }
        viewTarget = name?.text
        return StatementResult(openView: true)
    }

    /// The picture `:view` shows now.
    func viewSnapshot(_ word: CommandWord?) throws(Diagnostic) -> FabricSnapshot {
        if let word {
            let (name, program) = try fabricProgram(word)
            let sim = loaded?.name == name && loaded?.program == program ? loaded?.simulation : nil
            return FabricSnapshot.make(program: program, graph: session.graph, name: name, simulation: sim)
        }
        if let loaded {
            if let program = loaded.program, let name = loaded.name {
                return FabricSnapshot.make(program: program, graph: session.graph, name: name, simulation: loaded.simulation)
            }
            let program: FabricProgram
            if let held = loaded.playground?.program { program = held } else { program = try playgroundProgram() }
            return FabricSnapshot.make(playground: program, simulation: loaded.simulation)
        }
        if let opened = openedProject(for: nil) {
            return FabricSnapshot.make(program: opened.program, graph: session.graph, name: opened.name, simulation: nil)
        }
        if !session.playground.routes.isEmpty {
            return FabricSnapshot.make(playground: try playgroundProgram(), simulation: nil)
        }
        let (name, program) = try fabricProgram(nil)
        return FabricSnapshot.make(program: program, graph: session.graph, name: name, simulation: nil)
    }

    /// The side panel: what `:pe X,Y` says, compacted.
    func viewPanel(_ pe: PECoord, name: String? = nil) -> [String] {
        let target = name ?? viewTarget
        // The program the picture shows (as viewSnapshot chooses it): named, loaded, the playground, or the last.
        let subject: (String, FabricProgram)?
        if let target {
            subject = try? fabricProgram(CommandWord(text: target, range: SourceRange(0, 0)))
        } else if let loaded {
            subject = loaded.program.flatMap { program in loaded.name.map { ($0, program) } }
        } else if !session.playground.routes.isEmpty {
            subject = nil
        } else {
            subject = try? fabricProgram(nil)
        }
        var lines = (try? peReport(pe, at: SourceRange(0, 0), program: subject)) ?? ["PE \(pe)"]
        // The payloads held there, when the picture shows the loaded simulation.
        if let loaded, subject == nil || (loaded.name == subject?.0 && loaded.program == subject?.1) {
            // After the queues line (before what it received), so they show in a short panel.
            let at = (lines.firstIndex { $0.hasPrefix("queues") } ?? lines.count - 1) + 1
            lines.insert(contentsOf: SimulationReport.heldLines(pe, simulation: loaded.simulation, kinds: loaded.payloadKinds), at: min(at, lines.count))
        }
        return lines.map { line in
            line.replacingOccurrences(of: "        ", with: " ").replacingOccurrences(of: "     ", with: " ")
        }
    }

    // MARK: - The interactive view's host calls

    /// The snapshot for the view opened by `:view` (recomputed every frame).
    public func currentViewSnapshot() -> FabricSnapshot? {
        try? viewSnapshot(viewTarget.map { CommandWord(text: $0, range: SourceRange(0, 0)) })
    }

    /// The speed the view starts at, in cycles per second: enough to show the loaded simulation's whole run in
    /// about ten seconds. The run's length comes from a trial run of a fresh copy, bounded to a fraction of a
    /// second (and stopped by Ctrl-C); a run too long for that starts at the default speed.
    public func viewStartingSpeed() -> Int {
        guard let loaded else { return FabricView.initialSpeed(forRunOf: nil) }
        if loaded.runLength == nil {
            let deadline = DispatchTime.now().uptimeNanoseconds + 300_000_000
            let stop = { [shouldStop] in shouldStop() || DispatchTime.now().uptimeNanoseconds > deadline }
            var trial: Simulation?
            if let program = loaded.program {
                trial = try? Simulation(program: program, inputs: hostInputValues(program), model: loaded.simulation.model)
            } else if let playground = loaded.playground {
                trial = try? Simulation(program: playground.program, inputs: playground.inputs, model: loaded.simulation.model)
            }
            if let trial, case .finished = trial.run(limit: session.settings.integer(.runLimit), shouldStop: stop) {
                loaded.runLength = trial.cycle
            } else {
                loaded.runLength = -1
            }
        }
        let length = loaded.runLength ?? -1
        return FabricView.initialSpeed(forRunOf: length > 0 ? length : nil)
    }

    /// Side panel lines for the PE under the cursor.
    public func currentViewPanel(_ pe: PECoord) -> [String] { viewPanel(pe) }

    /// Steps the loaded simulation for the view; returns an error line if there is nothing to step.
    public func viewStep(_ cycles: Int) -> String? {
        guard let loaded else { return "nothing to step: :sim first" }
        let outcome = loaded.simulation.advance(cycles, shouldStop: shouldStop)
        if let problem = writeTrace() { return problem }
        if case .failed(let e) = outcome { return e.message }
        return nil
    }
}
