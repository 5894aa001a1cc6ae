import PyFlameLowering

/// A value comptime evaluation computed (or knows only the type of, `.runtime`).
public indirect enum CSLValue: Sendable, Hashable, CustomStringConvertible {
    /// An integer of a fixed-width type or `comptime_int` (the value always fits the type).
    case int(Int, CSLType)
    /// A float of `f16`, `f32` or `comptime_float`.
    case float(Double, CSLType)
    case bool(Bool)
    case void
    /// A string literal (file names, export names, `@is_arch` arguments).
    case string(String)
    case type(CSLType)
    /// A color from `@get_color(N)`.
    case color(Int)
    case taskID(CSLTaskKind, Int)
    case inputQueue(Int)
    case outputQueue(Int)
    /// `NORTH`, `EAST`, `SOUTH`, `WEST`, `RAMP`.
    case direction(Direction)
    /// An anonymous or declared struct: `.{ .a = 1, .b = 2 }`.
    case structValue(CSLStructValue)
    /// An anonymous list: `.{ RAMP, EAST }`.
    case tuple([CSLValue])
    case array(CSLArrayValue)
    case enumCase(type: String, name: String, value: Int)
    case dsd(CSLDSDValue)
    /// An imported module (a file with its parameters, or one of the SDK's libraries).
    case module(CSLModuleRef)
    case function(CSLFunctionRef)
    /// `&name`: the address of a global (or of an element of it).
    case pointer(CSLPointerValue)
    /// A value known only when the program runs, of this type (a `var`'s contents, a runtime call's result).
    case runtime(CSLType)
    /// Something from a library the evaluator does not model (`cannot check`).
    case opaque(String)

    /// The value's type.
    public var type: CSLType {
        switch self {
        case .int(_, let t), .float(_, let t), .runtime(let t): return t
        case .bool: return .bool
        case .void: return .void
        case .string: return .comptimeString
        case .type: return .type
        case .color: return .color
        case .taskID(let kind, _): return .taskID(kind)
        case .inputQueue: return .inputQueue
        case .outputQueue: return .outputQueue
        case .direction: return .direction
        case .structValue(let s): return s.typeName.map { .structType(name: $0, fields: []) } ?? .comptimeStruct
        case .tuple: return .comptimeStruct
        case .array(let a): return a.type
        case .enumCase(let type, _, _): return .enumType(name: type, cases: [])
        case .dsd(let d): return .dsd(d.kind)
        case .module: return .module
        case .function(let f): return f.type
        case .pointer(let p): return p.type
        case .opaque(let what): return .opaque(what)
        }
    }

    /// How the value reads in messages and in `:pes`.
    public var description: String {
        switch self {
        case .int(let v, _): return String(v)
        case .float(let v, _): return String(v)
        case .bool(let b): return b ? "true" : "false"
        case .void: return "{}"
        case .string(let s): return "\"\(s)\""
        case .type(let t): return t.description
        case .color(let c): return "color \(c)"
        case .taskID(let kind, let id): return "\(kind.typeName) \(id)"
        case .inputQueue(let q): return "input queue \(q)"
        case .outputQueue(let q): return "output queue \(q)"
        case .direction(let d): return d.description
        case .structValue(let s): return s.description
        case .tuple(let items): return ".{ \(items.map(\.description).joined(separator: ", ")) }"
        case .array(let a): return "\(a.type) value"
        case .enumCase(let type, let name, _): return "\(type).\(name)"
        case .dsd(let d): return d.kind.rawValue
        case .module(let m): return "module \(m.name)"
        case .function(let f): return "fn \(f.name)"
        case .pointer(let p): return "&\(p.global)"
        case .runtime(let t): return "runtime \(t)"
        case .opaque(let what): return what
        }
    }

    /// The integer, when this is one.
    public var intValue: Int? {
        if case .int(let v, _) = self { return v }
        return nil
    }

    /// The boolean, when this is one.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The struct, when this is one (an empty tuple `.{}` reads as an empty struct).
    public var structValue: CSLStructValue? {
        switch self {
        case .structValue(let s): return s
        case .tuple(let items) where items.isEmpty: return CSLStructValue(fields: [])
        default: return nil
        }
    }
}

/// An anonymous struct value (or an instance of a declared struct, `typeName` set): fields in order.
public struct CSLStructValue: Sendable, Hashable, CustomStringConvertible {
    public var typeName: String?
    public var fields: [CSLStructField]

    public init(typeName: String? = nil, fields: [CSLStructField]) {
        self.typeName = typeName
        self.fields = fields
    }

    /// The value of field `name`, if the struct has it.
    public subscript(name: String) -> CSLValue? {
        fields.first { $0.name == name }?.value
    }

    public var description: String {
        fields.isEmpty ? ".{}" : ".{ \(fields.map { ".\($0.name) = \($0.value)" }.joined(separator: ", ")) }"
    }
}

/// One field of a struct value.
public struct CSLStructField: Sendable, Hashable {
    public var name: String
    public var value: CSLValue

    public init(_ name: String, _ value: CSLValue) {
        self.name = name
        self.value = value
    }
}

/// An array value: its type and, when known at comptime, its elements (row-major; nil when the elements
/// are known only at run time, as for `var A: [N]f32;`).
public struct CSLArrayValue: Sendable, Hashable {
    public var type: CSLType
    public var elements: [CSLValue]?

    public init(type: CSLType, elements: [CSLValue]?) {
        self.type = type
        self.elements = elements
    }
}

/// A data structure descriptor built by `@get_dsd` (or changed by `@set_dsd_*` at comptime): what the
/// checks need of it. Fields the call did not give are nil.
public struct CSLDSDValue: Sendable, Hashable {
    public var kind: CSLDSDKind
    /// `.fabric_color` of a fabric DSD.
    public var fabricColor: Int?
    /// `.input_queue` / `.output_queue` of a fabric DSD.
    public var queue: Int?
    /// `.extent` of a fabric DSD, or the length of a memory DSD's tensor access (its dimensions' product).
    public var extent: Int?
    /// A memory DSD's dimensions (`|i|{N}`, `|i, j|{M, N}`), outermost first.
    public var dimensions: [Int]
    /// The buffer a memory DSD reads or writes (`.base_address = &A` or `tensor_access ... -> A[...]`).
    public var baseBuffer: String?
    /// The element offset of the first access in `baseBuffer`.
    public var offset: Int?
    /// The element stride per dimension (in `dimensions`' order).
    public var strides: [Int]
    /// `.control = true`: the DSD sends control wavelets.
    public var control: Bool
    /// `.wavelet_index_offset`, `.advance_switch`, `.simd_mode` ... : fields given that the checks do not read.
    public var otherFields: [String]

    public init(
        kind: CSLDSDKind, fabricColor: Int? = nil, queue: Int? = nil, extent: Int? = nil, dimensions: [Int] = [], baseBuffer: String? = nil,
        offset: Int? = nil, strides: [Int] = [], control: Bool = false, otherFields: [String] = []
    ) {
        self.kind = kind
        self.fabricColor = fabricColor
        self.queue = queue
        self.extent = extent
        self.dimensions = dimensions
        self.baseBuffer = baseBuffer
        self.offset = offset
        self.strides = strides
        self.control = control
        self.otherFields = otherFields
    }

    /// The highest element index of `baseBuffer` the DSD touches (offset + Σ (dim − 1)·stride), when known.
    public var lastElementIndex: Int? {
        guard let offset, dimensions.count == strides.count else { return nil }
        var last = offset
        for (d, s) in zip(dimensions, strides) where d > 0 {
            let (step, o1) = (d - 1).multipliedReportingOverflow(by: s)
            let (sum, o2) = last.addingReportingOverflow(step)
            if o1 || o2 { return nil }
            last = sum
        }
        return last
    }
}

/// An imported module, by identity (`id` is the evaluator's; `name` is the file path or `<library>`).
public struct CSLModuleRef: Sendable, Hashable {
    public var id: Int
    public var name: String

    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}

/// A function: one declared in a module (`fn`/`task`), or a native function of an SDK library.
public struct CSLFunctionRef: Sendable, Hashable {
    /// The module that declares it (the evaluator's module id).
    public var moduleID: Int
    public var name: String
    public var type: CSLType
    /// Whether it is a `task` (rather than an `fn`).
    public var isTask: Bool

    public init(moduleID: Int, name: String, type: CSLType, isTask: Bool = false) {
        self.moduleID = moduleID
        self.name = name
        self.type = type
        self.isTask = isTask
    }
}

/// `&global` (possibly `&global[k]`): a pointer into a PE's memory.
public struct CSLPointerValue: Sendable, Hashable {
    public var global: String
    public var elementOffset: Int
    public var type: CSLType

    public init(global: String, elementOffset: Int = 0, type: CSLType) {
        self.global = global
        self.elementOffset = elementOffset
        self.type = type
    }
}
