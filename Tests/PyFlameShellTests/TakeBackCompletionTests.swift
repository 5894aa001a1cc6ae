@testable import PyFlameShell
import Testing

/// Tab completion of `unroute`, `unsend`, `:undo` and control wavelets in a reacting core's own values.
@Suite struct TakeBackCompletionTests {
    func completer() -> Completer {
        let shell = Shell()
        for s in ["fabric 8x8", "color red = 0", "color blue = 1", "route red (0,0): RAMP -> EAST"] { _ = shell.execute(s) }
        return Completer(session: shell.session, baseDirectory: "/work") { _ in [] }
    }

    @Test func takeBackStatementsCompleteColorNames() {
        let c = completer()
        #expect(c.complete("unroute r") == .insert("ed "))
        #expect(c.complete("unsend b") == .insert("lue "))
        #expect(c.complete("unroute red (0,0) x") == .none)
        #expect(c.complete(":und") == .insert("o "))
    }

    @Test func aReactingCoresOwnValuesCompleteControlWords() {
        let c = completer()
        #expect(c.complete("on (1,0) receive 2 red then send blue [adv") == .insert("ance "))
        #expect(c.complete("on (1,0) receive 2 red then send blue [advance ig") == .insert("nore "))
    }
}
