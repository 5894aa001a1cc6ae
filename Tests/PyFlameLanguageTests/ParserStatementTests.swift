@testable import PyFlameLanguage
import Testing

@Suite struct ParserStatementTests {
    // MARK: Assignments and layouts

    @Test func assignmentWithoutLayout() throws {
        let statement = try #require(parsed("c = a + b"))
        guard case .assignment(let name, let nameRange, let value, let layout) = statement else {
            Issue.record("not an assignment: \(statement)"); return
        }
        #expect(name == "c")
        #expect(nameRange == SourceRange(0, 1))
        #expect(layout == nil)
        #expect(show(value) == "(a + b)")
        #expect(value.range == SourceRange(4, 9))
    }

    @Test(arguments: [
        ("e = exp(a) on SinglePE", LayoutSyntax.singlePE, "on SinglePE"),
        ("c = a + b on RowPartition(4)", .rowPartition(4), "on RowPartition(4)"),
        ("d = relu(c) on ColPartition(16)", .colPartition(16), "on ColPartition(16)"),
        ("s = sum(w, dim=0) on Grid(4, 8)", .grid(rows: 4, cols: 8), "on Grid(4, 8)"),
        ("g = a * 2 on auto", .auto, "on auto"),
        ("g = a on   Grid( 2 ,3 )  # spaced", .grid(rows: 2, cols: 3), "on   Grid( 2 ,3 )"),
        ("g = a on RowPartition(1000000)", .rowPartition(1_000_000), "on RowPartition(1000000)"),
    ])
    func assignmentWithLayout(text: String, layout: LayoutSyntax, clause: String) throws {
        let statement = try #require(parsed(text))
        guard case .assignment(_, _, _, let parsedLayout?) = statement else {
            Issue.record("no layout in \(statement)"); return
        }
        #expect(parsedLayout.layout == layout)
        #expect(slice(text, parsedLayout.range) == clause)
    }

    @Test func theLayoutClauseAppliesToTheWholeExpression() {
        #expect(shown("b = relu(a - 512) * 2 on RowPartition(4)") == "b = (relu((a - 512)) * 2) on RowPartition(4)")
        #expect(shown("x @ w + b on Grid(2, 2)") == "((x @ w) + b) on Grid(2, 2)")
    }

    // MARK: Bare expressions and names

    @Test func bareNamesAndExpressions() throws {
        #expect(parsed("c") == .expression(Expr(.name("c"), SourceRange(0, 1)), layout: nil))
        #expect(parsed("  c  # show c") == .expression(Expr(.name("c"), SourceRange(2, 3)), layout: nil))
        #expect(shown("c * 0 + 1") == "((c * 0) + 1)")
        #expect(shown("relu(c) on SinglePE") == "relu(c) on SinglePE")
        #expect(shown("2 + 3") == "(2 + 3)")
        #expect(shown("1.5") == "1.5")
        #expect(shown("-7") == "-7")
        #expect(shown(#""just a string""#) == #""just a string""#)
    }

    // MARK: Calls, arguments, lists, scalars

    @Test func nestedCallsWithPositionalAndKeywordArguments() throws {
        #expect(shown("a = arange(1024)") == "a = arange(1024)")
        #expect(shown("z = zeros([64, 64], dtype=f16)") == "z = zeros([64, 64], dtype=f16)")
        #expect(shown("f = full([4, 4], 2.5)") == "f = full([4, 4], 2.5)")
        #expect(shown("r = randn([64, 64], seed=7)") == "r = randn([64, 64], seed=7)")
        #expect(shown("s = sum(w, dim=-1, keepdim=true)") == "s = sum(w, dim=-1, keepdim=true)")
        #expect(shown("m = mean(relu(x @ w), dim=0)") == "m = mean(relu((x @ w)), dim=0)")
        #expect(shown("t = transpose(reshape(w, [16, 256]))") == "t = transpose(reshape(w, [16, 256]))")
        #expect(shown("u = f()") == "u = f()")
        #expect(shown("u = f(g(h(1)))") == "u = f(g(h(1)))")
        #expect(shown("u = f(dim = 1 + 2)") == "u = f(dim=(1 + 2))")
        // A trailing comma closes a call, as in Python and as in lists.
        #expect(shown("u = randn([4], seed=7,)") == "u = randn([4], seed=7)")
        #expect(shown("u = f(a,)") == "u = f(a)")
    }

    @Test func argumentLabelsAndRanges() throws {
        let value = try #require(valueExpr(parsed("s = sum(w, dim=-1)")))
        guard case .call(let name, let nameRange, let arguments) = value.kind else {
            Issue.record("not a call: \(value)"); return
        }
        #expect(name == "sum")
        #expect(nameRange == SourceRange(4, 7))
        #expect(value.range == SourceRange(4, 18))
        #expect(arguments.count == 2)
        #expect(arguments[0].label == nil && arguments[0].labelRange == nil)
        #expect(arguments[0].value == Expr(.name("w"), SourceRange(8, 9)))
        #expect(arguments[1].label == "dim")
        #expect(arguments[1].labelRange == SourceRange(11, 14))
        #expect(arguments[1].value == Expr(.integer(-1), SourceRange(15, 17)))
    }

    @Test func listsAndNestedLists() throws {
        #expect(shown("x = tensor([[1, 2], [3, 4]], dtype=i32)") == "x = tensor([[1, 2], [3, 4]], dtype=i32)")
        #expect(shown("x = []") == "x = []")
        #expect(shown("x = [[]]") == "x = [[]]")
        #expect(shown("x = [1, 2,]") == "x = [1, 2]")
        #expect(shown("x = [[[1.5]], [a + b, -c]]") == "x = [[[1.5]], [(a + b), (-c)]]")
        let value = try #require(valueExpr(parsed("x = [1, [2, 3]]")))
        #expect(value.range == SourceRange(4, 15))
        guard case .list(let items) = value.kind, items.count == 2 else { Issue.record("not a 2-list"); return }
        #expect(items[1].range == SourceRange(8, 14))
    }

    @Test func scalarsOnEitherSide() {
        #expect(shown("g = a * 2") == "g = (a * 2)")
        #expect(shown("g = 2 * a") == "g = (2 * a)")
        #expect(shown("g = 0.5 - a / 4") == "g = (0.5 - (a / 4))")
        #expect(shown("g = 1e3 + a") == "g = (1000.0 + a)")
        #expect(shown("g = a - -3") == "g = (a - -3)")
        #expect(shown("g = -2.5 * a") == "g = (-2.5 * a)")
    }

    // MARK: Operators

    @Test func matmulAndPrecedence() {
        #expect(shown("m = a @ b") == "m = (a @ b)")
        #expect(shown("m = -a * b") == "m = ((-a) * b)")
        #expect(shown("m = a + b * c") == "m = (a + (b * c))")
        #expect(shown("m = a * b + c") == "m = ((a * b) + c)")
        #expect(shown("m = a @ b + c") == "m = ((a @ b) + c)")
        #expect(shown("m = c + a @ b") == "m = (c + (a @ b))")
        #expect(shown("m = a @ b * c") == "m = ((a @ b) * c)")
        #expect(shown("m = a - b - c") == "m = ((a - b) - c)")
        #expect(shown("m = a / b / c") == "m = ((a / b) / c)")
        #expect(shown("m = (a + b) * c") == "m = ((a + b) * c)")
        #expect(shown("m = -(a + b)") == "m = (-(a + b))")
        #expect(shown("m = - -a") == "m = (-(-a))")
        #expect(shown("m = +a") == "m = a")
        #expect(shown("m = -a @ -b") == "m = ((-a) @ (-b))")
        #expect(shown("y = relu(x @ w + b)") == "y = relu(((x @ w) + b))")
    }

    @Test func operatorAndParenthesisRanges() throws {
        let value = try #require(valueExpr(parsed("m = (a + b) * c")))
        guard case .binary(.multiply, let lhs, let rhs, let op) = value.kind else { Issue.record("\(value)"); return }
        #expect(op == SourceRange(12, 13))
        #expect(lhs.range == SourceRange(4, 11))  // the parentheses belong to the operand
        #expect(rhs.range == SourceRange(14, 15))
        #expect(value.range == SourceRange(4, 15))
        let negated = try #require(valueExpr(parsed("n = -a")))
        #expect(negated == Expr(.negate(Expr(.name("a"), SourceRange(5, 6))), SourceRange(4, 6)))
        #expect(valueExpr(parsed("n = - 3")) == Expr(.integer(-3), SourceRange(4, 7)))
    }

    @Test func stringsInLoad() {
        #expect(shown(#"w = load("weights.npy")"#) == #"w = load("weights.npy")"#)
        #expect(shown(#"w = load('dir/w.npy')"#) == #"w = load("dir/w.npy")"#)
        #expect(shown(#"w = load("a \"quoted\" name.npy")"#) == #"w = load("a \"quoted\" name.npy")"#)
        #expect(shown(#"w = load("C:\\data\\w.npy")"#) == #"w = load("C:\\data\\w.npy")"#)
        #expect(shown(#"w = load("tab\there")"#) == #"w = load("tab\there")"#)
        #expect(shown(##"w = load("# not a comment") # a comment"##) == ##"w = load("# not a comment")"##)
    }

    // MARK: fabric, target, set

    @Test func fabric() throws {
        #expect(parsed("fabric 8x8") == .fabric(.size(width: 8, height: 8), range: SourceRange(7, 10)))
        #expect(parsed("fabric 8 x 8") == .fabric(.size(width: 8, height: 8), range: SourceRange(7, 12)))
        #expect(shown("fabric 750x994") == "fabric 750x994")
        #expect(shown("fabric 4X2") == "fabric 4x2")
        #expect(shown("fabric 16 x4  # wide") == "fabric 16x4")
        #expect(parsed("fabric wse2") == .fabric(.named("wse2"), range: SourceRange(7, 11)))
        #expect(parsed("fabric wse3") == .fabric(.named("wse3"), range: SourceRange(7, 11)))
        #expect(shown("fabric 1x100000") == "fabric 1x100000")
    }

    @Test func target() {
        #expect(parsed("target wse2") == .target("wse2", range: SourceRange(7, 11)))
        #expect(parsed("target wse3 # the newer wafer") == .target("wse3", range: SourceRange(7, 11)))
    }

    @Test func setWithNumberWordPathAndComment() throws {
        #expect(parsed("set hop_latency 1") == .set(name: "hop_latency", nameRange: SourceRange(4, 15), value: "1", valueRange: SourceRange(16, 17)))
        #expect(shown("set hop_latency 2.5") == #"set hop_latency "2.5""#)
        #expect(shown("set sink_rate 0") == #"set sink_rate "0""#)
        #expect(shown("set mode fast") == #"set mode "fast""#)
        #expect(shown(#"set templates "my templates/dir""#) == #"set templates "my templates/dir""#)
        #expect(shown(#"set templates 'x.d'  # quoted"#) == #"set templates "x.d""#)
        #expect(shown("set templates out/tpl") == #"set templates "out/tpl""#)
        // Unquoted paths may hold characters that are no tokens of the language.
        #expect(shown("set templates ./tpl.d") == #"set templates "./tpl.d""#)
        #expect(shown("set templates ~/tpl") == #"set templates "~/tpl""#)
        #expect(shown("set pe_data_budget 36864   ") == #"set pe_data_budget "36864""#)
        // Values are not lexed: sizes with suffixes and digit separators are no malformed numbers here.
        #expect(shown("set pe_data_budget 16K") == #"set pe_data_budget "16K""#)
        #expect(shown("set pe_data_budget 36_864") == #"set pe_data_budget "36_864""#)
        #expect(shown("set host_limit 256Mi # elements") == #"set host_limit "256Mi""#)
        #expect(shown("set hop_latency 1.2.3") == #"set hop_latency "1.2.3""#)
        // The value range stops before a trailing comment, so an error caret underlines the value only.
        let text = "set hop_latency abc   # a comment"
        guard case .set(_, _, let value, let valueRange)? = parsed(text) else { Issue.record("not a set"); return }
        #expect(value == "abc")
        #expect(slice(text, valueRange) == "abc")
        let quoted = #"set templates "a b" # c"#
        guard case .set(_, _, let qValue, let qRange)? = parsed(quoted) else { Issue.record("not a set"); return }
        #expect(qValue == "a b")
        #expect(slice(quoted, qRange) == #""a b""#)
    }

    @Test func setValueContinuedOnTheNextLine() {
        #expect(shown("set hop_latency \\\n  3") == #"set hop_latency "3""#)
        #expect(shown("set hop_latency 3 \\\n") == #"set hop_latency "3""#)
    }

    // MARK: Commands

    @Test func commandsWithWordsAndQuotedWords() throws {
        #expect(parsed(":graph") == .command(name: "graph", nameRange: SourceRange(0, 6), arguments: []))
        #expect(
            parsed("  :help lower")
                == .command(
                    name: "help", nameRange: SourceRange(2, 7),
                    arguments: [CommandWord(text: "lower", range: SourceRange(8, 13))]))
        #expect(shown(":routes c 3 --limit 10") == #":routes "c" "3" "--limit" "10""#)
        #expect(shown(#":export s "my file.npy" --sim"#) == #":export "s" "my file.npy" "--sim""#)
        #expect(shown(#":save 'a b.pfs'"#) == #":save "a b.pfs""#)
        #expect(shown(#":save "say \"hi\".pfs""#) == #":save "say \"hi\".pfs""#)
        #expect(shown(":pe 3,0   # which PE") == #":pe "3,0""#)
        #expect(shown(":emit c out/dir(1)") == #":emit "c" "out/dir(1)""#)
        #expect(shown(":quit") == ":quit")
        #expect(shown(":emit --playground") == #":emit "--playground""#)
        #expect(shown(":load_file x") == #":load_file "x""#)
        let text = #":export s "my file.npy""#
        guard case .command(_, _, let words)? = parsed(text) else { Issue.record("not a command"); return }
        #expect(words.map { slice(text, $0.range) } == ["s", #""my file.npy""#])
    }

    // MARK: Empty statements

    @Test(arguments: ["", "   ", "\t", "# a comment", "   # indented comment", "\n\n", "# one\n# two", "\\", "  \\\n  "])
    func blankAndCommentLinesAreEmpty(text: String) {
        #expect(parsed(text) == .empty)
    }

    // MARK: Keywords as tensor names

    @Test func statementKeywordsCanNameTensors() {
        #expect(shown("target = ones(3)") == "target = ones(3)")
        #expect(shown("set = ones(3)") == "set = ones(3)")
        #expect(shown("fabric = zeros([2, 2])") == "fabric = zeros([2, 2])")
        #expect(shown("x = target + set * fabric") == "x = (target + (set * fabric))")
        #expect(shown("y = relu(target) on auto") == "y = relu(target) on auto")
        // A call of a function named like a keyword is an expression too.
        #expect(shown("fabric(3)") == "fabric(3)")
        #expect(shown("auto = SinglePE + Grid") == "auto = (SinglePE + Grid)")
    }

    // MARK: Multi-line statements

    @Test func newlinesInsideBracketsAndAfterBackslashes() throws {
        #expect(shown("x = tensor([[1, 2],\n           [3, 4]],\n           dtype=i32)") == "x = tensor([[1, 2], [3, 4]], dtype=i32)")
        #expect(shown("y = a + \\\n    b * c") == "y = (a + (b * c))")
        #expect(shown("y = relu(\n  a # first\n  + b # second\n) on RowPartition(2)") == "y = relu((a + b)) on RowPartition(2)")
        #expect(shown("y = a \\\n on \\\n Grid(2, 2)") == "y = a on Grid(2, 2)")
        #expect(shown("r = randn(\n  [64, 64],\n  seed=7,\n)") == "r = randn([64, 64], seed=7)")
        // Ranges are offsets into the whole statement.
        let text = "y = f(a,\n      bb)"
        let value = try #require(valueExpr(parsed(text)))
        guard case .call(_, _, let arguments) = value.kind else { Issue.record("not a call"); return }
        #expect(arguments[1].value.range == SourceRange(15, 17))
        #expect(SourceText(text).location(of: 15) == (2, 7))
    }
}

@Suite struct PlaygroundStatementTests {
    @Test func colorRouteAndSendParse() throws {
        #expect(show(try Parser.parse("color red = 0")) == "color red = 0")
        #expect(show(try Parser.parse("route red (0,0): RAMP -> EAST")) == "route red (0,0): RAMP -> EAST")
        #expect(show(try Parser.parse("route red (1,0)..(2,0): WEST -> RAMP, EAST")) == "route red (1,0)..(2,0): WEST -> RAMP, EAST")
        #expect(show(try Parser.parse("route red (1, 0) .. (2, 0) : west -> ramp,east   # lower case is fine")) == "route red (1,0)..(2,0): WEST -> RAMP, EAST")
        #expect(show(try Parser.parse("send red (0,0) [0, 1, 2, -3]")) == "send red (0,0) [0, 1, 2, -3]")
        #expect(show(try Parser.parse("send red (3,4) []")) == "send red (3,4) []")
        // A tensor named color is still a tensor.
        #expect(show(try Parser.parse("color = ones(3)")) == "color = ones(3)")
    }

    @Test func playgroundMistakesPointAtTheWord() {
        func column(_ text: String) -> Int? { failure(text)?.column(in: SourceText(text)) }
        #expect(failure("color red = 24")?.message == "colors are 0–23, not 24")
        #expect(column("color red = 24") == 13)
        #expect(failure("route red (0,0): RAMP -> EASTT")?.message == "expected a direction for tx: NORTH, SOUTH, EAST, WEST or RAMP")
        #expect(column("route red (0,0): RAMP -> EASTT") == 26)
        #expect(failure("route red (0,0) RAMP -> EAST")?.message == "expected ':' before the directions: route NAME (x,y): RX -> TX")
        #expect(failure("route red (0,0): RAMP EAST")?.message == "expected '->' between rx and tx: route NAME (x,y): WEST -> RAMP, EAST")
        #expect(failure("route red (0,0): RAMP, RAMP -> EAST")?.message == "RAMP appears twice in rx")
        #expect(failure("route red (0): RAMP -> EAST")?.message == "expected ',' in (x,y)")
        #expect(
            failure("send red (0,0) [1.5]")?.message
                == "send takes whole numbers (each a 32-bit wavelet payload); write f32 before the list for f32 values: send red (0,0) f32 [1.5]")
        #expect(
            failure("send red (0,0) [5000000000]")?.message
                == "5000000000 does not fit a 32-bit wavelet (integer payloads are whole numbers from -2147483648 to 4294967295)")
        #expect(failure("send red (0,0)")?.message == "expected a list of values: send NAME (x,y) [0, 1, 2]")
    }
}
