/// An expression of the `.pfs` language, with the source range it came from.
public struct Expr: Equatable, Sendable {
    public indirect enum Kind: Equatable, Sendable {
        case integer(Int64)
        case float(Double)
        case string(String)
        case name(String)
        case list([Expr])
        /// `f(a, b, dim=0)`; `nameRange` is the function name's range.
        case call(name: String, nameRange: SourceRange, arguments: [Argument])
        case binary(BinaryOperator, Expr, Expr, operatorRange: SourceRange)
        case negate(Expr)
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// The infix operators: `+ - * /` and `@` (matmul).
public enum BinaryOperator: String, Equatable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", matmul = "@"
}

/// A call argument, positional or `label=value`.
public struct Argument: Equatable, Sendable {
    public var label: String?
    public var labelRange: SourceRange?
    public var value: Expr

    public init(label: String? = nil, labelRange: SourceRange? = nil, value: Expr) {
        self.label = label
        self.labelRange = labelRange
        self.value = value
    }
}

/// A layout clause as written after `on`.
public enum LayoutSyntax: Equatable, Sendable {
    case auto
    case singlePE
    case rowPartition(Int)
    case colPartition(Int)
    case grid(rows: Int, cols: Int)
}

/// `on LAYOUT` with its range.
public struct LayoutClause: Equatable, Sendable {
    public var layout: LayoutSyntax
    public var range: SourceRange
}

/// The argument of `fabric`.
public enum FabricSyntax: Equatable, Sendable {
    case size(width: Int, height: Int)
    case named(String)   // wse2, wse3
}

/// A word of a `:` command line (quotes removed) with its range.
public struct CommandWord: Equatable, Sendable {
    public var text: String
    public var range: SourceRange
}

/// One statement: what a line (or a continued line) of `.pfs` says.
public enum Statement: Equatable, Sendable {
    /// Blank or comment only.
    case empty
    case assignment(name: String, nameRange: SourceRange, value: Expr, layout: LayoutClause?)
    case expression(Expr, layout: LayoutClause?)
    case fabric(FabricSyntax, range: SourceRange)
    case target(String, range: SourceRange)
    case set(name: String, nameRange: SourceRange, value: String, valueRange: SourceRange)
    case command(name: String, nameRange: SourceRange, arguments: [CommandWord])
}
