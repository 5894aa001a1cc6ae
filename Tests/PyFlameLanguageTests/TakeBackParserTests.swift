import PyFlameIR
@testable import PyFlameLanguage
import Testing

/// `unroute`, `unsend`, and control wavelets in a reacting core's own values.
@Suite struct TakeBackParserTests {
    @Test func takeBackStatementsParse() {
        #expect(parsed("unroute red (1,0)").map(show) == "unroute red (1,0)")
        #expect(parsed("unroute red (1,0)..(2,3)").map(show) == "unroute red (1,0)..(2,3)")
        #expect(parsed("unsend blue (0,0)").map(show) == "unsend blue (0,0)")
        // A tensor may still be named unroute.
        #expect(parsed("unroute = ones(3)").map(show) == "unroute = ones(3)")
    }

    @Test func takeBackMistakesSayTheForm() {
        #expect(failure("unroute red")?.message == "expected a PE coordinate (x,y)")
        #expect(
            failure("unroute red (1,0): WEST -> RAMP")?.message
                == "unexpected ':' after the unroute: unroute NAME (x,y)[..(x,y)] takes back the color's routes at those PEs")
        #expect(failure("unsend red (0,0)..(1,0)")?.message == "unexpected '..' after the unsend: unsend NAME (x,y) takes back the color's sends at that PE")
        #expect(failure("unsend 3 (0,0)")?.message == "unsend takes a color name first (define one with: color red = 0)")
    }

    @Test func aReactingCoresOwnValuesHoldControlWavelets() throws {
        let statement = try #require(parsed("on (1,0) receive 2 red then send blue [advance ignore, 5, nop task 40 arg 2]"))
        guard case .reaction(let r) = statement, case .receive(_, _, _, let back?) = r.action else {
            Issue.record("not a receive-then-send: \(statement)")
            return
        }
        #expect(back.values?.count == 3)
        #expect(back.controls.keys.sorted() == [0, 2])
        #expect(back.controls[0]?.commands.map(\.word) == ["advance"] && back.controls[0]?.commands.map(\.ignore) == [true])
        #expect(back.controls[2]?.entryPoint == 40 && back.controls[2]?.argument == 2)
    }
}
