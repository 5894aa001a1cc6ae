@testable import PyFlameShell
import Testing

/// Tab completion of the playground's new words: reacting cores and payload kinds.
@Suite struct ReactionCompletionTests {
    func completer() -> Completer {
        let shell = Shell()
        for s in ["fabric 8x8", "color red = 0", "color blue = 1", "route red (0,0): RAMP -> EAST"] { _ = shell.execute(s) }
        return Completer(session: shell.session, baseDirectory: "/work") { _ in [] }
    }

    @Test func reactionWordsComplete() {
        let c = completer()
        #expect(c.complete("on (1,0) re") == .insert("ceive "))
        #expect(c.complete("on (1,0) ") == .candidates(["chain", "forward", "receive"]))
        #expect(c.complete("on (1,0) ch") == .insert("ain "))
        #expect(c.complete("on (1,0) receive 4 bl") == .insert("ue "))
        #expect(c.complete("on (1,0) receive 4 red th") == .insert("en "))
        #expect(c.complete("on (1,0) receive 4 red then s") == .insert("end "))
        #expect(c.complete("on (1,0) receive 4 red then send b") == .insert("lue "))
        #expect(c.complete("on (1,0) forward r") == .insert("ed "))
        #expect(c.complete("on (1,0) forward 4 r") == .insert("ed "))
        #expect(c.complete("on (1,0) forward red -> b") == .insert("lue "))
        #expect(c.complete("on (1,0) chain red -> blue a") == .insert("dd "))
        #expect(c.complete("on (1,0) chain red -> blue m") == .insert("ax "))
        #expect(c.complete("on (1,0) chain red -> blue add f") == .insert("32 "))
    }

    @Test func sendKindsAndColorsComplete() {
        let c = completer()
        #expect(c.complete("send r") == .insert("ed "))
        #expect(c.complete("send red (0,0) f") == .candidates(["f16", "f32"]))
        #expect(c.complete("route b") == .insert("lue "))
        // A tensor named send still completes as an expression.
        #expect(c.complete("send = ara") == .insert("nge"))
    }
}
