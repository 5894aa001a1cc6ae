import CTermShim
import Glibc
import PyFlameShell

/// Writes the shell's output lines to stdout, coloring `error:`/`note:` lines on a terminal unless
/// color is off. Flushes after each line so output stays in order with the echoed statements.
public struct Console {
    public let useColor: Bool

    public init(useColor: Bool) { self.useColor = useColor }

    /// Color only for a terminal, without `--no-color` or a non-empty `NO_COLOR` (no-color.org).
    public static func colorWanted(noColorFlag: Bool) -> Bool {
        if noColorFlag { return false }
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return isatty(STDOUT_FILENO) == 1
    }

    public func write(_ line: OutputLine) {
        fputs(render(line) + "\n", pfs_stdout())
        fflush(pfs_stdout())
    }

    /// The line as written: with its color on a terminal.
    public func render(_ line: OutputLine) -> String {
        var text = line.text
        if useColor {
            switch line.style {
            case .error: text = "\u{1B}[1;31m" + text + "\u{1B}[0m"
            case .warning: text = "\u{1B}[1;33m" + text + "\u{1B}[0m"
            case .note: text = "\u{1B}[36m" + text + "\u{1B}[0m"
            case .plain: break
            }
        }
        return text
    }

    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }
}
