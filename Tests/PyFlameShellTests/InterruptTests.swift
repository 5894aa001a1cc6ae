import PyFlameIR
@testable import PyFlameSimulator
@testable import PyFlameShell
import Testing

/// Ctrl-C during `:run`: the run pauses at a cycle, and a later `:run` goes on to the same end as a run that
/// was never interrupted.
@Suite struct InterruptTests {
    @Test func ctrlCPausesAPlaygroundRun() throws {
        let n = 3000
        let statements = [
            "fabric 8x8", "color c = 0", "route c (0,0): RAMP -> EAST", "route c (1,0): WEST -> EAST", "route c (2,0): WEST -> RAMP",
            "send c (0,0) [" + (0..<n).map(String.init).joined(separator: ", ") + "]", ":sim",
        ]
        let uninterrupted = Shell()
        for s in statements { #expect(!uninterrupted.execute(s).failed) }
        let end = try #require(finishedCycle(uninterrupted.execute(":run").text))
        #expect(end == 2 + 2 * 2 + 2 + n)

        let shell = Shell(shouldStop: { true })
        for s in statements { #expect(!shell.execute(s).failed) }
        let paused = shell.execute(":run")
        #expect(!paused.failed)
        let sim = try #require(shell.loaded?.simulation)
        #expect(paused.text == "paused at cycle \(sim.cycle) (Ctrl-C); :run or :step go on")
        #expect(sim.cycle > 0 && sim.cycle < end)
        #expect(!sim.isFinished && sim.error == nil)
        shell.shouldStop = { false }
        let resumed = shell.execute(":run")
        #expect(finishedCycle(resumed.text) == end)
        #expect(sim.deliveries == uninterrupted.loaded?.simulation.deliveries)
    }

    @Test func ctrlCPausesAProgramRunAndItFinishesLater() throws {
        let statements = ["x = randn([1500, 4], seed=3)", "s = sum(x, dim=1) on ColPartition(2)", ":sim s"]
        let uninterrupted = makeShell(statements)
        let full = uninterrupted.execute(":run")
        let end = try #require(finishedCycle(full.text))

        let shell = makeShell(statements)
        var polls = 0
        shell.shouldStop = {
            polls += 1; return polls <= 2
        }  // Ctrl-C, then the shell clears the flag
        let paused = shell.execute(":run")
        let sim = try #require(shell.loaded?.simulation)
        #expect(paused.text.hasPrefix("paused at cycle \(sim.cycle) "))
        #expect(sim.cycle < end && !sim.isFinished)
        let resumed = shell.execute(":run")
        #expect(finishedCycle(resumed.text) == end)
        #expect(resumed.text.contains("s: simulated result matches reference"))
        #expect(!resumed.failed)
        #expect(sim.deliveries == uninterrupted.loaded?.simulation.deliveries)
    }
}
