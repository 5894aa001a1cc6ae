import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport
@testable import PyFlameShell
import Testing

/// What the shell's commands say about lowering and simulation failures (the modules' own tests check the
/// errors themselves).
@Suite struct SimulationCommandTests {
    @Test func lowerShowsTheLoweringsOwnRefusal() throws {
        // (The example was a color-budget refusal: a matmul on Grid(11, 11), then a RowPartition(16) to
        // ColPartition(16) re-layout; both lower now, in 8 and 4 colors. A fused chain that holds three
        // inputs at once is refused by the lowering though each op alone fits.)
        let script = ["a = randn(2600, seed=1)", "b = randn(2600, seed=2)", "c = randn(2600, seed=3)", "d = a * b + c on SinglePE"]
        let shell = makeShell(script)
        let shown = shell.execute(":lower d")
        #expect(shown.failed)
        let source = try SourceProgram(script)
        let id = try #require(source.bindings["d"])
        let options = LoweringOptions(architecture: .wse2, fabric: source.fabric, peDataBudget: Architecture.defaultPEDataBudget)
        do {
            _ = try Lowering.lower(source.graph, result: id, options: options)
            Issue.record("the fused chain lowered")
        } catch {
            #expect(shown.text.hasPrefix("error: cannot lower d: \(error.message)"), "\(shown.text)")
        }
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
