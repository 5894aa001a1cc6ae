import Foundation
import PyFlameCSL
import PyFlameCSLFrontend
import PyFlameFrontend
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator

extension Shell {
    /// The templates in use: the `templates` setting, else `--templates DIR`, else the built-in copies.
    func templateSet(at range: SourceRange?) throws(Diagnostic) -> TemplateSet {
        let setting = session.settings[.templates]
        let folder = setting.isEmpty ? templatesFolder : FilePaths.resolve(setting, against: baseDirectory)
        guard let folder, !folder.isEmpty else { return Shell.builtInTemplates }
        do { return try TemplateSet.load(folder: folder) } catch { throw .error("templates: \(error.message)", at: range) }
    }

    static let builtInTemplates = TemplateSet.builtIn()

    /// NAME's program rendered as a CSL project (its cone, with the reference values run.py compares with).
    func cslProject(_ word: CommandWord) throws(Diagnostic) -> CSLProject {
        let (name, program) = try fabricProgram(word)
        let graph = session.graph
        var inputs: [TransferSource: TensorValue] = [:]
        for transfer in program.hostInputs {
            guard let value = transfer.node.flatMap({ graph[$0]?.value }) else {
                throw .error("\(transfer.name) has no value to copy in", at: word.range)
            }
            inputs[transfer.source] = value
        }
        guard let id = program.result, let resultNode = graph[id], let result = resultNode.value else {
            throw .error("\(name) has no reference value", at: word.range)
        }
        var data = HostData(inputs: inputs, outputs: [.node(id): result])
        data.tolerances[.node(id)] = ResultComparison.tolerances(resultNode, graph: graph)
        let emitter = CSLEmitter(templates: try templateSet(at: word.range), generatorVersion: PyFlameShellVersion.string)
        do { return try emitter.emit(program, graph: graph, name: name, data: data, shouldStop: shouldStop) } catch  where error == .interrupted {
            throw .error("interrupted (Ctrl-C): \(name) was not emitted", at: word.range)
        } catch {
            throw .error("cannot emit \(name): \(error.message)", at: word.range)
        }
    }

    /// The routing playground as a CSL project: its program's routes as they are, its sends as sender
    /// programs, and receivers that take what the simulated fabric delivers to each core (the program is
    /// run to the end first).
    func playgroundProject(at range: SourceRange) throws(Diagnostic) -> CSLProject {
        let playground = session.playground
        if let why = hostStreamEmissionRefusal() { throw .error("cannot emit the playground: \(why)", at: range) }
        guard !playground.sends.isEmpty else {
            throw .error(
                "the playground sends nothing: write routes and a send first (color red = 0, route red (0,0): RAMP -> EAST, send red (0,0) [1, 2])", at: range)
        }
        // CSL's DSDs combine integers from the fabric only in 16 bits (@add16): an integer chain cell is refused.
        if let cell = playground.reactions.first(where: { if case .chain = $0.verb { return $0.kind != .f32 } else { return false } }) {
            let names = Dictionary(playground.colors.map { ($1, $0) }, uniquingKeysWith: { a, b in min(a, b) })
            throw .error(
                "cannot emit the playground: the chain cell at \(cell.pe) combines integers, which CSL's DSDs do only in 16 bits (@add16): write its values and what \(names[cell.from] ?? "its input color") carries in f32 (on \(cell.pe) chain ... add f32 [...], send ... f32 [...])",
                at: range)
        }
        for (r, reaction) in zip(playground.reactions, Shell.playgroundReactions(playground)) {
            if case .forward(_, _, 0) = reaction.action {
                let names = Dictionary(playground.colors.map { ($1, $0) }, uniquingKeysWith: { a, b in min(a, b) })
                throw .error(
                    "cannot emit the playground: the relay at \(r.pe) forwards no wavelets (nothing sends on \(names[r.from] ?? "color \(r.from)")): give it a count (on \(r.pe) forward 4 ...) or remove it with :reset",
                    at: range)
            }
        }
        if let why = playgroundEmissionRefusal() { throw .error("cannot emit the playground: \(why)", at: range) }
        let simulated = try playgroundProgram(at: range)
        var model = fabricModel
        model.sinkRate = max(model.sinkRate, 1)
        let simulation: Simulation
        do { simulation = try Simulation(program: simulated, inputs: playgroundInputs(), model: model) } catch {
            throw .error("the playground does not run on the simulated fabric, so it is not emitted: \(error.message)", at: range)
        }
        switch simulation.run(limit: session.settings.integer(.runLimit), shouldStop: shouldStop) {
        case .finished: break
        case .failed(let e): throw .error("the playground does not run to the end on the simulated fabric, so it is not emitted: \(e.message)", at: range)
        case .reachedLimit, .interrupted, .breakpoint: throw .error("the playground did not finish within run_limit cycles; it is not emitted", at: range)
        }
        var receives: [PlaygroundProgram.Stream] = []
        var received: [[Int32]] = []
        var controlReceivers: [PECoord: ControlReceiver] = [:]
        // What a reacting core relays or combines is its own program's business, not the host's; what a core
        // only receives (`on (x,y) receive N COLOR`) the host reads back, so run.py checks the end of a chain.
        let reactionInputs = Set(
            playground.reactions.filter { r in
                if case .receive = r.verb, r.to == nil { return false }
                return true
            }.map { "\($0.pe)/\($0.from)" })
        for pe in simulation.deliveries.keys.sorted() {
            // Control wavelets a core takes run the control task they name there (topic-07): such a core
            // gets a control task per entry point instead of a receive; what the emitted receivers cannot
            // do the way the simulation did is refused.
            let names = Dictionary(playground.colors.map { ($1, $0) }, uniquingKeysWith: { a, b in min(a, b) })
            let all = simulation.deliveries[pe]!
            var controlColors: [ColorID] = []
            for c in all where c.isControl {
                let color = names[c.color] ?? "color \(c.color)"
                guard c.entryPoint != nil else {
                    throw .error(
                        "cannot emit the playground: a control wavelet on \(color) reaches the core at \(pe) without a control task entry point: give it one (task N) or mark it ignore",
                        at: range)
                }
                if all.contains(where: { !$0.isControl && $0.color == c.color }) {
                    throw .error(
                        "cannot emit the playground: the core at \(pe) takes data and control wavelets on \(color); a receiver of both on one color is not emitted yet: send the control wavelets on a color of their own, or mark them ignore",
                        at: range)
                }
                if simulated.pes.contains(where: { $0.pe == pe }) {
                    throw .error(
                        "cannot emit the playground: the core at \(pe) takes control wavelets on \(color) and also runs a program (it sends or reacts); only cores that run none are emitted with control tasks yet",
                        at: range)
                }
                if !controlColors.contains(c.color) { controlColors.append(c.color) }
            }
            if !controlColors.isEmpty {
                guard controlColors.count <= LoweringOptions.queueIDs.count else {
                    throw .error(
                        "cannot emit the playground: the core at \(pe) takes control wavelets on \(controlColors.count) colors; WSE-3 binds a queue to each, and queues \(LoweringOptions.queueIDsText) allow \(LoweringOptions.queueIDs.count)",
                        at: range)
                }
                let taken = all.filter(\.isControl)
                guard taken.count <= Int(UInt16.max) else {
                    throw .error(
                        "cannot emit the playground: the core at \(pe) takes \(taken.count) control wavelets; at most \(UInt16.max) are emitted", at: range)
                }
                controlReceivers[pe] = ControlReceiver(
                    colors: controlColors.sorted(), entryPoints: Set(taken.compactMap(\.entryPoint)).sorted(), count: taken.count)
            }
            let byColor = Dictionary(grouping: simulation.deliveries[pe]!, by: \.color)
            for color in byColor.keys.sorted() where !reactionInputs.contains("\(pe)/\(color)") && !controlColors.contains(color) {
                let list = byColor[color]!.sorted { $0.cycle < $1.cycle }
                receives.append(PlaygroundProgram.Stream(pe: pe, color: color, count: list.count))
                received.append(list.map { Int32(bitPattern: $0.payload) })
            }
        }
        let sends = Shell.playgroundStreams(playground)
        let program: FabricProgram
        do {
            program = try PlaygroundProgram.make(
                routes: simulated.routes, colorNames: playground.colors, sends: sends, receives: receives,
                reactions: Shell.playgroundReactions(playground),
                architecture: simulated.architecture, fabric: simulated.fabric, peDataBudget: simulated.peDataBudget)
            try PlaygroundProgram.checkEmittable(program, colorNames: playground.colors)
        } catch {
            throw .error("cannot emit the playground: \(error.message)", at: range)
        }
        func value(_ words: [Int32]) -> TensorValue {
            TensorValue(TensorType(Shape([words.count]), .i32), exact: words.map { Double($0) })
        }
        // Each color's values end to end, in the order of the streams (what the host symbols hold).
        var data = HostData(inputs: playgroundInputs(), outputs: [:])
        for color in Set(receives.map(\.color)) {
            let streams = zip(receives, received).filter { $0.0.color == color }
            data.outputs[.playgroundReceives(color: color)] = value(streams.flatMap(\.1))
            // Wavelets of several senders merged on one color come in an order the hardware does not
            // promise: each PE's segment is compared as a multiset.
            if sends.filter({ $0.color == color && $0.count > 0 }).count > 1 {
                var start = 0
                var segments: [Range<Int>] = []
                for (_, words) in streams {
                    segments.append(start..<(start + words.count))
                    start += words.count
                }
                data.orderFree[.playgroundReceives(color: color)] = segments
            }
        }
        let emitter = CSLEmitter(templates: try templateSet(at: range), generatorVersion: PyFlameShellVersion.string)
        do {
            return try emitter.emit(
                program, graph: session.graph, name: "playground", data: data, controlReceivers: controlReceivers, shouldStop: shouldStop)
        } catch  where error == .interrupted {
            throw .error("interrupted (Ctrl-C): the playground was not emitted", at: range)
        } catch {
            throw .error("cannot emit the playground: \(error.message)", at: range)
        }
    }

    /// `:csl NAME [FILE]` and `:csl --playground [FILE]`.
    func printCSL(_ nameWord: CommandWord, file: CommandWord?) throws(Diagnostic) -> StatementResult {
        let project = nameWord.text == "--playground" ? try playgroundProject(at: nameWord.range) : try cslProject(nameWord)
        let texts = project.files.filter { $0.isText && $0.name != CSLProject.markerName }
        if let file {
            guard let chosen = texts.first(where: { $0.name == file.text }) else {
                throw .error("\(nameWord.text)'s project has no \(file.text); its files: \(texts.map(\.name).joined(separator: ", "))", at: file.range)
            }
            return StatementResult(lines: chosen.lines.map { OutputLine($0) })
        }
        var lines: [OutputLine] = []
        for f in texts {
            lines.append(OutputLine("==> \(f.name) <=="))
            lines += f.lines.map { OutputLine($0) }
        }
        let data = project.files.filter { !$0.isText }.map(\.name)
        if !data.isEmpty { lines.append(OutputLine("(and the data files :emit writes beside them: \(data.joined(separator: ", ")))", .note)) }
        return StatementResult(lines: lines)
    }

    /// `:emit NAME [DIR] [--force]`.
    func emit(_ arguments: [CommandWord], nameRange: SourceRange) throws(Diagnostic) -> StatementResult {
        var words = arguments
        var force = false, playground: CommandWord?
        if let i = words.firstIndex(where: { $0.text == "--force" }) {
            force = true
            words.remove(at: i)
        }
        if let i = words.firstIndex(where: { $0.text == "--playground" }) {
            playground = words.remove(at: i)
        }
        let usage = "usage: :emit NAME [DIR] [--force] or :emit --playground [DIR] [--force]"
        if let flag = words.first(where: { $0.text.hasPrefix("--") }) {
            throw .error("unknown option \(flag.text); \(usage)", at: flag.range)
        }
        let project: CSLProject
        let shown: String
        if let playground {
            guard words.count <= 1 else { throw .error(usage, at: words[1].range) }
            project = try playgroundProject(at: playground.range)
            shown = words.first?.text ?? "out/playground"
            words.insert(playground, at: 0)
        } else {
            guard (1...2).contains(words.count) else { throw .error(usage, at: words.count > 2 ? words[2].range : nameRange) }
            project = try cslProject(words[0])
            shown = words.count == 2 ? words[1].text : "out/\(words[0].text)"
        }
        let folder = FilePaths.resolve(shown, against: baseDirectory)
        do { try ProjectWriter.write(project, to: folder, force: force, keeping: [baseDirectory]) } catch {
            throw .error(error.message, at: words.count == 2 ? words[1].range : words[0].range)
        }
        lastEmitted = folder
        let roles = project.files.filter { $0.name.hasSuffix(".csl") && $0.name != "layout.csl" }.count
        var lines = [
            OutputLine(
                "wrote \(shown): layout.csl, \(roles) PE program\(roles == 1 ? "" : "s"), run.py, commands.sh and \(project.files.filter { !$0.isText }.count) .npy files"
            )
        ]
        // The CSL front end reads the project back and checks it, as `:check` does (Shell+CSL.swift).
        let options = CSLCompileOptions(architecture: Shell.commandsArchitecture(folder) ?? session.target)
        guard let checked = checkedProject(folder: folder, options: options) else {
            lines.append(OutputLine("error: interrupted (Ctrl-C): \(shown) was written but not checked (:check \(shown) checks it)", .error))
            return StatementResult(lines: lines, failed: true)
        }
        lines += checked.lines
        let errors = checked.errors
        lines.append(
            OutputLine(
                errors == 0
                    ? "checked: the checks pass"
                    : "checked: \(errors) error\(errors == 1 ? "" : "s") "
                        + (playground != nil
                            ? "(the playground's routes are written as they are: check them with :routes, then :sim; else a bug in the emitter)"
                            : "(a bug in the emitter or an edited template)"),
                errors == 0 ? .plain : .error))
        return StatementResult(lines: lines, failed: errors > 0)
    }
}
