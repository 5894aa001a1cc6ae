import Foundation
import Testing

/// The real binary in tmux: stdout redirected at a terminal, and Ctrl-C inside a history search.
@Suite(.serialized, .enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)"))
struct TerminalEdgeTests {
    func waitUntilGone(_ tmux: Tmux) {
        let deadline = Date().addingTimeInterval(10)
        while tmux.sessionExists && Date() < deadline { usleep(50_000) }
    }

    @Test func stdoutRedirectedAtATerminalIsStillInteractive() throws {
        let folder = NSTemporaryDirectory() + "pfs-redirect-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/log.txt"
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.run([
            "new-session", "-d", "-s", "t", "-x", "100", "-y", "30",
            "env -i PATH=/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 PYFLAME_HISTORY=none sh -c '\(shellExecutable()) > \(log)'",
        ])
        // The banner and the prompt are on the terminal (stderr).
        let banner = try tmux.screen(containing: "pyflame>")
        #expect(banner.contains("target wse2 on fabric wse2 (750x994)"))
        try tmux.send("a = arange(4) * 2", "Enter")
        try tmux.send("b = nope", "Enter")
        // Errors show on the terminal; values go to the file only.
        let screen = try tmux.screen(containing: "error: unknown name")
        #expect(screen.contains("error: unknown name"))
        #expect(!screen.contains("a = tensor<4xf32>"))
        try tmux.send("C-d")
        waitUntilGone(tmux)
        #expect(!tmux.sessionExists)
        let written = try String(contentsOfFile: log, encoding: .utf8)
        #expect(written == "a = tensor<4xf32> SinglePE [0, 2, 4, 6]\n")
    }

    @Test func ctrlCInAHistorySearchCancelsItAndTheSessionGoesOn() throws {
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 100, rows: 30, term: "xterm-256color")
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send("a = arange(4)", "Enter")
        _ = try tmux.screen(containing: "a = tensor<4xf32> host")
        try tmux.send("C-r")
        try tmux.send("ara")
        usleep(300_000)
        try tmux.send("C-c")
        usleep(300_000)
        #expect(tmux.sessionExists, "Ctrl-C in the history search left the shell")
        // The prompt is empty again: what is typed next runs on its own.
        try tmux.send(":status", "Enter")
        let status = try tmux.screen(containing: "tensors  1: a")
        #expect(status.contains("tensors  1: a"))
        try tmux.send(":quit", "Enter")
        waitUntilGone(tmux)
    }
}

/// A long `:run` on a terminal shows its progress, and Ctrl-C pauses it.
@Suite(.serialized, .enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)"))
struct RunProgressEndToEndTests {
    @Test func aLongRunShowsProgressAndCtrlCPausesIt() throws {
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 120, rows: 30, term: "xterm-256color")
        _ = try tmux.screen(containing: "pyflame>")
        // A relay ring whose cores receive forever: it runs to run_limit.
        for line in [
            "fabric 2x2", "set run_limit 1000000000", "color r = 0", "route r (0,0): RAMP, SOUTH -> EAST, RAMP",
            "route r (1,0): WEST -> SOUTH, RAMP", "route r (1,1): NORTH -> WEST, RAMP", "route r (0,1): EAST -> NORTH, RAMP",
            "send r (0,0) [1, 2]", ":sim",
        ] {
            try tmux.send(line, "Enter")
        }
        _ = try tmux.screen(containing: "loaded the playground")
        try tmux.send(":run", "Enter")
        let running = try tmux.screen(timeout: 30) { $0.contains("Ctrl-C to pause") }
        #expect(running.contains("running: cycle "))
        try tmux.send("C-c")
        let paused = try tmux.screen(timeout: 30) { $0.contains("paused at cycle") }
        #expect(paused.contains("(Ctrl-C); :run or :step go on"))
        // The progress line is gone once the run answers.
        #expect(!paused.split(separator: "\n").contains { $0.contains("paused at cycle") && $0.contains("running:") })
        try tmux.send(":quit", "Enter")
    }
}

/// Ctrl-C stops a `:load` that fans out (a keep-going script that loads itself ten times per level).
@Suite(.serialized, .enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)"))
struct LoadInterruptEndToEndTests {
    @Test func ctrlCStopsALoadFanOutAtAnyDepth() throws {
        let folder = NSTemporaryDirectory() + "pfs-fanout-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ("# pfs: keep-going\n" + String(repeating: ":load self.pfs\n", count: 10)).write(toFile: folder + "/self.pfs", atomically: true, encoding: .utf8)
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 120, rows: 30, term: "xterm-256color")
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send(":load \(folder)/self.pfs", "Enter")
        _ = try tmux.screen(containing: ":load nested more than 8 deep")
        try tmux.send("C-c")
        let stopped = try tmux.screen(timeout: 20) { $0.contains("error: interrupted: :load") }
        #expect(stopped.contains("error: interrupted: :load self.pfs stopped"))
        // The shell is at its prompt again and answers.
        try tmux.send(":status", "Enter")
        let status = try tmux.screen(timeout: 20) { $0.contains("tensors  none") }
        #expect(status.contains("tensors  none"))
        try tmux.send(":quit", "Enter")
    }
}

/// Ctrl-C (SIGINT) stops a script before its next statement: exit 130, nothing after it runs.
@Suite struct ScriptInterruptTests {
    @Test func sigintStopsAScriptBeforeItsNextStatement() throws {
        let folder = NSTemporaryDirectory() + "pfs-sigint-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A relay ring whose cores receive forever: :run goes on until Ctrl-C.
        let script =
            [
                "fabric 2x2", "set run_limit 1000000000", "color r = 0", "route r (0,0): RAMP, SOUTH -> EAST, RAMP",
                "route r (1,0): WEST -> SOUTH, RAMP", "route r (1,1): NORTH -> WEST, RAMP", "route r (0,1): EAST -> NORTH, RAMP",
                "send r (0,0) [1, 2]", ":sim", ":run", "a = ones(2)",
            ].joined(separator: "\n") + "\n"
        try script.write(toFile: folder + "/ring.pfs", atomically: true, encoding: .utf8)
        let process = try launchShell([folder + "/ring.pfs"], outputPath: folder + "/out.txt")
        // Ctrl-C once :run is under way.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? String(contentsOfFile: folder + "/out.txt", encoding: .utf8))?.contains("pyflame> :run") ?? false) {
            usleep(20_000)
        }
        usleep(300_000)
        kill(process.processIdentifier, SIGINT)
        let end = Date().addingTimeInterval(30)
        while process.isRunning && Date() < end { usleep(20_000) }
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        let output = try String(contentsOfFile: folder + "/out.txt", encoding: .utf8)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(output.contains("paused at cycle"))
        #expect(output.hasSuffix("error: interrupted (Ctrl-C): the script stopped\n"))
        #expect(!output.contains("a = tensor"))
    }
}
