import Foundation
import Testing

/// A trace started with `:trace FILE` and not complete when the session ends (end of a script, `:quit`,
/// Ctrl-D) is finished with what was recorded: valid JSON, no temporary file left behind.
@Suite struct TraceAtExitTests {
    static let playground = """
        fabric 4x1
        color c = 0
        route c (0,0): RAMP -> EAST
        route c (1,0)..(2,0): WEST -> RAMP, EAST
        route c (3,0): WEST -> RAMP
        send c (0,0) [0, 1, 2, 3, 4]
        :sim
        :trace trace.json
        :step 9

        """

    /// The `deliver` events of a finished trace file (nil when it is missing or not JSON).
    static func deliveries(_ path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let events = root["traceEvents"] as? [[String: Any]]
        else { return nil }
        return events.filter { $0["name"] as? String == "deliver" }.count
    }

    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-trace-exit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: ["", ":quit\n"]) func aScriptFinishesItsTrace(ending: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = folder + "/t.pfs"
        try Data((Self.playground + ending).utf8).write(to: URL(fileURLWithPath: script))
        let result = try runShell([script])
        #expect(result.status == 0, "\(result.output)\(result.errors)")
        #expect(Self.deliveries(folder + "/trace.json") == 6, "the 6 deliveries up to cycle 9")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["t.pfs", "trace.json"], "temporary files left: \(names)")
    }

    @Test func standardInputFinishesItsTrace() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try runShell([], input: Self.playground.replacingOccurrences(of: "trace.json", with: folder + "/trace.json"))
        #expect(result.status == 0, "\(result.output)\(result.errors)")
        #expect(Self.deliveries(folder + "/trace.json") == 6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["trace.json"])
    }

    @Test(.enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)")) func controlDFinishesTheTrace() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        let command = "cd \(folder) && env -i PATH=/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 HOME=\(folder) PYFLAME_HISTORY=none \(shellExecutable())"
        try tmux.run(["new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command])
        _ = try tmux.screen(containing: "pyflame>")
        for line in Self.playground.split(separator: "\n") {
            try tmux.send(String(line), "Enter")
        }
        _ = try tmux.screen(containing: "6 delivered")
        try tmux.send("C-d")
        let deadline = Date().addingTimeInterval(10)
        while tmux.sessionExists && Date() < deadline { usleep(50_000) }
        #expect(!tmux.sessionExists)
        #expect(Self.deliveries(folder + "/trace.json") == 6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["trace.json"])
    }
}
