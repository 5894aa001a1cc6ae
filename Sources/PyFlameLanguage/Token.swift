/// A lexical token of the `.pfs` language.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case identifier(String)
        case integer(Int64)
        case float(Double)
        case string(String)
        case symbol(String)  // + - * / @ = ( ) [ ] , : -> ..
        case end
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// How the token reads in an error message.
    public var display: String {
        switch kind {
        case .identifier(let s): return "'\(s)'"
        case .integer(let v): return "'\(v)'"
        case .float(let v): return "'\(v)'"
        case .string: return "a string"
        case .symbol(let s): return "'\(s)'"
        case .end: return "end of input"
        }
    }
}
