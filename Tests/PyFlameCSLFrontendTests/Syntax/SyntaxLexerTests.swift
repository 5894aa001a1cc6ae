import PyFlameCSLFrontend
import Testing

/// The tokens of `text` as `kind:text` strings (without the end-of-file token).
private func tokens(_ text: String) -> [String] {
    let file = CSLSourceFile(path: "t.csl", text: text)
    return CSLLexer.tokenize(file).tokens.dropLast().map { token in
        let spelled = file.slice(token.range)
        switch token.kind {
        case .identifier: return "id:\(spelled)"
        case .builtin: return "builtin:\(spelled)"
        case .integer: return "int:\(spelled)"
        case .float: return "float:\(spelled)"
        case .string: return "string:\(spelled)"
        case .character: return "char:\(spelled)"
        case .keyword(let k): return "kw:\(k.rawValue)"
        case .symbol(let s): return s.rawValue
        case .invalid: return "invalid:\(spelled)"
        case .endOfFile: return "eof"
        }
    }
}

@Suite struct SyntaxLexerTests {
    @Test func wordsBuiltinsAndCommentsAreSplitAsCSLReadsThem() {
        #expect(
            tokens("const x: [*]f32 = @get_dsd(a); // note\nexport var y") == [
                "kw:const", "id:x", ":", "[", "*", "]", "id:f32", "=", "builtin:@get_dsd", "(", "id:a", ")", ";", "kw:export", "kw:var", "id:y",
            ])
        #expect(tokens("p.* |= 1 << 2; a <<= b;") == ["id:p", ".*", "|=", "int:1", "<<", "int:2", ";", "id:a", "<<=", "id:b", ";"])
        #expect(
            tokens("|i, j|{M, N} -> A[i, j]") == ["|", "id:i", ",", "id:j", "|", "{", "id:M", ",", "id:N", "}", "->", "id:A", "[", "id:i", ",", "id:j", "]"])
        #expect(tokens(".{ RAMP, EAST }") == [".", "{", "id:RAMP", ",", "id:EAST", "}"])
        #expect(tokens("0 => x, else => y") == ["int:0", "=>", "id:x", ",", "kw:else", "=>", "id:y"])
    }

    @Test func aByteOrderMarkAndWindowsLineEndingsAreNotText() {
        #expect(tokens("\u{FEFF}const a = 1;\r\nvar b = 2;\r\n") == ["kw:const", "id:a", "=", "int:1", ";", "kw:var", "id:b", "=", "int:2", ";"])
        #expect(tokens("a \u{FEFF}") == ["id:a", "invalid:\u{FEFF}"])
    }

    @Test func numbersInEveryRadixAndRanges() {
        #expect(
            tokens("0x1F 0b1010 0o17 1_000 1.5 2e-3 1.0E+2 7") == [
                "int:0x1F", "int:0b1010", "int:0o17", "int:1_000", "float:1.5", "float:2e-3", "float:1.0E+2", "int:7",
            ])
        #expect(tokens("a[0..4] 1...3") == ["id:a", "[", "int:0", "..", "int:4", "]", "int:1", "...", "int:3"])
        #expect(tokens("0x 12ab") == ["invalid:0x", "invalid:12ab"])
    }

    @Test func stringsAndCharacters() {
        #expect(tokens(#""a\"b" 'c' '\n'"#) == [#"string:"a\"b""#, "char:'c'", #"char:'\n'"#])
        let file = CSLSourceFile(path: "t.csl", text: "\"open\nx")
        let (toks, diagnostics) = CSLLexer.tokenize(file)
        #expect(toks.map(\.kind) == [.invalid, .identifier, .endOfFile])
        #expect(diagnostics.map(\.message) == ["unterminated string"])
    }

    @Test func integerValuesAreExactOrAbsent() {
        func value(_ text: String) -> CSLExprKind? { CSLParser.parse(path: "v.csl", text: "const v = \(text);").0.value(of: "v")?.kind }
        #expect(value("0x7FFF_FFFF_FFFF_FFFF") == .integer(text: "0x7FFF_FFFF_FFFF_FFFF", value: Int.max))
        #expect(value("0x8000_0000_0000_0000") == .integer(text: "0x8000_0000_0000_0000", value: nil))
        #expect(value("0b1_0000") == .integer(text: "0b1_0000", value: 16))
    }
}
