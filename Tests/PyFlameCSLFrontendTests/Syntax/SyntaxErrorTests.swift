import PyFlameCSLFrontend
import Testing

/// The rendered errors of parsing `text` as `pe.csl`.
private func errors(_ text: String) -> [String] {
    let file = CSLSourceFile(path: "pe.csl", text: text)
    return CSLParser.parse(file).1.map { $0.rendered(in: file) }
}

/// Malformed CSL gives `file:line:col: error:` with the caret under the right column, and the parser goes on after
/// a bad declaration.
@Suite struct SyntaxErrorTests {
    @Test func aMissingSemicolonPointsJustAfterTheDeclaration() {
        #expect(
            errors("const a: i16 = 1\nconst b = 2;\n") == [
                """
                pe.csl:1:17: error: expected ';' after the declaration of 'a'
                  const a: i16 = 1
                                  ^
                """
            ])
    }

    @Test func anUnexpectedTokenIsUnderlined() {
        #expect(
            errors("layout {\n  @set_rectangle(4, 1)\n  @set_tile_code(0, 0, \"pe.csl\", .{});\n}\n") == [
                """
                pe.csl:2:23: error: expected ';' after the expression
                    @set_rectangle(4, 1)
                                        ^
                """
            ])
        #expect(
            errors("var buf: [4]f32 = @zeros([4]f32) + ;") == [
                """
                pe.csl:1:36: error: expected an expression, found ';'
                  var buf: [4]f32 = @zeros([4]f32) + ;
                                                     ^
                """
            ])
        #expect(
            errors("param N i16;") == [
                """
                pe.csl:1:9: error: expected ':' and a type after 'param N', found 'i16'
                  param N i16;
                          ^~~
                """
            ])
    }

    @Test func aTensorAccessWithoutItsArrow() {
        #expect(
            errors("const d = @get_dsd(mem1d_dsd, .{ .tensor_access = |i|{4} a[i] });") == [
                """
                pe.csl:1:58: error: expected '->' after the extents (as in |i|{N} -> a[i]), found 'a'
                  const d = @get_dsd(mem1d_dsd, .{ .tensor_access = |i|{4} a[i] });
                                                                           ^
                """
            ])
    }

    @Test func lexicalErrorsNameTheCharacterOrTheLiteral() {
        #expect(
            errors("const s = \"abc;\nconst t = 1;") == [
                """
                pe.csl:1:11: error: unterminated string
                  const s = "abc;
                            ^~~~~
                """
            ])
        #expect(
            errors("const n = 12ab;") == [
                """
                pe.csl:1:11: error: invalid number '12ab'
                  const n = 12ab;
                            ^~~~
                """
            ])
        #expect(errors("const c = a # b;").map { $0.prefix(44) } == ["pe.csl:1:13: error: unexpected character '#'"])
        #expect(errors("const s = \"\\q\";").first?.hasPrefix("pe.csl:1:11: error: unknown escape sequence '\\q'") == true)
    }

    @Test func afterAnErrorTheNextDeclarationsAreStillParsed() throws {
        let file = CSLSourceFile(
            path: "pe.csl",
            text: """
                const a = (1 + ;
                fn f() void {
                  var x: i16 = 0
                  x += 1;
                }
                const ok = 3;
                task t() void { return }
                const b = ;
                const last = 4;
                """)
        let (tree, diagnostics) = CSLParser.parse(file)
        #expect(diagnostics.compactMap { $0.location(in: file)?.line } == [1, 3, 7, 8])
        #expect(tree.declarations.compactMap(\.name) == ["f", "ok", "t", "last"])
        // The missing ';' makes `var x ... x += 1;` one bad statement: f is kept, with no statement.
        guard case .function(let f) = tree.declarations[0].kind else { throw Failure("f is not a function") }
        #expect(f.body?.statements.count == 0)
    }

    @Test func aBadStatementIsSkippedAndItsBlockGoesOn() throws {
        let file = CSLSourceFile(path: "pe.csl", text: "fn g() void {\n  a = 1;\n  b = 2 +;\n  if (a) { c = ]; d = 4; }\n  e = 5;\n}\n")
        let (tree, diagnostics) = CSLParser.parse(file)
        #expect(diagnostics.compactMap { $0.location(in: file).map { [$0.line, $0.column] } } == [[3, 10], [4, 16]])
        guard case .function(let g) = tree.declarations.first?.kind, let body = g.body else { throw Failure("g is not a function") }
        #expect(body.statements.map { file.slice($0.range) } == ["a = 1;", "if (a) { c = ]; d = 4; }", "e = 5;"])
    }

    @Test func anUnclosedBlockStopsAtTheNextDeclarationOnItsOwnLine() {
        let file = CSLSourceFile(path: "pe.csl", text: "fn f() void {\n  g(1;\n\nconst after = 1;\n")
        let (tree, diagnostics) = CSLParser.parse(file)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first.flatMap { $0.location(in: file) }.map { [$0.line, $0.column] } == [2, 6])
        #expect(tree.declarations.compactMap(\.name) == ["after"])
    }

    @Test func nestingBeyondTheLimitIsAnErrorNotACrash() {
        let depth = CSLParser.maxDepth + 10
        let parens = "const x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + ";"
        #expect(errors(parens).first?.contains("error: nesting too deep (over 256 levels)") == true)
        let blocks = "fn f() void " + String(repeating: "{", count: depth) + String(repeating: "}", count: depth)
        #expect(errors(blocks).first?.contains("error: nesting too deep") == true)
        let chain = "const y = 1" + String(repeating: " + 1", count: CSLParser.maxDepth + 5) + ";"
        #expect(errors(chain).first?.contains("error: expression too long") == true)
        let types = "var p: " + String(repeating: "*", count: depth) + "u16 = undefined;"
        #expect(errors(types).first?.contains("error: nesting too deep") == true)
        let elses = "fn f() void { if (a) {}" + String(repeating: " else if (a) {}", count: depth) + " }"
        #expect(errors(elses).first?.contains("error: nesting too deep") == true)
        // Just under the limit parses.
        let fine = "const x = " + String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100) + ";"
        #expect(errors(fine).isEmpty)
    }
}
