/// The words CSL reserves (as Zig does); `true`, `false`, `null`, `undefined` and type names are identifiers the
/// parser or evaluator resolves.
public enum CSLKeyword: String, Sendable, CaseIterable {
    case const_ = "const", var_ = "var", param, fn, task, comptime, layout
    case export, extern, inline, pub, noinline
    case if_ = "if", else_ = "else", while_ = "while", for_ = "for", switch_ = "switch"
    case return_ = "return", break_ = "break", continue_ = "continue"
    case and, or, orelse, catch_ = "catch"
    case struct_ = "struct", enum_ = "enum", union, packed, align, volatile
    case usingnamespace, unreachable

    static let byText: [String: CSLKeyword] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}

/// What a token is. Punctuation is spelled out so the parser matches on cases, not strings.
public enum CSLTokenKind: Equatable, Sendable {
    case identifier
    /// `@name`: the token's text includes the `@`.
    case builtin
    case integer
    case float
    case string
    case character
    case keyword(CSLKeyword)
    case symbol(CSLSymbol)
    /// Something the lexer could not read; it has already reported why.
    case invalid
    case endOfFile
}

/// Punctuation and operators.
public enum CSLSymbol: String, Sendable, CaseIterable {
    case lParen = "(", rParen = ")", lBrace = "{", rBrace = "}", lBracket = "[", rBracket = "]"
    case comma = ",", semicolon = ";", colon = ":", question = "?"
    case dot = ".", dotDot = "..", ellipsis = "...", dotStar = ".*"
    case arrow = "->", fatArrow = "=>"
    case bang = "!", tilde = "~"
    case assign = "=", equal = "==", notEqual = "!="
    case less = "<", greater = ">", lessEqual = "<=", greaterEqual = ">="
    case shiftLeft = "<<", shiftRight = ">>", shiftLeftAssign = "<<=", shiftRightAssign = ">>="
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case plusPercent = "+%", minusPercent = "-%", starPercent = "*%", plusPlus = "++", starStar = "**"
    case plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/=", percentAssign = "%="
    case plusPercentAssign = "+%=", minusPercentAssign = "-%=", starPercentAssign = "*%="
    case ampersand = "&", pipe = "|", caret = "^", pipePipe = "||"
    case ampersandAssign = "&=", pipeAssign = "|=", caretAssign = "^="

    /// Longest spellings first, so the lexer takes `<<=` before `<<` before `<`.
    static let bySpellingLength: [CSLSymbol] = allCases.sorted { $0.rawValue.utf8.count > $1.rawValue.utf8.count }
}

/// One token: its kind and the bytes it covers.
public struct CSLToken: Equatable, Sendable {
    public var kind: CSLTokenKind
    public var range: CSLSourceRange

    public init(_ kind: CSLTokenKind, _ range: CSLSourceRange) {
        self.kind = kind
        self.range = range
    }
}
