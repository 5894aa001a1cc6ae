import PyFlameIR
@testable import PyFlameLanguage
import Testing

/// `on (x,y) receive|forward|chain ...`: the reacting cores of the routing playground.
@Suite struct ReactionParserTests {
    @Test func everyFormParses() {
        #expect(show(parsed("on (1,0) receive 4 red")!) == "on (1,0) receive 4 red")
        #expect(show(parsed("on (1,0) receive 4 red then send blue")!) == "on (1,0) receive 4 red then send blue")
        #expect(show(parsed("on (1,0) receive 4 red then send blue [1, -2]")!) == "on (1,0) receive 4 red then send blue [1, -2]")
        #expect(show(parsed("on (1,0) receive 1 red then send blue [0x3f800000]")!) == "on (1,0) receive 1 red then send blue [0x3f800000]")
        #expect(show(parsed("on (1,0) forward red -> blue")!) == "on (1,0) forward red -> blue")
        #expect(show(parsed("on (1,0) forward 8 red -> blue")!) == "on (1,0) forward 8 red -> blue")
        #expect(show(parsed("on (2,0) chain red -> blue add [1, 2, 3, 4]")!) == "on (2,0) chain red -> blue add [1, 2, 3, 4]")
        #expect(show(parsed("on (2,0) chain red -> blue max f32 [1.5]")!) == "on (2,0) chain red -> blue max f32 [1.5]")
        #expect(show(parsed("  on ( 2 , 0 )  chain red->blue add [1]   # a comment")!) == "on (2,0) chain red -> blue add [1]")
        // `on` still is no tensor name, and a layout clause still reads as one.
        #expect(failure("on = ones(3)")?.message == "'on' is a keyword and cannot name a tensor")
        #expect(show(parsed("x = ones(3) on SinglePE")!) == "x = ones(3) on SinglePE")
    }

    @Test func mistakesSayTheForm() {
        #expect(failure("on (1,0) recieve 4 red")?.message.hasPrefix("expected receive, forward or chain after on (1,0) (did you mean receive?)") == true)
        #expect(failure("on (1,0) receive red")?.message == "receive takes how many wavelets (1 to 1000000) before the color: on (1,0) receive 4 red")
        #expect(failure("on (1,0) receive 0 red")?.message == "receive takes how many wavelets (1 to 1000000) before the color: on (1,0) receive 4 red")
        #expect(failure("on (1,0) receive 4 red send blue")?.message == "unexpected 'send' after the receive: then send COLOR sends on")
        #expect(failure("on (1,0) receive 4 red then blue")?.message == "expected send after then: on (1,0) receive 4 red then send blue")
        #expect(failure("on (1,0) receive 4 red then send blue []")?.message == "then send blue [] sends nothing: leave out the list to send what was received")
        #expect(failure("on (1,0) forward red blue")?.message == "expected '->' between the colors: on (1,0) forward red -> blue")
        #expect(failure("on (1,0) forward 0 red -> blue")?.message == "forward takes 1 to 1000000 wavelets, not 0")
        #expect(failure("on (1,0) forward red -> blue EAST")?.message == "unexpected 'EAST' after the forward: a relay is on (x,y) forward [N] COLOR -> COLOR")
        #expect(failure("on (1,0) chain red -> blue [1]")?.message == "a chain cell combines with add or max: on (1,0) chain red -> blue add [1, 2]")
        #expect(failure("on (1,0) chain red -> blue add []")?.message == "a chain cell needs its own values, one per wavelet it forwards")
        #expect(failure("on (1,0) chain red -> blue add [0x1]")?.message == "a chain cell adds integers or f32 values, not hex payloads")
        #expect(failure("on (1,0) chain red -> blue add [(0, 1)]")?.message == "a chain cell adds integers or f32 values, not (index, f16 data) payloads")
        #expect(failure("on (1,0) chain red -> blue add f32 [1e39]")?.message == "1e+39 does not fit an f32 wavelet (f32 values up to ±3.4028235e+38)")
        #expect(failure("on (1) receive 4 red")?.message == "expected ',' in (x,y)")
    }
}
