import PyFlameCSLFrontend
import Testing

@Suite struct SyntaxSourceFileTests {
    @Test func offsetsTurnIntoLinesAndColumnsAndBack() {
        let file = CSLSourceFile(path: "pe.csl", text: "param N: i16;\n\nconst x = é + 1;\n")
        #expect(file.location(of: 0) == (1, 1))
        #expect(file.location(of: 6) == (1, 7))
        #expect(file.location(of: 14) == (2, 1))
        #expect(file.location(of: 15) == (3, 1))
        // `é` is two bytes but one column.
        let plus = file.offset(line: 3, column: 13)
        #expect(file.slice(CSLSourceRange(plus, plus + 1)) == "+")
        #expect(file.location(of: plus) == (3, 13))
        #expect(file.location(of: 10_000) == (4, 1))
        #expect(file.line(3) == "const x = é + 1;")
        #expect(file.line(99) == "")
    }

    @Test func anErrorRendersWithPathLineColumnAndACaretUnderItsRange() {
        let file = CSLSourceFile(path: "src/pe.csl", text: "const a = 1;\n\tvar b: [4]f32 = 3;\n")
        let start = file.offset(line: 2, column: 9)
        let diagnostic = CSLDiagnostic.error("expected ';'", in: file, at: CSLSourceRange(start, start + 6))
        #expect(
            diagnostic.rendered(in: file) == """
                src/pe.csl:2:9: error: expected ';'
                  \tvar b: [4]f32 = 3;
                  \t       ^~~~~~
                """)
        #expect(diagnostic.location(in: file)! == (2, 9))
    }

    @Test func aDiagnosticWithoutARangeOrItsFileNamesOnlyThePath() {
        let note = CSLDiagnostic(.cannotCheck, "<tile_config> is not modelled", path: "layout.csl")
        #expect(note.rendered(in: nil) == "layout.csl: cannot check: <tile_config> is not modelled")
        let other = CSLDiagnostic(.warning, "w", path: "a.csl", range: CSLSourceRange(0, 1))
        #expect(other.rendered(files: [:]) == "a.csl: warning: w")
    }
}
