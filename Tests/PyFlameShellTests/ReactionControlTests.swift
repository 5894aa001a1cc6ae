import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// A reacting core that sends control wavelets among its own values (`on (x,y) receive N COLOR then send
/// COLOR2 [advance ignore, ...]`): they move switches downstream and reach cores as control.
@Suite struct ReactionControlTests {
    /// (0,0) sends on red to the core at (1,0); (1,0) sends on blue to (2,0), whose route goes down to its
    /// core at position 0 and south to (2,1) at position 1.
    static let setup = [
        "fabric 3x2", "color red = 0", "color blue = 1",
        "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP",
        "route blue (1,0): RAMP -> EAST", "route blue (2,0): WEST -> RAMP switch tx SOUTH", "route blue (2,1): NORTH -> RAMP",
        "send red (0,0) [1, 2]",
    ]

    @Test func aCoresAdvanceMovesTheSwitchDownstreamSoItsDataGoesSouth() {
        let shell = makeShell(Self.setup, fabric: "fabric 3x2")
        let on = shell.execute("on (1,0) receive 2 red then send blue [advance ignore, 5, 6]")
        #expect(!on.failed, "\(on.text)")
        #expect(
            on.text.hasPrefix(
                "on (1,0): receive 2 wavelets on red (color 0), then send 3 values of its own (1 control) on blue (color 1)"), "\(on.text)")
        #expect(!shell.execute(":sim").failed)
        let run = shell.execute(":run")
        #expect(finishedCycle(run.text) != nil, "\(run.text)")
        // The advance went the old way (down to (2,0)'s core, which ignores it) and moved the switch: 5 and 6 go south.
        #expect(ReactionShellTests.received(shell, "2,0") == [])
        #expect(ReactionShellTests.received(shell, "2,1") == ["5", "6"])
        #expect(shell.execute(":pe 1,0").text.contains("receive 2 red then send blue [advance ignore, 5, 6]"))
    }

    @Test func withoutTheAdvanceTheDataStaysAtTheSwitchsBase() {
        let shell = makeShell(Self.setup + ["on (1,0) receive 2 red then send blue [5, 6]", ":sim", ":run"], fabric: "fabric 3x2")
        #expect(ReactionShellTests.received(shell, "2,0") == ["5", "6"])
        #expect(ReactionShellTests.received(shell, "2,1") == [])
    }

    @Test func aControlWaveletACoreSendsActivatesTheReceiversTaskWithItsArgument() {
        let shell = makeShell(Self.setup + ["on (1,0) receive 2 red then send blue [nop task 40 arg 9, 5]", ":sim", ":run"], fabric: "fabric 3x2")
        #expect(ReactionShellTests.received(shell, "2,0") == ["control (task 40, arg 9)", "5"])
        // Control wavelets only say nothing about the color's kind: f32 data may follow on blue.
        let only = shell.execute("on (1,0) receive 2 red then send blue [advance]")
        #expect(!only.failed, "\(only.text)")
        #expect(!shell.execute("send blue (1,1) f32 [1.5]").failed)
    }

    @Test func emissionRefusesACoreThatSendsControlWavelets() {
        // No switch on the routes: only the core's control wavelet stands in the way.
        let routes = Self.setup.map { $0 == "route blue (2,0): WEST -> RAMP switch tx SOUTH" ? "route blue (2,0): WEST -> RAMP" : $0 }
        let shell = makeShell(routes + ["on (1,0) receive 2 red then send blue [nop task 40, 5, 6]"], fabric: "fabric 3x2")
        let refused = shell.execute(":emit --playground")
        #expect(refused.failed)
        #expect(refused.text.contains("the reacting core at (1,0) sends control wavelets"), "\(refused.text)")
    }
}
