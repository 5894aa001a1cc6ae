import Foundation
@testable import PyFlameShell
import PyFlameCSL
import PyFlameIR
import Testing

/// A disk that fills up part-way through a file, injected with ``FileSystemCalls/failing(after:error:)``
/// (a test cannot mount a small file system): every writer gives a clean error naming the reason, leaves
/// the old file as it was and no temporary file behind.
@Suite struct WriteFailureTests {
    static func contents(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test func exportAndSaveOnAFullDiskKeepTheOldFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Shell(baseDirectory: folder)
        run(shell, "x = arange(1000)")
        try Data("old".utf8).write(to: URL(fileURLWithPath: folder + "/x.npy"))
        for failAfter in [0, 100, 3000] {
            let export = FileSystemCalls.$current.withValue(.failing(after: failAfter)) { shell.execute(":export x x.npy") }
            #expect(export.failed)
            #expect(export.text.contains("cannot write x.npy: No space left on device"), "\(export.text)")
            #expect(FileManager.default.contents(atPath: folder + "/x.npy") == Data("old".utf8))
        }
        let save = FileSystemCalls.$current.withValue(.failing(after: 5, error: EIO)) { shell.execute(":save s.pfs") }
        #expect(save.failed)
        #expect(save.text.contains("cannot write s.pfs: Input/output error"), "\(save.text)")
        #expect(Self.contents(folder) == ["x.npy"], "temporary files left behind")
        // The same commands work once there is room again.
        #expect(!shell.execute(":export x x.npy").failed)
        #expect(!shell.execute(":save s.pfs").failed)
    }

    @Test func aTraceWhoseWritesFailPartWayStopsCleanly() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Shell(baseDirectory: folder)
        run(
            shell, "fabric 4x1", "color c = 0", "route c (0,0): RAMP -> EAST", "route c (1,0)..(2,0): WEST -> RAMP, EAST",
            "route c (3,0): WEST -> RAMP", "send c (0,0) [0, 1, 2, 3, 4]", ":sim")
        // Room for the header and the first events, not for the rest.
        let started = FileSystemCalls.$current.withValue(.failing(after: 1000)) { shell.execute(":trace t.json") }
        #expect(!started.failed, "\(started.text)")
        let step = shell.execute(":step 9")
        #expect(!step.failed, "\(step.text)")
        let run = shell.execute(":run")
        #expect(run.failed)
        #expect(run.text.contains("finished at cycle"), "the run itself finishes: \(run.text)")
        #expect(run.text.contains("error: cannot write t.json: No space left on device; the trace is stopped and its file not written"), "\(run.text)")
        #expect(Self.contents(folder).isEmpty, "no half trace and no temporary file: \(Self.contents(folder))")
        #expect(shell.execute(":trace off").text == "no trace is being written")
    }

    @Test func aTraceThatCannotBeFinishedAtTheEndOfTheSessionSaysWhy() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Shell(baseDirectory: folder)
        run(shell, "fabric 4x1", "color c = 0", "route c (0,0): RAMP -> EAST", "route c (1,0): WEST -> RAMP", "send c (0,0) [7]", ":sim")
        // Room for the trace's first line (written by :step), not for its end.
        let header = "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"time_unit\":\"1 ts = 1 fabric cycle\",\"generator\":\"pyflame-shell\"},\"traceEvents\":[\n"
        _ = FileSystemCalls.$current.withValue(.failing(after: header.utf8.count)) { shell.execute(":trace t.json") }
        let step = shell.execute(":step 1")
        #expect(!step.failed, "\(step.text)")
        let ending = shell.endSession()
        #expect(ending.map(\.text) == ["error: cannot write t.json: No space left on device; the trace is not written"])
        #expect(Self.contents(folder).isEmpty)
    }

    @Test func anEmitOnAFullDiskKeepsTheOldProject() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Shell(baseDirectory: folder)
        run(shell, "fabric 8x8", "x = randn([8, 8], seed=1)", "s = sum(x, dim=1) on ColPartition(4)")
        #expect(!shell.execute(":emit s").failed)
        let before = try String(contentsOfFile: folder + "/out/s/layout.csl", encoding: .utf8)
        run(shell, "s = sum(x * 2, dim=1) on ColPartition(4)")
        let emit = FileSystemCalls.$current.withValue(.failing(after: 2000)) { shell.execute(":emit s") }
        #expect(emit.failed)
        #expect(emit.text.contains(": No space left on device"), "\(emit.text)")
        #expect(try String(contentsOfFile: folder + "/out/s/layout.csl", encoding: .utf8) == before)
        #expect(Self.contents(folder + "/out") == ["s"], "no temporary folder left")
    }

    @Test func historyOnAFullDiskIsAnErrorAndTheFileIsKept() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/history"
        try HistoryStore.append("a = ones(2)", to: path)
        let before = FileManager.default.contents(atPath: path)
        #expect {
            try FileSystemCalls.$current.withValue(.failing(after: 3)) { try HistoryStore.append("b = ones(3)", to: path) }
        } throws: { ($0 as? HistoryError)?.message == "cannot write \(path): No space left on device" }
        #expect(FileManager.default.contents(atPath: path) == before)
        #expect(Self.contents(folder) == ["history", "history.lock"])
    }

    /// `:reset` finishes an open trace; when that write fails it says so.
    @Test func resetSaysWhenTheTraceCannotBeFinished() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Shell(baseDirectory: folder)
        run(shell, "fabric 4x1", "color c = 0", "route c (0,0): RAMP -> EAST", "route c (1,0): WEST -> RAMP", "send c (0,0) [7]", ":sim")
        _ = FileSystemCalls.$current.withValue(.failing(after: 0)) { shell.execute(":trace t.json") }
        let reset = shell.execute(":reset")
        #expect(reset.failed)
        #expect(reset.text.hasPrefix("error: cannot write t.json: No space left on device; the trace is not written"), "\(reset.text)")
        #expect(reset.text.contains("reset: target wse2"))
        #expect(Self.contents(folder).isEmpty)
    }
}
