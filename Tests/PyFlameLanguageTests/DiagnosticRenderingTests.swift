@testable import PyFlameLanguage
import Testing

/// The rendering of the error `text` fails with.
private func rendered(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    failure(text, sourceLocation: sourceLocation)?.rendered(in: SourceText(text))
}

@Suite struct DiagnosticRenderingTests {
    @Test func caretUnderTheColumnOfAnEmptyRangeAtTheEnd() {
        #expect(
            rendered("a = 1 +") == """
                error: expected an expression
                  a = 1 +
                         ^
                """)
    }

    @Test func tildesUnderTheRestOfTheRange() {
        #expect(
            rendered("a = b on RowPartion(4)") == """
                error: unknown layout 'RowPartion' (did you mean RowPartition?); layouts are SinglePE, RowPartition(n), ColPartition(n), Grid(rows, cols), auto
                  a = b on RowPartion(4)
                           ^~~~~~~~~~
                """)
        #expect(
            rendered(#"w = load("x.npy"#) == """
                error: unterminated string
                  w = load("x.npy
                           ^~~~~~
                """)
        #expect(
            rendered("a = b on Grid(4)") == """
                error: Grid takes rows and columns of PEs: Grid(rows, cols)
                  a = b on Grid(4)
                           ^~~~~~~
                """)
    }

    @Test func oneCharacterRangeIsACaretAlone() {
        #expect(rendered("a = b)") == "error: unmatched ')'\n  a = b)\n       ^")
        #expect(rendered(":") == "error: expected a command name after ':' (try :help)\n  :\n  ^")
    }

    @Test func multiLineStatementsShowThePhysicalLineOfTheError() {
        #expect(
            rendered("x = tensor([[1, 2],\n           [3, 4)],\n           dtype=i32)") == """
                error: expected ',' or ']' in a list, found ')'
                             [3, 4)],
                                  ^
                """)
        #expect(
            rendered("y = a +\n  b c") == """
                error: unexpected 'c' after the expression (a layout clause is written 'on LAYOUT')
                    b c
                      ^
                """)
        #expect(
            rendered("y = relu(\n  a\n") == """
                error: '(' of relu(...) is never closed
                  y = relu(
                          ^
                """)
    }

    @Test func aRangeOverSeveralLinesUnderlinesToTheEndOfItsFirstLine() {
        let source = SourceText("a = (b\n + c)")
        let d = Diagnostic.error("spans", at: SourceRange(4, 12))
        #expect(d.rendered(in: source) == "error: spans\n  a = (b\n      ^~")
    }

    @Test func tabsInThePaddingKeepTheCaretAligned() {
        #expect(rendered("\tc = a $ b") == "error: unexpected character '$'\n  \tc = a $ b\n  \t      ^")
        #expect(rendered("x = f(\n\t\tb c)") == "error: expected ',' or ')' in f(...), found 'c'\n  \t\tb c)\n  \t\t  ^")
    }

    @Test func columnsCountCharactersNotBytes() {
        let text = #"w = load("é€🙂") $"#
        let d = failure(text)
        #expect(d?.column(in: SourceText(text)) == 17)
        #expect(d?.rendered(in: SourceText(text)) == "error: unexpected character '$'\n  \(text)\n  " + String(repeating: " ", count: 16) + "^")
        let wide = "a = λ"
        #expect(rendered(wide) == "error: unexpected character 'λ'\n  a = λ\n      ^")
    }

    @Test func withoutARangeOnlyTheMessage() {
        let d = Diagnostic.error("Shapes are not broadcastable: dimension 3 vs 5")
        #expect(d.rendered(in: SourceText("c = a + b")) == "error: Shapes are not broadcastable: dimension 3 vs 5")
        #expect(d.column(in: SourceText("c = a + b")) == nil)
        #expect(Diagnostic(.note, "install the Cerebras SDK").rendered(in: SourceText("")) == "note: install the Cerebras SDK")
        #expect(
            Diagnostic(.warning, "color 22 is reserved", at: SourceRange(6, 8)).rendered(in: SourceText("color 22"))
                == "warning: color 22 is reserved\n  color 22\n        ^~")
    }

    @Test func rangesBeyondTheTextAreClampedNotTrapped() {
        let source = SourceText("ab")
        #expect(Diagnostic.error("x", at: SourceRange(5, 9)).rendered(in: source) == "error: x\n  ab\n    ^")
        #expect(Diagnostic.error("x", at: SourceRange(-3, 1)).rendered(in: source) == "error: x\n  ab\n  ^")
        #expect(Diagnostic.error("x", at: SourceRange(0, 0)).rendered(in: SourceText("")) == "error: x\n  \n  ^")
    }

    @Test func sourceTextLocationsLinesAndSlices() {
        let source = SourceText("ab\ncé\n\nd")
        #expect(source.location(of: 0) == (1, 1))
        #expect(source.location(of: 2) == (1, 3))
        #expect(source.location(of: 3) == (2, 1))
        #expect(source.location(of: 6) == (2, 3))  // after the two bytes of é
        #expect(source.location(of: 7) == (3, 1))
        #expect(source.location(of: 8) == (4, 1))
        #expect(source.location(of: 9) == (4, 2))
        #expect(source.location(of: 99) == (4, 2))
        #expect(source.location(of: -1) == (1, 1))
        #expect(source.line(1) == "ab" && source.line(2) == "cé" && source.line(3) == "" && source.line(4) == "d")
        #expect(source.line(0) == "" && source.line(5) == "")
        #expect(source.slice(SourceRange(3, 6)) == "cé")
        #expect(source.slice(SourceRange(7, 100)) == "\nd")
        #expect(SourceRange(5, 2) == SourceRange(5, 5))
        #expect(SourceRange(1, 3).union(SourceRange(7, 9)) == SourceRange(1, 9))
    }
}
