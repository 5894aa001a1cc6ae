/// Decides where a statement ends when it is typed or read line by line: a line ending in `\`
/// continues, and so does an open `(` or `[` until it closes (strings and `#` comments are skipped).
/// A `:` command is always one line. The REPL shows `...> ` while ``isContinuing``; the script runner groups
/// a file's lines the same way.
public struct StatementSplitter: Sendable {
    public private(set) var lines: [String] = []
    private var depth = 0

    public init() {}

    /// True while the lines so far are an unfinished statement.
    public var isContinuing: Bool { !lines.isEmpty }

    /// Adds a line; returns the complete statement text (lines joined with newlines) when it ends.
    public mutating func add(_ line: String) -> String? {
        // A `:` command is one line: its words are not expressions, and a trailing `\` is part of a word.
        if lines.isEmpty && StatementSplitter.isCommand(line) {
            lines.append(line)
            return finish()
        }
        lines.append(line)
        depth += StatementSplitter.bracketBalance(line)
        // Only what the lexer skips after a `\` (spaces, tabs, a CR) may follow it.
        let trimmed = line.unicodeScalars.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }
        let continues = trimmed.first == "\\" && !StatementSplitter.endsInComment(line)
        if depth > 0 || continues {
            return nil
        }
        return finish()
    }

    /// Ends the statement now (end of input): whatever has been collected.
    public mutating func finish() -> String? {
        guard !lines.isEmpty else { return nil }
        let text = lines.joined(separator: "\n")
        lines = []
        depth = 0
        return text
    }

    /// Drops an unfinished statement (Ctrl-C at a continuation prompt).
    public mutating func reset() {
        lines = []
        depth = 0
    }

    /// Where the unfinished statement is still open: the innermost unclosed `(` or `[` (1-based line and
    /// column within the statement), or nil when it continues on a trailing `\` only.
    public var openBracket: (bracket: Character, line: Int, column: Int)? {
        var stack: [(Character, Int, Int)] = []
        for (l, line) in lines.enumerated() where !StatementSplitter.isCommand(line) {
            var quote: Unicode.Scalar?
            var escaped = false
            scan: for (c, scalar) in line.unicodeScalars.enumerated() {
                if let q = quote {
                    if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == q { quote = nil }
                    continue
                }
                switch scalar {
                case "#": break scan
                case "\"", "'": quote = scalar
                case "(", "[": stack.append((Character(scalar), l + 1, c + 1))
                case ")", "]": if !stack.isEmpty { stack.removeLast() }
                default: break
                }
            }
        }
        return stack.last.map { (bracket: $0.0, line: $0.1, column: $0.2) }
    }

    /// Whether `line` is a `:` command arriving while a statement is unfinished: it cannot continue the
    /// statement (a command is one line), so the caller ends the statement with an error and runs it.
    public func interrupts(_ line: String) -> Bool { isContinuing && StatementSplitter.isCommand(line) }

    /// Whether a line is a `:` command (as the parser decides: by its first non-blank byte).
    static func isCommand(_ line: String) -> Bool {
        line.unicodeScalars.first { $0 != " " && $0 != "\t" && $0 != "\r" } == ":"
    }

    /// Opening minus closing brackets outside strings and comments. `:` command lines never continue
    /// on brackets (their words are not expressions). Scalars, not characters, as the lexer reads bytes:
    /// a quote followed by a combining mark is still a quote.
    static func bracketBalance(_ line: String) -> Int {
        var balance = 0
        var quote: Unicode.Scalar?
        var escaped = false
        if isCommand(line) { return 0 }
        for c in line.unicodeScalars {
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
                continue
            }
            switch c {
            case "#": return balance
            case "\"", "'": quote = c
            case "(", "[": balance += 1
            case ")", "]": balance -= 1
            default: break
            }
        }
        return balance
    }

    static func endsInComment(_ line: String) -> Bool {
        var quote: Unicode.Scalar?
        var escaped = false
        for c in line.unicodeScalars {
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
                continue
            }
            if c == "\"" || c == "'" { quote = c } else if c == "#" { return true }
        }
        return false
    }
}
