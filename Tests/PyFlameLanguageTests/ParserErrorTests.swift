@testable import PyFlameLanguage
import Testing

/// Parses `text`, expects it to fail with `message` (exactly, or as a prefix when `prefix`) whose range
/// starts at 1-based `column` of 1-based physical `line` and covers `covering` when given.
private func expectError(
    _ text: String, _ message: String, prefix: Bool = false, line: Int = 1, column: Int,
    covering: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let d = failure(text, sourceLocation: sourceLocation) else { return }
    let source = SourceText(text)
    if prefix {
        #expect(d.message.hasPrefix(message), "message: \(d.message)", sourceLocation: sourceLocation)
    } else {
        #expect(d.message == message, sourceLocation: sourceLocation)
    }
    #expect(d.severity == .error, sourceLocation: sourceLocation)
    guard let range = d.range else {
        Issue.record("no range for \(text.debugDescription)", sourceLocation: sourceLocation)
        return
    }
    #expect(
        range.start >= 0 && range.start <= range.end && range.end <= source.bytes.count,
        "range \(range) outside the text", sourceLocation: sourceLocation)
    #expect(d.column(in: source) == column, sourceLocation: sourceLocation)
    #expect(source.location(of: range.start).line == line, "line", sourceLocation: sourceLocation)
    if let covering {
        #expect(source.slice(range) == covering, sourceLocation: sourceLocation)
    }
}

private let layoutList = "layouts are SinglePE, RowPartition(n), ColPartition(n), Grid(rows, cols), auto"

@Suite struct ParserErrorTests {
    @Test func unexpectedCharacters() {
        expectError("a = b $ c", "unexpected character '$'", column: 7, covering: "$")
        expectError("a = b; c = d", "unexpected character ';'", column: 6)
        expectError("a = ä + 1", "unexpected character 'ä'", column: 5, covering: "ä")
        // Columns count characters, not bytes.
        expectError(#"a = load("é") ! 1"#, "unexpected character '!'", column: 15)
        expectError("a = b ** c", "expected an expression, found '*'", column: 8)
        expectError("a = {1}", "unexpected character '{'", column: 5)
        expectError("a = 1 \\ + 2", "unexpected character '\\'", column: 7)
    }

    @Test func unterminatedStrings() {
        expectError(#"w = load("x.npy"#, "unterminated string", column: 10, covering: #""x.npy"#)
        expectError(#"w = load('x.npy)"#, "unterminated string", column: 10, covering: #"'x.npy)"#)
        expectError(#"w = load("x\")"#, "unterminated string", column: 10)
        expectError(#":save "my file.pfs"#, "unterminated string", column: 7, covering: #""my file.pfs"#)
        expectError(#"set templates "abc"#, "unterminated string", column: 15, covering: #""abc"#)
    }

    @Test func malformedNumbers() {
        expectError("a = 1.2.3", "malformed number '1.2.3'", column: 5, covering: "1.2.3")
        expectError("a = ones(12abc)", "malformed number '12abc'", column: 10, covering: "12abc")
        expectError("a = 1e + 2", "malformed number '1e'", column: 5, covering: "1e")
        expectError("a = x * 0x1F", "malformed number '0x1F'", column: 9)
        expectError("a = [1_000]", "malformed number '1_000'", column: 6)
        // `2x` stays a number and a word (as in `fabric 8x`), so the layout reports the word.
        expectError("a = b on Grid(2x, 2)", "expected ',' or ')' in Grid(...)", column: 16, covering: "x")
    }

    @Test func missingOperands() {
        expectError("a = 1 +", "expected an expression", column: 8)
        expectError("a = 1 + # comment", "expected an expression", column: 18)
        expectError("a =", "expected an expression", column: 4)
        expectError("a = * b", "expected an expression, found '*'", column: 5, covering: "*")
        expectError("a = b @", "expected an expression", column: 8)
        expectError("a = -", "expected an expression", column: 6)
        expectError("a = f(1, +)", "expected an expression, found ')'", column: 11)
        expectError("a = f(dim=)", "expected an expression, found ')'", column: 11)
        expectError("= 3", "expected an expression, found '='", column: 1)
        expectError("a = = 3", "expected an expression, found '='", column: 5)
        expectError("a = ,", "expected an expression, found ','", column: 5)
    }

    @Test func unclosedBrackets() {
        expectError("a = relu(b", "'(' of relu(...) is never closed", column: 9, covering: "(")
        expectError("a = relu(b, dim=0", "'(' of relu(...) is never closed", column: 9)
        expectError("a = (b + c", "'(' is never closed", column: 5, covering: "(")
        expectError("a = [1, 2", "'[' is never closed", column: 5, covering: "[")
        expectError("a = [1, [2, 3]", "'[' is never closed", column: 5)
        expectError("a = [[1, 2], [3", "'[' is never closed", column: 14)
        expectError("a = f(", "expected an expression", column: 7)
        expectError("a = [", "expected an expression", column: 6)
        expectError("a = (1 2)", "expected ')', found '2'", column: 8)
        expectError("a = [1 2]", "expected ',' or ']' in a list, found '2'", column: 8)
        expectError("a = f(1 2)", "expected ',' or ')' in f(...), found '2'", column: 9)
        expectError("a = f(1]", "expected ',' or ')' in f(...), found ']'", column: 8)
        expectError("a = [1)", "expected ',' or ']' in a list, found ')'", column: 7)
    }

    @Test func unmatchedClosingBrackets() {
        expectError("a = b)", "unmatched ')'", column: 6, covering: ")")
        expectError("a = f(b))", "unmatched ')'", column: 9)
        expectError("a = [1]]", "unmatched ']'", column: 8)
        expectError(")", "expected an expression, found ')'", column: 1)
        expectError("a = b on auto)", "unmatched ')'", column: 14)
    }

    @Test func trailingGarbage() {
        expectError("a = b c", "unexpected 'c' after the expression (a layout clause is written 'on LAYOUT')", column: 7, covering: "c")
        expectError("a = b 3", "unexpected '3' after the expression", column: 7)
        expectError("a = b \"s\"", "unexpected a string after the expression", column: 7)
        expectError("a = b on auto extra", "unexpected 'extra' after the expression (a layout clause is written 'on LAYOUT')", column: 15)
        expectError("a = b on SinglePE on auto", "unexpected 'on' after the expression", column: 19)
        expectError("a = b = c", "unexpected '=' after the expression", column: 7)
        expectError("a b = c", "unexpected 'b' after the expression (a layout clause is written 'on LAYOUT')", column: 3)
        expectError("a = 1 , 2", "unexpected ',' after the expression", column: 7)
        expectError("a = relu(b) :graph", "unexpected ':' after the expression", column: 13)
    }

    @Test func unknownLayoutNamesWithSuggestions() {
        expectError("a = b on RowPartion(4)", "unknown layout 'RowPartion' (did you mean RowPartition?); \(layoutList)", column: 10, covering: "RowPartion")
        expectError("a = b on grid(2, 2)", "unknown layout 'grid' (did you mean Grid?); \(layoutList)", column: 10)
        expectError("a = b on Single", "unknown layout 'Single' (did you mean SinglePE?); \(layoutList)", column: 10)
        expectError("a = b on ColPartitoin(2)", "unknown layout 'ColPartitoin' (did you mean ColPartition?); \(layoutList)", column: 10)
        expectError("a = b on Auto", "unknown layout 'Auto' (did you mean auto?); \(layoutList)", column: 10)
        expectError("a = b on Diagonal(3)", "unknown layout 'Diagonal'; \(layoutList)", column: 10, covering: "Diagonal")
    }

    @Test func wrongLayoutArity() {
        expectError("a = b on RowPartition(2, 2)", "RowPartition takes one number of PEs: RowPartition(n)", column: 10, covering: "RowPartition(2, 2)")
        expectError("a = b on ColPartition", "ColPartition takes one number of PEs: ColPartition(n)", column: 10, covering: "ColPartition")
        expectError("a = b on Grid(4)", "Grid takes rows and columns of PEs: Grid(rows, cols)", column: 10, covering: "Grid(4)")
        expectError("a = b on Grid(1, 2, 3)", "Grid takes rows and columns of PEs: Grid(rows, cols)", column: 10)
        expectError("a = b on SinglePE(1)", "SinglePE takes no arguments", column: 10, covering: "SinglePE(1)")
        expectError("a = b on auto(2)", "auto takes no arguments", column: 10)
    }

    @Test func layoutArguments() {
        expectError("a = b on RowPartition(0)", "a layout needs at least 1 PE along each axis, not 0", column: 23, covering: "0")
        expectError("a = b on Grid(4, 0)", "a layout needs at least 1 PE along each axis, not 0", column: 18)
        expectError("a = b on Grid(2000000, 1)", "a layout has at most 1000000 PEs along each axis, not 2000000", column: 15)
        expectError("a = b on RowPartition(9223372036854775807)", "a layout has at most 1000000 PEs along each axis, not 9223372036854775807", column: 23)
        expectError("a = b on RowPartition(2.5)", "layout arguments are whole numbers of PEs", column: 23, covering: "2.5")
        expectError("a = b on RowPartition(-1)", "layout arguments are whole numbers of PEs", column: 23, covering: "-")
        expectError("a = b on RowPartition(n)", "layout arguments are whole numbers of PEs", column: 23)
        expectError("a = b on RowPartition()", "layout arguments are whole numbers of PEs", column: 23, covering: ")")
        expectError("a = b on Grid(2 3)", "expected ',' or ')' in Grid(...)", column: 17)
        expectError("a = b on Grid(2,", "layout arguments are whole numbers of PEs", column: 17)
        expectError("a = b on Grid(2, 3 # no close", "expected ',' or ')' in Grid(...)", column: 14, covering: "(")
    }

    @Test func onWithoutALayoutAndOnAsAName() {
        let expected = "expected a layout after 'on': SinglePE, RowPartition(n), ColPartition(n), Grid(rows, cols) or auto"
        expectError("a = b on", expected, column: 9)
        expectError("a = b on   # nothing", expected, column: 21)
        expectError("a = b on 4", expected, column: 10, covering: "4")
        expectError("a = b on (4)", expected, column: 10)
        expectError("on = ones(3)", "'on' is a keyword and cannot name a tensor", column: 1, covering: "on")
        expectError("x = on + 1", "expected an expression before 'on'", column: 5, covering: "on")
        expectError("on", "expected an expression before 'on'", column: 1)
        expectError("a = on RowPartition(4)", "expected an expression before 'on'", column: 5)
        expectError("a = f(on)", "expected an expression before 'on'", column: 7)
    }

    @Test func positionalArgumentAfterKeyword() {
        expectError("s = sum(dim=0, w)", "a positional argument cannot follow a keyword argument", column: 16, covering: "w")
        expectError("z = zeros(dtype=f16, [4], 3)", "a positional argument cannot follow a keyword argument", column: 22, covering: "[")
        expectError("s = f(a=1, 2 + 3)", "a positional argument cannot follow a keyword argument", column: 12)
    }

    @Test func malformedFabric() {
        let usage = "fabric takes WxH (e.g. fabric 8x8), wse2 or wse3"
        expectError("fabric", usage, column: 7)
        expectError("fabric wse4", usage + ", not 'wse4'", column: 8, covering: "wse4")
        expectError("fabric big", usage + ", not 'big'", column: 8)
        expectError("fabric 8", usage, column: 9)
        expectError("fabric 8x", usage, column: 9, covering: "x")
        expectError("fabric 8 x", usage, column: 10, covering: "x")
        expectError("fabric 8xa", "malformed number '8xa'", column: 8, covering: "8xa")
        expectError("fabric 8x8x8", "malformed number '8x8x8'", column: 8)
        expectError("fabric 8 by 8", usage, column: 10)
        expectError("fabric 8 x 2.5", usage, column: 10, covering: "x 2.5")
        expectError("fabric -1x2", usage, column: 8, covering: "-")
        expectError(#"fabric "8x8""#, usage, column: 8)
        expectError("fabric 0x8", "fabric size must be at least 1x1, got 0x8", column: 8, covering: "0x8")
        expectError("fabric 8 x 0", "fabric size must be at least 1x1, got 8x0", column: 8, covering: "8 x 0")
        expectError("fabric 100001x1", "fabric size must be at most 100000x100000, got 100001x1", column: 8)
        expectError("fabric 9223372036854775807x1", "fabric size must be at most 100000x100000, got 9223372036854775807x1", column: 8)
        expectError("fabric 8x99999999999999999999", usage, column: 9)
        expectError("fabric 8x8 extra", "unexpected 'extra' after the expression", prefix: true, column: 12)
        expectError("fabric wse2 3", "unexpected '3' after the expression", column: 13)
        expectError("fabric 8x8.5", "malformed number '8x8.5'", column: 8)
    }

    @Test func malformedTarget() {
        expectError("target", "target takes wse2 or wse3", column: 7)
        expectError("target wse4", "target takes wse2 or wse3", column: 8, covering: "wse4")
        expectError("target 3", "target takes wse2 or wse3", column: 8)
        expectError("target wse2 wse3", "unexpected 'wse3' after the expression", prefix: true, column: 13)
        // `target + 1` is arithmetic on a tensor named target, not a target statement.
        #expect(throws: Never.self) { try Parser.parse("target + 1") }
        if case .expression = try? Parser.parse("target + 1") {} else { Issue.record("target + 1 should be an expression") }
    }

    @Test func malformedSet() {
        let usage = "set takes a setting name and a value: set NAME VALUE (see :help set)"
        expectError("set", usage, column: 4)
        expectError("set 3 4", usage, column: 5, covering: "3")
        expectError(#"set "name" 4"#, usage, column: 5)
        expectError("set hop_latency", "set hop_latency needs a value (see :help set)", column: 16, covering: "")
        expectError("set hop_latency   # nothing", "set hop_latency needs a value (see :help set)", column: 16, covering: " ")
        expectError("set sink_rate \\", "set sink_rate needs a value (see :help set)", column: 14)
    }

    @Test func commandsWithoutAName() {
        let message = "expected a command name after ':' (try :help)"
        expectError(":", message, column: 1, covering: ":")
        expectError("   :", message, column: 4)
        expectError(": help", message, column: 1, covering: ":")
        expectError(":123", message, column: 1, covering: ":123")
        expectError(":he!p x", message, column: 1, covering: ":he!p")
        expectError(":#", message, column: 1)
    }

    @Test func tooDeepNesting() {
        let max = Parser.maxDepth
        let message = "expression nested too deeply (over \(max) levels)"
        // Exactly maxDepth levels parse; one more fails at the bracket that goes over.
        #expect(parsed("a = " + String(repeating: "(", count: max) + "1" + String(repeating: ")", count: max)) != nil)
        expectError(
            "a = " + String(repeating: "(", count: max + 1) + "1" + String(repeating: ")", count: max + 1),
            message, column: 5 + max, covering: "(")
        expectError(
            "a = " + String(repeating: "[", count: max + 1) + String(repeating: "]", count: max + 1),
            message, column: 5 + max, covering: "[")
        expectError(
            "a = " + String(repeating: "f(", count: max + 1) + "x" + String(repeating: ")", count: max + 1),
            message, column: 6 + 2 * max, covering: "(")
        #expect(parsed("a = " + String(repeating: "-", count: max) + "x") != nil)
        expectError("a = " + String(repeating: "-", count: max + 1) + "x", message, column: 5 + max, covering: "-")
        expectError("a = " + String(repeating: "- ", count: 5000) + "x", message, column: 5 + 2 * max)
        // Unclosed deep nesting fails on depth, not on the missing brackets (and does not overflow the stack).
        expectError(String(repeating: "(", count: 100_000), message, column: max + 1)
        expectError(String(repeating: "[", count: 100_000), message, column: max + 1)
        // Depth counts nesting, not length: a long flat expression is fine.
        #expect(parsed("a = " + Array(repeating: "x", count: 5000).joined(separator: " + ")) != nil)
        #expect(parsed("a = [" + Array(repeating: "(1)", count: 5000).joined(separator: ", ") + "]") != nil)
    }

    @Test func tooManyOperatorsInOneStatement() {
        let max = Parser.maxOperators
        let message = "more than \(max) operators in one statement: split it over several statements"
        // maxOperators operators parse (the tree they make is released without overflowing the stack).
        #expect(parsed("a = " + Array(repeating: "x", count: max + 1).joined(separator: "+")) != nil)
        #expect(parsed("a = " + Array(repeating: "x", count: max + 1).joined(separator: "*")) != nil)
        // One more fails at the operator that goes over, in any mix and across brackets.
        expectError("a = " + Array(repeating: "x", count: max + 2).joined(separator: "+"), message, column: 5 + 2 * max + 1, covering: "+")
        expectError("a = " + Array(repeating: "x", count: max + 2).joined(separator: "@"), message, column: 5 + 2 * max + 1, covering: "@")
        let mixed = (0...max).map { ["+", "-", "*", "/"][$0 % 4] }.map { "x" + $0 }.joined() + "x"
        expectError(mixed, message, column: 2 * max + 2, covering: String(mixed.dropLast().last!))
        let bracketed =
            "(" + Array(repeating: "x", count: max / 2 + 1).joined(separator: "+") + ")*(" + Array(repeating: "x", count: max / 2 + 1).joined(separator: "+")
            + ")"
        expectError(bracketed, message, column: bracketed.count - 2, covering: "+")
        // 250,000 terms (a 1 MB line) is refused, not a stack overflow.
        expectError(Array(repeating: "1", count: 250_000).joined(separator: "+"), message, column: 2 * max + 2, covering: "+")
    }

    @Test func multiLineStatementErrorsPointAtTheRightLine() {
        expectError(
            "x = tensor([[1, 2],\n           [3, 4)],\n           dtype=i32)", "expected ',' or ']' in a list, found ')'",
            line: 2, column: 17, covering: ")")
        expectError("y = a + \\\n    b $ c", "unexpected character '$'", line: 2, column: 7)
        expectError("y = relu(\n  a +\n)", "expected an expression, found ')'", line: 3, column: 1)
        expectError("y = relu(a,\n  dim=0,\n  b)", "a positional argument cannot follow a keyword argument", line: 3, column: 3)
        expectError("y = f(a) \\\n on Gird(2, 2)", "unknown layout 'Gird' (did you mean Grid?); \(layoutList)", line: 2, column: 5)
        expectError("w = load(\n  \"x.npy\n)", "unterminated string", line: 2, column: 3, covering: "\"x.npy")
        // An unclosed bracket is reported where it opened.
        expectError("y = relu(\n  a\n", "'(' of relu(...) is never closed", line: 1, column: 9)
        // The end of input after a trailing newline is on the last (empty) line.
        expectError("y = a +\\\n", "expected an expression", line: 2, column: 1)
    }
}
