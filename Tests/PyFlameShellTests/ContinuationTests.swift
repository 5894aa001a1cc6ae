import Foundation
@testable import PyFlameShell
import Testing

/// An unclosed bracket makes the following lines a continuation; a `:` command cannot continue it, and
/// Ctrl-C says how much it threw away.
@Suite struct ContinuationTests {
    /// Lines, with `nil` standing for a Ctrl-C at the prompt.
    struct ScriptedSource: LineSource {
        var inputs: [String?]
        var index = 0
        mutating func readLine(prompt: String) -> LineInput {
            guard index < inputs.count else { return .end }
            defer { index += 1 }
            return inputs[index].map(LineInput.line) ?? .interrupted
        }
    }

    func run(_ inputs: [String?], keepGoing: Bool = true) -> (String, ShellLoop.Outcome) {
        var source = ScriptedSource(inputs: inputs)
        var lines: [String] = []
        let outcome = ShellLoop.run(&source, shell: Shell(), echo: true, keepGoing: keepGoing) { lines.append($0.text) }
        return (lines.joined(separator: "\n"), outcome)
    }

    @Test func aCommandOnAContinuationLineEndsTheStatementWithAnErrorThatNamesTheOpenBracket() {
        let (text, outcome) = run(["x = ones([2, 2])", "y = sum(x,", "  dim=0", ":graph"])
        #expect(
            text.contains(
                """
                error: the '(' at line 1, column 8 of the statement is not closed, so :graph cannot continue it; its 2 lines were dropped
                  y = sum(x,
                         ^
                """))
        // The command then runs: the graph has x only.
        #expect(text.hasSuffix("%0 (x) = ones([2, 2]) : tensor<2x2xf32> layout=host"))
        #expect(outcome.failures == 1 && outcome.statements == 3)
    }

    @Test func theInnermostOpenBracketIsNamedAndABackslashContinuationToo() {
        let (nested, _) = run(["y = tensor([[1, 2],", "  [3, 4]", ":status"])
        #expect(nested.contains("error: the '[' at line 1, column 12 of the statement is not closed, so :status cannot continue it; its 2 lines were dropped"))
        let (slash, _) = run(["y = 1 + \\", ":status"])
        #expect(slash.contains("error: the statement continues after a trailing '\\', so :status cannot continue it; its 1 line was dropped"))
    }

    @Test func aScriptStopsThereUnlessKeepGoing() {
        let (_, outcome) = run(["y = sum(ones(2),", ":graph", "z = 1"], keepGoing: false)
        #expect(outcome.failures == 1 && outcome.statements == 1)
    }

    @Test func ctrlCOnAContinuationSaysHowManyLinesItDropped() {
        let (text, outcome) = run(["y = sum(ones(2),", "  dim=0", nil, "z = ones(1)"])
        #expect(text.contains("dropped the unfinished statement (2 lines)"))
        #expect(text.hasSuffix("z = tensor<1xf32> host [1]"))
        #expect(outcome.failures == 0)
        // Ctrl-C at an empty prompt says nothing.
        let (quiet, _) = run([nil, "z = ones(1)"])
        #expect(!quiet.contains("dropped"))
    }
}
