import PyFlameIR
@testable import PyFlameLanguage
import Testing

/// `send` with typed payloads: f32, f16, hex literals and (index, data) pairs; integers as before.
@Suite struct PayloadParserTests {
    /// The payload bits and kind of a `send`.
    func payloads(_ text: String) -> ([UInt32], PayloadKind)? {
        guard case .send(_, _, _, let values, _, let kind, _)? = parsed(text) else { return nil }
        return (values, kind)
    }

    @Test func integersStayAsTheyWere() {
        #expect(payloads("send red (0,0) [0, 1, -1, 4294967295]")! == ([0, 1, 0xffff_ffff, 0xffff_ffff], .integer))
        #expect(payloads("send red (0,0) i32 [7]")! == ([7], .integer))
        #expect(payloads("send red (0,0) []")! == ([], .integer))
    }

    @Test func f32ValuesAreTheirBitPatterns() {
        #expect(payloads("send red (0,0) f32 [1.5, -2, 0.1]")! == ([Float(1.5).bitPattern, Float(-2).bitPattern, Float(0.1).bitPattern], .f32))
        #expect(show(parsed("send red (0,0) f32 [1.5, -2]")!) == "send red (0,0) f32 [1.5, -2]")
    }

    @Test func f16ValuesSitInTheLowerHalf() {
        #expect(payloads("send red (0,0) f16 [1.5]")! == ([UInt32(Float16(1.5).bitPattern)], .f16))
    }

    @Test func hexLiteralsAreRawBits() {
        #expect(payloads("send red (0,0) [0x3f800000, 0xFFFFFFFF, 0x0]")! == ([0x3f80_0000, 0xffff_ffff, 0], .hex))
        #expect(show(parsed("send red (0,0) [0x3f800000]")!) == "send red (0,0) hex [0x3f800000]")
        // Elsewhere 0x1F is still a malformed number, and a tensor named send takes no hex.
        #expect(failure("a = x * 0x1F")?.message == "malformed number '0x1F'")
        #expect(failure("send = 0x1F")?.message == "malformed number '0x1F'")
    }

    @Test func indexDataPairsPutTheIndexInTheUpperHalf() {
        let (values, kind) = payloads("send red (0,0) [(0, 10.0), (1, 11.0), (65535, -0.5)]")!
        #expect(kind == .indexed)
        #expect(values == [UInt32(Float16(10).bitPattern), 1 << 16 | UInt32(Float16(11).bitPattern), 65535 << 16 | UInt32(Float16(-0.5).bitPattern)])
        #expect(show(parsed("send red (0,0) [(0, 10.0), (1, 11.5)]")!) == "send red (0,0) indexed [(0, 10), (1, 11.5)]")
    }

    @Test func outOfRangeValuesNameTheValueAndTheKind() {
        #expect(failure("send red (0,0) f32 [1e39]")?.message == "1e+39 does not fit an f32 wavelet (f32 values up to ±3.4028235e+38)")
        #expect(failure("send red (0,0) f16 [70000]")?.message == "70000 does not fit an f16 wavelet (f16 values up to ±65504)")
        #expect(failure("send red (0,0) [(0, 70000)]")?.message == "70000 does not fit f16 data (f16 values up to ±65504)")
        #expect(failure("send red (0,0) [(65536, 1)]")?.message == "an index is a whole number from 0 to 65535, not 65536")
        #expect(failure("send red (0,0) [(-1, 1)]")?.message == "an index is a whole number from 0 to 65535, not -1")
        #expect(failure("send red (0,0) [0x100000000]")?.message == "0x100000000 does not fit a 32-bit wavelet (hex payloads are 0x0 to 0xffffffff)")
        #expect(failure("send red (0,0) [0x1G]")?.message == "malformed hex number '0x1G'")
        #expect(
            failure("send red (0,0) [-4294967295]")?.message
                == "-4294967295 does not fit a 32-bit wavelet (integer payloads are whole numbers from -2147483648 to 4294967295)")
    }

    @Test func mixedFormsAreRefused() {
        #expect(failure("send red (0,0) [0x1, 2]")?.message == "write every value in hex (0x3f800000), or none")
        #expect(failure("send red (0,0) [(0, 1), 2]")?.message == "write every value as an (index, data) pair, or none")
        #expect(failure("send red (0,0) f32 [(0, 1)]")?.message == "an (index, data) pair is a wavelet of its own kind: leave out f32 before the values")
        #expect(failure("send red (0,0) f64 [1]")?.message.hasPrefix("unknown payload kind 'f64'") == true)
        #expect(failure("send red (0,0) [-0x1]")?.message == "a hex payload has no sign: -0x1")
        #expect(failure("send red (0,0) [(0 1)]")?.message == "expected ',' in (index, data)")
    }
}
