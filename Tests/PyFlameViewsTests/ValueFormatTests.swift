import PyFlameIR
@testable import PyFlameViews
import Testing

@Suite struct ValueFormatTests {
    @Test(
        arguments: [
            (1.0, "1"), (0.5, "0.5"), (-2.25, "-2.25"), (1024, "1024"), (0.1, "0.1"), (1e-4, "0.0001"),
            (1e-5, "1e-05"), (1e-7, "1e-07"), (1e15, "1000000000000000"), (1e16, "1e+16"), (1.5e20, "1.5e+20"),
            (12345678, "12345678"), (16777217, "16777216"), (-0.0, "-0"), (0.0, "0"),
            (Double.infinity, "inf"), (-Double.infinity, "-inf"), (Double.nan, "nan"), (3.4028234663852886e38, "3.4028235e+38"),
        ] as [(Double, String)])
    func f32NumbersUseShortestRoundTripDigits(value: Double, expected: String) {
        #expect(ValueFormat.number(value, .f32) == expected)
    }

    @Test func f16AndBf16UseTheShortestDigitsOfTheirOwnPrecision() {
        #expect(ValueFormat.number(DType.f16.round(0.1), .f16) == "0.1")
        #expect(ValueFormat.number(DType.f16.round(1.0 / 3), .f16) == "0.3333")
        #expect(ValueFormat.number(DType.f16.round(65504), .f16) == "65504")
        #expect(ValueFormat.number(DType.f16.round(70000), .f16) == "inf")
        #expect(ValueFormat.number(DType.bf16.round(0.1), .bf16) == "0.1")
        #expect(ValueFormat.number(DType.bf16.round(1.0 / 3), .bf16) == "0.334")  // 0.333984375: 0.33 would read back as 0.330078125
        #expect(ValueFormat.number(DType.bf16.round(257), .bf16) == "256")
        #expect(ValueFormat.number(DType.bf16.round(3e38), .bf16) == "3e+38")
    }

    @Test func integersPrintAsIntegers() {
        #expect(ValueFormat.number(-7, .i32) == "-7")
        #expect(ValueFormat.number(2147483647, .i32) == "2147483647")
    }

    @Test func longDimensionsShowTheirFirstAndLastThree() {
        let v = TensorValue(TensorType([1024], .f32), exact: (0..<1024).map(Double.init))
        #expect(ValueFormat.tensor(v, layout: .rowPartition(4), name: "c") == "c = tensor<1024xf32> RowPartition(4) [0, 1, 2, ..., 1021, 1022, 1023]")
        let sixteen = TensorValue(TensorType([16], .i16), exact: (0..<16).map(Double.init))
        #expect(ValueFormat.elements(sixteen) == "[" + (0..<16).map(String.init).joined(separator: ", ") + "]")
    }

    @Test func matricesNest() {
        let m = TensorValue(TensorType([2, 2], .f32), exact: [0, 1, 2, 3])
        #expect(ValueFormat.tensor(m, layout: .host, name: "m") == "m = tensor<2x2xf32> host [[0, 1], [2, 3]]")
        let wide = TensorValue(TensorType([20, 2], .f32), exact: (0..<40).map(Double.init))
        #expect(ValueFormat.elements(wide) == "[[0, 1], [2, 3], [4, 5], ..., [34, 35], [36, 37], [38, 39]]")
        let scalar = TensorValue(TensorType([], .f32), exact: [2.5])
        #expect(ValueFormat.tensor(scalar, layout: .singlePE, name: nil) == "tensor<f32> SinglePE 2.5")
    }
}

@Suite struct ValueFormatRankTests {
    /// Formatting walks the dimensions without recursion: a value of very high rank prints (issue 12, item 5).
    @Test func aValueOfVeryHighRankPrintsWithoutRecursion() {
        let rank = 100_000
        let value = TensorValue(TensorType(Shape(Array(repeating: 1, count: rank - 1) + [2]), .f32), exact: [1, 2])
        let text = ValueFormat.elements(value)
        #expect(text == String(repeating: "[", count: rank) + "1, 2" + String(repeating: "]", count: rank))
    }

    @Test func nestedValuesKeepTheirFormat() {
        let value = TensorValue(TensorType([2, 20, 2], .i32), exact: (0..<80).map(Double.init))
        func row(_ b: Int) -> String {
            let pairs: [String] = (0..<20).map { (k: Int) -> String in "[\(b + 2 * k), \(b + 2 * k + 1)]" }
            let shown: [String] = Array(pairs.prefix(3)) + ["..."] + Array(pairs.suffix(3))
            return "[" + shown.joined(separator: ", ") + "]"
        }
        let expected = "[" + row(0) + ", " + row(40) + "]"
        #expect(ValueFormat.elements(value) == expected)
        #expect(ValueFormat.number(Double.nan, .i32) == "nan")
        #expect(ValueFormat.number(1e19, .i32) == "1e+19")
    }
}
