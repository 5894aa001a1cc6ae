/// `[N]T`, `[M, N]T` (one length per dimension) or `[_]T` (length from the literal it types).
public struct CSLArrayType: Equatable, Sendable {
    /// One entry per dimension; nil for `_`.
    public var dimensions: [CSLExpr?]
    public var element: CSLExpr

    public init(dimensions: [CSLExpr?], element: CSLExpr) {
        self.dimensions = dimensions
        self.element = element
    }
}

/// `*T` (one item), `[*]T` (many items), `[]T` (slice), each optionally `const`/`volatile` and `align(N)`.
public struct CSLPointerType: Equatable, Sendable {
    public enum Size: String, Equatable, Sendable {
        case one = "*"
        case many = "[*]"
        case slice = "[]"
    }

    public var size: Size
    public var isConst: Bool
    public var isVolatile: Bool
    public var alignment: CSLExpr?
    public var pointee: CSLExpr

    public init(size: Size, isConst: Bool, isVolatile: Bool = false, alignment: CSLExpr? = nil, pointee: CSLExpr) {
        self.size = size
        self.isConst = isConst
        self.isVolatile = isVolatile
        self.alignment = alignment
        self.pointee = pointee
    }
}

/// A parameter of a function (`comptime T: type`, `x: f32`) or of a function type (`fn (i16) void`: no name).
public struct CSLFunctionParameter: Equatable, Sendable {
    public var name: String?
    public var nameRange: CSLSourceRange?
    public var type: CSLExpr
    public var isComptime: Bool
    public var range: CSLSourceRange

    public init(name: String?, nameRange: CSLSourceRange?, type: CSLExpr, isComptime: Bool, range: CSLSourceRange) {
        self.name = name
        self.nameRange = nameRange
        self.type = type
        self.isComptime = isComptime
        self.range = range
    }
}

/// `fn (parameters) returnType`, or `task () void` (the type of a task passed as a param).
public struct CSLFunctionType: Equatable, Sendable {
    public var parameters: [CSLFunctionParameter]
    public var returnType: CSLExpr
    /// Written `task (...)` rather than `fn (...)`.
    public var isTask: Bool

    public init(parameters: [CSLFunctionParameter], returnType: CSLExpr, isTask: Bool = false) {
        self.parameters = parameters
        self.returnType = returnType
        self.isTask = isTask
    }
}

/// The memory layout a `struct`/`union` asks for.
public enum CSLContainerLayout: String, Equatable, Sendable {
    case auto
    case packed
    case `extern`
}

/// `struct { fields and declarations }` (also a `union`'s body).
public struct CSLStructType: Equatable, Sendable {
    public var layout: CSLContainerLayout
    public var fields: [CSLContainerField]
    /// `const`, `var`, `fn` inside the container.
    public var declarations: [CSLDecl]

    public init(layout: CSLContainerLayout, fields: [CSLContainerField], declarations: [CSLDecl]) {
        self.layout = layout
        self.fields = fields
        self.declarations = declarations
    }
}

/// `name: T align(N) = default` in a struct.
public struct CSLContainerField: Equatable, Sendable {
    public var name: String
    public var nameRange: CSLSourceRange
    public var type: CSLExpr
    public var alignment: CSLExpr?
    public var defaultValue: CSLExpr?
    public var range: CSLSourceRange

    public init(
        name: String, nameRange: CSLSourceRange, type: CSLExpr, alignment: CSLExpr? = nil, defaultValue: CSLExpr? = nil,
        range: CSLSourceRange
    ) {
        self.name = name
        self.nameRange = nameRange
        self.type = type
        self.alignment = alignment
        self.defaultValue = defaultValue
        self.range = range
    }
}

/// `enum(tag) { members and declarations }`
public struct CSLEnumType: Equatable, Sendable {
    /// `u16` in `enum(u16)`; nil when not given.
    public var tagType: CSLExpr?
    public var members: [CSLEnumMember]
    public var declarations: [CSLDecl]

    public init(tagType: CSLExpr?, members: [CSLEnumMember], declarations: [CSLDecl]) {
        self.tagType = tagType
        self.members = members
        self.declarations = declarations
    }
}

/// `NAME` or `NAME = value` in an enum.
public struct CSLEnumMember: Equatable, Sendable {
    public var name: String
    public var value: CSLExpr?
    public var range: CSLSourceRange

    public init(name: String, value: CSLExpr?, range: CSLSourceRange) {
        self.name = name
        self.value = value
        self.range = range
    }
}
