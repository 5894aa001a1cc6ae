@testable import PyFlameShell
import Testing

/// Tab completion of route modifiers (`switch`, `filter`, `swap`, `pop ...`) and control wavelet words.
@Suite struct RouteModifierCompletionTests {
    func completer() -> Completer {
        let shell = Shell()
        for s in ["fabric 8x8", "color red = 0"] { _ = shell.execute(s) }
        return Completer(session: shell.session, baseDirectory: "/work") { _ in [] }
    }

    @Test func routeModifierWordsComplete() {
        let c = completer()
        #expect(c.complete("route red (1,1): RAMP -> NORTH sw") == .candidates(["swap", "switch"]))
        #expect(c.complete("route red (1,1): RAMP -> NORTH swi") == .insert("tch "))
        #expect(c.complete("route red (1,1): RAMP -> NORTH fil") == .insert("ter "))
        #expect(c.complete("route red (1,1): RAMP -> NORTH switch t") == .insert("x "))
        #expect(c.complete("route red (1,1): RAMP -> NORTH switch tx WEST, t") == .insert("x "))
        #expect(c.complete("route red (1,1): RAMP -> NORTH switch tx WE") == .insert("ST"))
        #expect(c.complete("route red (1,1): RAMP -> NORTH switch tx WEST r") == .candidates(["ring", "rx"]))
        #expect(c.complete("route red (1,1): RAMP -> NORTH filter 3..5 sw") == .candidates(["swap", "switch"]))
        #expect(c.complete("route red (1,1): RAMP -> NORTH switch tx WEST pop al") == .insert("ways "))
        #expect(c.complete("route red (1,1): RAMP -> NORTH swap x") == .candidates(["x", "xy"]))
    }

    @Test func controlWaveletWordsComplete() {
        let c = completer()
        #expect(c.complete("send red (1,1) [adv") == .insert("ance "))
        #expect(c.complete("send red (1,1) [advance ig") == .insert("nore "))
        #expect(c.complete("send red (1,1) [advance ignore, 0, te") == .insert("ardown "))
        #expect(c.complete("send red (1,1) [teardown ta") == .insert("sk "))
    }
}
