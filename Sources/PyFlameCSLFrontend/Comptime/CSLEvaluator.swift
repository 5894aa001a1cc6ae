import Foundation
import PyFlameIR
import PyFlameLowering

/// Why evaluation of an expression or statement stopped: a diagnostic to report (already positioned), or an
/// interruption (Ctrl-C, the iteration guard) that ends the whole evaluation.
enum CSLEvalError: Error {
    case diagnostic(CSLDiagnostic)
    case interrupted(String)
}

/// How a statement finished.
enum CSLFlow {
    case normal
    case breakLoop
    case continueLoop
    case returned(CSLValue)
}

/// A top-level name of a module: not evaluated yet (the declaration's index), being evaluated (a cycle if
/// read), or its value.
enum CSLBinding {
    case pending(Int)
    case evaluating
    case value(CSLValue, isConst: Bool)
}

/// What a file is evaluated as: the layout file, a PE program (or a module it imports), or one of the
/// SDK's libraries (native).
enum CSLModuleKind {
    case file(CSLSyntaxTree)
    case library(SDKLibrary)
}

/// One evaluated module: a file with its parameters, or an SDK library with its parameters.
final class CSLModuleInstance {
    let id: Int
    /// The path (as resolved) or `<library>`.
    let name: String
    let kind: CSLModuleKind
    let params: [String: CSLValue]
    var bindings: [String: CSLBinding] = [:]
    /// The declared `fn`/`task`s by name.
    var functions: [String: CSLFunctionDecl] = [:]
    /// Errors of top-level declarations, reported when the declaration is read (cslc analyses only what a
    /// program uses: an unused declaration's error, such as a `param` never given, is not reported).
    var deferredErrors: [String: CSLDiagnostic] = [:]
    var taskNames: Set<String> = []
    /// Functions and tasks whose name something read (bound, exported, called): only their bodies are walked,
    /// as cslc analyses only what a program uses.
    var usedFunctions: Set<String> = []
    var walkedFunctions: Set<String> = []

    init(id: Int, name: String, kind: CSLModuleKind, params: [String: CSLValue]) {
        self.id = id
        self.name = name
        self.kind = kind
        self.params = params
    }

    var path: String { name }
    var tree: CSLSyntaxTree? {
        if case .file(let t) = kind { return t }
        return nil
    }
}

/// A block scope of local names (a `layout { }` or `comptime { }` block, a loop body, a function call).
final class CSLScope {
    var names: [String: CSLValue] = [:]
    var mutable: Set<String> = []
    let parent: CSLScope?

    init(parent: CSLScope?) { self.parent = parent }

    func lookup(_ name: String) -> CSLValue? {
        var s: CSLScope? = self
        while let scope = s {
            if let v = scope.names[name] { return v }
            s = scope.parent
        }
        return nil
    }

    /// The scope that declares `name`.
    func owner(of name: String) -> CSLScope? {
        var s: CSLScope? = self
        while let scope = s {
            if scope.names[name] != nil { return scope }
            s = scope.parent
        }
        return nil
    }
}

/// The comptime evaluator of CSL (SDK 1.4): evaluates a module's top-level declarations lazily and in order,
/// `comptime { }` and `layout { }` blocks, comptime function calls, loops, and the builtins of layout and PE
/// files. What it finds is recorded by the `CSLEvaluatorSink` (the layout elaboration, a PE program's
/// elaboration). Depth is bounded, loops poll `shouldStop` and have an iteration guard.
final class CSLEvaluator {
    /// The deepest nesting of comptime calls and expressions before `nesting too deep`.
    static let maxDepth = 200
    /// The most loop iterations (all loops together) one evaluation runs.
    static let maxIterations = 50_000_000
    /// The most diagnostics kept (the rest are counted).
    static let maxDiagnostics = 200

    let options: CSLCompileOptions
    let shouldStop: () -> Bool
    let readFile: (String) -> String?
    /// The folder of the layout file: `@set_tile_code` paths are relative to it.
    let rootDirectory: String

    /// Parsed files by resolved path (each file parsed once per project).
    var trees: [String: CSLSyntaxTree] = [:]
    var files: [String: CSLSourceFile] = [:]
    var diagnostics: [CSLDiagnostic] = []
    private var diagnosticKeys: Set<String> = []
    var droppedDiagnostics = 0

    var modules: [Int: CSLModuleInstance] = [:]
    /// Module instances by (path or library, parameters) in the current context (a PE program, or the layout).
    var moduleCache: [CSLModuleKey: Int] = [:]
    private var nextModuleID = 0

    var depth = 0
    var iterations = 0
    /// Values of expressions that read no local name, per module instance (CSLEvaluator+PureCache.swift).
    var pureCache: [CSLExprSite: CSLPureEntry] = [:]
    var importsMemcpy = false
    /// Libraries the front end does not model (`<kernels/...>`), with the file that imported each.
    var opaqueLibraryImports: [(library: String, importer: String)] = []
    /// The program rectangle once `@set_rectangle` ran (`@get_rectangle`, collectives' sizes).
    var rectangle: PERect?
    /// The layout file's path (its params come from `--params`).
    var layoutModulePath: String?
    /// Where facts go (the layout's elaboration, or a PE program's).
    var sink: CSLEvaluatorSink?
    /// The module whose code is running (for `@import_module` paths, `&global`).
    var currentModule: CSLModuleInstance?
    /// Whether we are inside `layout { }` (layout builtins are allowed only there).
    var inLayout = false
    /// Whether a function body is walked for names (calls and loops are not run; unknown values are runtime).
    var resolvingOnly = false
    /// The function whose body is walked (`CSLDSDDecl.inFunction`).
    var resolvingFunction: String?

    init(options: CSLCompileOptions, rootDirectory: String, readFile: @escaping (String) -> String?, shouldStop: @escaping () -> Bool) {
        self.options = options
        self.rootDirectory = rootDirectory
        self.readFile = readFile
        self.shouldStop = shouldStop
    }

    // MARK: - Diagnostics

    func report(_ d: CSLDiagnostic) {
        let key = "\(d.severity.rawValue)|\(d.path)|\(d.range?.start ?? -1)|\(d.range?.end ?? -1)|\(d.message)"
        guard !diagnosticKeys.contains(key) else { return }
        guard diagnostics.count < CSLEvaluator.maxDiagnostics else {
            droppedDiagnostics += 1
            return
        }
        diagnosticKeys.insert(key)
        diagnostics.append(d)
    }

    /// A diagnostic in the current module's file.
    func diagnostic(_ severity: CSLDiagnostic.Severity, _ message: String, at range: CSLSourceRange?) -> CSLDiagnostic {
        CSLDiagnostic(severity, message, path: currentModule?.path ?? rootDirectory, range: range)
    }

    func error(_ message: String, at range: CSLSourceRange?) -> CSLEvalError {
        .diagnostic(diagnostic(.error, message, at: range))
    }

    func cannotCheck(_ message: String, at range: CSLSourceRange?) {
        report(diagnostic(.cannotCheck, message, at: range))
    }

    /// Runs `body`, reporting a diagnostic it throws (interruptions go on).
    func recovering(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch CSLEvalError.diagnostic(let d) {
            report(d)
        }
    }

    // MARK: - Guards

    /// Counts one loop iteration: polls `shouldStop` every 4096 and stops at the guard.
    func tick() throws {
        iterations += 1
        if iterations & 4095 == 0 && shouldStop() { throw CSLEvalError.interrupted("evaluation interrupted") }
        if iterations > CSLEvaluator.maxIterations {
            throw CSLEvalError.interrupted("evaluation stopped after \(CSLEvaluator.maxIterations) loop iterations (is a loop endless?)")
        }
    }

    /// Runs `body` one level deeper; `nesting too deep` past `maxDepth`.
    func deeper<T>(at range: CSLSourceRange, _ body: () throws -> T) throws -> T {
        guard depth < CSLEvaluator.maxDepth else {
            throw error("nesting too deep (more than \(CSLEvaluator.maxDepth) levels of calls and expressions)", at: range)
        }
        depth += 1
        defer { depth -= 1 }
        return try body()
    }

    // MARK: - Files and modules

    /// The path of `name` as `from` (a file path) refers to it: relative to that file's folder, else to the
    /// layout's folder.
    func resolve(_ name: String, from: String?) -> String {
        if name.hasPrefix("/") { return name }
        if let from {
            let dir = (from as NSString).deletingLastPathComponent
            let candidate = dir.isEmpty ? name : (dir as NSString).appendingPathComponent(name)
            if trees[candidate] != nil || readFile(candidate) != nil { return candidate }
        }
        return rootDirectory.isEmpty ? name : (rootDirectory as NSString).appendingPathComponent(name)
    }

    /// The parsed tree of `path` (parsed once), or nil when the file cannot be read.
    func tree(at path: String) -> CSLSyntaxTree? {
        if let t = trees[path] { return t }
        guard let text = readFile(path) else { return nil }
        let file = CSLSourceFile(path: path, text: text)
        let (tree, parseDiagnostics) = CSLParser.parse(file)
        for d in parseDiagnostics { report(d) }
        trees[path] = tree
        files[path] = file
        return tree
    }

    /// A new module instance for a file or library with its parameters (not cached).
    func makeModule(name: String, kind: CSLModuleKind, params: [String: CSLValue]) -> CSLModuleInstance {
        nextModuleID += 1
        let m = CSLModuleInstance(id: nextModuleID, name: name, kind: kind, params: params)
        modules[m.id] = m
        if case .file(let tree) = kind {
            for (k, decl) in tree.declarations.enumerated() {
                switch decl.kind {
                case .function(let f):
                    m.functions[f.name] = f
                case .task(let f):
                    m.functions[f.name] = f
                    m.taskNames.insert(f.name)
                case .variable(let v):
                    m.bindings[v.name] = .pending(k)
                case .param(let p):
                    m.bindings[p.name] = .pending(k)
                default: break
                }
            }
        }
        return m
    }

    /// Runs `body` with `module` as the current module.
    func within<T>(_ module: CSLModuleInstance, _ body: () throws -> T) rethrows -> T {
        let saved = currentModule
        currentModule = module
        defer { currentModule = saved }
        return try body()
    }
}

/// A module's identity within one context: its path (or library) and its parameters.
struct CSLModuleKey: Hashable {
    var name: String
    var params: [CSLStructField]
}

/// What the evaluator tells the elaboration it runs for.
protocol CSLEvaluatorSink: AnyObject {
    /// A layout builtin (`@set_rectangle`, `@set_tile_code`, `@set_color_config`, `@export_name`): handled by
    /// the layout elaboration; nil when this sink does not take it.
    func layoutBuiltin(_ name: String, arguments: [CSLValue], argumentRanges: [CSLSourceRange], range: CSLSourceRange, evaluator: CSLEvaluator) throws
        -> CSLValue?
    /// A PE builtin with an effect (`@bind_*_task`, `@export_symbol`, `@initialize_queue`, `@set_local_color_config`).
    /// `argumentNames` holds the name an argument was written as, when it is a plain name (`@export_symbol(A_ptr)`).
    func programBuiltin(
        _ name: String, arguments: [CSLValue], argumentNames: [String?], argumentRanges: [CSLSourceRange], range: CSLSourceRange, evaluator: CSLEvaluator
    ) throws
    /// A DSD built by `@get_dsd` (named when it initialises a declaration).
    func dsd(_ value: CSLDSDValue, name: String?, range: CSLSourceRange, evaluator: CSLEvaluator)
    /// A top-level declaration of a file's module evaluated to `value`.
    func declaration(_ decl: CSLVariableDecl, value: CSLValue, declaredType: CSLType?, range: CSLSourceRange, evaluator: CSLEvaluator)
    /// A module imported (`<memcpy/memcpy>`, `util.csl`).
    func imported(_ name: String)
    /// A `task` declared at the top level of a file of the program.
    func task(_ decl: CSLFunctionDecl, range: CSLSourceRange, evaluator: CSLEvaluator)
}
