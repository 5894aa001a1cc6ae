import Foundation
import PyFlameFrontend
import PyFlameIR
import PyFlameViews
import PyFlameLanguage
import PyFlameLowering

extension Shell {
    func runCommand(_ name: String, nameRange: SourceRange, arguments: [CommandWord], source: SourceText) throws(Diagnostic) -> StatementResult {
        guard let spec = CommandCatalog.spec(name) else {
            let hint = Suggestions.closest(to: name, in: CommandCatalog.names).map { " (did you mean :\($0)?)" } ?? ""
            throw .error("unknown command ':\(name)'\(hint); :help lists commands", at: nameRange)
        }
        func expect(_ counts: ClosedRange<Int>) throws(Diagnostic) {
            guard counts.contains(arguments.count) else {
                let at = arguments.count > counts.upperBound ? arguments[counts.upperBound].range : nameRange
                throw .error("usage: \(spec.usage)", at: at)
            }
        }
        switch spec.name {
        case "help":
            try expect(0...1)
            return StatementResult(lines: try HelpText.lines(for: arguments.first, session: session).map { OutputLine($0) })
        case "graph":
            try expect(0...0)
            let lines = GraphPrinter.lines(session.graph)
            return StatementResult(lines: lines.isEmpty ? [OutputLine("(the graph is empty)")] : lines.map { OutputLine($0) })
        case "lower":
            try expect(1...1)
            let (name, program) = try fabricProgram(arguments.first)
            return StatementResult(lines: ProgramReport(program: program, graph: session.graph, name: name).lowerLines().map { OutputLine($0) })
        case "pes":
            var words = arguments
            let limit = try takeLimit(&words, default: 32)
            guard words.count <= 1 else { throw .error("usage: \(spec.usage)", at: words[1].range) }
            if let opened = openedProject(for: words.first) {
                return StatementResult(lines: openedPELines(opened, limit: limit).map { OutputLine($0) })
            }
            let (name, program) = try fabricProgram(words.first)
            return StatementResult(
                lines: ProgramReport(program: program, graph: session.graph, name: name)
                    .peLines(width: terminalWidth, limit: limit).map { OutputLine($0) })
        case "colors":
            try expect(0...1)
            if let opened = openedProject(for: arguments.first) {
                return StatementResult(lines: openedColorLines(opened).map { OutputLine($0) })
            }
            return StatementResult(lines: try reportedProgram(arguments.first).colorLines().map { OutputLine($0) })
        case "routes":
            var words = arguments
            let limit = try takeLimit(&words, default: 100)
            var color: Int?
            var playgroundColor = false
            if let last = words.last, let c = Int(last.text) {
                guard Architecture.colors.contains(c) else { throw .error("colors are \(Architecture.colorsText), not \(c)", at: last.range) }
                color = c
                words.removeLast()
            } else if let last = words.last, session.bindings[last.text] == nil, let c = session.playground.colors[last.text] {
                // A playground color's name (`:routes red`) filters the playground's routes.
                color = c
                playgroundColor = true
                words.removeLast()
            }
            guard words.count <= 1 else { throw .error("usage: \(spec.usage)", at: words[1].range) }
            let report = try reportedProgram(words.first, playground: playgroundColor)
            return StatementResult(
                lines: report.routeLines(color: color, limit: limit, simulation: simulation(running: report.program)).map { OutputLine($0) })
        case "tiles":
            try expect(1...3)
            return StatementResult(lines: try tiles(arguments).map { OutputLine($0) })
        case "status":
            try expect(0...0)
            return StatementResult(lines: statusLines().map { OutputLine($0) })
        case "export":
            try expect(2...3)
            if arguments.count == 3 {
                guard arguments[2].text == "--sim" else { throw .error("usage: \(spec.usage)", at: arguments[2].range) }
                return try exportSimulated(arguments[0], arguments[1])
            }
            return try export(arguments[0], arguments[1])
        case "sim":
            try expect(0...1)
            return StatementResult(lines: try loadSimulation(arguments.first))
        case "step":
            try expect(0...1)
            var n = 1
            if let word = arguments.first {
                guard let v = Int(word.text), v != 0 else {
                    throw .error(":step takes a number of cycles >= 1 (or -N to go back N cycles)", at: word.range)
                }
                if v < 0 {
                    guard v != Int.min else { throw .error("cannot go back \(word.text) cycles", at: word.range) }
                    return try goBack(-v, at: word.range)
                }
                n = v
            }
            return try stepSimulation(n)
        case "back":
            try expect(0...1)
            var n = 1
            if let word = arguments.first {
                guard let v = Int(word.text), v >= 1 else { throw .error(":back takes a number of cycles >= 1", at: word.range) }
                n = v
            }
            return try goBack(n, at: arguments.first?.range ?? nameRange)
        case "goto":
            try expect(1...1)
            guard let c = Int(arguments[0].text), c >= 0 else { throw .error(":goto takes a cycle >= 0", at: arguments[0].range) }
            return try goTo(c, at: arguments[0].range)
        case "break":
            return try breakCommand(arguments, nameRange: nameRange)
        case "run":
            try expect(0...1)
            var limit: Int?
            if let word = arguments.first {
                guard let v = Int(word.text), v >= 1 else { throw .error(":run takes a number of cycles >= 1", at: word.range) }
                limit = v
            }
            return try runSimulation(limit)
        case "pe":
            guard !arguments.isEmpty else { throw .error("usage: \(spec.usage)", at: nameRange) }
            let text = arguments.map(\.text).joined()
            let parts = text.trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(separator: ",")
            guard parts.count == 2, let x = Int(parts[0]), let y = Int(parts[1]) else {
                throw .error("usage: \(spec.usage) (e.g. :pe 1,0)", at: arguments[0].range.union(arguments.last!.range))
            }
            guard x >= 0, y >= 0 else {
                throw .error("a PE coordinate is a whole number >= 0, not \(x),\(y)", at: arguments[0].range.union(arguments.last!.range))
            }
            return StatementResult(lines: try peReport(PECoord(x, y), at: arguments[0].range).map { OutputLine($0) })
        case "view":
            return try view(arguments, nameRange: nameRange)
        case "check":
            guard !arguments.isEmpty else { throw .error("usage: \(spec.usage)", at: nameRange) }
            return try checkProject(arguments)
        case "open":
            guard !arguments.isEmpty else { throw .error("usage: \(spec.usage)", at: nameRange) }
            return try openProject(arguments)
        case "compile":
            try expect(0...1)
            if let word = arguments.first { return try compileProject(word.text, at: word.range) }
            guard let last = lastEmitted else { throw .error(":compile needs a folder: nothing was emitted yet (:emit NAME DIR)", at: nameRange) }
            return try compileProject(last, at: nameRange)
        case "csl":
            try expect(1...2)
            return try printCSL(arguments[0], file: arguments.count == 2 ? arguments[1] : nil)
        case "emit":
            return try emit(arguments, nameRange: nameRange)
        case "stats":
            try expect(0...0)
            return StatementResult(lines: try statsReport().map { OutputLine($0) })
        case "trace":
            guard !arguments.isEmpty else { throw .error("usage: \(spec.usage)", at: nameRange) }
            return StatementResult(lines: try startTrace(arguments).map { OutputLine($0) })
        case "save":
            try expect(1...1)
            let path = FilePaths.resolve(arguments[0].text, against: baseDirectory)
            let text = savedScript(at: path)
            do { try SafeFileWriter.write(text, to: path, shown: arguments[0].text) } catch { throw .error(error.message, at: arguments[0].range) }
            return StatementResult(lines: [OutputLine("saved \(session.log.count) statement\(session.log.count == 1 ? "" : "s") to \(arguments[0].text)")])
        case "load":
            try expect(1...1)
            let path = FilePaths.resolve(arguments[0].text, against: baseDirectory)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw .error(
                    FileManager.default.fileExists(atPath: path) ? "cannot read \(arguments[0].text) as UTF-8 text" : "no such file: \(arguments[0].text)",
                    at: arguments[0].range)
            }
            guard loadDepth < 8 else { throw .error(":load nested more than 8 deep (does a script load itself?)", at: nameRange) }
            loadDepth += 1
            let savedBase = baseDirectory
            baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            defer { loadDepth -= 1; baseDirectory = savedBase }
            let (lines, outcome) = replay(ArrayLineSource.lines(of: text), keepGoing: false)
            var output = lines
            if outcome.interrupted {
                output.append(OutputLine("error: interrupted: :load \(arguments[0].text) stopped", .error))
            } else if outcome.failures > 0 {
                output.append(OutputLine("error: :load \(arguments[0].text) stopped at the statement above", .error))
            }
            return StatementResult(lines: output, failed: outcome.failures > 0, quit: outcome.quit)
        case "undo":
            try expect(0...0)
            return StatementResult(lines: try undoPlaygroundStatement(at: nameRange))
        case "reset":
            try expect(0...0)
            let traceProblems = closeTrace()
            reset()
            return StatementResult(
                lines: traceProblems + [OutputLine("reset: target \(session.target.rawValue) on fabric \(session.fabricDescription), no tensors")],
                failed: traceProblems.contains { $0.style == .error })
        case "quit":
            try expect(0...0)
            return StatementResult(quit: true)
        default:
            throw .error("command ':\(name)' is listed but not handled", at: nameRange)
        }
    }

    private func export(_ nameWord: CommandWord, _ fileWord: CommandWord) throws(Diagnostic) -> StatementResult {
        let node = try boundNode(nameWord)
        guard let value = node.value else { throw .error("\(nameWord.text) has no value", at: nameWord.range) }
        let path = FilePaths.resolve(fileWord.text, against: baseDirectory)
        do { try SafeFileWriter.write(NPY.encode(value), to: path, shown: fileWord.text) } catch { throw .error(error.message, at: fileWord.range) }
        var lines = [OutputLine("wrote \(nameWord.text) (\(value.type)) to \(fileWord.text)")]
        if value.dtype == .bf16 {
            lines.append(OutputLine("note: NumPy has no bf16: \(nameWord.text)'s bf16 values were written as f32", .note))
        }
        return StatementResult(lines: lines)
    }

    /// Removes `--limit N` from the words and returns N (or the default).
    private func takeLimit(_ words: inout [CommandWord], default value: Int) throws(Diagnostic) -> Int {
        guard let flag = words.firstIndex(where: { $0.text == "--limit" }) else { return value }
        guard flag + 1 < words.count, let n = Int(words[flag + 1].text), n >= 1 else {
            throw .error("--limit takes a number of lines", at: words[flag].range)
        }
        words.removeSubrange(flag...(flag + 1))
        return n
    }

    /// `:tiles NAME [--limit N]`.
    private func tiles(_ arguments: [CommandWord]) throws(Diagnostic) -> [String] {
        var rest = arguments
        let limit = try takeLimit(&rest, default: 32)
        guard rest.count == 1 else { throw .error("usage: :tiles NAME [--limit N]", at: arguments.first?.range) }
        let node = try boundNode(rest[0])
        let layout = node.resultLayout
        guard layout != .host else {
            return ["\(rest[0].text) is a host tensor (\(node.type), \(node.type.byteCount) B): memcpy copies it into the layout of each op that reads it"]
        }
        let tiling: Tiling
        do { tiling = try Tiling(node.type, on: layout) } catch { throw .error(error.message, at: rest[0].range) }
        let budget = session.settings.peDataBudget
        var lines = ["\(rest[0].text): \(node.type) on \(layout), \(layout.peCount) PE\(layout.peCount == 1 ? "" : "s") (block-local coordinates)"]
        for pe in layout.pes.prefix(limit) {
            let tile = tiling.tile(for: pe)
            let bytes = tiling.bytes(for: pe)
            let share = Double(bytes) / Double(budget) * 100
            lines.append(
                "  \(pe) \(tile) \(tile.elementCount) element\(tile.elementCount == 1 ? "" : "s"), \(bytes) B (\(String(format: "%.1f", share))% of \(budget) B)"
            )
        }
        if layout.peCount > limit { lines.append("  ... \(layout.peCount - limit) more PEs (--limit N shows more)") }
        return lines
    }

    /// The node a command's NAME argument names, or an error with a suggestion.
    func boundNode(_ word: CommandWord) throws(Diagnostic) -> Node {
        guard let id = session.bindings[word.text], let node = session.graph[id] else {
            let hint = Suggestions.closest(to: word.text, in: session.names).map { " (did you mean '\($0)'?)" } ?? ""
            throw .error("unknown name '\(word.text)'\(hint)", at: word.range)
        }
        return node
    }

    private func statusLines() -> [String] {
        SessionStatus(
            target: session.target, fabric: session.fabricDescription, names: session.names, graphNodes: session.graph.count,
            changedSettings: session.settings.changed.map { "\($0)=\(session.settings[$0] ?? "")" }, simulation: simulationStatus()
        ).lines
    }
}
