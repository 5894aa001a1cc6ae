/// A parsed CSL file: its declarations in source order (a concrete syntax tree: every node has its byte range).
public struct CSLSyntaxTree: Sendable {
    public let file: CSLSourceFile
    public var declarations: [CSLDecl]

    public init(file: CSLSourceFile, declarations: [CSLDecl]) {
        self.file = file
        self.declarations = declarations
    }
}

/// A declaration: at the top level of a file, inside a `struct`/`enum`, or as a statement in a block.
public struct CSLDecl: Equatable, Sendable {
    public var kind: CSLDeclKind
    public var range: CSLSourceRange

    public init(_ kind: CSLDeclKind, _ range: CSLSourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The declared name (nil for `comptime { }`, `layout { }`, `usingnamespace`).
    public var name: String? {
        switch kind {
        case .variable(let v): v.name
        case .param(let p): p.name
        case .function(let f), .task(let f): f.name
        case .comptimeBlock, .layoutBlock, .usingNamespace: nil
        }
    }
}

/// What a declaration is.
public enum CSLDeclKind: Equatable, Sendable {
    /// `const x: T = v;`, `var buf: [N]f32 align(16) = @zeros([N]f32);`, `export var`, `extern var`.
    case variable(CSLVariableDecl)
    /// `param N: i16;`, `param M: i16 = 4;`
    case param(CSLParamDecl)
    /// `fn f(x: i16) void { }`, `export fn`, `extern fn f() void;`, `inline fn`.
    case function(CSLFunctionDecl)
    /// `task t() void { }`, `task recv(data: f32) void { }`
    case task(CSLFunctionDecl)
    /// `comptime { ... }`
    case comptimeBlock(CSLBlock)
    /// `layout { ... }`
    case layoutBlock(CSLBlock)
    /// `usingnamespace expr;`
    case usingNamespace(CSLExpr)
}

/// Keywords written before a declaration.
public struct CSLDeclModifiers: Equatable, Sendable {
    public var isExport: Bool
    public var isExtern: Bool
    public var isPublic: Bool
    public var isInline: Bool
    public var isComptime: Bool

    public init(
        isExport: Bool = false, isExtern: Bool = false, isPublic: Bool = false, isInline: Bool = false,
        isComptime: Bool = false
    ) {
        self.isExport = isExport
        self.isExtern = isExtern
        self.isPublic = isPublic
        self.isInline = isInline
        self.isComptime = isComptime
    }

    public static let none = CSLDeclModifiers()
}

/// `const`/`var` with an optional type, alignment and value (a value is required unless `extern`).
public struct CSLVariableDecl: Equatable, Sendable {
    public var isConst: Bool
    public var name: String
    public var nameRange: CSLSourceRange
    public var type: CSLExpr?
    public var alignment: CSLExpr?
    public var value: CSLExpr?
    public var modifiers: CSLDeclModifiers

    public init(
        isConst: Bool, name: String, nameRange: CSLSourceRange, type: CSLExpr?, alignment: CSLExpr? = nil,
        value: CSLExpr?, modifiers: CSLDeclModifiers = .none
    ) {
        self.isConst = isConst
        self.name = name
        self.nameRange = nameRange
        self.type = type
        self.alignment = alignment
        self.value = value
        self.modifiers = modifiers
    }
}

/// `param name: T;`, `param name: T = default;` or `param name;` (untyped): a value set by `@set_tile_code`,
/// `@import_module` or `--params`.
public struct CSLParamDecl: Equatable, Sendable {
    public var name: String
    public var nameRange: CSLSourceRange
    public var type: CSLExpr?
    public var defaultValue: CSLExpr?

    public init(name: String, nameRange: CSLSourceRange, type: CSLExpr?, defaultValue: CSLExpr?) {
        self.name = name
        self.nameRange = nameRange
        self.type = type
        self.defaultValue = defaultValue
    }
}

/// A `fn` or a `task`: name, parameters, return type and body (nil for `extern fn f() void;`).
public struct CSLFunctionDecl: Equatable, Sendable {
    public var name: String
    public var nameRange: CSLSourceRange
    public var parameters: [CSLFunctionParameter]
    public var returnType: CSLExpr
    public var body: CSLBlock?
    public var modifiers: CSLDeclModifiers

    public init(
        name: String, nameRange: CSLSourceRange, parameters: [CSLFunctionParameter], returnType: CSLExpr,
        body: CSLBlock?, modifiers: CSLDeclModifiers = .none
    ) {
        self.name = name
        self.nameRange = nameRange
        self.parameters = parameters
        self.returnType = returnType
        self.body = body
        self.modifiers = modifiers
    }
}
