import Foundation
import Testing

@testable import PyFlameShell

/// Messages that said something else than what was wrong (issue 15, item 6 follow-up): each names the
/// user's value and what the shell accepts, and `:lower` names what the lowering and `:emit` do.
@Suite struct MessageWordingTests {
    /// The first line of what `statement` prints after `x = randn([4])`.
    func firstLine(_ statement: String) -> String {
        let shell = Shell()
        run(shell, "x = randn([4], seed=1)")
        return shell.execute(statement).lines.first?.text ?? ""
    }

    @Test func aWholeNumberTooLargeSaysItIsOutOfRange() {
        #expect(
            firstLine("shift(x, 9223372036854775807)")
                == "error: 9223372036854775807 is out of range: a whole number here goes from -1099511627775 to 1099511627775")
        // Too large for an integer token (it lexes as a float): still a whole number out of range; past
        // 2^64 it is no longer exact, and the caret shows it.
        #expect(
            firstLine("shift(x, -99999999999999999999)")
                == "error: this number is out of range: a whole number here goes from -1099511627775 to 1099511627775")
        #expect(firstLine("shift(x, 2.5)") == "error: expected a whole number")
    }

    @Test func aSliceBoundTooLargeForAnIntegerIsOutsideTheDim() {
        #expect(firstLine("x[-9223372036854775808:]") == "error: -9223372036854775808 is outside dim 0 of size 4 (bounds go from -4 to 4)")
        #expect(firstLine("x[:9223372036854775808]") == "error: 9223372036854775808 is outside dim 0 of size 4 (bounds go from -4 to 4)")
        #expect(firstLine("x[:99999999999999999999]") == "error: this number is outside dim 0 of size 4 (bounds go from -4 to 4)")
        #expect(firstLine("x[0.5:]") == "error: slice bounds are whole numbers written here (e.g. x[1:-1]), not expressions")
    }

    @Test func indexingASingleValueSaysSoInTheUsersWords() {
        #expect(firstLine("x[2][0]") == "error: a single value (a 0-D tensor) takes no index")
        let shell = Shell()
        run(shell, "m = randn([6, 8], seed=1)")
        #expect(shell.execute("m[1, 2, 3]").lines.first?.text == "error: too many indices: 3 for a 2-D tensor of shape 6x8")
    }

    @Test func aNumberRightAfterANameIsReadAsWritten() {
        #expect(firstLine("x.5") == "error: '.5' right after x: a tensor has no field 5; an index is written x[5]")
        #expect(firstLine("y = relu(x).25") == "error: '.25' right after an expression: a tensor has no field 25; an index is written in brackets, [25]")
        // With a space it is a number after an expression, as before.
        #expect(firstLine("x .5") == "error: unexpected '0.5' after the expression")
    }

    @Test func aMatrixVectorProductIsNotCalledSUMMA() {
        let shell = Shell()
        run(shell, "fabric 8x8", "A = randn([16, 16], seed=5)", "v = randn(16, seed=6)", "w = A @ v on Grid(2, 2)")
        let lines = run(shell, ":lower w").lines.map(\.text)
        let parameters = lines.filter { $0.hasPrefix("  parameters  matmul") }
        #expect(parameters == ["  parameters  matmul(dtype: f32, m: 16, k: 16, n: 1, grid: matrix-vector 2x2, partial sums chain-reduced along rows)"])
        #expect(!lines.joined().contains("SUMMA"))
    }

    @Test func aHostTensorCopiedInForSeveralPiecesIsOneLine() {
        let shell = Shell()
        run(shell, "fabric 8x8", "g = randn([8, 8], seed=2)", "c = concat([g[:, 4:], g[:, 0:4], g[:, 2:3], g[:, 1:2]], dim=1) on Grid(2, 2)")
        let hosts = run(shell, ":lower c").lines.map(\.text).filter { $0.hasPrefix("host input") }
        #expect(
            hosts == [
                "host input  g tensor<8x8xf32> -> Grid(2, 2) at (0,0): (0,0)..(1,1), 4 PEs (2 transfers); SinglePE at (2,0): (2,0)..(2,0), 1 PE (2 transfers) by memcpy (10 pieces in 4 transfers)"
            ])
    }

    /// `:lower`'s count of PE programs is the number of PE program files `:emit` writes (the PEs that only
    /// route get one, pe_idle.csl).
    @Test func lowerCountsThePEProgramsEmitWrites() throws {
        let programs: [[String]] = [
            ["fabric 8x8", "g = randn([8, 8], seed=2)", "c = concat([g[:, 4:], g[:, 0:4], g[:, 2:3], g[:, 1:2]], dim=1) on Grid(2, 2)"],
            ["fabric 8x8", "a = randn([8, 8], seed=1)", "c = a @ a on Grid(2, 2)"],
            ["fabric 8x8", "x = randn([32], seed=1)", "c = 0.25 * shift(x, 1) + 0.5 * x on RowPartition(4)"],
            ["fabric 8x8", "x = randn([64, 64], seed=1)", "r = x * 2 on RowPartition(4)", "c = r + 1 on ColPartition(4)"],
        ]
        var sawIdle = false
        for statements in programs {
            let shell = Shell()
            for s in statements { #expect(shell.execute(s).failed == false, "\(s)") }
            let summary = try #require(run(shell, ":lower c").lines.first?.text)
            let words = summary.components(separatedBy: " PE program").first?.split(separator: " ")
            let said = try #require(words?.last.flatMap { Int($0) }, "\(summary)")
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let emitted = run(shell, ":emit c \(folder)/p")
            #expect(emitted.failed == false, "\(emitted.lines.map(\.text))")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/p").filter { $0.hasSuffix(".csl") && $0 != "layout.csl" }
            #expect(said == files.count, "\(statements.last!): :lower says \(said), :emit wrote \(files.sorted())")
            if files.contains("pe_idle.csl") { sawIdle = true }
        }
        #expect(sawIdle)
    }
}
