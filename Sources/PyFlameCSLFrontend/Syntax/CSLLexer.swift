/// Splits a CSL file into tokens. Comments (`//` to the end of the line) and whitespace are skipped. Anything it
/// cannot read becomes an `invalid` token with an error, and lexing goes on, so the parser sees the whole file.
public struct CSLLexer {
    public private(set) var diagnostics: [CSLDiagnostic] = []
    private let file: CSLSourceFile
    private let bytes: [UInt8]
    private var position = 0

    public init(_ file: CSLSourceFile) {
        self.file = file
        self.bytes = file.bytes
        // A byte-order mark some editors write at the start is not text.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// Every token of the file, ending with one `endOfFile` token.
    public static func tokenize(_ file: CSLSourceFile) -> (tokens: [CSLToken], diagnostics: [CSLDiagnostic]) {
        var lexer = CSLLexer(file)
        var tokens: [CSLToken] = []
        tokens.reserveCapacity(file.bytes.count / 4)
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .endOfFile { break }
        }
        return (tokens, lexer.diagnostics)
    }

    /// The next token.
    public mutating func next() -> CSLToken {
        skipTrivia()
        guard position < bytes.count else { return CSLToken(.endOfFile, CSLSourceRange(bytes.count, bytes.count)) }
        let start = position
        let b = bytes[position]
        if isIdentifierStart(b) {
            while position < bytes.count && isIdentifierPart(bytes[position]) { position += 1 }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if let keyword = CSLKeyword.byText[text] { return CSLToken(.keyword(keyword), range(start)) }
            return CSLToken(.identifier, range(start))
        }
        if isDigit(b) { return number(start) }
        switch b {
        case UInt8(ascii: "@"):
            position += 1
            guard position < bytes.count && isIdentifierStart(bytes[position]) else {
                return invalid(start, "expected a builtin's name after '@' (as in @get_color)")
            }
            while position < bytes.count && isIdentifierPart(bytes[position]) { position += 1 }
            return CSLToken(.builtin, range(start))
        case UInt8(ascii: "\""):
            return quoted(start, quote: b, kind: .string)
        case UInt8(ascii: "'"):
            return quoted(start, quote: b, kind: .character)
        default:
            break
        }
        if let symbol = symbol() { return CSLToken(.symbol(symbol), range(start)) }
        // One character (all its UTF-8 bytes) the language has no use for.
        position += 1
        while position < bytes.count && bytes[position] & 0xC0 == 0x80 { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        let shown = text.unicodeScalars.first.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F } == true ? "'\(text)'" : describe(text)
        return invalid(start, "unexpected character \(shown)")
    }

    // MARK: - Pieces

    private mutating func skipTrivia() {
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                position += 1
            } else if b == UInt8(ascii: "/") && position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "/") {
                while position < bytes.count && bytes[position] != UInt8(ascii: "\n") { position += 1 }
            } else {
                return
            }
        }
    }

    /// `123`, `1_000`, `0x1F`, `0b1010`, `0o17`, `1.5`, `2e-3`, `1.0E+2`. `1..5` is `1`, `..`, `5`.
    private mutating func number(_ start: Int) -> CSLToken {
        var isFloat = false
        if bytes[position] == UInt8(ascii: "0"), position + 1 < bytes.count,
            let radixDigit = radixPredicate(bytes[position + 1])
        {
            position += 2
            let digitsStart = position
            while position < bytes.count && (radixDigit(bytes[position]) || bytes[position] == UInt8(ascii: "_")) { position += 1 }
            if position == digitsStart { return invalidNumber(start) }
        } else {
            digits()
            if position + 1 < bytes.count && bytes[position] == UInt8(ascii: ".") && isDigit(bytes[position + 1]) {
                isFloat = true
                position += 1
                digits()
            }
            if position < bytes.count && (bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")) {
                var p = position + 1
                if p < bytes.count && (bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-")) { p += 1 }
                if p < bytes.count && isDigit(bytes[p]) {
                    isFloat = true
                    position = p
                    digits()
                }
            }
        }
        if position < bytes.count && isIdentifierPart(bytes[position]) { return invalidNumber(start) }
        return CSLToken(isFloat ? .float : .integer, range(start))
    }

    private mutating func digits() {
        while position < bytes.count && (isDigit(bytes[position]) || bytes[position] == UInt8(ascii: "_")) { position += 1 }
    }

    private mutating func invalidNumber(_ start: Int) -> CSLToken {
        while position < bytes.count && isIdentifierPart(bytes[position]) { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        return invalid(start, "invalid number '\(text)'")
    }

    private func radixPredicate(_ b: UInt8) -> ((UInt8) -> Bool)? {
        switch b {
        case UInt8(ascii: "x"), UInt8(ascii: "X"): return { isDigit($0) || (0x61...0x66).contains($0 | 0x20) }
        case UInt8(ascii: "b"), UInt8(ascii: "B"): return { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") }
        case UInt8(ascii: "o"), UInt8(ascii: "O"): return { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }
        default: return nil
        }
    }

    /// A string or character literal: up to the closing quote on the same line (escapes are checked by the parser
    /// when it decodes the literal).
    private mutating func quoted(_ start: Int, quote: UInt8, kind: CSLTokenKind) -> CSLToken {
        position += 1
        while position < bytes.count {
            let b = bytes[position]
            if b == quote {
                position += 1
                return CSLToken(kind, range(start))
            }
            if b == UInt8(ascii: "\n") { break }
            if b == UInt8(ascii: "\\") && position + 1 < bytes.count && bytes[position + 1] != UInt8(ascii: "\n") { position += 1 }
            position += 1
        }
        let what = kind == .string ? "string" : "character literal"
        return invalid(start, "unterminated \(what)")
    }

    private mutating func symbol() -> CSLSymbol? {
        for length in stride(from: 3, through: 1, by: -1) where position + length <= bytes.count {
            var key: UInt32 = 0
            for i in 0..<length { key = key << 8 | UInt32(bytes[position + i]) }
            if let symbol = symbolTable[key] {
                position += length
                return symbol
            }
        }
        return nil
    }

    private mutating func invalid(_ start: Int, _ message: String) -> CSLToken {
        if position == start { position += 1 }
        diagnostics.append(.error(message, in: file, at: range(start)))
        return CSLToken(.invalid, range(start))
    }

    private func range(_ start: Int) -> CSLSourceRange { CSLSourceRange(start, position) }

    private func describe(_ text: String) -> String {
        text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }.joined(separator: " ")
    }
}

/// Symbols keyed by their bytes packed big-endian into a UInt32 (up to three bytes).
private let symbolTable: [UInt32: CSLSymbol] = {
    var table: [UInt32: CSLSymbol] = [:]
    for symbol in CSLSymbol.allCases {
        var key: UInt32 = 0
        for b in symbol.rawValue.utf8 { key = key << 8 | UInt32(b) }
        table[key] = symbol
    }
    return table
}()

func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
func isIdentifierStart(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
}
func isIdentifierPart(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
