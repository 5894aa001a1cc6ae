@testable import PyFlameLanguage
import Testing

/// Feeds `lines` one at a time; returns the statements completed, plus the rest at the end (`finish`).
private func split(_ lines: [String]) -> (statements: [String], pending: String?) {
    var splitter = StatementSplitter()
    var statements: [String] = []
    for line in lines {
        if let s = splitter.add(line) { statements.append(s) }
    }
    return (statements, splitter.finish())
}

@Suite struct StatementSplitterTests {
    @Test func aSimpleLineIsAStatementAtOnce() {
        var splitter = StatementSplitter()
        #expect(!splitter.isContinuing)
        #expect(splitter.add("a = ones(4)") == "a = ones(4)")
        #expect(!splitter.isContinuing)
        #expect(splitter.lines.isEmpty)
        #expect(splitter.add("") == "")
        #expect(splitter.add("# comment (") == "# comment (")
    }

    @Test func openBracketsContinueUntilTheyClose() {
        var splitter = StatementSplitter()
        #expect(splitter.add("x = tensor([[1, 2],") == nil)
        #expect(splitter.isContinuing)
        #expect(splitter.lines == ["x = tensor([[1, 2],"])
        #expect(splitter.add("           [3, 4]],") == nil)
        #expect(splitter.add("           dtype=i32)") == "x = tensor([[1, 2],\n           [3, 4]],\n           dtype=i32)")
        #expect(!splitter.isContinuing)
        // Blank and comment lines inside brackets are kept and do not end it.
        #expect(split(["y = relu(", "", "  # the input", "  a", ")"]).statements == ["y = relu(\n\n  # the input\n  a\n)"])
    }

    @Test func bracketsInStringsAndCommentsDoNotCount() {
        #expect(split([#"w = load("(.npy")"#]).statements == [#"w = load("(.npy")"#])
        #expect(split([#"w = load('[')"#]).statements == [#"w = load('[')"#])
        #expect(split(["a = b # f("]).statements == ["a = b # f("])
        #expect(split(["a = f(  # )", "b)"]).statements == ["a = f(  # )\nb)"])
        #expect(split([#"w = load("a\"(")"#]).statements == [#"w = load("a\"(")"#])
        #expect(split([#"w = load(")"#, "x)"]).statements == ["w = load(\")\nx)"])
        #expect(StatementSplitter.bracketBalance(#"f("(", '[', ")", g(h[1]) # ((("#) == 1)
        // The splitter reads scalars as the lexer reads bytes: a quote or `:` followed by a combining
        // mark still counts (as one Character it would not).
        let combining = "w = f(\"\u{301}(\")"
        #expect(split([combining]).statements == [combining])
        #expect(parsed(combining) != nil)
        #expect(split([":\u{301}x ("]).statements == [":\u{301}x ("])
    }

    @Test func extraClosingBracketsEndTheStatement() {
        // The parser reports the unmatched bracket; the splitter must not wait forever.
        #expect(split(["a = b)"]).statements == ["a = b)"])
        #expect(split(["a = (b", "))", "c = d"]).statements == ["a = (b\n))", "c = d"])
    }

    @Test func trailingBackslashContinues() {
        var splitter = StatementSplitter()
        #expect(splitter.add("y = a + \\") == nil)
        #expect(splitter.isContinuing)
        #expect(splitter.add("    b * c") == "y = a + \\\n    b * c")
        // Trailing spaces after the backslash are allowed (the lexer skips them too).
        #expect(split(["y = a + \\   ", "b"]).statements == ["y = a + \\   \nb"])
        #expect(split(["y = a + \\\t\r", "b"]).statements == ["y = a + \\\t\r\nb"])
        // Several continuations in a row, and a continuation inside brackets.
        #expect(split(["y = a \\", "+ b \\", "+ c"]).statements == ["y = a \\\n+ b \\\n+ c"])
        #expect(split(["y = f(a, \\", "b)"]).statements == ["y = f(a, \\\nb)"])
        // Only spaces, tabs and CRs may follow it: anything else ends the line as written.
        #expect(split(["y = a + \\ x"]).statements == ["y = a + \\ x"])
        #expect(split(["y = a + \\\u{A0}"]).statements == ["y = a + \\\u{A0}"])
        // A backslash in a comment or in a string is no continuation.
        #expect(split(["y = a # see \\"]).statements == ["y = a # see \\"])
        #expect(split([#"w = load("dir\\") # \"#]).statements == [#"w = load("dir\\") # \"#])
        #expect(split([##"w = "a\"#" \"##, "+ b"]).statements == [##"w = "a\"#" \"## + "\n+ b"])
    }

    @Test func everyContinuedStatementTheSplitterMakesParses() {
        let groups: [[String]] = [
            ["x = tensor([[1, 2],", "  [3, 4]], dtype=i32)"],
            ["y = a + \\", "  b"],
            ["y = a + \\  ", "  b"],
            ["s = sum(w, \\", "  dim=0) \\", "  on Grid(2, 2)"],
            ["r = randn(", "  [64, 64],  # shape", "  seed=7,", ")"],
            ["set templates \\", "  ./tpl"],
        ]
        for lines in groups {
            let result = split(lines)
            #expect(result.statements.count == 1 && result.pending == nil, "\(lines)")
            if let text = result.statements.first { #expect(parsed(text) != nil) }
        }
    }

    @Test func commandsNeverContinue() {
        #expect(split([":help ("]).statements == [":help ("])
        #expect(split(["  :emit c out[1"]).statements == ["  :emit c out[1"])
        #expect(split([":emit c out\\"]).statements == [":emit c out\\"])
        #expect(split([":save \"a(b.pfs\"", "a = 1"]).statements == [":save \"a(b.pfs\"", "a = 1"])
        var splitter = StatementSplitter()
        #expect(splitter.add(":graph \\") == ":graph \\")
        #expect(!splitter.isContinuing)
        // What the splitter hands over parses as one command.
        #expect(
            parsed(":emit c out\\")
                == .command(
                    name: "emit", nameRange: SourceRange(0, 5),
                    arguments: [
                        CommandWord(text: "c", range: SourceRange(6, 7)),
                        CommandWord(text: "out\\", range: SourceRange(8, 12)),
                    ]))
    }

    @Test func resetDropsAnUnfinishedStatement() {
        var splitter = StatementSplitter()
        #expect(splitter.add("x = f(((") == nil)
        #expect(splitter.add("1,") == nil)
        #expect(splitter.isContinuing)
        splitter.reset()
        #expect(!splitter.isContinuing)
        #expect(splitter.lines.isEmpty)
        // The open brackets are forgotten with it.
        #expect(splitter.add("a = 1") == "a = 1")
        #expect(splitter.finish() == nil)
    }

    @Test func finishReturnsWhatWasCollected() {
        var splitter = StatementSplitter()
        #expect(splitter.finish() == nil)
        #expect(splitter.add("x = [1,") == nil)
        #expect(splitter.add("2") == nil)
        #expect(splitter.finish() == "x = [1,\n2")
        #expect(!splitter.isContinuing)
        #expect(splitter.finish() == nil)
        // After finish the depth starts from zero again.
        #expect(splitter.add("b = 2") == "b = 2")
        #expect(splitter.add("c = \\") == nil)
        #expect(splitter.finish() == "c = \\")
        // And what finish returns parses to the error the user should see.
        #expect(failure("x = [1,\n2")?.message == "'[' is never closed")
    }
}
