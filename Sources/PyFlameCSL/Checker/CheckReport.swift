/// One thing the structural CSL checker found in a project folder: an error, a warning, or a place it
/// could not check (a construct outside the subset it understands), with the file and line it concerns.
public struct CheckFinding: Sendable, Equatable {
    /// How serious a finding is. `cannotCheck` means the checker met a construct it does not evaluate;
    /// it never passes such a project silently.
    public enum Severity: Sendable, Equatable {
        case error, warning, cannotCheck
    }
    /// The severity of the finding.
    public var severity: Severity
    /// The file name, relative to the project folder (e.g. `layout.csl`, `pe.csl`).
    public var file: String
    /// The 1-based line in `file`.
    public var line: Int
    /// What is wrong, without the location prefix.
    public var message: String
    /// `file:line: message`, `file:line: warning: message` or `file:line: cannot check: message`.
    public var rendered: String {
        switch severity {
        case .error: return "\(file):\(line): \(message)"
        case .warning: return "\(file):\(line): warning: \(message)"
        case .cannotCheck: return "\(file):\(line): cannot check: \(message)"
        }
    }

    /// Makes a finding.
    public init(severity: Severity, file: String, line: Int, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.message = message
    }
}

/// The result of checking one CSL project folder.
public struct CheckReport: Sendable {
    /// Every finding, in file order then line order, without duplicates.
    public var findings: [CheckFinding]
    /// True when there are no errors and nothing the checker could not check (warnings are allowed).
    public var passed: Bool {
        !interrupted && !findings.contains { $0.severity == .error || $0.severity == .cannotCheck }
    }

    /// The color configurations the checker read from `layout.csl` (loops expanded), in file order.
    public var routes: [LayoutRoute] = []

    /// The check was stopped (Ctrl-C) before it finished: the findings are not the folder's.
    public var interrupted = false

    /// The bytes of arrays each PE's program declares, as the budget check added them up (one entry per
    /// `@set_tile_code` the layout makes; PEs whose array sizes do not resolve are left out).
    public var declaredData: [DeclaredData] = []

    /// Makes a report from findings.
    public init(findings: [CheckFinding], routes: [LayoutRoute] = [], interrupted: Bool = false, declaredData: [DeclaredData] = []) {
        self.findings = findings
        self.routes = routes
        self.interrupted = interrupted
        self.declaredData = declaredData
    }
}

/// What one PE's program declares as data: rectangle coordinates, its PE program file and the bytes of
/// its arrays (what the checker compares with the PE data budget).
public struct DeclaredData: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var file: String
    public var bytes: Int

    public init(x: Int, y: Int, file: String, bytes: Int) {
        self.x = x
        self.y = y
        self.file = file
        self.bytes = bytes
    }
}

/// One `@set_color_config` as the checker read it: rectangle coordinates, color, and the bare direction
/// names of `.rx` and `.tx` (what a test compares with the FabricProgram's routes).
public struct LayoutRoute: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var color: Int
    public var rx: [String]
    public var tx: [String]

    public init(x: Int, y: Int, color: Int, rx: [String], tx: [String]) {
        self.x = x
        self.y = y
        self.color = color
        self.rx = rx
        self.tx = tx
    }
}
