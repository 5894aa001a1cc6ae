import Foundation
import PyFlameIR
import PyFlameViews
@testable import PyFlameShell
import Testing

@Suite struct ScriptLoopTests {
    func replay(_ text: String, keepGoing: Bool = false, shell: Shell = Shell()) -> (String, ShellLoop.Outcome) {
        var source = ArrayLineSource(text: text)
        var lines: [String] = []
        let outcome = ShellLoop.run(&source, shell: shell, echo: true, keepGoing: keepGoing) { lines.append($0.text) }
        return (lines.joined(separator: "\n"), outcome)
    }

    @Test func statementsAreEchoedAfterThePromptWithContinuationLines() {
        let (text, outcome) = replay("# a comment\n\na = tensor([1,\n  2])\nb = a * \\\n  3\n")
        #expect(
            text == """
                pyflame> # a comment

                pyflame> a = tensor([1,
                ...>   2])
                a = tensor<2xf32> host [1, 2]
                pyflame> b = a * \\
                ...>   3
                b = tensor<2xf32> SinglePE [3, 6]
                """)
        #expect(outcome.failures == 0)
    }

    @Test func theFirstErrorStopsTheReplayUnlessKeepGoing() {
        let script = "a = ones(2)\nb = nope\nc = a + 1\n"
        let (stopped, first) = replay(script)
        #expect(first.failures == 1 && first.statements == 2)
        #expect(!stopped.contains("c = "))
        let (all, second) = replay(script, keepGoing: true)
        #expect(second.failures == 1 && second.statements == 3)
        #expect(all.hasSuffix("c = tensor<2xf32> SinglePE [2, 2]"))
        let (marked, third) = replay("# pfs: keep-going\n" + script)
        #expect(third.statements == 4 && marked.contains("c = tensor"))
    }

    @Test func anUnclosedBracketAtTheEndIsAnError() {
        let (text, outcome) = replay("a = relu(ones(2)\n")
        #expect(outcome.failures == 1)
        #expect(text.contains("error: '(' of relu(...) is never closed"))
    }

    @Test func quitEndsTheReplay() {
        let (text, outcome) = replay(":quit\na = ones(2)\n")
        #expect(outcome.quit)
        #expect(!text.contains("a = tensor"))
    }

    @Test func saveAndLoadReproduceTheSession() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Shell(baseDirectory: folder)
        run(shell, "fabric 16x16", "set hop_latency 1", "a = arange(8)", "bad = a +", "b = a * 2 on RowPartition(2)", "a + b")
        #expect(run(shell, ":save s.pfs").text == "saved 4 statements to s.pfs")
        let saved = try String(contentsOfFile: folder + "/s.pfs", encoding: .utf8)
        #expect(
            saved == "# saved by pyflame-shell \(PyFlameShellVersion.string)\nfabric 16x16\nset hop_latency 1\na = arange(8)\nb = a * 2 on RowPartition(2)\n")
        let fresh = Shell(baseDirectory: folder)
        let loaded = run(fresh, ":load s.pfs")
        #expect(!loaded.failed)
        #expect(loaded.text.contains("pyflame> b = a * 2 on RowPartition(2)\nb = tensor<8xf32> RowPartition(2) [0, 2, 4, 6, 8, 10, 12, 14]"))
        #expect(fresh.session.fabric == FabricSize(width: 16, height: 16))
        #expect(fresh.session.settings["hop_latency"] == "1")
        #expect(GraphPrinter.lines(fresh.session.graph) == GraphPrinter.lines(shell.session.graph))
        #expect(run(fresh, ":load missing.pfs").lines[0].text == "error: no such file: missing.pfs")
    }

    @Test func exportAndLoadRoundTripThroughNpyFiles() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Shell(baseDirectory: folder)
        for dtype in ["f32", "f16", "i32", "i16"] {
            run(shell, "x = tensor([[1, -2, 3], [4, 5, -6]], dtype=\(dtype)) * 3")
            #expect(run(shell, ":export x x_\(dtype).npy").text == "wrote x (tensor<2x3x\(dtype)>) to x_\(dtype).npy")
            let y = run(shell, "y = load(\"x_\(dtype).npy\")")
            #expect(y.text == "y = tensor<2x3x\(dtype)> host [[3, -6, 9], [12, 15, -18]]")
        }
        run(shell, "h = full([2], 0.1, dtype=bf16)")
        let bf = run(shell, ":export h h.npy")
        #expect(bf.lines.last == OutputLine("note: NumPy has no bf16: h's bf16 values were written as f32", .note))
        #expect(run(shell, "load(\"h.npy\")").text == "tensor<2xf32> host [0.100097656, 0.100097656]")
        #expect(run(shell, "load(\"nothing.npy\")").lines[0].text == "error: no such file: nothing.npy")
        #expect(FileManager.default.createFile(atPath: folder + "/junk.npy", contents: Data("hello".utf8)))
        #expect(run(shell, "load(\"junk.npy\")").lines[0].text == "error: junk.npy: not a NumPy .npy file (no \\x93NUMPY magic)")
        #expect(
            run(shell, ":export x \(folder)/no/such/dir/x.npy").lines[0].text
                == "error: cannot write \(folder)/no/such/dir/x.npy: no such folder \(folder)/no/such/dir")
        #expect(run(shell, ":export nope x.npy").failed)
    }

    @Test func resetReturnsToTheDefaults() {
        let shell = Shell()
        run(shell, "fabric 4x4", "a = ones(2)", "set hop_latency 1")
        #expect(run(shell, ":reset").text == "reset: target wse2 on fabric wse2 (750x994), no tensors")
        #expect(shell.session.names.isEmpty && shell.session.settings.changed.isEmpty)
    }

    @Test func helpCoversEveryCommandWithAnExample() {
        let shell = Shell()
        let overview = run(shell, ":help").text
        for spec in CommandCatalog.all {
            #expect(overview.contains(spec.usage))
            let one = run(shell, ":help \(spec.name)")
            #expect(!one.failed)
            #expect(one.text.contains("example:\n  pyflame> \(spec.example)"))
        }
        #expect(run(shell, ":help nosuch").failed)
        #expect(run(shell, ":graph extra").lines[0].text == "error: usage: :graph")
    }

    @Test func interruptionLeavesNothingHalfDefined() {
        let shell = Shell(shouldStop: { true })
        let r = run(shell, "a = randn([100000], seed=1)")
        #expect(r.failed)
        #expect(r.lines[0].text == "error: interrupted: the statement was not defined")
        #expect(shell.session.names.isEmpty && shell.session.graph.count == 0)
    }

    @Test func theDiffShowsWhatChanged() {
        #expect(TranscriptDiff.unified(expected: "a\nb\n", actual: "a\nb\n", expectedName: "e", actualName: "a") == nil)
        let diff = TranscriptDiff.unified(
            expected: "1\n2\n3\n4\n5\n6\n7\n8\n9\n", actual: "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
            expectedName: "x.out", actualName: "replay")
        #expect(diff == "--- x.out\n+++ replay\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8")
    }
}
