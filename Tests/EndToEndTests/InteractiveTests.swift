import Foundation
import Testing

/// The real binary in tmux, driven the way a person types.
@Suite(.serialized, .enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)"))
struct InteractiveTests {
    @Test func aPersonAtTheTerminal() throws {
        let folder = NSTemporaryDirectory() + "pfs-tmux-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let history = folder + "/state/pyflame-shell/history"
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        let command = "env -i PATH=/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 HOME=\(folder) XDG_STATE_HOME=\(folder)/state \(shellExecutable())"
        try tmux.run(["new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command])

        let banner = try tmux.screen(containing: "pyflame>")
        #expect(banner.contains("target wse2 on fabric wse2 (750x994)"))

        // A statement prints its value.
        try tmux.send("a = arange(4) * 2", "Enter")
        #expect(try tmux.screen(containing: "a = tensor<4xf32> SinglePE [0, 2, 4, 6]").contains("a = tensor<4xf32> SinglePE [0, 2, 4, 6]"))

        // Tab completes `ara` to `arange`.
        try tmux.send("b = ara")
        try tmux.send("Tab")
        #expect(try tmux.screen(containing: "b = arange").contains("pyflame> b = arange"))
        try tmux.send("(3)", "Enter")
        #expect(try tmux.screen(containing: "b = tensor<3xf32> host [0, 1, 2]").contains("b = tensor<3xf32> host [0, 1, 2]"))

        // Up recalls the last line.
        try tmux.send("Up")
        let recalled = try tmux.screen { $0.split(separator: "\n").last(where: { !$0.isEmpty }) == "pyflame> b = arange(3)" }
        #expect(recalled.split(separator: "\n").last(where: { !$0.isEmpty }) == "pyflame> b = arange(3)")

        // Ctrl-C drops the line and the session goes on.
        try tmux.send("C-c")
        try tmux.send(":status", "Enter")
        #expect(try tmux.screen(containing: "tensors  2: a, b").contains("tensors  2: a, b"))

        // An open bracket continues on a `...>` line.
        try tmux.send("c = relu(a", "Enter")
        #expect(try tmux.screen(containing: "...>").contains("...>"))
        try tmux.send(" - 3)", "Enter")
        #expect(try tmux.screen(containing: "c = tensor<4xf32> SinglePE [0, 0, 1, 3]").contains("[0, 0, 1, 3]"))

        // :quit leaves, and the history file holds what was typed.
        try tmux.send(":quit", "Enter")
        let deadline = Date().addingTimeInterval(10)
        while tmux.sessionExists && Date() < deadline { usleep(50_000) }
        #expect(!tmux.sessionExists)
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        #expect(saved.contains("a = arange(4) * 2\n"))
        #expect(saved.contains("b = arange(3)\n"))
        #expect(saved.contains("c = relu(a - 3)\n"))
        #expect(saved.hasSuffix(":quit\n"))
    }

    @Test func controlDOnAnEmptyLineLeaves() throws {
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.run(["new-session", "-d", "-s", "t", "-x", "80", "-y", "10",
                      "env -i PATH=/usr/bin:/bin TERM=xterm LANG=C.UTF-8 PYFLAME_HISTORY=/dev/null \(shellExecutable())"])
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send("C-d")
        let deadline = Date().addingTimeInterval(10)
        while tmux.sessionExists && Date() < deadline { usleep(50_000) }
        #expect(!tmux.sessionExists)
    }
}
