import Foundation
@testable import PyFlameShell
import PyFlameIR
import Testing

/// `:save FILE` writes a script that replays from where it is saved: a `load("...")` path written relative
/// to the session's folder is rewritten relative to the saved script's folder.
@Suite struct SaveReplayTests {
    static func value(_ shell: Shell, _ name: String) -> TensorValue? {
        shell.session.bindings[name].flatMap { shell.session.graph[$0]?.value }
    }

    @Test func aSavedScriptReplaysFromAnotherFolder() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = root + "/project", elsewhere = root + "/elsewhere/deeper"
        try FileManager.default.createDirectory(atPath: project + "/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let writer = Shell(baseDirectory: project)
        run(writer, "w = arange(6)", ":export w data/d.npy", ":export w e.npy")
        let shell = Shell(baseDirectory: project)
        let loaded = run(shell, "a = load(\"data/d.npy\")", "b = load('e.npy') * 2", "c = load(\"\(project)/e.npy\") + a")
        #expect(!loaded.failed, "\(loaded.text)")
        let save = shell.execute(":save ../elsewhere/deeper/s.pfs")
        #expect(!save.failed, "\(save.text)")
        let script = try String(contentsOfFile: elsewhere + "/s.pfs", encoding: .utf8)
        // Files outside the script's folder are named by absolute paths.
        #expect(script.contains("a = load(\"\(project)/data/d.npy\")"), "\(script)")
        #expect(script.contains("b = load(\"\(project)/e.npy\") * 2"), "\(script)")
        #expect(script.contains("c = load(\"\(project)/e.npy\") + a"))
        // Files in the script's folder or below stay relative, so the folder can move as a whole.
        #expect(!shell.execute(":save s.pfs").failed)
        let local = try String(contentsOfFile: project + "/s.pfs", encoding: .utf8)
        #expect(
            local.contains("a = load(\"data/d.npy\")") && local.contains("b = load(\"e.npy\") * 2") && local.contains("c = load(\"e.npy\") + a"), "\(local)")
        // Replayed from its new folder, the script gives the same values.
        let replay = Shell(baseDirectory: elsewhere)
        let outcome = replay.execute(":load s.pfs")
        #expect(!outcome.failed, "\(outcome.text)")
        for name in ["a", "b", "c"] {
            #expect(Self.value(replay, name) != nil && Self.value(replay, name) == Self.value(shell, name), "\(name) differs")
        }
    }

    @Test func statementsOfALoadedScriptKeepTheirFolder() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/lib", withIntermediateDirectories: true)
        run(Shell(baseDirectory: root + "/lib"), "w = arange(3)", ":export w w.npy")
        try Data("v = load(\"w.npy\")\n".utf8).write(to: URL(fileURLWithPath: root + "/lib/setup.pfs"))
        let shell = Shell(baseDirectory: root)
        #expect(!shell.execute(":load lib/setup.pfs").failed)
        #expect(!shell.execute(":save saved.pfs").failed)
        let replay = Shell(baseDirectory: root)
        let outcome = replay.execute(":load saved.pfs")
        #expect(!outcome.failed, "\(outcome.text)")
        #expect(Self.value(replay, "v") == Self.value(shell, "v"))
    }
}
