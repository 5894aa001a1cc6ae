import Foundation
import PyFlameIR
import PyFlameLowering

/// The structural CSL checker: reads a project folder (`layout.csl` plus the PE programs its
/// `@set_tile_code` calls name) and checks the rules of `docs/csl.md` that can be checked without `cslc`:
/// balanced brackets, one layout block and rectangle, full tile coverage, colors, color configs and
/// connected routes, paired host symbols, task and queue IDs, obsolete spellings, array syntax and the
/// per-PE data budget. It understands the subset an emitter writes (literal coordinates, `const` colors and
/// integers, `for (@range(...))` loops with evaluable bounds); anything else becomes a `cannot check`
/// finding, never a silent pass and never a guessed error.
public struct CSLChecker: Sendable {
    /// Bytes of data (arrays) a PE program may declare; 36 KiB by PyFlame's plan.
    public var peDataBudget: Int

    /// Makes a checker with a data budget per PE in bytes.
    public init(peDataBudget: Int = Architecture.defaultPEDataBudget) {
        self.peDataBudget = peDataBudget
    }

    /// Checks the project in `folder` and returns every finding. `shouldStop` is polled in the loops over
    /// PEs, tiles and layout loops (Ctrl-C); when it returns true the check stops and the report says it
    /// was interrupted.
    public func check(folder: String, shouldStop: @escaping () -> Bool = { false }) -> CheckReport {
        var run = CSLCheckRun(folder: folder, budget: peDataBudget, shouldStop: shouldStop)
        run.run()
        if run.stopped { return CheckReport(findings: [], interrupted: true) }
        var seen = Set<String>()
        var unique: [CheckFinding] = []
        for f in run.findings where seen.insert(f.rendered).inserted { unique.append(f) }
        let order = ["layout.csl"]
        unique.sort { a, b in
            let ra = order.contains(a.file) ? 0 : 1, rb = order.contains(b.file) ? 0 : 1
            if ra != rb { return ra < rb }
            if a.file != b.file { return a.file < b.file }
            return a.line < b.line
        }
        return CheckReport(
            findings: unique, routes: run.configs.map { LayoutRoute(x: $0.x, y: $0.y, color: $0.color, rx: $0.rx, tx: $0.tx) },
            declaredData: run.declaredData)
    }
}

/// The ID builtins the checker bounds: the IDs allowed and how a message says it.
let cslIDRanges: [String: (Set<Int>, String)] = [
    "get_color": (Set(Architecture.colors), "colors are \(Architecture.colorsText)"),
    "get_local_task_id": (
        Set(LoweringOptions.taskIDs), "local task IDs beside memcpy are \(LoweringOptions.taskIDsText) (memcpy reserves \(Architecture.memcpyColorsText))"
    ),
    "get_control_task_id": (Set(0...63), "control task IDs are 0–63"),
    "get_data_task_id": (Set(Architecture.colors), "data task IDs are \(Architecture.colorsText)"),
    "get_input_queue": (Set(0...7), "input queues are 0–7"),
    "get_output_queue": (Set(0...7), "output queues are 0–7"),
]

let cslDirections: Set<String> = ["NORTH", "SOUTH", "EAST", "WEST", "RAMP"]
let cslOpposite = ["NORTH": "SOUTH", "SOUTH": "NORTH", "EAST": "WEST", "WEST": "EAST"]
let cslStep = ["NORTH": (0, -1), "SOUTH": (0, 1), "EAST": (1, 0), "WEST": (-1, 0)]
let cslElementSize = [
    "f32": 4, "i32": 4, "u32": 4, "f16": 2, "bf16": 2, "i16": 2, "u16": 2,
    "i8": 1, "u8": 1, "bool": 1, "i64": 8, "u64": 8,
]

struct CheckedTileCall { var x: Int; var y: Int; var file: String; var line: Int; var params: [String: Int] }
/// One `@set_color_config`: `rx`/`tx` are every side some switch position receives from and every way
/// some position sends (the base alone without `.switches`); `swapX`/`swapY` are `.color_swap_x/y`.
struct CheckedColorConfig {
    var x: Int
    var y: Int
    var color: Int
    var line: Int
    var rx: [String]
    var tx: [String]
    var swapX = false
    var swapY = false
}
struct CheckedConfigKey: Hashable { var x: Int; var y: Int; var color: Int }
enum CheckedExportKind: Equatable { case pointer(elem: String, mutable: Bool?), function, unknown }
struct CheckedExportName { var name: String; var line: Int; var kind: CheckedExportKind }

/// A top-level declaration of a CSL file.
struct CSLTopDecl {
    var keyword: String  // const, var, param, fn, task
    var name: String
    var type: [CSLToken]
    var value: [CSLToken]
    var line: Int
}

/// Top-level declarations (depth 0) of a token stream.
func cslTopDecls(_ toks: [CSLToken]) -> [CSLTopDecl] {
    var out: [CSLTopDecl] = []
    var i = 0
    func skipStatement(_ from: Int) -> Int {
        var j = from
        while j < toks.count {
            if toks[j].isPunct(";") { return j + 1 }
            if toks[j].kind == .punct, cslOpeners[toks[j].text] != nil {
                guard let c = cslMatching(toks, j) else { return toks.count }
                if toks[j].isPunct("{") && (c + 1 >= toks.count || !toks[c + 1].isPunct(";")) && (j == 0 || !toks[j - 1].isPunct(".")) { return c + 1 }
                j = c + 1
                continue
            }
            j += 1
        }
        return j
    }
    while i < toks.count {
        let t = toks[i]
        if t.kind == .ident, ["const", "var", "param"].contains(t.text), i + 1 < toks.count, toks[i + 1].kind == .ident {
            let end = skipStatement(i)
            var type: [CSLToken] = [], value: [CSLToken] = []
            var j = i + 2
            var inValue = false
            var depth = 0
            while j < end - 1 {
                let u = toks[j]
                if u.kind == .punct, cslOpeners[u.text] != nil { depth += 1 }
                if u.kind == .punct, cslClosers.contains(u.text) { depth -= 1 }
                if depth == 0 && !inValue && u.isPunct("=") {
                    inValue = true
                } else if inValue {
                    value.append(u)
                } else if !(j == i + 2 && u.isPunct(":")) {
                    type.append(u)
                }
                j += 1
            }
            out.append(CSLTopDecl(keyword: t.text, name: toks[i + 1].text, type: type, value: value, line: t.line))
            i = end
        } else if t.kind == .ident, ["fn", "task"].contains(t.text), i + 1 < toks.count, toks[i + 1].kind == .ident {
            out.append(CSLTopDecl(keyword: t.text, name: toks[i + 1].text, type: [], value: [], line: t.line))
            i = skipStatement(i)
        } else {
            i = skipStatement(i)
        }
    }
    return out
}

/// Known values of a PE program's `const`s and `param`s for one PE's tile-code parameters.
func cslFileEnv(_ decls: [CSLTopDecl], params: [String: Int]) -> [String: Int] {
    var env: [String: Int] = [:]
    for d in decls {
        if d.keyword == "param" {
            if let v = params[d.name] ?? cslEvaluate(d.value, env) { env[d.name] = v }
        } else if d.keyword == "const", let v = cslEvaluate(d.value, env) {
            env[d.name] = v
        }
    }
    return env
}

struct CSLCheckRun {
    let folder: String
    let budget: Int
    var findings: [CheckFinding] = []
    var layoutToks: [CSLToken] = []
    var rect: (w: Int, h: Int)?
    var rectLine = 1
    var complete = true
    var tiles: [CheckedTileCall] = []
    var configs: [CheckedColorConfig] = []
    /// (x, y, color) → index in `configs`.
    var configIndex: [CheckedConfigKey: Int] = [:]
    /// Layout lines already given a `cannot check` for their switches or filter.
    var notedDynamic: Set<String> = []
    /// The target `commands.sh` compiles for (read once before the layout is interpreted).
    var target: String?
    var exports: [CheckedExportName] = []
    /// Per tile: the bytes of arrays its PE program declares (``checkBudget(_:)``).
    var declaredData: [DeclaredData] = []
    /// Polled every few hundred steps of the long loops; once it says stop, ``stopped`` is set and every
    /// loop ends early.
    let shouldStop: () -> Bool
    private(set) var stopped = false
    private var polls = 0

    init(folder: String, budget: Int, shouldStop: @escaping () -> Bool = { false }) {
        self.folder = folder
        self.budget = budget
        self.shouldStop = shouldStop
    }

    /// True when the check must stop (asked on the first call and every 256th after).
    mutating func poll() -> Bool {
        if stopped { return true }
        defer { polls &+= 1 }
        if polls & 0xFF == 0, shouldStop() { stopped = true }
        return stopped
    }

    mutating func error(_ file: String, _ line: Int, _ m: String) { findings.append(.init(severity: .error, file: file, line: line, message: m)) }
    mutating func warn(_ file: String, _ line: Int, _ m: String) { findings.append(.init(severity: .warning, file: file, line: line, message: m)) }
    mutating func cannot(_ file: String, _ line: Int, _ m: String) { findings.append(.init(severity: .cannotCheck, file: file, line: line, message: m)) }

    /// What reading a project file gave.
    enum FileText {
        case text(String)
        case missing
        case notUTF8
    }

    func read(_ name: String) -> FileText {
        let path = (folder as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else { return .missing }
        guard let text = String(validating: data, as: UTF8.self) else { return .notUTF8 }
        return .text(text)
    }

    /// The tokens of `file`, or nil (with a `cannot check` finding) when its brackets nest deeper than
    /// the checker reads.
    mutating func tokens(_ file: String, _ source: String) -> [CSLToken]? {
        let toks = cslTokenize(source)
        if let deep = cslTooDeep(toks) {
            cannot(file, deep.line, "brackets nested deeper than \(cslMaxDepth) levels; \(file) is not checked further")
            return nil
        }
        return toks
    }

    mutating func run() {
        let layout: String
        switch read("layout.csl") {
        case .text(let text): layout = text
        case .missing:
            error("layout.csl", 1, "no layout.csl in the project folder")
            return
        case .notUTF8:
            error("layout.csl", 1, "layout.csl is not UTF-8 text")
            return
        }
        guard let toks = tokens("layout.csl", layout) else { return }
        layoutToks = toks
        commonChecks("layout.csl", layoutToks, env: cslFileEnv(cslTopDecls(layoutToks), params: [:]))
        target = architecture()
        interpretLayout()
        checkTiles()
        checkRoutes()
        // PE programs
        var peFiles: [String: [CSLToken]] = [:]
        let toCore: [CheckedConfigKey: Int]? = architecture() == "wse2" ? colorsToCore() : nil
        var seenMissing = Set<String>()
        var seenFiles = Set<String>()
        let tilesOfFile = Dictionary(grouping: tiles, by: \.file)
        for t in tiles where !seenFiles.contains(t.file) {
            if stopped { return }
            seenFiles.insert(t.file)
            switch read(t.file) {
            case .text(let src):
                guard let toks = tokens(t.file, src) else { continue }
                peFiles[t.file] = toks
                let decls = cslTopDecls(toks)
                // PEs with the same tile-code parameters share one environment.
                var envs: [[String: Int]: [String: Int]] = [:]
                var perPE: [(pe: String, env: [String: Int])] = []
                var users: [CheckedPE] = []
                for u in tilesOfFile[t.file] ?? [] {
                    if poll() { return }
                    if envs[u.params] == nil { envs[u.params] = cslFileEnv(decls, params: u.params) }
                    perPE.append((pe: "(\(u.x),\(u.y))", env: envs[u.params]!))
                    users.append(CheckedPE(x: u.x, y: u.y, env: envs[u.params]!))
                }
                commonChecks(t.file, toks, env: cslFileEnv(decls, params: [:]), perPE: perPE)
                peChecks(t.file, toks)
                dsdChecks(t.file, toks, pes: users)
                if let toCore { wse2TaskIDChecks(t.file, toks, pes: users, toCore: toCore) }
            case .missing:
                seenMissing.insert(t.file)
            case .notUTF8:
                error("layout.csl", t.line, "\(t.file) is not UTF-8 text")
            }
        }
        for t in tiles where seenMissing.contains(t.file) {
            error("layout.csl", t.line, "@set_tile_code names \"\(t.file)\", which does not exist in the project folder")
        }
        if stopped { return }
        checkExports(peFiles)
        checkBudget(peFiles)
    }

    // MARK: Checks of every file: brackets, colors, IDs, removed builtins, spellings CSL does not have

    /// `perPE`: for a PE program, the environment of each PE that runs it (its `@set_tile_code` parameters),
    /// so IDs given as parameters are checked PE by PE.
    mutating func commonChecks(_ file: String, _ toks: [CSLToken], env: [String: Int], perPE: [(pe: String, env: [String: Int])] = []) {
        // Brackets match.
        var stack: [CSLToken] = []
        for t in toks where t.kind == .punct {
            if cslOpeners[t.text] != nil {
                stack.append(t)
            } else if cslClosers.contains(t.text) {
                guard let top = stack.popLast() else { error(file, t.line, "unmatched '\(t.text)'"); continue }
                if cslOpeners[top.text] != t.text {
                    error(file, t.line, "'\(t.text)' does not match '\(top.text)' opened on line \(top.line)")
                }
            }
        }
        for t in stack { error(file, t.line, "'\(t.text)' is never closed") }

        var ids: [String: [Int: Int]] = [:]  // builtin → value → first line
        var idsOfPE = [[String: [Int: Int]]](repeating: [:], count: perPE.count)
        var idsOfAnyPE: [String: [Int: Int]] = [:]  // the first line any PE uses each value on
        for (i, t) in toks.enumerated() {
            let next = i + 1 < toks.count ? toks[i + 1] : nil
            // Builtins that never existed or were removed.
            if t.kind == .builtin, ["bind_local_task_to_color", "set_local_task_id", "bind_task_to_color", "bind_task", "rpc"].contains(t.text) {
                error(file, t.line, "@\(t.text) does not exist in CSL (never existed or removed in SDK 1.1)")
            }
            if t.isBuiltin("exp"), next?.isPunct("(") == true {
                error(file, t.line, "@exp does not exist: use math.exp_f32 from @import_module(\"<math>\")")
            }
            if t.isIdent("LAUNCH") { error(file, t.line, "the LAUNCH color was removed in SDK 1.1: export a function and launch it") }
            if t.kind == .string, t.text.contains("<memcpy_multi/") { error(file, t.line, "<memcpy_multi/...> was removed in SDK 1.1: use <memcpy/...>") }
            if t.isPunct("."), let n = next, n.kind == .ident, n.text == "enqueue" || n.text == "dequeue",
                i + 2 < toks.count, toks[i + 2].isPunct("(")
            {
                error(file, t.line, ".\(n.text)() does not exist in CSL: use fabric DSDs")
            }
            if t.isIdent("param"), next?.isIdent("memcpy") == true, i + 2 < toks.count, toks[i + 2].isPunct("=") {
                error(file, t.line, "memcpy is imported with `const memcpy = @import_module(\"<memcpy/get_params>\", ...)`, not a param")
            }
            // Spellings CSL does not have: a 3-argument @range, [R][C]T arrays.
            if t.isBuiltin("range"), next?.isPunct("(") == true, let c = cslMatching(toks, i + 1), cslSplitTop(toks, i + 1, c).count == 3 {
                error(file, t.line, "@range has no 3-argument form: use @range(T, stop) or @range(T, start, stop, step)")
            }
            if t.isPunct("["), next?.isPunct("*") != true, i > 0, toks[i - 1].kind != .ident, !toks[i - 1].isPunct(")"), !toks[i - 1].isPunct("]"),
                let c1 = cslMatching(toks, i), c1 + 1 < toks.count, toks[c1 + 1].isPunct("["),
                let c2 = cslMatching(toks, c1 + 1), c2 + 1 < toks.count, toks[c2 + 1].kind == .ident, cslElementSize[toks[c2 + 1].text] != nil
            {
                error(file, t.line, "multi-dimensional arrays are written [R, C]T, not [R][C]T")
            }
            // Rules 4 and 8: colors, task IDs, queues.
            guard t.kind == .builtin, next?.isPunct("(") == true, let close = cslMatching(toks, i + 1) else { continue }
            let args = cslSplitTop(toks, i + 1, close)
            guard let (range, what) = cslIDRanges[t.text] else { continue }
            if args.count == 1, cslEvaluate(args[0], env) == nil, !perPE.isEmpty,
                case let values = perPE.map({ cslEvaluate(args[0], $0.env) }), !values.contains(where: { $0 == nil })
            {
                // A parameter: check the value each PE gives it.
                for (k, value) in values.enumerated() {
                    if poll() { return }
                    let v = value!
                    if !range.contains(v) || (t.text == "get_color" && Architecture.memcpyColors.contains(v)) {
                        error(
                            file, t.line,
                            "@\(t.text)(\(v)) at PE \(perPE[k].pe): "
                                + (t.text == "get_color" ? "colors are \(Architecture.programColorsText) beside memcpy" : what))
                        break
                    }
                    if t.text != "get_color" {
                        if let first = idsOfPE[k][t.text]?[v] ?? ids[t.text]?[v] {
                            error(file, t.line, "@\(t.text)(\(v)) at PE \(perPE[k].pe) already used on line \(first)")
                            break
                        }
                        idsOfPE[k][t.text, default: [:]][v] = t.line
                        if idsOfAnyPE[t.text]?[v] == nil { idsOfAnyPE[t.text, default: [:]][v] = t.line }
                    }
                }
                continue
            }
            guard args.count == 1, let v = cslEvaluate(args[0], env) else {
                cannot(file, t.line, "@\(t.text) argument is not a literal or a resolvable const")
                continue
            }
            if t.text == "get_color" && Architecture.memcpyColors.contains(v) {
                error(file, t.line, "color \(v) is reserved by memcpy (\(Architecture.memcpyColors.map(String.init).joined(separator: ", ")))")
            } else if !range.contains(v) {
                error(file, t.line, "@\(t.text)(\(v)) out of range: \(what)")
            }
            if t.text != "get_color" {
                if let first = ids[t.text]?[v] ?? idsOfAnyPE[t.text]?[v] {
                    error(file, t.line, "@\(t.text)(\(v)) already used on line \(first)")
                } else {
                    ids[t.text, default: [:]][v] = t.line
                }
            }
        }
    }
}
