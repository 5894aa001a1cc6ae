import Testing

@testable import PyFlameShell

/// `:lower` of a program over a PE's data budget names a budget only after lowering under it (issue 15,
/// item 6): applied, the same `:lower` succeeds.
@Suite struct LoweringAdviceShellTests {
    /// The `N` of "`set pe_data_budget N` lowers it".
    func suggestedBudget(_ text: String) -> Int? {
        guard let range = text.range(of: "`set pe_data_budget ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func aSuggestedBudgetLowersTheProgram() throws {
        let shell = Shell()
        // Each op holds three 256 B tiles; the fused chain holds its four inputs' tiles at once.
        run(shell, "set pe_data_budget 800", "a = randn([8, 8], seed=1)", "b = randn([8, 8], seed=2)", "d = randn([8, 8], seed=3)")
        #expect(run(shell, "c = a * b + d on SinglePE").failed == false)
        let refused = run(shell, ":lower c")
        let text = refused.lines.map(\.text).joined(separator: "\n")
        #expect(text.hasPrefix("error: cannot lower c: PE (0,0) needs"), "\(text)")
        let budget = try #require(suggestedBudget(text), "\(text)")
        let lowered = run(shell, "set pe_data_budget \(budget)", ":lower c")
        #expect(lowered.failed == false, "\(lowered.lines.map(\.text).joined(separator: "\n"))")
    }

    @Test func aBudgetAboveAPEsMemoryIsNotSuggested() throws {
        let shell = Shell()
        run(shell, "fabric 4x4", "a = randn([112, 112], seed=1)", "b = randn([112, 112], seed=2)", "d = randn([112, 112], seed=3)")
        // On Grid(2, 2) a tile is 12544 B: each op's three tiles fit the largest budget, the fused chain's four do not.
        run(shell, "set pe_data_budget 49152")
        let built = run(shell, "c = a * b + d on Grid(2, 2)")
        #expect(built.failed == false, "\(built.lines.map(\.text))")
        let refused = run(shell, ":lower c")
        let text = refused.lines.map(\.text).joined(separator: "\n")
        #expect(text.contains("no pe_data_budget up to a PE's"), "\(text)")
        #expect(suggestedBudget(text) == nil)
    }

    /// The statement of "try `STATEMENT` (checked: it lowers)".
    func suggestedStatement(_ text: String) -> String? {
        guard let start = text.range(of: "; try `"), let end = text[start.upperBound...].range(of: "` (checked: it lowers)") else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// When no budget lowers a refused program, the refusal names the statement with another layout, tried
    /// through the front end and the lowering (issue 15, item 6): typed as shown, the program lowers.
    @Test func aRefusalNoBudgetFixesNamesALayoutThatLowers() throws {
        let shell = Shell()
        run(shell, "fabric 4x4", "a = randn([112, 112], seed=1)", "b = randn([112, 112], seed=2)", "d = randn([112, 112], seed=3)")
        run(shell, "set pe_data_budget 49152", "c = a * b + d on Grid(2, 2)")
        let text = run(shell, ":lower c").lines.map(\.text).joined(separator: "\n")
        #expect(text.contains("no pe_data_budget up to a PE's"), "\(text)")
        let statement = try #require(suggestedStatement(text), "\(text)")
        #expect(statement.hasPrefix("c = a * b + d on ") && !statement.hasSuffix("Grid(2, 2)"), "\(statement)")
        let applied = run(shell, statement)
        #expect(applied.failed == false, "\(applied.lines.map(\.text))")
        let lowered = run(shell, ":lower c")
        #expect(lowered.failed == false, "\(lowered.lines.map(\.text).joined(separator: "\n"))")
    }

    /// A program over a smaller fabric than its layout needs: the refusal names a layout that fits.
    @Test func aProgramTooWideForTheFabricNamesALayoutThatLowers() throws {
        let shell = Shell()
        run(shell, "fabric 8x8", "w = ones([8, 8]) * 1 on Grid(2, 8)", "fabric 4x4")
        let text = run(shell, ":lower w").lines.map(\.text).joined(separator: "\n")
        #expect(
            text.hasPrefix("error: cannot lower w: the program needs a fabric of at least 8x2 PEs; fabric is 4x4; try `w = ones([8, 8]) * 1 on "), "\(text)")
        let statement = try #require(suggestedStatement(text), "\(text)")
        #expect(run(shell, statement).failed == false)
        #expect(run(shell, ":lower w").failed == false)
    }

    /// A statement that reads its own name means something else retyped: no suggestion rewrites it.
    @Test func aStatementReadingItsOwnNameIsNotRetyped() {
        let shell = Shell()
        run(shell, "fabric 8x8", "w = ones([8, 8])", "w = w * 1 on Grid(2, 8)", "fabric 4x4")
        let text = run(shell, ":lower w").lines.map(\.text).joined(separator: "\n")
        #expect(text.hasPrefix("error: cannot lower w: the program needs a fabric of at least 8x2 PEs"), "\(text)")
        #expect(suggestedStatement(text) == nil, "\(text)")
    }

    /// The trial lowerings poll Ctrl-C: stopped at the last poll `:lower` makes (inside the trial that
    /// lowers), the refusal is an interruption, not a suggestion.
    @Test func theLayoutTrialsStopAtCtrlC() throws {
        final class Polls: @unchecked Sendable {
            var count = 0
            var stopAt = Int.max
        }
        func shell(_ polls: Polls) -> Shell {
            let shell = Shell(shouldStop: {
                polls.count += 1
                return polls.count >= polls.stopAt
            })
            run(shell, "fabric 8x8", "w = ones([8, 8]) * 1 on Grid(2, 8)", "fabric 4x4")
            polls.count = 0
            return shell
        }
        let counted = Polls()
        let full = run(shell(counted), ":lower w").lines.map(\.text).joined(separator: "\n")
        #expect(suggestedStatement(full) != nil, "\(full)")
        let stopped = Polls()
        stopped.stopAt = counted.count
        let text = run(shell(stopped), ":lower w").lines.map(\.text).joined(separator: "\n")
        #expect(text.hasPrefix("error: interrupted (Ctrl-C): w was not lowered"), "\(text)")
    }
}
