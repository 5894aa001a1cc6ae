import Foundation
@testable import PyFlameShell
import Testing

/// `:load` streams its output as it runs and stops on Ctrl-C at any depth.
@Suite struct LoadStreamingTests {
    @Test func nestedOutputArrivesAsEachStatementRuns() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a = ones(2)\nb = a * 2\nc = b + 1\n".write(toFile: folder + "/inner.pfs", atomically: true, encoding: .utf8)
        let shell = Shell(baseDirectory: folder)
        var source = ArrayLineSource(text: ":load inner.pfs\nd = c + 1\n")
        var seen: [String] = []
        var namesWhenBWasEchoed: [String]?
        _ = ShellLoop.run(&source, shell: shell, echo: true, keepGoing: false) { line in
            seen.append(line.text)
            if line.text == "pyflame> b = a * 2" { namesWhenBWasEchoed = shell.session.names }
        }
        // Streamed: when the nested echo of b arrives, c is not defined yet.
        #expect(namesWhenBWasEchoed == ["a"])
        // The transcript is the same as before.
        #expect(
            seen == [
                "pyflame> :load inner.pfs", "pyflame> a = ones(2)", "a = tensor<2xf32> host [1, 1]",
                "pyflame> b = a * 2", "b = tensor<2xf32> SinglePE [2, 2]", "pyflame> c = b + 1", "c = tensor<2xf32> SinglePE [3, 3]",
                "pyflame> d = c + 1", "d = tensor<2xf32> SinglePE [4, 4]",
            ])
    }

    @Test func ctrlCStopsAFanOutOfLoadsAtAnyDepth() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ("# pfs: keep-going\n" + String(repeating: "x = ones(1)\n:load self.pfs\n", count: 3))
            .write(toFile: folder + "/self.pfs", atomically: true, encoding: .utf8)
        var lines = 0
        // Ctrl-C arrives after 40 lines of output and stays pending (as the flag does until the prompt).
        let shell = Shell(baseDirectory: folder, shouldStop: { lines > 40 })
        var source = ArrayLineSource(text: ":load self.pfs\ny = ones(1)\n")
        var all: [String] = []
        let outcome = ShellLoop.run(&source, shell: shell, echo: true, keepGoing: true) {
            all.append($0.text); lines += 1
        }
        #expect(lines < 200, "\(lines) lines: the loads went on after Ctrl-C")
        let stopped = all.contains("error: interrupted: :load self.pfs stopped")
        #expect(stopped)
        #expect(outcome.failures > 0)
    }
}
