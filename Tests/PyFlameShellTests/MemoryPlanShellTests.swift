import Foundation
import PyFlameCSL
import Testing

@testable import PyFlameShell

/// What `:lower` says a PE needs is what the emitted PE programs declare (one memory plan): a softmax,
/// a residual block and an attention head, whose emitted programs used to declare every buffer on its own
/// (49,408 B for the softmax against `:lower`'s 32,832 B, over the budget the checker holds them to).
@Suite struct MemoryPlanShellTests {
    /// `:lower NAME`'s figure (the peak of the busiest PE over the ops) and the bytes of arrays the most
    /// loaded PE of `:emit NAME` declares, with `:emit`'s check line.
    func figures(_ statements: [String], _ name: String) throws -> (lowered: Int, declared: Int, check: String) {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        for s in statements {
            let r = shell.execute(s)
            #expect(!r.failed, "\(s): \(r.text)")
        }
        let lower = shell.execute(":lower \(name)")
        #expect(!lower.failed, "\(lower.text)")
        let peaks = lower.lines.compactMap { line in
            line.text.firstMatch(of: /peak of the busiest PE (\d+) B/).flatMap { Int($0.1) }
        }
        let emit = shell.execute(":emit \(name) project")
        let report = CSLChecker(peDataBudget: 36864).check(folder: root + "/project")
        let check = emit.lines.last?.text ?? ""
        return (peaks.max() ?? -1, report.declaredData.map(\.bytes).max() ?? -1, check)
    }

    @Test func softmaxDeclaresWhatLowerSays() throws {
        let f = try figures(
            [
                "fabric 8x8", "x = randn([32, 256])",
                "m = max(x, dim=1, keepdim=true) on RowPartition(2)",
                "e = exp(x - m) on RowPartition(2)",
                "s = sum(e, dim=1, keepdim=true) on RowPartition(2)",
                "y = e / s on RowPartition(2)",
            ], "y")
        #expect(f.lowered == f.declared, "`:lower` says \(f.lowered) B, the emitted programs declare \(f.declared) B")
        #expect(f.lowered <= 36864)
        #expect(f.check == "checked: the checks pass")
    }

    @Test func residualBlockDeclaresWhatLowerSays() throws {
        let f = try figures(
            [
                "fabric 8x8", "x = randn([64, 64], seed=1)", "w1 = randn([64, 64], seed=2)", "w2 = randn([64, 64], seed=3)",
                "h = relu(x @ w1) on Grid(2, 2)",
                "o = h @ w2 + x on Grid(2, 2)",
            ], "o")
        #expect(f.lowered == f.declared, "`:lower` says \(f.lowered) B, the emitted programs declare \(f.declared) B")
        #expect(f.lowered <= 36864)
        #expect(f.check == "checked: the checks pass")
    }

    @Test func attentionDeclaresWhatLowerSays() throws {
        let f = try figures(
            [
                "fabric 8x8", "q = randn([64, 64], seed=1)", "k = randn([64, 64], seed=2)", "v = randn([64, 64], seed=3)",
                "s = q @ transpose(k) * 0.125 on Grid(2, 2)",
                "m = max(s, dim=1, keepdim=true) on Grid(2, 2)",
                "p = exp(s - m) on Grid(2, 2)",
                "z = sum(p, dim=1, keepdim=true) on Grid(2, 2)",
                "a = (p / z) @ v on Grid(2, 2)",
            ], "a")
        #expect(f.lowered == f.declared, "`:lower` says \(f.lowered) B, the emitted programs declare \(f.declared) B")
        #expect(f.lowered <= 36864)
        #expect(f.check == "checked: the checks pass")
    }
}
