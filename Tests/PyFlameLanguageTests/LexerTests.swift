@testable import PyFlameLanguage
import Testing

private func kinds(_ text: String) throws -> [Token.Kind] {
    try Lexer.tokenize(SourceText(text)).map(\.kind)
}

private func lexError(_ text: String) -> Diagnostic? {
    do throws(Diagnostic) { _ = try Lexer.tokenize(SourceText(text)); return nil } catch { return error }
}

@Suite struct LexerTests {
    @Test func identifiersNumbersAndSymbols() throws {
        #expect(
            try kinds("c = a + b_2 * 3") == [
                .identifier("c"), .symbol("="), .identifier("a"), .symbol("+"), .identifier("b_2"), .symbol("*"), .integer(3), .end,
            ])
        #expect(
            try kinds("(x)[y],z:w@v/u-t") == [
                .symbol("("), .identifier("x"), .symbol(")"), .symbol("["), .identifier("y"), .symbol("]"), .symbol(","),
                .identifier("z"), .symbol(":"), .identifier("w"), .symbol("@"), .identifier("v"), .symbol("/"),
                .identifier("u"), .symbol("-"), .identifier("t"), .end,
            ])
        #expect(try kinds("_Under9") == [.identifier("_Under9"), .end])
    }

    @Test func twoCharacterSymbolsOfTheRoutePlayground() throws {
        #expect(try kinds("RAMP -> EAST") == [.identifier("RAMP"), .symbol("->"), .identifier("EAST"), .end])
        // `1..2` is a range, not the float `1.` followed by `.2`.
        #expect(
            try kinds("(1,0)..(2,0)") == [
                .symbol("("), .integer(1), .symbol(","), .integer(0), .symbol(")"), .symbol(".."),
                .symbol("("), .integer(2), .symbol(","), .integer(0), .symbol(")"), .end,
            ])
        #expect(try kinds("1..2") == [.integer(1), .symbol(".."), .integer(2), .end])
        #expect(lexError("a - > b")?.message == "unexpected character '>'")
    }

    @Test func numbers() throws {
        #expect(try kinds("0 42 9223372036854775807") == [.integer(0), .integer(42), .integer(9_223_372_036_854_775_807), .end])
        #expect(try kinds("2.5 .5 5. 1e3 1E+3 2.5e-2") == [.float(2.5), .float(0.5), .float(5), .float(1000), .float(1000), .float(0.025), .end])
        // Too large for Int64: a float, so big literals still mean something.
        #expect(try kinds("99999999999999999999") == [.float(1e20), .end])
        // Overflowing doubles become infinity, as Python's `1e400` does.
        #expect(try kinds("1e400") == [.float(.infinity), .end])
        // `8x8` is a number and a word: `fabric WxH` reads it that way.
        #expect(try kinds("8x8 8X16 8x") == [.integer(8), .identifier("x8"), .integer(8), .identifier("X16"), .integer(8), .identifier("x"), .end])
    }

    @Test func tokenRangesAreByteOffsets() throws {
        let tokens = try Lexer.tokenize(SourceText("s = \"é\" + ab12"))
        #expect(
            tokens.map(\.range) == [
                SourceRange(0, 1), SourceRange(2, 3), SourceRange(4, 8), SourceRange(9, 10), SourceRange(11, 15), SourceRange(15, 15),
            ])
        #expect(tokens[2].kind == .string("é"))
    }

    @Test func stringsWithEscapesAndBothQuotes() throws {
        #expect(try kinds(#"load("x.npy")"#) == [.identifier("load"), .symbol("("), .string("x.npy"), .symbol(")"), .end])
        #expect(try kinds(#"'single' "dq""#) == [.string("single"), .string("dq"), .end])
        #expect(
            try kinds(#""a\"b" 'it\'s' "tab\there" "nl\n" "back\\slash" "\q""#) == [
                .string("a\"b"), .string("it's"), .string("tab\there"), .string("nl\n"), .string("back\\slash"), .string("q"), .end,
            ])
        #expect(try kinds(##""# not a comment" # a comment"##) == [.string("# not a comment"), .end])
        #expect(try kinds(#""""#) == [.string(""), .end])
    }

    @Test func commentsWhitespaceAndContinuations() throws {
        #expect(try kinds("   # only a comment") == [.end])
        #expect(try kinds("a\t+\r\n b # c") == [.identifier("a"), .symbol("+"), .identifier("b"), .end])
        #expect(try kinds("a + \\\n b") == [.identifier("a"), .symbol("+"), .identifier("b"), .end])
        #expect(try kinds("a + \\\r\n b") == [.identifier("a"), .symbol("+"), .identifier("b"), .end])
        // The statement splitter accepts spaces after the `\`; so does the lexer.
        #expect(try kinds("a + \\  \t\n b") == [.identifier("a"), .symbol("+"), .identifier("b"), .end])
        #expect(try kinds("a \\") == [.identifier("a"), .end])
        #expect(try kinds("# c\nx # d\n") == [.identifier("x"), .end])
        let end = try Lexer.tokenize(SourceText("ab  # c")).last!
        #expect(end.kind == .end && end.range == SourceRange(7, 7))
    }

    @Test func unexpectedCharacters() throws {
        let bang = try #require(lexError("a = b ! c"))
        #expect(bang.message == "unexpected character '!'")
        #expect(bang.range == SourceRange(6, 7))
        // A multi-byte character is reported whole.
        let greek = try #require(lexError("a = λ"))
        #expect(greek.message == "unexpected character 'λ'")
        #expect(greek.range == SourceRange(4, 6))
        let emoji = try #require(lexError("🙂"))
        #expect(emoji.range == SourceRange(0, 4))
        // A `\` that is not at the end of a line is no continuation.
        let backslash = try #require(lexError("a \\ b"))
        #expect(backslash.message == "unexpected character '\\'")
        #expect(backslash.range == SourceRange(2, 3))
        for c in ["$", "%", "^", "&", "|", "~", "`", "?", ";", "{", "<", ">", "!"] {
            #expect(lexError("x \(c)")?.message == "unexpected character '\(c)'", "character \(c)")
        }
        // `.` is a symbol (a method call, `x.astype(f16)`), `..` a range, `.5` a number.
        #expect(try kinds("x.astype") == [.identifier("x"), .symbol("."), .identifier("astype"), .end])
        #expect(try kinds("x .5 ..") == [.identifier("x"), .float(0.5), .symbol(".."), .end])
    }

    @Test func unterminatedStrings() throws {
        let open = try #require(lexError(#"load("x.npy"#))
        #expect(open.message == "unterminated string")
        #expect(open.range == SourceRange(5, 11))
        // A string ends at the end of its line.
        let newline = try #require(lexError("load('abc\n')"))
        #expect(newline.message == "unterminated string")
        #expect(newline.range == SourceRange(5, 9))
        // A backslash escaping the closing quote leaves it open.
        #expect(lexError(#""abc\""#)?.message == "unterminated string")
        #expect(lexError(#"""#)?.range == SourceRange(0, 1))
    }

    @Test func malformedNumbers() throws {
        for (text, bad) in [
            ("12abc", "12abc"), ("1e", "1e"), ("2e+", "2e"), ("0x1F", "0x1F"), ("1_000", "1_000"),
            ("1.2.3", "1.2.3"), ("3.5x2", "3.5x2"), ("1.x", "1.x"), ("7e5q", "7e5q"), ("1.5e", "1.5e"),
        ] {
            let d = lexError("a = \(text) + 1")
            #expect(d?.message == "malformed number '\(bad)'", "\(text)")
            #expect(d?.range == SourceRange(4, 4 + bad.utf8.count), "\(text)")
        }
    }
}
