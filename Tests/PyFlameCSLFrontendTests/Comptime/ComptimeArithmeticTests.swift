import PyFlameCSLFrontend
import Testing

/// CSL integer widths: comptime_int is exact, fixed widths wrap, a constant must fit the typed operand.
@Suite struct ComptimeArithmeticTests {
    private func value(_ op: CSLIntArithmetic.Operator, _ a: Int, _ at: CSLType, _ b: Int, _ bt: CSLType) -> CSLValue? {
        try? CSLIntArithmetic.apply(op, a, at, b, bt).get()
    }

    private let u8 = CSLType.int(signed: false, bits: 8), i8 = CSLType.int(signed: true, bits: 8)
    private let u16 = CSLType.int(signed: false, bits: 16), i16 = CSLType.int(signed: true, bits: 16)
    private let i32 = CSLType.int(signed: true, bits: 32), u32 = CSLType.int(signed: false, bits: 32)

    @Test func fixedWidthsWrapAndComptimeIntsDoNot() {
        #expect(value(.add, 250, u8, 10, u8) == .int(4, u8))
        #expect(value(.add, 127, i8, 1, i8) == .int(-128, i8))
        #expect(value(.subtract, 0, u16, 1, u16) == .int(65_535, u16))
        #expect(value(.multiply, 300, i16, 300, i16) == .int(90_000 - 65_536, i16))
        #expect(value(.add, 0x7FFF_FFFF, i32, 1, i32) == .int(-2_147_483_648, i32))
        #expect(value(.shiftLeft, 1, u32, 31, .comptimeInt) == .int(2_147_483_648, u32))
        #expect(value(.add, 250, .comptimeInt, 10, .comptimeInt) == .int(260, .comptimeInt))
        #expect(CSLIntArithmetic.wrap(-1, to: u8) == 255)
        #expect(CSLIntArithmetic.wrap(200, to: i8) == -56)
    }

    @Test func aComptimeOperandMustFitTheTypedOperandsType() {
        #expect(throws: CSLIntArithmetic.Failure.doesNotFit(300, u8)) { try CSLIntArithmetic.apply(.add, 1, u8, 300, .comptimeInt).get() }
        #expect(throws: CSLIntArithmetic.Failure.doesNotFit(-1, u16)) { try CSLIntArithmetic.apply(.add, -1, .comptimeInt, 1, u16).get() }
        #expect(value(.add, 1, u8, 254, .comptimeInt) == .int(255, u8))
    }

    @Test func comptimeOverflowDivisionByZeroAndMixedWidths() {
        #expect(throws: CSLIntArithmetic.Failure.overflow("\(Int.max) + 1")) { try CSLIntArithmetic.apply(.add, Int.max, .comptimeInt, 1, .comptimeInt).get() }
        #expect(throws: CSLIntArithmetic.Failure.divisionByZero) { try CSLIntArithmetic.apply(.remainder, 5, i16, 0, i16).get() }
        #expect(value(.divide, -7, i16, 2, i16) == .int(-3, i16))
        // Two widths take the wider, signed when either is.
        #expect(value(.add, 1, u8, 1, i16) == .int(2, i16))
        #expect(CSLIntArithmetic.resultType(u16, i32) == i32)
    }
}
