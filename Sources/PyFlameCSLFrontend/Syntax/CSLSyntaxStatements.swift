/// A statement in a block (a function's or task's body, `comptime { }`, `layout { }`), with its byte range.
public struct CSLStmt: Equatable, Sendable {
    public var kind: CSLStmtKind
    public var range: CSLSourceRange

    public init(_ kind: CSLStmtKind, _ range: CSLSourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// What a statement is.
public indirect enum CSLStmtKind: Equatable, Sendable {
    /// A local `const`/`var` (or a nested `comptime { }`, `fn`, ...).
    case declaration(CSLDecl)
    /// An expression whose value is dropped: a call, a builtin call (`@set_rectangle(4, 1);`), a `switch`.
    case expression(CSLExpr)
    /// `target = value`, `x += 1`, `p.* = v`, `a[i] |= m`.
    case assignment(CSLAssignment)
    case block(CSLBlock)
    /// `if (c) { } else if (d) { } else { }`
    case ifStmt(CSLIfStmt)
    /// `while (c) : (i += 1) { }`
    case whileStmt(CSLWhileStmt)
    /// `for (@range(i16, a, b, s)) |i| { }`, `for (array) |x, i| { }`
    case forStmt(CSLForStmt)
    case returnStmt(CSLExpr?)
    case breakStmt
    case continueStmt
}

/// `{ statements }`
public struct CSLBlock: Equatable, Sendable {
    public var statements: [CSLStmt]
    public var range: CSLSourceRange

    public init(statements: [CSLStmt], range: CSLSourceRange) {
        self.statements = statements
        self.range = range
    }
}

/// `=`, `+=`, `-=`, ... : the operator an assignment applies (nil for plain `=`).
public enum CSLAssignOperator: String, Equatable, Sendable, CaseIterable {
    case assign = "="
    case add = "+=", subtract = "-=", multiply = "*=", divide = "/=", remainder = "%="
    case shiftLeft = "<<=", shiftRight = ">>="
    case bitAnd = "&=", bitOr = "|=", bitXor = "^="
    case wrappingAdd = "+%=", wrappingSubtract = "-%=", wrappingMultiply = "*%="

    /// The binary operator `x op= y` applies as `x = x op y` (nil for `=`).
    public var binaryOperator: CSLBinaryOperator? {
        switch self {
        case .assign: nil
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        case .remainder: .remainder
        case .shiftLeft: .shiftLeft
        case .shiftRight: .shiftRight
        case .bitAnd: .bitAnd
        case .bitOr: .bitOr
        case .bitXor: .bitXor
        case .wrappingAdd: .wrappingAdd
        case .wrappingSubtract: .wrappingSubtract
        case .wrappingMultiply: .wrappingMultiply
        }
    }
}

/// `target op value`
public struct CSLAssignment: Equatable, Sendable {
    public var target: CSLExpr
    public var op: CSLAssignOperator
    public var value: CSLExpr

    public init(target: CSLExpr, op: CSLAssignOperator, value: CSLExpr) {
        self.target = target
        self.op = op
        self.value = value
    }
}

/// `if (condition) then else otherwise`; `otherwise` is a block statement or another `if` (for `else if`).
public struct CSLIfStmt: Equatable, Sendable {
    public var condition: CSLExpr
    public var then: CSLStmt
    public var otherwise: CSLStmt?

    public init(condition: CSLExpr, then: CSLStmt, otherwise: CSLStmt?) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
    }
}

/// `while (condition) : (continueStatement) body`
public struct CSLWhileStmt: Equatable, Sendable {
    public var condition: CSLExpr
    /// What `: ( ... )` runs after each iteration (usually an assignment such as `i += 1`).
    public var continueStatement: CSLStmt?
    public var body: CSLStmt
    /// `inline while`
    public var isInline: Bool

    public init(condition: CSLExpr, continueStatement: CSLStmt?, body: CSLStmt, isInline: Bool = false) {
        self.condition = condition
        self.continueStatement = continueStatement
        self.body = body
        self.isInline = isInline
    }
}

/// `for (iterable) |element, index| body`
public struct CSLForStmt: Equatable, Sendable {
    /// `@range(i16, n)`, `@range(i16, start, stop, step)`, or an array.
    public var iterable: CSLExpr
    public var element: CSLCapture
    public var index: CSLCapture?
    public var body: CSLStmt
    public var isInline: Bool

    public init(iterable: CSLExpr, element: CSLCapture, index: CSLCapture?, body: CSLStmt, isInline: Bool = false) {
        self.iterable = iterable
        self.element = element
        self.index = index
        self.body = body
        self.isInline = isInline
    }
}
