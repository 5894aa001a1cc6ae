/// An expression of CSL, with the byte range it covers. In CSL (as in Zig) types are values, so a type written in
/// source (`[N]f32`, `*const u16`, `struct { ... }`) is an expression too: see the type cases of ``CSLExprKind``.
public struct CSLExpr: Equatable, Sendable {
    public var kind: CSLExprKind
    public var range: CSLSourceRange

    public init(_ kind: CSLExprKind, _ range: CSLSourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// What an expression is. Operands are ``CSLExpr``s (each with its own range); the parser bounds the nesting depth,
/// so walking a tree recursively is safe.
public indirect enum CSLExprKind: Equatable, Sendable {
    // ---- Literals
    /// `42`, `0x1F`, `0b1010`, `0o17`, `1_000`: the text as written and its value (nil when it does not fit an `Int`).
    case integer(text: String, value: Int?)
    /// `1.5`, `2.0e-3`: the text as written and its value.
    case float(text: String, value: Double)
    /// `"pe_program.csl"`, escapes decoded.
    case string(String)
    /// `'a'`: the Unicode scalar value.
    case character(UInt32)
    case bool(Bool)
    case null
    case undefined
    case unreachable

    // ---- Names and access
    /// A name: a variable, constant, param, function, type (`f32`, `u16`, `color`, `void`, `comptime_int`) or one of
    /// the predeclared values (`RAMP`, `EAST`, ...). `_` (a discarded capture) is an identifier too.
    case identifier(String)
    /// `.foo`: a name the context's enum type resolves (`.{ .tx = .RAMP }` is rare; `.always_pop` style).
    case enumLiteral(String)
    /// `base.name`: a struct field, a module's declaration (`memcpy.get_params`), an enum member.
    case member(CSLExpr, name: String, nameRange: CSLSourceRange)
    /// `pointer.*`
    case dereference(CSLExpr)
    /// `a[i]`, `A[i, j]` (one index per dimension).
    case index(CSLExpr, indices: [CSLExpr])
    /// `a[start..end]` or `a[start..]`.
    case slice(CSLExpr, start: CSLExpr, end: CSLExpr?)
    /// `f(x, y)`, `memcpy.get_params(pe_x)`.
    case call(CSLExpr, arguments: [CSLExpr])
    /// `@name(arguments)`: `name` without the `@` (`set_color_config`, `import_module`, `get_dsd`, ...).
    case builtinCall(name: String, nameRange: CSLSourceRange, arguments: [CSLExpr])

    // ---- Operators
    /// `-x`, `!x`, `~x`, `&x`, `-%x`.
    case unary(CSLUnaryOperator, CSLExpr)
    /// `a + b`, `a and b`, `a << 2`, ... (parsed with Zig's precedence: see ``CSLBinaryOperator/precedence``).
    case binary(CSLBinaryOperator, CSLExpr, CSLExpr)

    // ---- Aggregate literals
    /// `.{ .a = x, .b = y }` (anonymous: `type` nil) or `T{ .a = x }`. `.{}` is an anonymous struct with no fields.
    case structInit(type: CSLExpr?, fields: [CSLFieldInit])
    /// `.{ RAMP, EAST }` (anonymous: `type` nil) or an array literal `[3]i16{ 1, 2, 3 }`, `[_]u16{ 1, 2 }`.
    case tupleInit(type: CSLExpr?, elements: [CSLExpr])
    /// A DSD's access pattern: `|i|{N} -> a[i]`, `|i, j|{M, N} -> A[i, j]`.
    case tensorAccess(CSLTensorAccess)

    // ---- Control as values
    /// `if (c) a else b`; without `else` (`if (c) a`, void when `c` is false) `otherwise` is an empty ``block`` with
    /// an empty range at the end of `then`.
    case ifExpr(condition: CSLExpr, then: CSLExpr, otherwise: CSLExpr)
    /// `switch (x) { 0 => a, 1, 2 => b, else => c }` (also a switch used as a statement: prong bodies are blocks).
    case switchExpr(CSLSwitch)
    /// `comptime expr`
    case comptime(CSLExpr)
    /// `{ ... }` where a value goes (`{}` is the void value, as in `encode(..., true, {}, 0)`).
    case block(CSLBlock)

    // ---- Types (see CSLSyntaxTypes.swift)
    /// `[N]T`, `[M, N]T`, `[_]T`
    case arrayType(CSLArrayType)
    /// `*T`, `*const T`, `[*]T`, `[*]const T`, `[]T`, with `align(N)`.
    case pointerType(CSLPointerType)
    /// `?T`
    case optionalType(CSLExpr)
    /// `fn (i16, f32) void`
    case functionType(CSLFunctionType)
    /// `struct { ... }`, `packed struct { ... }`, `extern struct { ... }`
    case structType(CSLStructType)
    /// `enum { A, B }`, `enum(u16) { A = 1, B }`
    case enumType(CSLEnumType)
    /// `union { ... }`, `packed union { ... }` (fields as a struct's).
    case unionType(CSLStructType)
}

/// `.name = value` in a struct literal.
public struct CSLFieldInit: Equatable, Sendable {
    public var name: String
    public var nameRange: CSLSourceRange
    public var value: CSLExpr
    /// From the `.` to the end of the value.
    public var range: CSLSourceRange

    public init(name: String, nameRange: CSLSourceRange, value: CSLExpr, range: CSLSourceRange) {
        self.name = name
        self.nameRange = nameRange
        self.value = value
        self.range = range
    }
}

/// A name bound by `|i|` (a DSD's index variable, a `for` capture).
public struct CSLCapture: Equatable, Sendable {
    public var name: String
    public var range: CSLSourceRange

    public init(name: String, range: CSLSourceRange) {
        self.name = name
        self.range = range
    }
}

/// `|i, j|{M, N} -> A[i, j]`: one index variable per extent, and the access they drive.
public struct CSLTensorAccess: Equatable, Sendable {
    public var indices: [CSLCapture]
    public var extents: [CSLExpr]
    public var access: CSLExpr

    public init(indices: [CSLCapture], extents: [CSLExpr], access: CSLExpr) {
        self.indices = indices
        self.extents = extents
        self.access = access
    }
}

/// `switch (subject) { prongs }`
public struct CSLSwitch: Equatable, Sendable {
    public var subject: CSLExpr
    public var prongs: [CSLSwitchProng]

    public init(subject: CSLExpr, prongs: [CSLSwitchProng]) {
        self.subject = subject
        self.prongs = prongs
    }
}

/// `0, 1 => body` or `else => body`; an item may be a range `a...b` (``CSLSwitchItem``).
public struct CSLSwitchProng: Equatable, Sendable {
    /// Empty for `else`.
    public var items: [CSLSwitchItem]
    public var isElse: Bool
    /// `=> |v| body`
    public var capture: CSLCapture?
    public var body: CSLExpr
    public var range: CSLSourceRange

    public init(items: [CSLSwitchItem], isElse: Bool, capture: CSLCapture?, body: CSLExpr, range: CSLSourceRange) {
        self.items = items
        self.isElse = isElse
        self.capture = capture
        self.body = body
        self.range = range
    }
}

/// One value a switch prong matches, or an inclusive range `low...high`.
public enum CSLSwitchItem: Equatable, Sendable {
    case value(CSLExpr)
    case range(CSLExpr, CSLExpr)
}

/// Prefix operators.
public enum CSLUnaryOperator: String, Equatable, Sendable, CaseIterable {
    case negate = "-"
    case wrappingNegate = "-%"
    case not = "!"
    case bitNot = "~"
    case addressOf = "&"
}

/// Infix operators, with Zig's precedence (CSL's): `or` < `and` < comparisons < bitwise (`&`, `^`, `|`, `orelse`,
/// `catch`) < shifts < additive < multiplicative.
public enum CSLBinaryOperator: String, Equatable, Sendable, CaseIterable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="
    case bitAnd = "&", bitXor = "^", bitOr = "|", orElse = "orelse", `catch`
    case shiftLeft = "<<", shiftRight = ">>"
    case add = "+", subtract = "-", concatenate = "++", wrappingAdd = "+%", wrappingSubtract = "-%"
    case multiply = "*", divide = "/", remainder = "%", repeatArray = "**", wrappingMultiply = "*%", mergeErrorSets = "||"

    /// Higher binds tighter; operators of one level associate to the left (comparisons do not chain).
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual: 3
        case .bitAnd, .bitXor, .bitOr, .orElse, .catch: 4
        case .shiftLeft, .shiftRight: 5
        case .add, .subtract, .concatenate, .wrappingAdd, .wrappingSubtract: 6
        case .multiply, .divide, .remainder, .repeatArray, .wrappingMultiply, .mergeErrorSets: 7
        }
    }

    public var isComparison: Bool { precedence == 3 }
}
