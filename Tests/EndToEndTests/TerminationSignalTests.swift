import Foundation
import Testing

/// SIGTERM and SIGHUP end the session the normal way: what runs stops, an open trace is closed
/// (renamed into place as valid JSON), and the shell exits with 128 + the signal.
@Suite(.serialized) struct TerminationSignalTests {
    /// A relay ring whose cores receive forever: `:run` goes on until a signal stops it.
    static let ring = [
        "fabric 2x2", "set run_limit 1000000000", "color r = 0", "route r (0,0): RAMP, SOUTH -> EAST, RAMP",
        "route r (1,0): WEST -> SOUTH, RAMP", "route r (1,1): NORTH -> WEST, RAMP", "route r (0,1): EAST -> NORTH, RAMP",
        "send r (0,0) [1, 2]", ":sim",
    ]

    static func folder(_ name: String) throws -> String {
        let folder = NSTemporaryDirectory() + "pfs-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The trace file's events, or nil when it is missing or not JSON.
    static func traceEvents(_ path: String) -> [[String: Any]]? {
        guard let data = FileManager.default.contents(atPath: path),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return json["traceEvents"] as? [[String: Any]]
    }

    static func wait(timeout: Double, until condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, !condition() { usleep(20_000) }
    }

    @Test func sigtermStopsAScriptAndClosesItsTrace() throws {
        let folder = try Self.folder("sigterm")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = (Self.ring + [":trace ring.json", ":run", "a = ones(2)"]).joined(separator: "\n") + "\n"
        try script.write(toFile: folder + "/ring.pfs", atomically: true, encoding: .utf8)
        let process = try launchShell([folder + "/ring.pfs"], outputPath: folder + "/out.txt")
        Self.wait(timeout: 30) { (try? String(contentsOfFile: folder + "/out.txt", encoding: .utf8))?.contains("pyflame> :run") ?? false }
        usleep(300_000)
        kill(process.processIdentifier, SIGTERM)
        Self.wait(timeout: 30) { !process.isRunning }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let output = try String(contentsOfFile: folder + "/out.txt", encoding: .utf8)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + SIGTERM)
        #expect(output.contains("paused at cycle"))
        #expect(output.contains("trace closed: "))
        #expect(output.hasSuffix("error: terminated (SIGTERM): the script stopped\n"))
        #expect(!output.contains("a = tensor"))
        let events = try #require(Self.traceEvents(folder + "/ring.json"))
        #expect(events.contains { $0["name"] as? String == "deliver" })
    }

    /// Closing the terminal (tmux kills the pane: the shell gets SIGHUP) keeps the trace.
    @Test(.enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)"))
    func hangUpDuringARunKeepsTheTrace() throws {
        let folder = try Self.folder("sighup")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 120, rows: 30)
        _ = try tmux.screen(containing: "pyflame>")
        for line in Self.ring + [":trace \(folder)/ring.json", ":run"] { try tmux.send(line, "Enter") }
        _ = try tmux.screen(timeout: 30) { $0.contains("Ctrl-C to pause") }
        #expect(!FileManager.default.fileExists(atPath: folder + "/ring.json"))
        try tmux.run(["kill-pane", "-t", "t"])
        Self.wait(timeout: 30) { Self.traceEvents(folder + "/ring.json") != nil }
        let events = try #require(Self.traceEvents(folder + "/ring.json"))
        #expect(events.contains { $0["name"] as? String == "deliver" })
        // Nothing is left behind beside it (the temporary file was renamed into place).
        let left = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(left == ["ring.json"])
    }
}

/// `pyflame-shell check DIR` on a layout that places tiles for hours stops on Ctrl-C or SIGTERM (as CI's
/// `timeout` sends) with the checker's interrupted message, instead of running on.
@Suite struct CheckCommandInterruptTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsAHugeLayoutCheck(signal: Int32) throws {
        let folder = try TerminationSignalTests.folder("hugecheck")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let layout = """
            layout {
              @set_rectangle(750, 994);
              for (@range(i16, 30000)) |x| {
                for (@range(i16, 30000)) |y| {
                  @set_tile_code(x, y, "pe.csl", .{});
                }
              }
            }

            """
        try layout.write(toFile: folder + "/layout.csl", atomically: true, encoding: .utf8)
        try "fn f() void {}\n".write(toFile: folder + "/pe.csl", atomically: true, encoding: .utf8)
        let outputPath = NSTemporaryDirectory() + "pfs-check-out-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let process = try launchShell(["check", folder], outputPath: outputPath)
        usleep(1_500_000)
        #expect(process.isRunning)
        kill(process.processIdentifier, signal)
        TerminationSignalTests.wait(timeout: 30) { !process.isRunning }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let output = try String(contentsOfFile: outputPath, encoding: .utf8)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + signal)
        #expect(output.contains("was not checked"), "\(output)")
    }
}
