/// Splits a statement's text into tokens. `#` starts a comment to the end of the line; a `\` before a
/// newline and newlines themselves are whitespace (the statement splitter already decided where the
/// statement ends). Never traps: bad characters become errors with their position.
public struct Lexer {
    private let bytes: [UInt8]
    private var i = 0

    public init(_ source: SourceText) { self.bytes = source.bytes }

    /// A lexer that starts at byte `offset` (the raw value of `set` reads one string token from there).
    init(_ source: SourceText, at offset: Int) {
        self.bytes = source.bytes
        self.i = min(max(offset, 0), bytes.count)
    }

    /// Whether `0x3f800000` is a number (an integer token; the routing playground's `send` and `on` take hex
    /// payloads). Elsewhere it stays a malformed number.
    var readsHex = false

    public static func tokenize(_ source: SourceText, hex: Bool = false) throws(Diagnostic) -> [Token] {
        var lexer = Lexer(source)
        lexer.readsHex = hex
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ k: Int = 0) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }

    private static func isIdentStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// Skips whitespace, comments and line continuations; returns the offset of what follows.
    @discardableResult
    mutating func skipTrivia() -> Int {
        while let c = peek() {
            if c == 32 || c == 9 || c == 10 || c == 13 {
                i += 1
            } else if c == UInt8(ascii: "\\") && continuesLine(after: i) {
                i += 1
            } else if c == UInt8(ascii: "#") {
                while let d = peek(), d != 10 { i += 1 }
            } else {
                break
            }
        }
        return i
    }

    public mutating func next() throws(Diagnostic) -> Token {
        let start = skipTrivia()
        guard let c = peek() else { return Token(.end, SourceRange(i, i)) }
        if Lexer.isIdentStart(c) {
            while let d = peek(), Lexer.isIdentStart(d) || Lexer.isDigit(d) { i += 1 }
            return Token(.identifier(String(decoding: bytes[start..<i], as: UTF8.self)), SourceRange(start, i))
        }
        if Lexer.isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(Lexer.isDigit) == true) {
            return try number(start)
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { return try string(start, quote: c) }
        let two = peek(1).map { String(decoding: [c, $0], as: UTF8.self) }
        if let two, two == "->" || two == ".." {
            i += 2
            return Token(.symbol(two), SourceRange(start, i))
        }
        if "+-*/@=()[],:.".utf8.contains(c) {
            i += 1
            return Token(.symbol(String(UnicodeScalar(c))), SourceRange(start, i))
        }
        // One whole (possibly multi-byte) character in the message.
        var end = i + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: bytes[i..<end], as: UTF8.self)
        throw Diagnostic.error("unexpected character '\(text)'", at: SourceRange(start, end))
    }

    /// A `\` at `offset` followed by nothing but spaces, tabs or a CR before the newline (or the end):
    /// a line continuation, as the statement splitter sees it.
    private func continuesLine(after offset: Int) -> Bool {
        var k = offset + 1
        while k < bytes.count, bytes[k] == 32 || bytes[k] == 9 || bytes[k] == 13 { k += 1 }
        return k == bytes.count || bytes[k] == 10
    }

    private mutating func number(_ start: Int) throws(Diagnostic) -> Token {
        if readsHex, bytes[start] == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            var k = start + 2
            while k < bytes.count, Lexer.isIdentStart(bytes[k]) || Lexer.isDigit(bytes[k]) { k += 1 }
            let digits = String(decoding: bytes[(start + 2)..<k], as: UTF8.self)
            i = k
            guard !digits.isEmpty, digits.count <= 16, let v = UInt64(digits, radix: 16), let value = Int64(exactly: v) else {
                throw Diagnostic.error("malformed hex number '\(String(decoding: bytes[start..<k], as: UTF8.self))'", at: SourceRange(start, k))
            }
            return Token(.integer(value), SourceRange(start, k))
        }
        var isFloat = false
        while let d = peek(), Lexer.isDigit(d) { i += 1 }
        // A '.' that starts '..' is the range operator of `route`, not a decimal point.
        if peek() == UInt8(ascii: "."), peek(1) != UInt8(ascii: ".") {
            isFloat = true
            i += 1
            while let d = peek(), Lexer.isDigit(d) { i += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var k = 1
            if let s = peek(1), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { k = 2 }
            if let d = peek(k), Lexer.isDigit(d) {
                isFloat = true
                i += k
                while let d = peek(), Lexer.isDigit(d) { i += 1 }
            }
        }
        // Letters, `_` or another `.digits` glued to a number (`12abc`, `1e`, `0x1F`, `1_000`, `1.2.3`) make
        // one malformed number. `8x8` stays a number and a word: `fabric WxH` reads it that way.
        let glued =
            peek().map { Lexer.isIdentStart($0) } == true
            || (peek() == UInt8(ascii: ".") && peek(1).map(Lexer.isDigit) == true)
        if glued {
            var k = i
            while k < bytes.count,
                Lexer.isIdentStart(bytes[k]) || Lexer.isDigit(bytes[k])
                    || (bytes[k] == UInt8(ascii: ".") && k + 1 < bytes.count && Lexer.isDigit(bytes[k + 1]))
            { k += 1 }
            let tail = bytes[i..<k]
            let isSize =
                !isFloat && (tail.first == UInt8(ascii: "x") || tail.first == UInt8(ascii: "X"))
                && tail.dropFirst().allSatisfy(Lexer.isDigit)
            if !isSize {
                i = k
                throw Diagnostic.error("malformed number '\(String(decoding: bytes[start..<k], as: UTF8.self))'", at: SourceRange(start, k))
            }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        let range = SourceRange(start, i)
        if isFloat {
            guard let v = Double(text) else { throw Diagnostic.error("malformed number '\(text)'", at: range) }
            return Token(.float(v), range)
        }
        guard let v = Int64(text) else {
            // Too large for an integer: keep it as a float so `1e30`-sized literals still mean something.
            guard let v = Double(text) else { throw Diagnostic.error("malformed number '\(text)'", at: range) }
            return Token(.float(v), range)
        }
        return Token(.integer(v), range)
    }

    private mutating func string(_ start: Int, quote: UInt8) throws(Diagnostic) -> Token {
        i += 1
        var out: [UInt8] = []
        while let c = peek() {
            if c == quote {
                i += 1
                return Token(.string(String(decoding: out, as: UTF8.self)), SourceRange(start, i))
            }
            if c == 10 { break }
            if c == UInt8(ascii: "\\"), let n = peek(1) {
                switch n {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                default: out.append(n)
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        throw Diagnostic.error("unterminated string", at: SourceRange(start, i))
    }
}
