import Foundation
import PyFlameIR
import Testing

/// What `:export` writes never traps: integer elements out of their type's range are clamped (NaN is 0),
/// and a header too long for format 1.0's two-byte length (a very high rank) is written as format 2.0.
@Suite struct NPYWriteTests {
    @Test func integerElementsOutOfRangeAreClampedNotATrap() throws {
        let value = TensorValue(TensorType(Shape([4]), .i16), exact: [.nan, 1e10, -1e10, 7])
        let bytes = NPY.encode(value)
        let back = try NPY.decode(bytes)
        #expect(back.elements == [0, 32767, -32768, 7])
    }

    @Test func aVeryLongHeaderIsFormatTwo() throws {
        let value = TensorValue(TensorType(Shape(Array(repeating: 1, count: 30_000)), .f32), exact: [5])
        let bytes = NPY.encode(value)
        #expect(Array(bytes[6..<8]) == [2, 0])
        #expect((bytes.count - 4) % 64 == 0, "the data starts on a 64-byte boundary")
        let length = bytes[8..<12].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(12 + length + 4 == bytes.count, "a 4-byte header length")
        #expect(Array(bytes.suffix(4)) == [0, 0, 0xA0, 0x40], "5.0 as f32")
    }
}
