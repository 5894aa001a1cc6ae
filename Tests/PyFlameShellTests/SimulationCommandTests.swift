import PyFlameIR
@testable import PyFlameShell
import Testing

/// What the shell's commands say about lowering and simulation failures (the modules' own tests check the
/// errors themselves).
@Suite struct SimulationCommandTests {
    @Test func lowerNamesTheColorBudgetLikeTheLowering() {
        // (A matmul on Grid(11, 11) was the example; it now lowers with relayed panels. This re-layout
        // takes one color per (source, destination) pair today.)
        let shell = makeShell(["x = randn([64, 64], seed=1)", "r = x * 2 on RowPartition(16)", "c = r + 1 on ColPartition(16)"], fabric: "fabric 40x40")
        let shown = shell.execute(":lower c")
        #expect(shown.failed)
        #expect(shown.text.contains("cannot lower c") && shown.text.contains("needs more colors than the budget of 21"), "\(shown.text)")
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
