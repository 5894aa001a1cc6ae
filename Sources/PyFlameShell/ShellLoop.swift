import Foundation
import PyFlameLanguage

/// Where statements come from: the line editor, a script file, or stdin.
public protocol LineSource {
    /// Reads one physical line, showing `prompt` if the source is interactive.
    mutating func readLine(prompt: String) -> LineInput
    /// Told each complete statement before it runs (the line editor records it in the history).
    mutating func statementCompleted(_ text: String)
}

extension LineSource {
    public mutating func statementCompleted(_ text: String) {}
}

/// One read: a line, an interrupt (Ctrl-C: drop what was typed), or the end (Ctrl-D, end of file).
public enum LineInput: Equatable, Sendable {
    case line(String)
    case interrupted
    case end
}

/// Lines from memory (scripts, `:load`, tests).
public struct ArrayLineSource: LineSource {
    private var lines: [String]
    private var index = 0

    public init(_ lines: [String]) { self.lines = lines }

    /// Splits a script's text into lines: LF, CR LF and a lone CR each end a line (a final one does not
    /// make an extra empty line), and a UTF-8 byte-order mark at the very start is dropped. Lines are
    /// split on Unicode scalars, not Characters: `"\r\n"` is one Character, so a split on `"\n"` misses it.
    /// Anything else (a NUL byte, a BOM further on) stays in its line, where the lexer reports it.
    public init(text: String) {
        self.lines = ArrayLineSource.lines(of: text)
    }

    /// The framing of ``init(text:)``: scripts, stdin and `:load` files all go through it.
    public static func lines(of text: String) -> [String] {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var lines: [String] = []
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let c = scalars[i]
            if c == "\n" || c == "\r" {
                lines.append(String(scalars[start..<i]))
                var next = scalars.index(after: i)
                if c == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                start = next
                i = next
            } else {
                i = scalars.index(after: i)
            }
        }
        if start < scalars.endIndex { lines.append(String(scalars[start...])) }
        return lines
    }

    public mutating func readLine(prompt: String) -> LineInput {
        guard index < lines.count else { return .end }
        defer { index += 1 }
        return .line(lines[index])
    }
}

/// The one loop behind the interactive shell, script mode and `:load`: read lines, group them into
/// statements (`...> ` while one is open), run each, hand the output on. In echo mode (scripts)
/// every line is printed after its prompt first, so a transcript reads like a session.
public enum ShellLoop {
    public static let prompt = "pyflame> "
    public static let continuationPrompt = "...> "

    public struct Outcome: Equatable, Sendable {
        public var statements = 0
        public var failures = 0
        public var quit = false
        /// Stopped by Ctrl-C between statements (echo mode: scripts and `:load`).
        public var interrupted = false
    }

    /// The error for a statement a `:` command cut short: which bracket is open and where, with a caret.
    static func unfinishedStatement(_ splitter: StatementSplitter, command: String) -> [OutputLine] {
        let count = splitter.lines.count
        let word = command.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ":"
        let dropped = "its \(count) line\(count == 1 ? " was" : "s were") dropped"
        guard let open = splitter.openBracket else {
            return [OutputLine("error: the statement continues after a trailing '\\', so \(word) cannot continue it; \(dropped)", .error)]
        }
        let source = splitter.lines[open.line - 1]
        return [
            OutputLine(
                "error: the '\(open.bracket)' at line \(open.line), column \(open.column) of the statement is not closed, so \(word) cannot continue it; \(dropped)",
                .error),
            OutputLine("  " + source, .error),
            OutputLine("  " + String(repeating: " ", count: open.column - 1) + "^", .error),
        ]
    }

    /// Runs until the source ends, `:quit`, or (unless `keepGoing`) the first failed statement. In echo
    /// mode (scripts, `:load`) a pending Ctrl-C (`shell.shouldStop`) stops it before the next statement,
    /// at every depth of `:load`. Output is handed on as it is made: a `:load` inside writes its lines
    /// through the same `output` while it runs. `present` may show a statement's whole output itself (a
    /// pager) and return true; otherwise its lines go to `output`.
    public static func run<Source: LineSource>(
        _ source: inout Source, shell: Shell, echo: Bool, keepGoing: Bool,
        onView: () -> Void = {}, present: ([OutputLine]) -> Bool = { _ in false },
        output: (OutputLine) -> Void
    ) -> Outcome {
        withoutActuallyEscaping(output) { output in
            let outer = shell.outputSink
            shell.outputSink = output
            defer { shell.outputSink = outer }
            return loop(&source, shell: shell, echo: echo, keepGoing: keepGoing, onView: onView, present: present, output: output)
        }
    }

    private static func loop<Source: LineSource>(
        _ source: inout Source, shell: Shell, echo: Bool, keepGoing: Bool,
        onView: () -> Void, present: ([OutputLine]) -> Bool,
        output: (OutputLine) -> Void
    ) -> Outcome {
        var splitter = StatementSplitter()
        var outcome = Outcome()
        var firstLine = true
        var keepGoing = keepGoing
        while true {
            let prompt = splitter.isContinuing ? continuationPrompt : prompt
            let input = source.readLine(prompt: prompt)
            let text: String
            switch input {
            case .interrupted:
                // Say what Ctrl-C threw away, so a forgotten bracket does not silently eat lines.
                if splitter.isContinuing {
                    let count = splitter.lines.count
                    output(OutputLine("dropped the unfinished statement (\(count) line\(count == 1 ? "" : "s"))", .note))
                }
                splitter.reset()
                continue
            case .end:
                guard let rest = splitter.finish() else { return outcome }
                text = rest
            case .line(let line):
                if firstLine, line.trimmingCharacters(in: .whitespaces) == "# pfs: keep-going" { keepGoing = true }
                firstLine = false
                if echo {
                    output(OutputLine(line.trimmingCharacters(in: .whitespaces).isEmpty && !splitter.isContinuing ? "" : prompt + line))
                }
                if splitter.interrupts(line) {
                    // A command cannot continue an open statement: end that statement with an error naming
                    // what is still open, then run the command.
                    for diagnostic in unfinishedStatement(splitter, command: line) { output(diagnostic) }
                    splitter.reset()
                    outcome.statements += 1
                    outcome.failures += 1
                    if !keepGoing { return outcome }
                }
                guard let complete = splitter.add(line) else { continue }
                text = complete
            }
            if echo && shell.shouldStop() {
                outcome.interrupted = true
                outcome.failures += 1
                return outcome
            }
            source.statementCompleted(text)
            let result = shell.execute(text)
            if !present(result.lines) {
                for line in result.lines { output(line) }
            }
            if result.openView { onView() }
            outcome.statements += 1
            if result.failed {
                outcome.failures += 1
                if !keepGoing { return outcome }
            }
            if result.quit {
                outcome.quit = true
                return outcome
            }
            if case .end = input { return outcome }
        }
    }
}
