import Foundation
import Testing

/// `PYFLAME_HISTORY` naming a file that is not a history file (someone's notes): the shell says so once,
/// goes on (Up still recalls the session's lines) and never rewrites the file.
@Suite(.serialized, .enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)"))
struct HistoryFileTests {
    @Test func notesAreNeverTruncated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-notes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let notes = folder + "/notes.txt"
        let text = (1...1501).map { "note \($0)" }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: notes))
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        let command = "env -i PATH=/usr/bin:/bin TERM=xterm LANG=C.UTF-8 HOME=\(folder) PYFLAME_HISTORY=\(notes) \(shellExecutable())"
        try tmux.run(["new-session", "-d", "-s", "t", "-x", "160", "-y", "30", command])
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send("a = ones(2)", "Enter")
        _ = try tmux.screen(containing: "a = tensor<2xf32>")
        try tmux.send("b = ones(3)", "Enter")
        _ = try tmux.screen(containing: "b = tensor<3xf32>")
        try tmux.send("Up")
        let screen = try tmux.screen { $0.split(separator: "\n").last(where: { !$0.isEmpty }) == "pyflame> b = ones(3)" }
        #expect(screen.components(separatedBy: "is not a pyflame-shell history file").count == 2, "said once: \(screen)")
        #expect(screen.contains("warning: history not saved: \(notes) is not a pyflame-shell history file"))
        try tmux.send("C-u", ":quit", "Enter")
        let deadline = Date().addingTimeInterval(10)
        while tmux.sessionExists && Date() < deadline { usleep(50_000) }
        #expect(FileManager.default.contents(atPath: notes) == Data(text.utf8))
    }
}
