import PyFlameIR
@testable import PyFlameShell
import Testing

/// What the shell's commands say about lowering and simulation failures (the modules' own tests check the
/// errors themselves).
@Suite struct SimulationCommandTests {
    @Test func lowerNamesTheColorBudgetLikeTheLowering() {
        let shell = makeShell(["p = randn([22, 22], seed=1)", "q = randn([22, 22], seed=2)", "m = p @ q on Grid(11, 11)"], fabric: "fabric 40x40")
        let shown = shell.execute(":lower m")
        #expect(shown.failed)
        #expect(shown.text.contains("cannot lower m") && shown.text.contains("needs 22 colors"), "\(shown.text)")
    }

    @Test func theShellNamesTheLivelockOnce() {
        let shell = Shell()
        for s in [
            "fabric 2x2", "set stall_limit 100", "color r = 0", "route r (0,0): RAMP, SOUTH -> EAST", "route r (1,0): WEST -> SOUTH",
            "route r (1,1): NORTH -> WEST", "route r (0,1): EAST -> NORTH", "send r (0,0) [1, 2]", ":sim",
        ] {
            #expect(!shell.execute(s).failed, "\(s)")
        }
        let r = shell.execute(":run")
        #expect(r.failed)
        #expect(r.lines[0].text.hasPrefix("error: livelock: wavelets on color 0 circle for 100 cycles without reaching a core"))
        #expect(shell.execute(":status").text.contains("stopped: livelock"))
    }
}
