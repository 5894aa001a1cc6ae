import PyFlameIR
import PyFlameLanguage

/// One `set NAME VALUE` setting: its kind, default, what it does and which part reads it.
public struct SettingDefinition: Sendable {
    public enum Kind: Sendable {
        case integer(ClosedRange<Int>, unit: String)
        case path
    }

    public var name: String
    public var kind: Kind
    public var defaultValue: String
    public var summary: String

    public init(_ name: String, _ kind: Kind, default value: String, _ summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = value
        self.summary = summary
    }
}

/// The settings of a session: every named parameter with its documented default (`:help set` lists
/// them). Values are validated when set, so later stages can read them without checks.
public struct Settings: Sendable, Equatable {
    public static let definitions: [SettingDefinition] = [
        SettingDefinition("pe_data_budget", .integer(1...49_152, unit: "B"), default: "36864",
                          "bytes of data a PE may hold: 48 KiB - 8 KiB code - 4 KiB stack (layouts, lowering, simulator, checker)"),
        SettingDefinition("host_limit", .integer(1...(1 << 31), unit: "elements"), default: "268435456",
                          "largest tensor the host evaluates (256 Mi elements); larger ones are refused before allocating"),
        SettingDefinition("hop_latency", .integer(1...64, unit: "cycles"), default: "2",
                          "fabric model: cycles for a wavelet to cross one link"),
        SettingDefinition("ramp_latency", .integer(0...64, unit: "cycles"), default: "2",
                          "fabric model: cycles from a core onto its router and from the router into the core"),
        SettingDefinition("buffer_depth", .integer(1...64, unit: "wavelets"), default: "2",
                          "fabric model: router buffer per color per input"),
        SettingDefinition("send_startup", .integer(0...1000, unit: "cycles"), default: "7",
                          "fabric model: cycles before an async send's first wavelet"),
        SettingDefinition("dsd_setup", .integer(0...1000, unit: "cycles"), default: "16",
                          "fabric model: cycles to set up a DSD operation"),
        SettingDefinition("host_transfer_cost", .integer(0...1000, unit: "cycles per element"), default: "0",
                          "fabric model: cost of host <-> PE copies (free by default)"),
        SettingDefinition("stall_limit", .integer(1...100_000_000, unit: "cycles"), default: "10000",
                          "fabric model: cycles without progress before a stall, deadlock or livelock is reported"),
        SettingDefinition("run_limit", .integer(1...1_000_000_000, unit: "cycles"), default: "10000000",
                          "simulator: cycles :run goes before it stops when no MAX is given"),
        SettingDefinition("sink_rate", .integer(0...1, unit: "wavelets per cycle"), default: "1",
                          "routing playground: wavelets a core consumes per cycle (0 stops consumption)"),
        SettingDefinition("cost_exp", .integer(1...10_000, unit: "cycles per element"), default: "20",
                          "fabric model: exp (our default; no public figure)"),
        SettingDefinition("cost_tanh", .integer(1...10_000, unit: "cycles per element"), default: "24",
                          "fabric model: tanh"),
        SettingDefinition("cost_sigmoid", .integer(1...10_000, unit: "cycles per element"), default: "24",
                          "fabric model: sigmoid"),
        SettingDefinition("cost_gelu", .integer(1...10_000, unit: "cycles per element"), default: "32",
                          "fabric model: gelu"),
        SettingDefinition("cost_silu", .integer(1...10_000, unit: "cycles per element"), default: "24",
                          "fabric model: silu"),
        SettingDefinition("cost_sqrt", .integer(1...10_000, unit: "cycles per element"), default: "12",
                          "fabric model: sqrt"),
        SettingDefinition("cost_div", .integer(1...10_000, unit: "cycles per element"), default: "8",
                          "fabric model: division"),
        SettingDefinition("templates", .path, default: "",
                          "folder of .csl.template files to use instead of the built-in ones (empty = built-in)"),
    ]

    public private(set) var values: [String: String]

    public init() {
        values = Dictionary(uniqueKeysWithValues: Settings.definitions.map { ($0.name, $0.defaultValue) })
    }

    public static func definition(_ name: String) -> SettingDefinition? { definitions.first { $0.name == name } }

    /// Sets a value after checking it; the error names the allowed range.
    public mutating func set(_ name: String, _ value: String) throws(IRError) {
        guard let definition = Settings.definition(name) else {
            let hint = Suggestions.closest(to: name, in: Settings.definitions.map(\.name)).map { " (did you mean \($0)?)" } ?? ""
            throw IRError("unknown setting '\(name)'\(hint); :help set lists them")
        }
        switch definition.kind {
        case .integer(let range, let unit):
            guard let v = Settings.parseInteger(value) else {
                let suffixes = value.first?.isNumber == true && value.contains(where: \.isLetter) ? " (suffixes: K, Ki or KiB for x1024; M, Mi or MiB for x1024²)" : ""
                throw IRError("\(name) takes a whole number of \(unit)\(suffixes), not '\(value)'")
            }
            guard range.contains(v) else {
                throw IRError("\(name) must be in \(range.lowerBound)...\(range.upperBound) \(unit), not \(v)")
            }
            values[name] = String(v)
        case .path:
            values[name] = value
        }
    }

    /// Integers as users write them: `36864`, `36_864`, `36K`/`36KiB` (×1024), `256Mi` (×1024²).
    static func parseInteger(_ text: String) -> Int? {
        var t = text.replacingOccurrences(of: "_", with: "")
        var scale = 1
        for (suffix, factor) in [("KiB", 1024), ("MiB", 1 << 20), ("Ki", 1024), ("Mi", 1 << 20), ("K", 1024), ("M", 1 << 20)] where t.hasSuffix(suffix) {
            t.removeLast(suffix.count)
            scale = factor
            break
        }
        guard let v = Int(t) else { return nil }
        let (product, overflow) = v.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }

    public func integer(_ name: String) -> Int { Int(values[name] ?? "") ?? 0 }
    public subscript(name: String) -> String? { values[name] }

    /// Names whose value differs from the default.
    public var changed: [String] {
        Settings.definitions.filter { values[$0.name] != $0.defaultValue }.map(\.name)
    }

    public var peDataBudget: Int { integer("pe_data_budget") }
    public var hostLimit: Int { integer("host_limit") }
}
