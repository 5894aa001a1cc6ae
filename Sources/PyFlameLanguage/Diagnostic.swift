/// A message about a statement: `error: ...` or `note: ...`, with the source range it is about when
/// there is one (syntax and name errors), rendered with the line and a caret under the column.
public struct Diagnostic: Error, Equatable, Sendable {
    public enum Severity: String, Sendable {
        case error, warning, note
    }

    public var severity: Severity
    public var message: String
    public var range: SourceRange?

    public init(_ severity: Severity = .error, _ message: String, at range: SourceRange? = nil) {
        self.severity = severity
        self.message = message
        self.range = range
    }

    public static func error(_ message: String, at range: SourceRange? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: range)
    }

    /// `error: message`, then (with a range) the source line indented by two spaces and a caret line:
    /// `^` under the first column, `~` under the rest of the range on that line.
    public func rendered(in source: SourceText) -> String {
        var out = "\(severity.rawValue): \(message)"
        guard let range else { return out }
        let (line, column) = source.location(of: range.start)
        let text = source.line(line)
        let (endLine, endColumn) = source.location(of: range.end)
        let lineLength = text.count
        let width = endLine == line ? max(1, endColumn - column) : max(1, lineLength - column + 1)
        // Keep tabs in the padding so the caret lines up under a tab-indented line.
        let padding = String(text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
        out += "\n  " + text + "\n  " + padding + "^" + String(repeating: "~", count: max(0, width - 1))
        return out
    }

    /// The 1-based column of the range's start (for tests).
    public func column(in source: SourceText) -> Int? { range.map { source.location(of: $0.start).column } }
}
