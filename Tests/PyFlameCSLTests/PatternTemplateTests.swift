import Foundation
@testable import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import Testing

/// PyFlameCSL maps every `OpPattern` to one of its templates with an exhaustive switch; the result's
/// tolerance follows the pattern (no string matching of op names).
@Suite struct PatternTemplateTests {
    static let ew = OpPattern.Elementwise(
        ops: ["add"], expression: .binary(.add, .input(0), .input(1)), inputs: 2, dtype: .f32, tileElements: 4, routedOperands: [])

    @Test func everyPatternMapsToARequiredTemplate() {
        let cases: [(OpPattern, String)] = [
            (.elementwise(Self.ew), "elementwise_binary"),
            (
                .elementwise(.init(ops: ["exp"], expression: .unary(.exp, .input(0)), inputs: 1, dtype: .f32, tileElements: 4, routedOperands: [])),
                "elementwise_unary"
            ),
            (
                .reduce(.init(function: .sum, axis: 0, dtype: .f32, accumulator: .f32, tileElements: 4, partials: 2, combine: .add, chain: .local)),
                "reduction_local"
            ),
            (
                .reduce(.init(function: .max, axis: nil, dtype: .f32, accumulator: .f32, tileElements: 4, partials: 1, combine: .max, chain: .rowsThenColumn)),
                "reduction_chain"
            ),
            (.matmul(.init(dtype: .f32, m: 2, k: 2, n: 2, grid: nil)), "matmul_single_pe"),
            (.matmul(.init(dtype: .f32, m: 2, k: 2, n: 2, grid: .init(rows: 2, columns: 2, segments: 2))), "matmul_grid"),
            (.layoutTransform(.init(op: "transpose", dtype: .f32, tileElements: 4, local: true)), "transpose_local"),
            (.layoutTransform(.init(op: "layout_transform", dtype: .f32, tileElements: 4, local: false)), "layout_transform"),
        ]
        for (pattern, template) in cases {
            #expect(CSLEmitter.template(for: pattern) == template)
            #expect(TemplateSet.requiredNames.contains(template + ".csl"), "\(template)")
        }
        // A fabric step of no op (a playground transfer) is movement; a compute step of no op is refused.
        #expect(CSLEmitter.template(forUnownedStep: .fabric([])) == "layout_transform")
        #expect(CSLEmitter.template(forUnownedStep: .compute(.scale(out: BufferAccess(buffer: 0, extents: [1]), divisor: 2))) == nil)
    }

    @Test func transcendentalPatternsWidenTheTolerance() {
        #expect(
            CSLEmitter.isTranscendental(
                .elementwise(.init(ops: ["mul", "tanh"], expression: .input(0), inputs: 1, dtype: .f32, tileElements: 4, routedOperands: []))))
        #expect(!CSLEmitter.isTranscendental(.elementwise(Self.ew)))
        // A reduction is not transcendental, whatever its name.
        #expect(
            !CSLEmitter.isTranscendental(
                .reduce(.init(function: .sum, axis: nil, dtype: .f32, accumulator: .f32, tileElements: 4, partials: 1, combine: .add, chain: .local))))
        #expect(!CSLEmitter.isTranscendental(.layoutTransform(.init(op: "transpose", dtype: .f32, tileElements: 4, local: true))))
    }
}
