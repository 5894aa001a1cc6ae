import Foundation
import Testing

/// Ctrl-C at a real terminal stops `:lower`, `:emit`, `:csl` and `:check` of a program on 160,000 PEs
/// (item 8; the whole wafer works the same, only slower in a debug build): each says it was interrupted
/// and the prompt comes back; the session goes on.
@Suite(.serialized, .enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)"))
struct InterruptCommandTests {
    /// Types `command`, waits a moment for it to get going, presses Ctrl-C and returns the screen once
    /// `expected` shows.
    func interrupt(_ tmux: Tmux, _ command: String, expecting expected: String) throws -> String {
        try clear(tmux)
        try tmux.send(command, "Enter")
        usleep(400_000)
        try tmux.send("C-c")
        return try tmux.screen(timeout: 120) { $0.contains(expected) }
    }

    /// Empties the pane, so what the next command prints is all there is.
    func clear(_ tmux: Tmux) throws {
        try tmux.run(["send-keys", "-R", "-t", "t"])
        try tmux.run(["clear-history", "-t", "t"])
    }

    @Test func controlCStopsLowerEmitCSLAndCheckOfABigProgram() throws {
        let folder = NSTemporaryDirectory() + "pfs-tmux-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        let command = "cd \(folder) && env -i PATH=/usr/bin:/bin TERM=xterm LANG=C.UTF-8 PYFLAME_HISTORY=none \(shellExecutable())"
        try tmux.run(["new-session", "-d", "-s", "t", "-x", "160", "-y", "20", command])
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send("b = randn([400, 1600], seed=1) * 2 on Grid(400, 400)", "Enter")
        #expect(try tmux.screen(timeout: 120) { $0.contains("b = tensor<400x1600xf32>") }.contains("b = tensor<400x1600xf32>"))

        let lowering = try interrupt(tmux, ":lower b", expecting: "interrupted (Ctrl-C): b was not lowered")
        #expect(lowering.contains("error: interrupted (Ctrl-C): b was not lowered"), "\(lowering)")

        // Lowered once to the end (cached), so what Ctrl-C stops next is the emitter itself.
        try clear(tmux)
        try tmux.send(":colors b", "Enter")
        #expect(try tmux.screen(timeout: 300) { $0.contains("uses no colors") }.contains("b's program uses no colors"))
        let emitting = try interrupt(tmux, ":emit b", expecting: "interrupted (Ctrl-C): b was not emitted")
        #expect(emitting.contains("error: interrupted (Ctrl-C): b was not emitted"), "\(emitting)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/b"))
        let printing = try interrupt(tmux, ":csl b layout.csl", expecting: "interrupted (Ctrl-C): b was not emitted")
        #expect(printing.contains("error: interrupted (Ctrl-C): b was not emitted"), "\(printing)")

        // The project on disk, then Ctrl-C during its check.
        try clear(tmux)
        try tmux.send(":emit b", "Enter")
        let emitted = try tmux.screen(timeout: 300) { $0.contains("checked: ") }
        #expect(emitted.contains("checked: the checks pass"), "\(emitted)")
        let checking = try interrupt(tmux, ":check out/b", expecting: "interrupted (Ctrl-C): out/b was not checked")
        #expect(checking.contains("error: interrupted (Ctrl-C): out/b was not checked"), "\(checking)")

        // The session goes on.
        try tmux.send(":quit", "Enter")
        let deadline = Date().addingTimeInterval(10)
        while tmux.sessionExists && Date() < deadline { usleep(50_000) }
        #expect(!tmux.sessionExists)
    }
}
