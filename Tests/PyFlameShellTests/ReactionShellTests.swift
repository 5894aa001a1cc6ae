import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// Reacting cores through the shell: the values they deliver, what they resolve from the other statements,
/// emission and what it refuses.
@Suite struct ReactionShellTests {
    static let chain = [
        "fabric 4x1", "color red = 0", "color blue = 1",
        "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP", "route blue (1,0): RAMP -> EAST",
        "route blue (2,0): WEST -> RAMP", "route red (2,0): RAMP -> EAST", "route red (3,0): WEST -> RAMP",
    ]

    /// The payloads `:pe X,Y` lists as received.
    static func received(_ shell: Shell, _ pe: String) -> [String] {
        shell.execute(":pe \(pe)").text.split(separator: "\n").filter { $0.hasPrefix("  cycle ") }.map {
            String($0.split(separator: ": ", maxSplits: 1)[1].split(separator: " on color ")[0])
        }
    }

    @Test func anF32ChainAddsUpAndEmitsAsFaddsCells() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        for statement in Self.chain + [
            "send red (0,0) f32 [1.5, 2]", "on (1,0) chain red -> blue add f32 [0.25, 10]", "on (2,0) chain blue -> red add f32 [100, 0.5]",
            "on (3,0) receive 2 red", ":sim", ":run",
        ] { #expect(!shell.execute(statement).failed, "\(statement)") }
        #expect(Self.received(shell, "3,0") == ["101.75", "12.5"])
        let csl = shell.execute(":csl --playground pe_program_1.csl")
        #expect(!csl.failed, "\(csl.text)")
        #expect(csl.text.contains("@fadds(s0_0_out, s0_0_in, s0_0_mem"), "\(csl.text)")
        let emitted = shell.execute(":emit --playground pg")
        #expect(!emitted.failed, "\(emitted.text)")
        #expect(FileManager.default.fileExists(atPath: root + "/pg/layout.csl"))
        let layout = (try? String(contentsOfFile: root + "/pg/layout.csl", encoding: .utf8)) ?? ""
        #expect(layout.contains("@export_name(\"own_blue\", [*]f32, true)"), "the cells' own values are host inputs")
        #expect(layout.contains("@export_name(\"received_red\", [*]i32, true)"), "the end of the chain is read back: \(layout)")
    }

    @Test func anIntegerChainIsSimulatedButNotEmitted() {
        let shell = makeShell(Self.chain + ["send red (0,0) [1]", "on (1,0) chain red -> blue add [2]", "on (2,0) chain blue -> red max [0]", ":sim", ":run"])
        #expect(Self.received(shell, "2,0") == ["3"])
        let refused = shell.execute(":csl --playground")
        #expect(refused.failed)
        #expect(refused.text.contains("the chain cell at (1,0) combines integers, which CSL's DSDs do only in 16 bits (@add16)"), "\(refused.text)")
    }

    @Test func aRelayCountsWhatIsSentOnItsColorWhateverTheOrder() {
        // The relay is written before the sends it forwards, and a later send adds to its count.
        let shell = makeShell(Self.chain + ["on (1,0) forward red -> blue", "send red (0,0) [1, 2]", "send red (0,0) [3]", ":sim", ":run"])
        #expect(Self.received(shell, "2,0") == ["1", "2", "3"])
        #expect(shell.execute(":pe 1,0").text.contains("role     playground reacting core: on (1,0) forward red -> blue"))
    }

    @Test func aRelayWithNothingToForwardIsNotEmitted() {
        let shell = makeShell(Self.chain + ["on (1,0) forward red -> blue", "send blue (1,0) [5]"])
        let refused = shell.execute(":csl --playground")
        #expect(refused.failed)
        #expect(refused.text.contains("the relay at (1,0) forwards no wavelets (nothing sends on red)"), "\(refused.text)")
    }

    @Test func notesSayWhatIsMissingAndWhatIsReplaced() {
        let shell = makeShell(Self.chain)
        let first = shell.execute("on (3,0) receive 2 blue")
        #expect(first.text.contains("note: no route brings color 1 down to the core at (3,0) yet"), "\(first.text)")
        let second = shell.execute("on (3,0) receive 2 red then send blue")
        #expect(second.text.contains("note: replaces the reaction at (3,0) (receive 2 blue)"), "\(second.text)")
        #expect(second.text.contains("note: no route takes color 1 up from the core at (3,0) yet"), "\(second.text)")
        #expect(!second.text.contains("down to the core"), "red reaches (3,0)'s RAMP")
        // :save writes the statements, and they replay to the same playground.
        #expect(shell.session.log.contains("on (3,0) receive 2 red then send blue"))
        #expect(shell.session.playground.reactions.count == 1)
    }
}
