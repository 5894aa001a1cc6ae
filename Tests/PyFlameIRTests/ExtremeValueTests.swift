import PyFlameIR
import Testing

/// Values at the extremes never trap in the IR: integer arithmetic on values outside Int64 saturates,
/// shapes with huge or zero dims are refused or computed without overflow (issue 12, items 1 and 6).
@Suite struct ExtremeValueTests {
    @Test func integerArithmeticOnOutOfRangeValuesSaturatesInsteadOfTrapping() throws {
        let big = try Evaluator.apply(.add, 1e19, 0, integer: true)
        let fromNaN = try Evaluator.apply(.mul, .nan, 3, integer: true)
        #expect(big.isFinite && fromNaN == 0)
        let value = TensorValue(TensorType([2], .i32), exact: [1e19, -.infinity])
        let summed = try Evaluator().evaluate(.reduce(.sum, dim: nil, keepdim: false), inputs: [value], type: TensorType([], .i32))
        #expect(summed.elements.count == 1 && summed.elements[0].isFinite)
    }

    @Test func encodingAnIntegerValueOutOfRangeDoesNotTrap() throws {
        let value = TensorValue(TensorType([3], .i16), exact: [1e10, .nan, -7])
        let back = try NPY.decode(NPY.encode(value))
        #expect(back.shape == Shape([3]) && back.elements[2] == -7)
    }

    @Test func exactConstantsOfEachDtype() {
        #expect(DType.i32.exactValue(2147483647) == 2147483647)
        #expect(DType.i32.exactValue(2147483648) == nil)
        #expect(DType.i32.exactValue(1e19) == nil && DType.i16.exactValue(-9.3e18) == nil && DType.i16.exactValue(.nan) == nil)
        #expect(DType.i16.exactValue(-32768) == -32768 && DType.i16.exactValue(0.5) == nil)
        #expect(DType.f16.exactValue(1e300) == nil && DType.f16.exactValue(.infinity) == .infinity && DType.f32.exactValue(1e300) == nil)
        #expect(DType.f16.exactValue(65520) == nil && DType.f16.exactValue(50000) == 49984)
    }

    @Test func shapeRulesAndSaturatingStrides() {
        #expect((try? Shape.checked([0, Int.max])) == nil)
        #expect((try? Shape.checked(Array(repeating: 1, count: 65))) == nil)
        #expect((try? Shape.checked([Int(Int32.max) + 1])) == nil)
        #expect((try? Shape.checked([2, 3])) == Shape([2, 3]))
        #expect(Shape([0, Int.max, Int.max]).strides == [Int.max, Int.max, 1])
        #expect(Shape([4, 3, 2]).strides == [6, 2, 1])
    }
}
