import CTermShim
import Glibc
import PyFlameShell

/// Writes the shell's output lines to stdout, coloring `error:`/`note:` lines on a terminal unless
/// color is off. Flushes after each line so output stays in order with the echoed statements.
public struct Console {
    public let useColor: Bool
    /// Errors, warnings, notes and the banner go to stderr (the terminal) and only values to stdout: the
    /// interactive shell with its stdout redirected (`pyflame-shell > log.txt`).
    public let messagesToStandardError: Bool

    public init(useColor: Bool, messagesToStandardError: Bool = false) {
        self.useColor = useColor
        self.messagesToStandardError = messagesToStandardError
    }

    /// Color only for a terminal, without `--no-color` or a non-empty `NO_COLOR` (no-color.org).
    public static func colorWanted(noColorFlag: Bool) -> Bool {
        if noColorFlag { return false }
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return isatty(STDOUT_FILENO) == 1
    }

    public func write(_ line: OutputLine) {
        let stream = messagesToStandardError && (line.style != .plain || line.isDetail) ? pfs_stderr() : pfs_stdout()
        fputs(render(line) + "\n", stream)
        fflush(stream)
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

    /// Writes a line for the person at the terminal only (the banner): stderr when stdout is redirected.
    public func writeToTerminal(_ line: OutputLine) {
        guard messagesToStandardError else { return write(line) }
        fputs(line.text + "\n", pfs_stderr())
        fflush(pfs_stderr())
    }

    /// Interactive means stdin is a terminal; stdout may be redirected (then see ``stdoutIsTerminal``).
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Paints (or, with nil, clears) a one-line progress report on the terminal (stderr), in place.
    public static func paintProgress(_ text: String?) {
        fputs("\r\u{1B}[K" + (text ?? ""), pfs_stderr())
        fflush(pfs_stderr())
    }
}
