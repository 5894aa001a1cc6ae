/// Parses a CSL file (SDK 1.4) into a ``CSLSyntaxTree``. Recursive descent with a depth limit (no input can
/// overflow the stack) and error recovery: a statement with an error is skipped to its end (`;` or its block's
/// `}`) and its block goes on; otherwise the parser skips to the end of the top-level declaration (the next `;` or
/// closing `}` at the top level, or the next declaration keyword at the start of a line after the error). One run
/// reports the errors of several statements and declarations.
public enum CSLParser {
    /// Deepest nesting accepted: brackets, blocks, statements, prefix operators and operator chains (an operator
    /// chain `a + b + c` makes a tree one level deeper per operator, and whoever walks the tree recurses on it).
    public static let maxDepth = 256

    /// The syntax tree of `file` and every error found (lexical and syntactic). A declaration or statement with an
    /// error is left out of the tree (a function keeps its other statements): evaluate a tree only without errors.
    public static func parse(_ file: CSLSourceFile) -> (CSLSyntaxTree, [CSLDiagnostic]) {
        let (tokens, lexerDiagnostics) = CSLLexer.tokenize(file)
        var parser = CSLParserState(file: file, tokens: tokens)
        let declarations = parser.parseFile()
        let diagnostics = (lexerDiagnostics + parser.diagnostics).sorted { ($0.range?.start ?? 0) < ($1.range?.start ?? 0) }
        return (CSLSyntaxTree(file: file, declarations: declarations), diagnostics)
    }

    /// Parses `text` as the file at `path`.
    public static func parse(path: String, text: String) -> (CSLSyntaxTree, [CSLDiagnostic]) {
        parse(CSLSourceFile(path: path, text: text))
    }
}

/// The parser's cursor over the tokens. Each `parse...` function consumes one construct or throws a diagnostic.
struct CSLParserState {
    let file: CSLSourceFile
    let tokens: [CSLToken]
    var position = 0
    var depth = 0
    var diagnostics: [CSLDiagnostic] = []
    /// False while parsing a function's return type: there `T {` starts the body, not a struct literal.
    var allowsInitList = true

    init(file: CSLSourceFile, tokens: [CSLToken]) {
        self.file = file
        self.tokens = tokens.isEmpty ? [CSLToken(.endOfFile, CSLSourceRange(0, 0))] : tokens
    }

    // MARK: - File and recovery

    mutating func parseFile() -> [CSLDecl] {
        var declarations: [CSLDecl] = []
        while peek.kind != .endOfFile {
            if peek.kind == .symbol(.semicolon) {
                advance()
                continue
            }
            let start = position
            do {
                declarations.append(try parseDeclaration(context: "a file"))
            } catch {
                report(error)
                depth = 0
                allowsInitList = true
                recover(from: start, errorAt: position)
            }
        }
        return declarations
    }

    mutating func report(_ diagnostic: CSLDiagnostic) {
        // Stopped at a token the lexer could not read: its message (already reported) says it better.
        if peek.kind == .invalid { return }
        diagnostics.append(diagnostic)
    }

    /// Skips the rest of a declaration that failed: from its first token to a `;` or a closing `}` at bracket depth
    /// 0, or to a declaration keyword at the start of a line at or after the error.
    mutating func recover(from start: Int, errorAt: Int) {
        var i = start
        var brackets = 0
        while tokens[i].kind != .endOfFile {
            let token = tokens[i]
            if i > start && i >= errorAt && startsDeclaration(token) && isAtLineStart(token) {
                position = i
                return
            }
            switch token.kind {
            case .symbol(.lParen), .symbol(.lBracket), .symbol(.lBrace):
                brackets += 1
            case .symbol(.rParen), .symbol(.rBracket):
                brackets = max(0, brackets - 1)
            case .symbol(.rBrace):
                if brackets == 1 {
                    i += 1
                    if tokens[i].kind == .symbol(.semicolon) { i += 1 }
                    position = i
                    return
                }
                brackets = max(0, brackets - 1)
            case .symbol(.semicolon) where brackets == 0:
                position = i + 1
                return
            default:
                break
            }
            i += 1
        }
        position = i
    }

    func startsDeclaration(_ token: CSLToken) -> Bool {
        guard case .keyword(let k) = token.kind else { return false }
        switch k {
        case .const_, .var_, .param, .fn, .task, .layout, .comptime, .export, .extern, .pub, .usingnamespace: return true
        default: return false
        }
    }

    func isAtLineStart(_ token: CSLToken) -> Bool {
        token.range.start == 0 || file.bytes[token.range.start - 1] == UInt8(ascii: "\n")
    }

    // MARK: - Token access

    var peek: CSLToken { tokens[position] }
    func peek(_ offset: Int) -> CSLToken { tokens[min(position + offset, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> CSLToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// The end of the last consumed token (where a missing `;` belongs).
    var previousEnd: Int { position > 0 ? tokens[position - 1].range.end : 0 }

    func text(_ token: CSLToken) -> String { file.slice(token.range) }

    func isSymbol(_ symbol: CSLSymbol) -> Bool { peek.kind == .symbol(symbol) }
    func isKeyword(_ keyword: CSLKeyword) -> Bool { peek.kind == .keyword(keyword) }

    mutating func accept(_ symbol: CSLSymbol) -> Bool {
        guard isSymbol(symbol) else { return false }
        advance()
        return true
    }

    mutating func accept(_ keyword: CSLKeyword) -> Bool {
        guard isKeyword(keyword) else { return false }
        advance()
        return true
    }

    @discardableResult
    mutating func expect(_ symbol: CSLSymbol, _ context: String) throws(CSLDiagnostic) -> CSLToken {
        guard isSymbol(symbol) else {
            if symbol == .semicolon || symbol == .comma {
                throw error("expected '\(symbol.rawValue)' \(context)", at: CSLSourceRange(previousEnd, previousEnd))
            }
            throw expected("'\(symbol.rawValue)' \(context)")
        }
        return advance()
    }

    mutating func expectIdentifier(_ what: String) throws(CSLDiagnostic) -> (String, CSLSourceRange) {
        guard peek.kind == .identifier else { throw expected(what) }
        let token = advance()
        return (text(token), token.range)
    }

    func error(_ message: String, at range: CSLSourceRange) -> CSLDiagnostic { .error(message, in: file, at: range) }

    /// `expected WHAT, found 'x'` at the current token.
    func expected(_ what: String) -> CSLDiagnostic {
        error("expected \(what), found \(describe(peek))", at: peek.range)
    }

    func describe(_ token: CSLToken) -> String {
        switch token.kind {
        case .endOfFile: return "the end of the file"
        case .identifier: return "'\(text(token))'"
        case .keyword(let k): return "keyword '\(k.rawValue)'"
        case .string: return "a string"
        case .integer, .float: return "number \(text(token))"
        default:
            let t = text(token)
            return t.count > 20 ? "'\(t.prefix(20))...'" : "'\(t)'"
        }
    }

    /// Counts one level of nesting; throws `nesting too deep` past ``CSLParser/maxDepth``.
    mutating func enter() throws(CSLDiagnostic) {
        depth += 1
        if depth > CSLParser.maxDepth {
            depth -= 1
            throw error("nesting too deep (over \(CSLParser.maxDepth) levels)", at: peek.range)
        }
    }

    mutating func leave() { depth -= 1 }

    func range(from start: Int) -> CSLSourceRange { CSLSourceRange(start, max(start, previousEnd)) }
}
