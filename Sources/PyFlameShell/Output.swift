/// One line of what the shell shows, with a style the terminal may color (`error:` red, `note:` cyan).
/// Everything a person sees is produced as these lines, so scripts and tests see the same text.
public struct OutputLine: Equatable, Sendable {
    public enum Style: Sendable {
        case plain, error, warning, note
    }

    public var text: String
    public var style: Style
    /// Part of the message above it (a diagnostic's source line and caret): it goes where the message goes.
    public var isDetail = false

    /// A NUL byte (from a script line, a file name) is shown as ␀ (U+2400, one column, so a caret
    /// under the line stays aligned): C's stdio would end the line at it.
    public init(_ text: String, _ style: Style = .plain) {
        self.text = text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "\u{2400}") : text
        self.style = style
    }

    /// Lines are equal when they show the same: text and style.
    public static func == (a: OutputLine, b: OutputLine) -> Bool { a.text == b.text && a.style == b.style }
}

/// What one statement did: its output lines, whether it failed, and whether the shell should leave.
public struct StatementResult: Equatable, Sendable {
    public var lines: [OutputLine]
    public var failed: Bool
    public var quit: Bool
    /// `:view` asks the terminal to open the full-screen fabric view.
    public var openView: Bool

    public init(lines: [OutputLine] = [], failed: Bool = false, quit: Bool = false, openView: Bool = false) {
        self.lines = lines
        self.failed = failed
        self.quit = quit
        self.openView = openView
    }

    /// The lines joined as text (for tests and transcripts).
    public var text: String { lines.map(\.text).joined(separator: "\n") }
}

/// The version the banner, `--version` and saved files carry.
public enum PyFlameShellVersion {
    public static let string = "0.1.0"
}
