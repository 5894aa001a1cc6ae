import PyFlameIR

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
        /// `x[1:-1, 2]`: one item per dimension written (the dims after them are taken whole).
        case index(Expr, [SliceItem])
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// One item of a subscript: `start:stop` (either bound may be omitted) or a single index.
public struct SliceItem: Equatable, Sendable {
    public var start: Expr?
    public var stop: Expr?
    /// True for `start:stop` (a `:` was written), false for a single index `x[2]`.
    public var isRange: Bool
    public var range: SourceRange

    public init(start: Expr?, stop: Expr?, isRange: Bool, range: SourceRange) {
        self.start = start
        self.stop = stop
        self.isRange = isRange
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
    case named(String)  // wse2, wse3
}

/// A word of a `:` command line (quotes removed) with its range.
public struct CommandWord: Equatable, Sendable {
    public var text: String
    public var range: SourceRange

    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
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
    /// `color red = 0`: a name for a color of the routing playground.
    case color(name: String, nameRange: SourceRange, id: Int, idRange: SourceRange)
    /// `route red (1,0)..(2,0): WEST -> RAMP, EAST`: one route config on every PE of the rectangle.
    case route(RouteSyntax)
    /// `send red (0,0) [0, 1, 2]`, `send red (0,0) f32 [1.5]`, `send red (0,0) [(0, 10.0)]`: wavelets queued at
    /// a PE's ramp, as 32-bit payloads of the kind they were written in.
    /// Control wavelets in the list (`[advance ignore, 0]`) are in `controls` by their position in `values`
    /// (whose entry there is 0).
    case send(
        color: String, colorRange: SourceRange, pe: PointSyntax, values: [UInt32], valuesRange: SourceRange, kind: PayloadKind,
        controls: [Int: ControlSyntax] = [:])
    /// `on (1,0) chain red -> blue add [1, 2]`: a playground core that reacts to what arrives.
    case reaction(ReactionSyntax)
    /// `unroute red (1,0)` or `unroute red (1,0)..(2,0)`: takes back the color's routes at those PEs.
    case unroute(color: String, colorRange: SourceRange, from: PointSyntax, to: PointSyntax?)
    /// `unsend red (0,0)`: takes back the color's sends at that PE.
    case unsend(color: String, colorRange: SourceRange, pe: PointSyntax)
}

/// `(x, y)` as written.
public struct PointSyntax: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var range: SourceRange
}

/// A `route` statement: color, a PE or an inclusive rectangle of PEs, rx and tx direction names
/// (upper case: NORTH SOUTH EAST WEST RAMP).
public struct RouteSyntax: Equatable, Sendable {
    public var color: String
    public var colorRange: SourceRange
    public var from: PointSyntax
    public var to: PointSyntax?
    public var rx: [String]
    public var rxRange: SourceRange
    public var tx: [String]
    public var txRange: SourceRange
    /// `switch ...`, `filter A..B`, `swap x|y|xy` after the directions.
    public var modifiers = RouteModifiersSyntax()
}

/// What a `route` says beyond rx and tx: `switch tx WEST, tx EAST at 1 ring pop always`, `filter 3..5`, `swap xy`.
public struct RouteModifiersSyntax: Equatable, Sendable {
    /// One switch position (`rx DIRS` and/or `tx DIRS`; nil keeps the base's).
    public struct Position: Equatable, Sendable {
        public var rx: [String]?
        public var tx: [String]?
    }

    /// Positions 1, 2, 3 (empty: no switch).
    public var positions: [Position] = []
    /// `at N`: the position the switch starts at.
    public var at: Int?
    /// `ring`: SWITCH_ADV at the last position wraps to the base.
    public var ring = false
    /// `pop always|advance|none`.
    public var pop: String?
    /// `filter A..B`: the range of wavelet indices the PE's core receives.
    public var filter: ClosedRange<Int>?
    /// `swap x`, `swap y` or `swap xy`.
    public var swapX = false
    public var swapY = false
    /// The whole modifier text (for errors).
    public var range: SourceRange?

    public init() {}

    public var isEmpty: Bool { positions.isEmpty && filter == nil && !swapX && !swapY }
}

/// A control wavelet as written in a `send` list: `advance ignore`, `reset teardown task 40 arg 2`.
public struct ControlSyntax: Equatable, Sendable {
    /// The words that name control commands.
    public static let commandWords = ["nop", "advance", "reset", "teardown"]

    /// Each command word and whether `ignore` follows it (the core does not receive the wavelet).
    public var commands: [(word: String, ignore: Bool)]
    public var entryPoint: Int?
    public var argument: Int
    public var range: SourceRange

    public static func == (a: ControlSyntax, b: ControlSyntax) -> Bool {
        a.commands.map(\.word) == b.commands.map(\.word) && a.commands.map(\.ignore) == b.commands.map(\.ignore)
            && a.entryPoint == b.entryPoint && a.argument == b.argument && a.range == b.range
    }
}

/// `on (x,y) ...`: what a playground core does with the wavelets that reach it.
public struct ReactionSyntax: Equatable, Sendable {
    /// What the core does.
    public enum Action: Equatable, Sendable {
        /// `receive N COLOR [then send COLOR [KIND] [VALUES]]`: take N wavelets, then send them (or `values`).
        case receive(count: Int, from: String, fromRange: SourceRange, then: SendBack?)
        /// `forward [N] COLOR -> COLOR`: a FIFO relay (N: every wavelet sent on the color, when not written).
        case forward(count: Int?, from: String, fromRange: SourceRange, to: String, toRange: SourceRange)
        /// `chain COLOR -> COLOR add|max [VALUES]`: receive, combine with its own value, forward.
        case chain(from: String, fromRange: SourceRange, to: String, toRange: SourceRange, combine: String, values: [UInt32], kind: PayloadKind)
    }

    /// `then send blue` (what was received) or `then send blue [1, 2]` (its own values, which may hold
    /// control wavelets: `then send blue [advance ignore]`, in `controls` by position as a send's are).
    public struct SendBack: Equatable, Sendable {
        public var color: String
        public var colorRange: SourceRange
        public var values: [UInt32]?
        public var kind: PayloadKind?
        public var controls: [Int: ControlSyntax] = [:]
    }

    public var pe: PointSyntax
    public var action: Action
    /// The whole statement after `on (x,y)`.
    public var range: SourceRange
}
