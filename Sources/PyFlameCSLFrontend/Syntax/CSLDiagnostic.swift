/// A message about CSL source: a syntax error, a type error, a warning, a note, or `cannot check:` for what the
/// front end cannot follow. It names the file and, when there is one, the byte range it is about.
public struct CSLDiagnostic: Error, Equatable, Sendable {
    public enum Severity: String, Sendable, CaseIterable {
        case error, warning, note
        /// What a check cannot follow (rendered `cannot check: ...`); not an error.
        case cannotCheck

        /// The word printed before the message.
        public var label: String {
            switch self {
            case .error: "error"
            case .warning: "warning"
            case .note: "note"
            case .cannotCheck: "cannot check"
            }
        }
    }

    public var severity: Severity
    public var message: String
    /// The path of the file the range is in (as ``CSLSourceFile/path``).
    public var path: String
    public var range: CSLSourceRange?

    public init(_ severity: Severity, _ message: String, path: String, range: CSLSourceRange? = nil) {
        self.severity = severity
        self.message = message
        self.path = path
        self.range = range
    }

    public static func error(_ message: String, in file: CSLSourceFile, at range: CSLSourceRange?) -> CSLDiagnostic {
        CSLDiagnostic(.error, message, path: file.path, range: range)
    }

    public var isError: Bool { severity == .error }

    /// `path:line:col: error: message`, then the source line indented by two spaces and a caret line: `^` under the
    /// first column of the range, `~` under the rest of it on that line. Without a range (or without the file's text)
    /// only `path: error: message`.
    public func rendered(in file: CSLSourceFile?) -> String {
        guard let range, let file, file.path == path else { return "\(path): \(severity.label): \(message)" }
        let (line, column) = file.location(of: range.start)
        var out = "\(path):\(line):\(column): \(severity.label): \(message)"
        let text = file.line(line)
        let (endLine, endColumn) = file.location(of: range.end)
        let lineLength = text.count
        let width = endLine == line ? max(1, endColumn - column) : max(1, lineLength - column + 1)
        // Keep tabs in the padding so the caret lines up under a tab-indented line.
        let padding = String(text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
        out += "\n  " + text + "\n  " + padding + "^" + String(repeating: "~", count: max(0, width - 1))
        return out
    }

    /// Renders with the file looked up by path among `files` (diagnostics of a project name several files).
    public func rendered(files: [String: CSLSourceFile]) -> String { rendered(in: files[path]) }

    /// 1-based line and column of the range's start in `file` (for tests and tools).
    public func location(in file: CSLSourceFile) -> (line: Int, column: Int)? {
        range.map { file.location(of: $0.start) }
    }
}
