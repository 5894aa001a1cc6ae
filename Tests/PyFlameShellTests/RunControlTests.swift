import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// Run control and the messages about the loaded simulation: cycle counts at the extremes, `:pe`
/// coordinates, stop messages.
@Suite struct RunControlTests {
    /// A 2x1 playground that finishes after a few cycles.
    func loadedPlayground() -> Shell {
        let shell = Shell()
        run(shell, "fabric 2x1", "color c = 0", "route c (0,0): RAMP -> EAST", "route c (1,0): WEST -> RAMP", "send c (0,0) [1, 2, 3]", ":sim")
        return shell
    }

    @Test func hugeCycleCountsAfterAStepSaturateInsteadOfOverflowing() {
        let max = "9223372036854775807"
        let shell = loadedPlayground()
        #expect(!run(shell, ":step 1").failed)
        let r = run(shell, ":run \(max)")
        #expect(!r.failed)
        #expect(r.lines[0].text.hasPrefix("finished at cycle"))
        let again = loadedPlayground()
        #expect(!run(again, ":step 1").failed)
        let stepped = run(again, ":step \(max)")
        #expect(!stepped.failed)
        #expect(stepped.lines[0].text.hasSuffix("finished"))
    }

    @Test func peCoordinatesAreCheckedAgainstTheLoadedSimulation() {
        let shell = loadedPlayground()
        let negative = run(shell, ":pe -1,0")
        #expect(negative.failed)
        #expect(negative.lines[0].text.hasPrefix("error: a PE coordinate is a whole number >= 0"))
        run(shell, "fabric 3x3")
        let outside = run(shell, ":pe 2,2")
        #expect(outside.failed)
        #expect(outside.lines[0].text == "error: (2,2) is outside the loaded simulation's fabric 2x1 (fabric 3x3 applies at the next :sim)")
        #expect(!run(shell, ":pe 1,0").failed)
    }

    @Test func aDeadlockIsNamedOnceInTheViewAndTheError() {
        let shell = Shell()
        run(
            shell, "fabric 2x2", "set stall_limit 50", "color r = 0", "route r (0,0): RAMP, SOUTH -> EAST", "route r (1,0): RAMP, WEST -> SOUTH",
            "route r (1,1): RAMP, NORTH -> WEST", "route r (0,1): RAMP, EAST -> NORTH")
        for pe in ["(0,0)", "(1,0)", "(1,1)", "(0,1)"] { run(shell, "send r \(pe) [" + (1...16).map(String.init).joined(separator: ", ") + "]") }
        run(shell, ":sim")
        let r = run(shell, ":run")
        #expect(r.lines[0].text.hasPrefix("error: deadlock: "))
        let frame = run(shell, ":view --frame").text
        #expect(frame.contains("deadlock: no wavelet moved"))
        #expect(!frame.contains("deadlock: deadlock"))
    }

    @Test func stopKindsAreNamedInWords() {
        let shell = Shell()
        run(shell, "fabric 3x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> EAST", "send red (0,0) [1]", ":sim")
        #expect(run(shell, ":run").failed)
        #expect(run(shell, ":status").text.contains("stopped: unrouted"))
        let shell2 = Shell()
        run(shell2, "fabric 2x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> EAST", "send red (0,0) [1]", ":sim")
        #expect(run(shell2, ":run").failed)
        #expect(run(shell2, ":status").text.contains("stopped: leaves the fabric"))
        let frame = run(shell2, ":view --frame").text
        #expect(frame.contains("leaves the fabric: at cycle"))
        #expect(!frame.contains("leavesFabric"))
    }

    @Test func anUnknownWordAfterAPlaygroundStatementGetsARoutingMessage() {
        let shell = Shell()
        run(shell, "fabric 2x1", "color c = 0")
        let route = run(shell, "route c (0,0): RAMP -> EAST tx")
        #expect(
            route.lines[0].text
                == "error: unknown route modifier 'tx': a route is route NAME (x,y): RX -> TX, then optionally switch POSITIONS [at N] [ring] [pop always|advance|none], filter MIN..MAX, swap x|y|xy"
        )
        let bare = run(shell, "route c (0,0): RAMP -> EAST switch")
        #expect(bare.lines[0].text.hasPrefix("error: a switch position is rx DIRS and/or tx DIRS"))
        let send = run(shell, "send c (0,0) [1] pos1")
        #expect(send.lines[0].text == "error: unexpected 'pos1' after the send: a send is send NAME (x,y) [VALUES]")
        let color = run(shell, "color d = 1 filter")
        #expect(color.lines[0].text == "error: unexpected 'filter' after the color: a color is color NAME = ID (0–23)")
        #expect(!route.text.contains("layout clause") && !send.text.contains("layout clause") && !color.text.contains("layout clause"))
    }
}

/// What a long `:run` shows on a terminal, and that nothing in a script reports progress.
@Suite struct RunProgressTests {
    @Test func theProgressLineNamesTheCyclesAndCtrlC() {
        #expect(
            RunProgress.line(cycle: 1_200_000, ran: 1_000_000, limit: 10_000_000)
                == "running: cycle 1200000, 1000000 of at most 10000000 cycles of this :run done · Ctrl-C to pause")
        // A run from cycle 0 says the cycle once.
        #expect(RunProgress.line(cycle: 5_000, ran: 5_000, limit: 10_000_000) == "running: cycle 5000 of at most 10000000 · Ctrl-C to pause")
    }

    @Test func aShellWithoutAPainterRunsWithoutProgressAndTheTranscriptHasNone() {
        let shell = Shell()
        #expect(shell.onRunProgress == nil)
        let transcript = Transcript.replay(
            "fabric 2x1\ncolor c = 0\nroute c (0,0): RAMP -> EAST\nroute c (1,0): WEST -> RAMP\nsend c (0,0) [1]\n:sim\n:run\n", base: "")
        #expect(transcript.contains("finished at cycle"))
        #expect(!transcript.contains("running:"))
    }
}
