import Foundation

/// When long output goes through a pager, and which one: like git, `$PAGER` (default `less -R`) when
/// stdout is a terminal and a statement prints more lines than fit on the screen; never in scripts.
public enum PagerPolicy {
    public static let defaultCommand = "less -R"

    /// The pager command for `environment`, or nil for none (`PAGER` set empty or to `cat`).
    public static func command(environment: [String: String]) -> String? {
        guard let value = environment["PAGER"] else { return defaultCommand }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
    }

    /// Whether `lineCount` lines of a statement's output should be paged on a terminal of `rows` rows:
    /// only interactively, and only when they would scroll past the prompt.
    public static func shouldPage(lineCount: Int, terminalRows: Int?, interactive: Bool) -> Bool {
        guard interactive, let rows = terminalRows, rows > 2 else { return false }
        return lineCount > rows - 1
    }
}
