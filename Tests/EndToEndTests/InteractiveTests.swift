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
        try tmux.startShell(columns: 80, rows: 10)
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send("C-d")
        let deadline = Date().addingTimeInterval(10)
        while tmux.sessionExists && Date() < deadline { usleep(50_000) }
        #expect(!tmux.sessionExists)
    }
}

/// The full-screen fabric view on the real binary in tmux.
@Suite(.serialized, .enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)"))
struct FabricViewEndToEndTests {
    @Test func theViewAnimatesResizesAndReturnsToThePrompt() throws {
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 100, rows: 24, term: "xterm-256color")
        _ = try tmux.screen(containing: "pyflame>")
        for line in [
            "fabric 4x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0)..(2,0): WEST -> RAMP, EAST",
            "route red (3,0): WEST -> RAMP", "send red (0,0) [0, 1, 2, 3, 4]", ":sim",
        ] {
            try tmux.send(line, "Enter")
        }
        _ = try tmux.screen(containing: "loaded the playground")
        try tmux.send(":view", "Enter")
        let first = try tmux.screen(containing: "cycle 0")
        #expect(first.contains("the routing playground · cycle 0"))
        // Four PEs across the fabric area, each a glyph and a long link (`S` the sender, `R` a receiver).
        #expect(first.contains("S──") && first.contains("→R"))
        // Space steps one cycle at a time: after 6 the first wavelet is on a link.
        for _ in 0..<6 { try tmux.send("Space") }
        let moved = try tmux.screen(containing: "cycle 6")
        #expect(moved.contains("●"))
        #expect(moved != first)
        // Colors: the wavelet glyph is drawn in color 0's palette entry (196) on a 256-color terminal.
        let colored = try tmux.run(["capture-pane", "-p", "-e", "-t", "t"], captureOutput: true)
        #expect(colored.contains("38;5;196"))
        // A resize redraws: the key line wraps to the narrower window.
        try tmux.run(["resize-window", "-t", "t", "-x", "60", "-y", "20"])
        let resized = try tmux.screen { $0.contains("cycle 6") && $0.contains("\nz zoom") }
        #expect(resized.contains("n step  N ×10"))
        #expect(resized.contains("\nz zoom  ? help  q back"))
        try tmux.run(["resize-window", "-t", "t", "-x", "30", "-y", "8"])
        #expect(try tmux.screen(containing: "terminal too small").contains("terminal too small: 30x8"))
        try tmux.run(["resize-window", "-t", "t", "-x", "100", "-y", "24"])
        _ = try tmux.screen(containing: "q back")
        // q returns to the prompt with the session intact.
        try tmux.send("q")
        try tmux.send(":status", "Enter")
        let status = try tmux.screen(containing: "sim      the playground at cycle 6")
        #expect(status.contains("sim      the playground at cycle 6"))
        #expect(status.contains("fabric   4x1"))
    }

    @Test func aWideWindowGivesThePanelItsLinesAndTheFabricTheRest() throws {
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 200, rows: 40)
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send("x = randn([8, 8], seed=1)", "Enter")
        try tmux.send("y = x * 2 on Grid(2, 2)", "Enter")
        try tmux.send("s = sum(y, dim=0)", "Enter")
        try tmux.send(":sim s", "Enter")
        _ = try tmux.screen(containing: "loaded s's program")
        try tmux.send(":view", "Enter")
        let screen = try tmux.screen(containing: "paused (")
        // The panel's lines are whole: the role line of :pe is not cut.
        #expect(screen.contains("role pe_program_0 (2 PEs), local task ID 8"))
        // The 2x2 program is drawn large (it was 3 characters wide): two PEs 20 columns apart.
        let fabricRow = screen.split(separator: "\n")[1]
        let firstPE = fabricRow.firstIndex { $0 != " " }
        let panelStart = fabricRow.range(of: "PE (0,0)")?.lowerBound
        #expect(firstPE != nil && panelStart != nil)
        if let firstPE, let panelStart {
            let fabricPart = fabricRow[firstPE..<panelStart].trimmingCharacters(in: .whitespaces)
            #expect(fabricPart.count == 21, "\(fabricRow)")
        }
        try tmux.send("q")
    }

    @Test func runningShowsTheWholeRunAtTheSpeedTheTitleSays() throws {
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 120, rows: 30)
        _ = try tmux.screen(containing: "pyflame>")
        // A program of 123 cycles (the 07 view tour's reduction) starts at 10 cycles/s: about ten seconds.
        try tmux.send("fabric 8x4", "Enter")
        try tmux.send("x = randn([16, 16], seed=4)", "Enter")
        try tmux.send("s = sum(x, dim=1) on ColPartition(4)", "Enter")
        try tmux.send(":sim s", "Enter")
        _ = try tmux.screen(containing: "loaded s's program")
        try tmux.send(":view", "Enter")
        #expect(try tmux.screen(containing: "paused (").contains("paused (10 cycles/s)"))
        // Faster, then run: the title says the speed and the run reaches its end by itself.
        try tmux.send("+")
        try tmux.send("r")
        #expect(try tmux.screen(containing: "running (20 cycles/s)").contains("in progress"))
        let finished = try tmux.screen(timeout: 30) { $0.contains("finished") }
        #expect(finished.contains("cycle 123 · finished"))
        #expect(!finished.contains("running ("))
        try tmux.send("q")
    }

    @Test func withoutATerminalTheViewRefusesAndPointsToFrame() throws {
        let result = try runShell([], input: "fabric 2x1\ncolor r = 0\nroute r (0,0): RAMP -> EAST\nroute r (1,0): WEST -> RAMP\n:view\n")
        #expect(
            result.output.contains(
                "error: the full-screen view needs a terminal (TERM set, not dumb, stdin and stdout a terminal); :view --frame prints one frame as text"))
        #expect(result.status == 1)
    }

    @Test func dumbTerminalsGetTheMessageToo() throws {
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 100, rows: 24, term: "dumb")
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send("fabric 2x1", "Enter")
        try tmux.send("color r = 0", "Enter")
        try tmux.send("route r (0,0): RAMP -> EAST", "Enter")
        try tmux.send(":view", "Enter")
        let screen = try tmux.screen(containing: "needs a terminal").replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains(":view --frame prints one frame as text"))
    }
}

/// Long output goes through the pager on a terminal, like git; never in scripts.
@Suite(.serialized, .enabled(if: Tmux.isAvailable, "tmux is not installed (./test installs it)"))
struct PagerEndToEndTests {
    @Test func outputLongerThanTheScreenGoesThroughPAGER() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-pager-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let paged = folder.appendingPathComponent("paged.txt").path
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 100, rows: 24, extra: "PAGER='cat > \(paged)'")
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send("x = randn([16, 16], seed=9)", "Enter")
        try tmux.send("s = sum(x) on Grid(4, 4)", "Enter")
        // 30 routes of :routes do not fit in 24 rows: they go to the pager.
        try tmux.send(":routes s", "Enter")
        let screen = try tmux.screen { _ in ((try? String(contentsOfFile: paged, encoding: .utf8)) ?? "").contains("color 1") }
        #expect(!screen.contains("color 0: rx"))
        let text = (try? String(contentsOfFile: paged, encoding: .utf8)) ?? ""
        #expect(text.contains("(0,0) color 0: rx"))
        #expect(text.split(separator: "\n").count > 23)
        // Short output stays on the screen.
        try tmux.send(":status", "Enter")
        #expect(try tmux.screen(containing: "target   wse2").contains("target   wse2"))
    }

    @Test func lessShowsItAndQReturnsToThePrompt() throws {
        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        try tmux.startShell(columns: 100, rows: 24)
        _ = try tmux.screen(containing: "pyflame>")
        try tmux.send("x = randn([16, 16], seed=9)", "Enter")
        try tmux.send("s = sum(x) on Grid(4, 4)", "Enter")
        try tmux.send(":routes s", "Enter")
        // less -R with LESS=FRX: the first screenful and less's prompt on the last row.
        let paging = try tmux.screen { $0.contains("(0,0) color 0: rx") && $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("\n:") }
        #expect(paging.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("\n:"))
        try tmux.send("q")
        try tmux.send(":status", "Enter")
        #expect(try tmux.screen(containing: "target   wse2").contains("target   wse2"))
    }

    @Test func scriptsAreNeverPaged() throws {
        let result = try runShell(
            [], input: "x = randn([16, 16], seed=9)\ns = sum(x) on Grid(4, 4)\n:routes s\n",
            environment: childEnvironment(["PAGER": "false"]))
        #expect(result.status == 0)
        #expect(result.output.contains("(0,0) color 0: rx"))
    }
}
