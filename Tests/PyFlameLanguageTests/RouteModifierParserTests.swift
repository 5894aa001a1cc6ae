import PyFlameIR
@testable import PyFlameLanguage
import Testing

/// `route ... switch/filter/swap` and control wavelets in a `send` list (issue 14).
@Suite struct RouteModifierParserTests {
    func modifiers(_ text: String) -> RouteModifiersSyntax? {
        guard case .route(let r)? = parsed(text) else { return nil }
        return r.modifiers
    }

    func controls(_ text: String) -> ([UInt32], [Int: ControlSyntax])? {
        guard case .send(_, _, _, let values, _, _, let controls)? = parsed(text) else { return nil }
        return (values, controls)
    }

    @Test func switchPositionsAtRingAndPop() throws {
        let m = try #require(modifiers("route red (1,1): RAMP -> NORTH switch tx WEST, tx EAST, tx SOUTH at 1 ring"))
        #expect(m.positions.map(\.tx) == [["WEST"], ["EAST"], ["SOUTH"]])
        #expect(m.positions.allSatisfy { $0.rx == nil })
        #expect(m.at == 1 && m.ring && m.pop == nil)
        let both = try #require(modifiers("route red (1,0): WEST -> RAMP, EAST switch rx RAMP tx WEST, NORTH, tx EAST pop advance"))
        #expect(both.positions.count == 2)
        #expect(both.positions[0].rx == ["RAMP"] && both.positions[0].tx == ["WEST", "NORTH"])
        #expect(both.positions[1].tx == ["EAST"] && both.pop == "advance" && both.at == nil && !both.ring)
    }

    @Test func filterAndSwap() throws {
        let m = try #require(modifiers("route blue (1,0): WEST -> RAMP, EAST filter 3..5 swap xy"))
        #expect(m.filter == 3...5 && m.swapX && m.swapY && m.positions.isEmpty)
        // The tx list before a modifier is unchanged.
        guard case .route(let r)? = parsed("route blue (1,0): WEST -> RAMP, EAST filter 3..5") else { Issue.record("no route"); return }
        #expect(r.tx == ["RAMP", "EAST"])
        #expect(modifiers("route blue (1,0): WEST -> RAMP swap y")?.swapY == true)
        #expect(modifiers("route blue (1,0): WEST -> RAMP")?.isEmpty == true)
    }

    @Test func routeModifierErrors() {
        #expect(failure("route b (1,0): WEST -> RAMP filter 5..3")?.message == "filter 5..3 takes no index: write the smaller first")
        #expect(failure("route b (1,0): WEST -> RAMP filter 0..70000")?.message == "a wavelet index is 0 to 65535: filter 0..70000")
        #expect(failure("route b (1,0): WEST -> RAMP filter 3")?.message == "a range filter is filter MIN..MAX over wavelet indices (e.g. filter 3..5)")
        #expect(failure("route b (1,0): WEST -> RAMP swich tx EAST")?.message.hasPrefix("unknown route modifier 'swich' (did you mean switch?)") == true)
        #expect(failure("route b (1,0): WEST -> RAMP ring")?.message.hasPrefix("ring belongs to a switch") == true)
        #expect(failure("route b (1,0): WEST -> RAMP switch tx EAST pop sometimes")?.message.hasPrefix("pop takes always, advance or none") == true)
        #expect(failure("route b (1,0): WEST -> RAMP swap z")?.message.hasPrefix("swap takes x, y or xy") == true)
        #expect(failure("route b (1,0): WEST -> RAMP switch at 1")?.message.hasPrefix("a switch position is rx DIRS and/or tx DIRS") == true)
        #expect(failure("route b (1,0): WEST -> RAMP switch tx EAST tx WEST")?.message == "tx appears twice in switch position 1")
        #expect(failure("route b (1,0): WEST -> RAMP filter 1..2 filter 3..4")?.message == "filter appears twice in the route")
    }

    @Test func controlWaveletsInASendList() throws {
        let (values, c) = try #require(controls("send red (1,1) [advance ignore, 0, reset teardown task 40 arg 2, 2]"))
        #expect(values == [0, 0, 0, 2])
        #expect(c.keys.sorted() == [0, 2])
        #expect(c[0]?.commands.map(\.word) == ["advance"] && c[0]?.commands.map(\.ignore) == [true] && c[0]?.entryPoint == nil)
        #expect(c[2]?.commands.map(\.word) == ["reset", "teardown"] && c[2]?.commands.map(\.ignore) == [false, false])
        #expect(c[2]?.entryPoint == 40 && c[2]?.argument == 2)
        // Data-only lists have none; typed payloads keep working beside control wavelets.
        #expect(try #require(controls("send red (0,0) [1, 2]")).1.isEmpty)
        guard case .send(_, _, _, let v, _, let kind, let cs)? = parsed("send red (0,0) f32 [nop, 1.5]") else { Issue.record("no send"); return }
        #expect(kind == .f32 && v == [0, Float(1.5).bitPattern] && cs[0]?.commands.map(\.word) == ["nop"])
    }

    @Test func controlWaveletErrors() {
        #expect(failure("send red (0,0) [advnce, 1]")?.message.hasPrefix("unknown word 'advnce' in the values (did you mean advance?)") == true)
        #expect(failure("send red (0,0) [advance arg 70000]")?.message == "arg takes the control task's 16-bit argument (0 to 65535)")
        #expect(failure("send red (0,0) [advance task x]")?.message == "task takes the control task's entry point, a whole number (task 40)")
        #expect(failure("on (1,0) chain red -> blue add [advance]")?.message.hasPrefix("a control wavelet goes in a send list") == true)
    }
}
