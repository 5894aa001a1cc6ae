import Foundation
import PyFlameIR
import PyFlameLanguage
import PyFlameSimulator

/// The name of every setting, as `set NAME VALUE` spells it: code reads settings by these cases, so a
/// misspelt name does not compile.
public enum SettingName: String, CaseIterable, Sendable {
    case peDataBudget = "pe_data_budget", hostLimit = "host_limit"
    case hopLatency = "hop_latency", rampLatency = "ramp_latency", bufferDepth = "buffer_depth"
    case sendStartup = "send_startup", dsdSetup = "dsd_setup", hostTransferCost = "host_transfer_cost"
    case stallLimit = "stall_limit", runLimit = "run_limit", sinkRate = "sink_rate"
    case hostInBuffer = "host_in_buffer", hostOutBuffer = "host_out_buffer"
    case checkpointInterval = "checkpoint_interval", checkpointMemory = "checkpoint_memory"
    case traceLimit = "trace_limit"
    case costExp = "cost_exp", costTanh = "cost_tanh", costSigmoid = "cost_sigmoid", costGelu = "cost_gelu"
    case costSilu = "cost_silu", costSqrt = "cost_sqrt", costDiv = "cost_div"
    case macCostF32 = "mac_cost_f32", macCost16Bit = "mac_cost_16bit", macCostInteger = "mac_cost_integer"
    case templates
}

/// One `set NAME VALUE` setting: its type and range with the unit, its default, what it does, and — for a
/// parameter of the fabric model — how it reaches the ``FabricModel`` (whose own defaults are the defaults
/// here: each number is written once).
public struct SettingDefinition: Sendable {
    public enum Kind: Sendable {
        case integer(ClosedRange<Int>, unit: String)
        case decimal(ClosedRange<Double>, unit: String)
        case path
    }

    /// Reads and writes the setting's field of the fabric model.
    public struct ModelField: Sendable {
        let read: @Sendable (FabricModel) -> Double
        let write: @Sendable (inout FabricModel, Double) -> Void
    }

    public var name: SettingName
    public var kind: Kind
    public var defaultValue: String
    public var summary: String
    public var modelField: ModelField?

    init(_ name: SettingName, _ kind: Kind, default value: String, _ summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = value
        self.summary = summary
    }

    /// A fabric-model parameter: its default is the model's.
    init(
        _ name: SettingName, _ kind: Kind, model read: @escaping @Sendable (FabricModel) -> Double,
        _ write: @escaping @Sendable (inout FabricModel, Double) -> Void, _ summary: String
    ) {
        let value = read(FabricModel())
        self.init(name, kind, default: SettingDefinition.text(value), summary)
        modelField = ModelField(read: read, write: write)
    }

    /// A model field's whole number from its setting (validated against its range when set, so in range;
    /// clamped anyway rather than trapping).
    static func whole(_ value: Double) -> Int {
        guard value.isFinite else { return 0 }
        return Int(exactly: value.rounded()) ?? (value > 0 ? Int.max : Int.min)
    }

    /// A value as settings print it: `2` for a whole number, `0.25` otherwise.
    static func text(_ value: Double) -> String {
        value == value.rounded() && Swift.abs(value) < 1e15 ? String(whole(value)) : String(value)
    }
}

/// The settings of a session: every named parameter with its documented default (`:help set` lists
/// them). Values are validated when set, so later stages can read them without checks.
public struct Settings: Sendable, Equatable {
    public static let definitions: [SettingDefinition] =
        [
            SettingDefinition(
                .peDataBudget, .integer(1...Architecture.peMemoryBytes, unit: "B"), default: String(Architecture.defaultPEDataBudget),
                "bytes of data a PE may hold: its \(Architecture.peMemoryBytes / 1024) KiB less code and stack (layouts, lowering, checker)"),
            SettingDefinition(
                .hostLimit, .integer(1...(1 << 31), unit: "elements"), default: "268435456",
                "largest tensor the host evaluates (256 Mi elements); larger ones are refused before allocating"),
            SettingDefinition(
                .hopLatency, .integer(1...64, unit: "cycles"), model: { Double($0.hopLatency) }, { $0.hopLatency = SettingDefinition.whole($1) },
                "fabric model: cycles for a wavelet to cross one link"),
            SettingDefinition(
                .rampLatency, .integer(0...64, unit: "cycles"), model: { Double($0.rampLatency) }, { $0.rampLatency = SettingDefinition.whole($1) },
                "fabric model: cycles from a core onto its router and from the router into the core"),
            SettingDefinition(
                .bufferDepth, .integer(1...64, unit: "wavelets"), model: { Double($0.bufferDepth) }, { $0.bufferDepth = SettingDefinition.whole($1) },
                "fabric model: router buffer per color per input"),
            SettingDefinition(
                .sendStartup, .integer(0...1000, unit: "cycles"), model: { Double($0.sendStartup) }, { $0.sendStartup = SettingDefinition.whole($1) },
                "fabric model: cycles before an async send's first wavelet"),
            SettingDefinition(
                .dsdSetup, .integer(0...1000, unit: "cycles"), model: { Double($0.dsdSetup) }, { $0.dsdSetup = SettingDefinition.whole($1) },
                "fabric model: cycles to set up a DSD operation"),
            SettingDefinition(
                .hostTransferCost, .integer(0...1000, unit: "cycles per element"), model: { Double($0.hostTransferCost) },
                { $0.hostTransferCost = SettingDefinition.whole($1) }, "fabric model: cost of host <-> PE copies (free by default)"),
            SettingDefinition(
                .stallLimit, .integer(1...100_000_000, unit: "cycles"), model: { Double($0.stallLimit) }, { $0.stallLimit = SettingDefinition.whole($1) },
                "fabric model: cycles without progress before a stall, deadlock or livelock is reported"),
            SettingDefinition(
                .runLimit, .integer(1...1_000_000_000, unit: "cycles"), default: "10000000",
                "simulator: cycles :run goes before it stops when no MAX is given"),
            SettingDefinition(
                .sinkRate, .integer(0...1, unit: "wavelets per cycle"), model: { Double($0.sinkRate) }, { $0.sinkRate = SettingDefinition.whole($1) },
                "routing playground: wavelets a core consumes per cycle (0 stops consumption)"),
            SettingDefinition(
                .hostInBuffer, .integer(0...1_000_000, unit: "wavelets"), model: { Double($0.hostInBuffer) },
                { $0.hostInBuffer = SettingDefinition.whole($1) }, "fabric model: wavelets memcpy's border holds for a stream in beyond the fabric"),
            SettingDefinition(
                .hostOutBuffer, .integer(0...1_000_000, unit: "wavelets"), model: { Double($0.hostOutBuffer) },
                { $0.hostOutBuffer = SettingDefinition.whole($1) }, "fabric model: wavelets memcpy's border takes for a stream out before its turn"),
            SettingDefinition(
                .checkpointInterval, .integer(1...1_000_000_000, unit: "cycles"), default: "1000",
                "simulator: cycles between the checkpoints :back and :goto go back through (for the next :sim)"),
            SettingDefinition(
                .checkpointMemory, .integer(0...(1 << 40), unit: "B"), default: "268435456",
                "simulator: memory the checkpoints may take (256 MiB; at most a quarter of the machine's); past it every other goes and the interval doubles"),
            SettingDefinition(
                .traceLimit, .integer(1024...(1 << 40), unit: "B"), default: "104857600",
                "largest file a :trace writes (100 MiB): past it the trace stops, its file complete with what it has"),
        ]
        + FabricModel.CostedFunction.allCases.map { function in
            SettingDefinition(
                SettingName(rawValue: "cost_" + function.rawValue)!, .integer(1...10_000, unit: "cycles per element"),
                model: { Double($0.functionCosts[function] ?? function.defaultCycles) }, { $0.functionCosts[function] = SettingDefinition.whole($1) },
                "fabric model: \(function == .div ? "division" : function.rawValue) (our default; no public figure)")
        } + [
            SettingDefinition(
                .macCostF32, .decimal(0.25...100, unit: "cycles per multiply-accumulate"), model: { $0.macCyclesF32 },
                { $0.macCyclesF32 = $1 }, "fabric model: an f32 matmul's multiply-accumulate (our default)"),
            SettingDefinition(
                .macCost16Bit, .decimal(0.25...100, unit: "cycles per multiply-accumulate"), model: { $0.macCycles16Bit },
                { $0.macCycles16Bit = $1 }, "fabric model: an f16/bf16 matmul's multiply-accumulate (four lanes at once)"),
            SettingDefinition(
                .macCostInteger, .decimal(0.25...100, unit: "cycles per multiply-accumulate"), model: { $0.macCyclesInteger },
                { $0.macCyclesInteger = $1 }, "fabric model: an integer matmul's multiply-accumulate (our default)"),
            SettingDefinition(
                .templates, .path, default: "",
                "folder of .csl.template files to use instead of the built-in ones (empty = built-in)"),
        ]

    public private(set) var values: [String: String]

    public init() {
        values = Dictionary(uniqueKeysWithValues: Settings.definitions.map { ($0.name.rawValue, $0.defaultValue) })
    }

    public static func definition(_ name: String) -> SettingDefinition? {
        SettingName(rawValue: name).flatMap { n in definitions.first { $0.name == n } }
    }

    /// The fabric model these settings describe (for the next `:sim`).
    public func fabricModel(architecture: Architecture) -> FabricModel {
        var model = FabricModel()
        model.architecture = architecture
        for d in Settings.definitions {
            guard let field = d.modelField, let value = values[d.name.rawValue].flatMap(Double.init) else { continue }
            field.write(&model, value)
        }
        return model
    }

    /// Sets a value after checking it; the error names the allowed range.
    public mutating func set(_ name: String, _ value: String) throws(IRError) {
        guard let definition = Settings.definition(name) else {
            let hint = Suggestions.closest(to: name, in: Settings.definitions.map(\.name.rawValue)).map { " (did you mean \($0)?)" } ?? ""
            throw IRError("unknown setting '\(name)'\(hint); :help set lists them")
        }
        switch definition.kind {
        case .integer(let range, let unit):
            guard let v = Settings.parseInteger(value) else {
                let suffixes =
                    value.first?.isNumber == true && value.contains(where: \.isLetter) ? " (suffixes: K, Ki or KiB for x1024; M, Mi or MiB for x1024²)" : ""
                throw IRError("\(name) takes a whole number of \(unit)\(suffixes), not '\(value)'")
            }
            guard range.contains(v) else {
                throw IRError("\(name) must be in \(range.lowerBound)...\(range.upperBound) \(unit), not \(v)")
            }
            values[name] = String(v)
        case .decimal(let range, let unit):
            guard let v = Double(value.replacingOccurrences(of: "_", with: "")), v.isFinite else {
                throw IRError("\(name) takes a number of \(unit), not '\(value)'")
            }
            guard range.contains(v) else {
                throw IRError("\(name) must be in \(range.lowerBound)...\(range.upperBound) \(unit), not \(v)")
            }
            values[name] = SettingDefinition.text(v)
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

    /// A whole-number setting's value (its text parsed: a failed parse is 0, never a trap; `set` already
    /// accepted the text as in range).
    public func integer(_ name: SettingName) -> Int { values[name.rawValue].flatMap { Int($0) } ?? 0 }
    public subscript(name: SettingName) -> String { values[name.rawValue] ?? "" }
    public subscript(name: String) -> String? { values[name] }

    /// Names whose value differs from the default.
    public var changed: [String] {
        Settings.definitions.filter { values[$0.name.rawValue] != $0.defaultValue }.map(\.name.rawValue)
    }

    public var peDataBudget: Int { integer(.peDataBudget) }
    public var hostLimit: Int { integer(.hostLimit) }
}
