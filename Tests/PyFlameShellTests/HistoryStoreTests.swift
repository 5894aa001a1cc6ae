import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

@Suite struct HistoryStoreTests {
    @Test func repeatsMoveToTheEndAndTheOldestFallOffTheCap() {
        var store = HistoryStore(capacity: 3)
        for line in ["a = 1", "b = 2", "a = 1", "c = 3", "d = 4", "   "] { store.add(line) }
        #expect(store.entries == ["a = 1", "c = 3", "d = 4"])
    }

    @Test func theFileFormatRoundTripsBackslashesAndNewlines() {
        let store = HistoryStore(entries: ["x = load(\"a\\\\b.npy\")", "line one\nline two", "plain"])
        #expect(HistoryStore.decode(store.encoded()).entries == store.entries)
        #expect(store.encoded().hasPrefix("# pyflame-shell history v1\n"))
    }

    @Test func appendMergesWithWhatAnotherShellWrote() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/state/pyflame-shell/history"
        try HistoryStore.append("a = ones(2)", to: path)  // creates the folders
        try HistoryStore.append("b = zeros(2)", to: path)  // "another shell"
        let merged = try HistoryStore.append("a = ones(2)", to: path)
        #expect(merged.entries == ["b = zeros(2)", "a = ones(2)"])
        #expect(HistoryStore.load(from: path).entries == merged.entries)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder + "/state/pyflame-shell")
        #expect(leftovers.sorted() == ["history", "history.lock"])  // no temporary files left behind, the lock file stays
    }

    @Test func thePathFollowsTheEnvironment() {
        #expect(HistoryStore.defaultPath(environment: ["PYFLAME_HISTORY": "/tmp/h", "HOME": "/root"]) == "/tmp/h")
        #expect(HistoryStore.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/root"]) == "/s/pyflame-shell/history")
        #expect(HistoryStore.defaultPath(environment: ["HOME": "/root"]) == "/root/.pyflame_history")
        #expect(HistoryStore.defaultPath(environment: [:]) == nil)
    }

    @Test func aContinuedStatementIsOneEntry() {
        #expect(HistoryStore.entry(forStatement: "y = relu(\n  x + 1)") == "y = relu( x + 1)")
        #expect(HistoryStore.entry(forStatement: "y = x + \\\n  1") == "y = x + 1")
        #expect(HistoryStore.entry(forStatement: "y = relu(  # why\n x)") == "y = relu(  # why\n x)")
    }
}

@Suite struct SpecialFileTests {
    @Test func historyIsOffForNoneAndForFilesThatAreNotRegular() {
        #expect(HistoryStore.defaultPath(environment: ["PYFLAME_HISTORY": "none", "HOME": "/root"]) == nil)
        #expect(HistoryStore.defaultPath(environment: ["PYFLAME_HISTORY": "/dev/null", "HOME": "/root"]) == nil)
    }

    @Test func writingToADeviceWritesInPlaceAndNeverReplacesIt() throws {
        try SafeFileWriter.write("hello", to: "/dev/null")
        var info = stat()
        #expect(lstat("/dev/null", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFCHR)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: FileWriteError.self) { try SafeFileWriter.write("x", to: folder) }
    }
}

/// Two shells sharing one history file, and a history path that names someone else's file.
@Suite struct SharedHistoryTests {
    @Test func concurrentAppendsLoseNoEntry() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/history"
        let perShell = 150
        DispatchQueue.concurrentPerform(iterations: 2) { shell in
            for i in 0..<perShell { _ = try? HistoryStore.append("s\(shell)_\(i) = ones(\(i + 1))", to: path) }
        }
        let entries = Set(HistoryStore.load(from: path).entries)
        let missing = (0..<2).flatMap { s in (0..<perShell).map { "s\(s)_\($0) = ones(\($0 + 1))" } }.filter { !entries.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) of \(2 * perShell) entries lost")
    }

    @Test func aFileThatIsNotAHistoryIsNeverRewritten() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/notes.txt"
        let notes = (1...1501).map { "note \($0): remember the fabric" }.joined(separator: "\n") + "\n"
        try Data(notes.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: HistoryError.self) { try HistoryStore.append("a = ones(2)", to: path) }
        #expect(FileManager.default.contents(atPath: path) == Data(notes.utf8))
        #expect(HistoryStore.load(from: path).entries.isEmpty, "someone else's lines are not offered as history")
        // An empty file is a new history.
        let empty = folder + "/empty"
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(try HistoryStore.append("a = ones(2)", to: empty).entries == ["a = ones(2)"])
    }
}

/// A history file reached through a symlink (a dotfile kept elsewhere) is written through the link.
@Suite struct LinkedHistoryTests {
    @Test func aSymlinkedHistoryIsWrittenThroughAndKept() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/dotfiles", withIntermediateDirectories: true)
        try HistoryStore.append("a = ones(2)", to: folder + "/dotfiles/history")
        #expect(chmod(folder + "/dotfiles/history", 0o600) == 0)
        #expect(symlink("dotfiles/history", folder + "/.pyflame_history") == 0)
        let path = try #require(HistoryStore.defaultPath(environment: ["PYFLAME_HISTORY": folder + "/.pyflame_history"]))
        try HistoryStore.append("b = ones(3)", to: path)
        var info = stat()
        #expect(lstat(folder + "/.pyflame_history", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(lstat(folder + "/dotfiles/history", &info) == 0 && info.st_mode & 0o7777 == 0o600)
        #expect(HistoryStore.load(from: folder + "/dotfiles/history").entries == ["a = ones(2)", "b = ones(3)"])
    }
}
