import Foundation
import PyFlameFrontend
import PyFlameIR
import PyFlameViews
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator

/// The shell: runs one statement at a time against its session and returns what to show. The
/// interactive REPL, the script runner and `:load` all come through ``execute(_:)``.
public final class Shell {
    public internal(set) var session = Session()
    /// Polled by long evaluations (Ctrl-C): true stops the statement with nothing defined.
    public var shouldStop: () -> Bool
    /// Folder that relative file names resolve against (the script's folder in script mode).
    public var baseDirectory: String
    /// Columns available for wide output: the terminal's size now when ``terminalSize`` reports one (the
    /// interactive shell: a resized window counts at the next statement), else `$COLUMNS` or 120.
    public var terminalWidth: Int {
        get { terminalSize?()?.columns ?? fixedWidth }
        set { fixedWidth = newValue }
    }
    private var fixedWidth: Int
    /// The terminal's size now (columns, rows), or nil when there is none; the interactive shell sets it.
    public var terminalSize: (() -> (columns: Int, rows: Int)?)?
    /// Nesting of `:load` (a script that loads itself stops here).
    var loadDepth = 0
    /// Shows (a line) or clears (nil) the progress of a `:run` that takes more than about a second; the
    /// interactive shell paints it on the terminal, scripts and tests leave it nil (the text is
    /// ``RunProgress/line(cycle:ran:limit:)``).
    public var onRunProgress: ((String?) -> Void)?
    /// Where the running shell loop writes lines (set by ``ShellLoop/run``): `:load` streams through it.
    var outputSink: ((OutputLine) -> Void)?
    /// Rows available for `:view --frame`: the terminal's now (``terminalSize``), else `$LINES` or 40.
    public var terminalHeight: Int {
        get { terminalSize?()?.rows ?? fixedHeight }
        set { fixedHeight = newValue }
    }
    private var fixedHeight = 40
    /// How the view draws (the executable sets it from the locale and NO_COLOR; plain ASCII by default,
    /// so transcripts are the same everywhere).
    public var viewStyle = ViewStyle(color: false, unicode: false)
    /// Whether a full-screen view can open (a terminal that curses can drive).
    public var canOpenView = false
    /// The NAME the open view shows (nil: the loaded simulation or the playground).
    var viewTarget: String?
    /// The environment `:compile` looks for cslc in (tests give their own).
    public var compilerEnvironment = ProcessInfo.processInfo.environment
    /// The templates folder of `--templates DIR` (the `templates` setting, when set, wins); nil = built-in.
    public var templatesFolder: String?
    /// The folder of the last `:emit` (what a bare `:compile` compiles).
    var lastEmitted: String?
    /// The simulation `:sim` loaded (nil until then).
    var loaded: LoadedSimulation?
    /// The breakpoints `:break` set, in number order (they outlive a `:sim`).
    var breakpoints: [Breakpoint] = []
    var nextBreakpointNumber = 1
    /// Lowered programs by node and the settings they depend on (nodes never change once made).
    var programs: [String: FabricProgram] = [:]

    public init(baseDirectory: String = "", terminalWidth: Int = 120, shouldStop: @escaping () -> Bool = { false }) {
        self.baseDirectory = baseDirectory
        self.fixedWidth = terminalWidth
        self.shouldStop = shouldStop
    }

    /// `pyflame-shell 0.1.0 — target wse2 on fabric wse2 (750x994)`.
    public var banner: String {
        "pyflame-shell \(PyFlameShellVersion.string) — target \(session.target.rawValue) on fabric \(session.fabricDescription). :help lists commands, Ctrl-D leaves."
    }

    /// Runs one complete statement (possibly several physical lines).
    public func execute(_ text: String) -> StatementResult {
        let source = SourceText(text)
        do {
            // `stream in` / `stream out` (Shell+PlaygroundStreams.swift).
            if let result = try runHostStream(text, source: source) { return result }
            let statement = try Parser.parse(source)
            return try run(statement, text: text, source: source)
        } catch {
            return StatementResult(lines: Shell.render(error, in: source), failed: true)
        }
    }

    static func render(_ diagnostic: Diagnostic, in source: SourceText) -> [OutputLine] {
        let text = diagnostic.rendered(in: source).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let style: OutputLine.Style =
            switch diagnostic.severity {
            case .error: .error
            case .warning: .warning
            case .note: .note
            }
        return text.enumerated().map {
            var line = OutputLine($0.element, $0.offset == 0 ? style : .plain)
            line.isDetail = $0.offset > 0
            return line
        }
    }

    private func run(_ statement: Statement, text: String, source: SourceText) throws(Diagnostic) -> StatementResult {
        switch statement {
        case .empty:
            return StatementResult()
        case .assignment(let name, let nameRange, let value, let layout):
            if Builtins.functions.contains(name) || Builtins.constants.contains(name) {
                throw .error("'\(name)' is a built-in name and cannot name a tensor", at: nameRange)
            }
            let mark = session.graph.nextID
            guard let id = try build(value, layout: layout) else {
                session.graph.removeNodes(addedSince: mark)
                throw .error("a number is not a tensor: write \(name) = tensor(\(source.slice(value.range))) or full([], ...)", at: value.range)
            }
            // In place: a copy of the session would copy the graph and the log (quadratic in a long session).
            session.bind(name, to: id)
            session.lastDefined = name
            let logged = loggedStatement(text, value: value)
            session.log.append(logged)
            session.definitions[name] = Definition(node: id, text: logged)
            let node = session.graph[id]!
            return StatementResult(lines: [OutputLine(ValueFormat.tensor(node.value!, layout: node.resultLayout, name: name))])
        case .expression(let value, let layout):
            if case .name(let name) = value.kind, layout == nil, let id = session.bindings[name], let node = session.graph[id] {
                return StatementResult(lines: [OutputLine(ValueFormat.tensor(node.value!, layout: node.resultLayout, name: name))])
            }
            let mark = session.graph.nextID
            let id = try build(value, layout: layout)
            // An expression shows its value and leaves the graph as it was.
            defer { session.graph.removeNodes(addedSince: mark) }
            if let id, let node = session.graph[id] {
                return StatementResult(lines: [OutputLine(ValueFormat.tensor(node.value!, layout: node.resultLayout, name: nil))])
            }
            // A plain number: the shell is a calculator.
            var builder = GraphBuilder(graph: session.graph, scope: frontendScope, request: .auto, layoutRange: nil, evaluator: Evaluator())
            guard case .scalar(let v, let isInteger) = try builder.build(value) else { return StatementResult() }
            return StatementResult(lines: [OutputLine(isInteger && Swift.abs(v) < 9e15 ? String(Int64(v)) : ValueFormat.double(v))])
        case .fabric(let spec, let range):
            let size: FabricSize
            var name: String?
            switch spec {
            case .named(let n):
                size = Architecture(rawValue: n)!.usableFabric
                name = n
            case .size(let w, let h):
                size = FabricSize(width: w, height: h)
            }
            let usable = session.target.usableFabric
            guard size.width <= usable.width, size.height <= usable.height else {
                let other = Architecture.allCases.first { $0 != session.target && size.width <= $0.usableFabric.width && size.height <= $0.usableFabric.height }
                let hint = other.map { "; say `target \($0.rawValue)` first" } ?? ""
                throw .error("fabric \(size) is larger than \(session.target.rawValue)'s usable \(usable)\(hint)", at: range)
            }
            session.fabric = size
            session.fabricName = name
            session.log.append(text)
            return StatementResult(lines: [OutputLine("fabric \(session.fabricDescription)")])
        case .target(let name, let range):
            let target = Architecture(rawValue: name)!
            let usable = target.usableFabric
            guard session.fabric.width <= usable.width, session.fabric.height <= usable.height else {
                throw .error("fabric \(session.fabric) is larger than \(name)'s usable \(usable): set a smaller fabric first", at: range)
            }
            session.target = target
            if session.fabricName != nil && session.fabricName != name && session.fabric == Architecture(rawValue: session.fabricName!)!.usableFabric {
                // `fabric wse2` names the wafer; under another target the rectangle keeps its size.
                session.fabricName = nil
            }
            session.log.append(text)
            return StatementResult(lines: [OutputLine("target \(name) on fabric \(session.fabricDescription)")])
        case .set(let name, let nameRange, let value, let valueRange):
            do { try session.settings.set(name, value) } catch {
                throw .error(error.message, at: Settings.definition(name) == nil ? nameRange : valueRange)
            }
            session.log.append(text)
            return StatementResult(lines: [OutputLine("\(name) = \(session.settings[name] ?? value)")])
        case .command(let name, let nameRange, let arguments):
            return try runCommand(name, nameRange: nameRange, arguments: arguments, source: source)
        case .color, .route, .send, .reaction, .unroute, .unsend:
            return try runPlayground(statement, text: text)
        }
    }

    /// What the front end reads of the session.
    var frontendScope: FrontendScope {
        FrontendScope(bindings: session.bindings, limits: session.limits, hostLimit: session.settings.hostLimit, baseDirectory: baseDirectory)
    }

    /// Builds an expression on the session's graph; returns the result node (nil for a plain number). When the
    /// build fails, the nodes it added are removed again (nothing half-defined).
    private func build(_ value: Expr, layout: LayoutClause?) throws(Diagnostic) -> NodeID? {
        // The scope is read before the graph's in-place access begins (one access to the session at a time).
        let scope = frontendScope
        let evaluator = Evaluator(shouldStop: shouldStop)
        return try GraphBuilder.buildStatement(value, layout: layout, on: &session.graph, scope: scope, evaluator: evaluator)
    }

    /// Replaces the session (`:reset`).
    func reset() {
        closeTrace()
        session = Session()
        programs = [:]
        loaded = nil
        breakpoints = []
        nextBreakpointNumber = 1
    }

    /// The program of NAME's cone (or of the last tensor defined), lowered once per fabric, target and budget.
    func fabricProgram(_ word: CommandWord?) throws(Diagnostic) -> (String, FabricProgram) {
        // A project `:open` loaded (Shell+Open.swift).
        if let opened = openedProject(for: word) { return (opened.name, opened.program) }
        let name: String
        let node: Node
        if let word {
            node = try boundNode(word)
            name = word.text
        } else {
            guard let last = session.lastDefined, let id = session.bindings[last], let n = session.graph[id] else {
                throw .error("no tensor defined yet: define one (c = a + b on RowPartition(4)) or name it")
            }
            node = n
            name = last
        }
        let options = LoweringOptions(architecture: session.target, fabric: session.fabric, peDataBudget: session.settings.peDataBudget)
        // The program carries the names of its cone's nodes (host inputs, buffers, exports), and a rebinding
        // renames a node (`b = a; a = ones(8)` leaves the old `a` called `b`): the names are part of the key.
        let names = session.graph.cone(of: node.id).map { session.graph[$0]?.name ?? "" }.joined(separator: ",")
        let key = "\(node.id)|\(options.architecture)|\(options.fabric)|\(options.peDataBudget)|\(names)"
        if let cached = programs[key] { return (name, cached) }
        do {
            let program = try Lowering.lower(session.graph, result: node.id, options: options, shouldStop: shouldStop)
            programs[key] = program
            return (name, program)
        } catch  where error == LoweringError.interrupted {
            throw .error("interrupted (Ctrl-C): \(name) was not lowered", at: word?.range)
        } catch {
            // A change is named only once it has been tried and lowers.
            var message: String
            do {
                message = try LoweringAdvice.message(for: error, graph: session.graph, result: node.id, options: options, shouldStop: shouldStop)
                // Another layout of the statement, when no budget does it (tried through the front end and the lowering).
                if LayoutAdvice.mayHelp(error), !message.contains("`set pe_data_budget"),
                    let statement = try layoutSuggestion(for: name, node: node.id, options: options)
                {
                    message += "; try `\(statement)` (checked: it lowers)"
                }
            } catch {
                throw .error("interrupted (Ctrl-C): \(name) was not lowered", at: word?.range)
            }
            throw .error("cannot lower \(name): \(message)", at: word?.range)
        }
    }

    /// Runs lines as a script inside this session (`:load`), echoing like script mode. Inside a shell
    /// loop the lines go straight to its output as they are made (none are returned); called on its own
    /// (``execute(_:)`` from a test), they are returned.
    func replay(_ lines: [String], keepGoing: Bool) -> (lines: [OutputLine], outcome: ShellLoop.Outcome) {
        var source = ArrayLineSource(lines)
        if let sink = outputSink {
            let outcome = ShellLoop.run(&source, shell: self, echo: true, keepGoing: keepGoing, output: sink)
            return ([], outcome)
        }
        var output: [OutputLine] = []
        let outcome = ShellLoop.run(&source, shell: self, echo: true, keepGoing: keepGoing) { output.append($0) }
        return (output, outcome)
    }
}
