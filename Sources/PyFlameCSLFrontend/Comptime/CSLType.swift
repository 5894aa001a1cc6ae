import PyFlameLowering

/// The kinds of data structure descriptor SDK 1.4 has (`@get_dsd(KIND, .{ ... })`).
public enum CSLDSDKind: String, Sendable, Hashable, CaseIterable {
    case mem1d = "mem1d_dsd"
    case mem4d = "mem4d_dsd"
    case fabin = "fabin_dsd"
    case fabout = "fabout_dsd"

    /// Whether the DSD reads or writes the fabric (rather than memory).
    public var isFabric: Bool { self == .fabin || self == .fabout }
}

/// The three kinds of task ID (`@get_data_task_id`, `@get_local_task_id`, `@get_control_task_id`).
public enum CSLTaskKind: String, Sendable, Hashable, CaseIterable {
    case data, local, control

    /// The CSL type name: `data_task_id`, `local_task_id`, `control_task_id`.
    public var typeName: String { "\(rawValue)_task_id" }
}

/// A CSL type as comptime evaluation sees it.
public indirect enum CSLType: Sendable, Hashable, CustomStringConvertible {
    case comptimeInt
    case comptimeFloat
    /// `i8` ... `u64`.
    case int(signed: Bool, bits: Int)
    /// `f16`, `f32`.
    case float(bits: Int)
    case bool
    case void
    case type
    case color
    /// `comptime_struct`: any anonymous struct known at comptime.
    case comptimeStruct
    case comptimeString
    case taskID(CSLTaskKind)
    case inputQueue
    case outputQueue
    case direction
    case dsd(CSLDSDKind)
    case dsr
    case fifo
    /// An array `[N]T` or `[M, N]T` (dimensions outermost first).
    case array(dimensions: [Int], element: CSLType)
    /// `*T`, `[*]T` (`many`), with `const`.
    case pointer(to: CSLType, many: Bool, const: Bool)
    case function(parameters: [CSLType], result: CSLType)
    /// A `struct { ... }` declaration: its name (the declaration's) and its fields.
    case structType(name: String, fields: [CSLFieldType])
    /// An `enum(T) { ... }` declaration: its name and its cases.
    case enumType(name: String, cases: [String])
    /// An imported module.
    case module
    /// Something the evaluator does not model (a type it cannot follow): never an error by itself.
    case opaque(String)

    /// Every name `named(_:)` knows.
    static let builtinTypeNames = [
        "comptime_int", "comptime_float", "bool", "void", "type", "color", "comptime_struct", "comptime_string", "data_task_id", "local_task_id",
        "control_task_id", "input_queue", "output_queue", "direction", "mem1d_dsd", "mem4d_dsd", "fabin_dsd", "fabout_dsd", "dsr_dest", "dsr_src0",
        "dsr_src1", "ut_id", "f16", "f32", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64",
    ]

    /// The type named by a CSL keyword or builtin type name, if `name` is one.
    public static func named(_ name: String) -> CSLType? {
        switch name {
        case "comptime_int": return .comptimeInt
        case "comptime_float": return .comptimeFloat
        case "bool": return .bool
        case "void": return .void
        case "type": return .type
        case "color": return .color
        case "comptime_struct": return .comptimeStruct
        case "comptime_string": return .comptimeString
        case "data_task_id": return .taskID(.data)
        case "local_task_id": return .taskID(.local)
        case "control_task_id": return .taskID(.control)
        case "input_queue": return .inputQueue
        case "output_queue": return .outputQueue
        case "direction": return .direction
        case "mem1d_dsd": return .dsd(.mem1d)
        case "mem4d_dsd": return .dsd(.mem4d)
        case "fabin_dsd": return .dsd(.fabin)
        case "fabout_dsd": return .dsd(.fabout)
        case "dsr_dest", "dsr_src0", "dsr_src1": return .dsr
        // A WSE-3 microthread ID (`@get_ut_id(n)`): what a DSD operation's `.ut_id` names; not modelled.
        case "ut_id": return .opaque("ut_id")
        case "f16": return .float(bits: 16)
        case "f32": return .float(bits: 32)
        case "i8": return .int(signed: true, bits: 8)
        case "i16": return .int(signed: true, bits: 16)
        case "i32": return .int(signed: true, bits: 32)
        case "i64": return .int(signed: true, bits: 64)
        case "u8": return .int(signed: false, bits: 8)
        case "u16": return .int(signed: false, bits: 16)
        case "u32": return .int(signed: false, bits: 32)
        case "u64": return .int(signed: false, bits: 64)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .comptimeInt: return "comptime_int"
        case .comptimeFloat: return "comptime_float"
        case .int(let signed, let bits): return "\(signed ? "i" : "u")\(bits)"
        case .float(let bits): return "f\(bits)"
        case .bool: return "bool"
        case .void: return "void"
        case .type: return "type"
        case .color: return "color"
        case .comptimeStruct: return "comptime_struct"
        case .comptimeString: return "comptime_string"
        case .taskID(let kind): return kind.typeName
        case .inputQueue: return "input_queue"
        case .outputQueue: return "output_queue"
        case .direction: return "direction"
        case .dsd(let kind): return kind.rawValue
        case .dsr: return "dsr"
        case .fifo: return "fifo"
        case .array(let dims, let element): return "[\(dims.map(String.init).joined(separator: ", "))]\(element)"
        case .pointer(let to, let many, let const): return "\(many ? "[*]" : "*")\(const ? "const " : "")\(to)"
        case .function(let parameters, let result): return "fn(\(parameters.map(\.description).joined(separator: ", ")))\(result)"
        case .structType(let name, _): return name
        case .enumType(let name, _): return name
        case .module: return "imported_module"
        case .opaque(let what): return what
        }
    }

    /// Whether this is an integer type (fixed width or `comptime_int`).
    public var isInteger: Bool {
        switch self {
        case .int, .comptimeInt: return true
        default: return false
        }
    }

    /// Whether this is a float type (`f16`, `f32` or `comptime_float`).
    public var isFloat: Bool {
        switch self {
        case .float, .comptimeFloat: return true
        default: return false
        }
    }

    /// Size in bytes of a value of this type in PE memory, when it has one (nil for comptime-only types and
    /// for what the evaluator does not model). Array sizes saturate rather than overflow.
    public var byteSize: Int? {
        switch self {
        case .int(_, let bits): return bits / 8
        case .float(let bits): return bits / 8
        case .bool: return 1
        case .color, .direction: return 2
        case .dsd: return 16
        case .pointer: return 2
        case .array(let dims, let element):
            guard var size = element.byteSize else { return nil }
            for d in dims {
                let (product, overflow) = size.multipliedReportingOverflow(by: d)
                size = overflow ? Int.max : product
            }
            return size
        case .structType(_, let fields):
            var size = 0
            for f in fields {
                guard let s = f.type.byteSize else { return nil }
                let (sum, overflow) = size.addingReportingOverflow(s)
                size = overflow ? Int.max : sum
            }
            return size
        case .enumType: return 2
        default: return nil
        }
    }

    /// The range of values of a fixed-width integer type.
    public var integerRange: ClosedRange<Int>? {
        guard case .int(let signed, let bits) = self else { return nil }
        switch (signed, bits) {
        case (true, 64): return Int.min...Int.max
        case (false, 64): return 0...Int.max  // values above Int.max are not modelled
        case (true, _): return -(1 << (bits - 1))...((1 << (bits - 1)) - 1)
        default: return 0...((1 << bits) - 1)
        }
    }
}

/// A field of a declared struct type.
public struct CSLFieldType: Sendable, Hashable {
    public var name: String
    public var type: CSLType

    public init(name: String, type: CSLType) {
        self.name = name
        self.type = type
    }
}
