import PyFlameIR
import Testing

/// `auto` never refuses work that some layout of its family accepts (issue 12, item 24): for a table of
/// ops, shapes, fabrics and budgets, every layout of the family is tried by brute force; when one
/// accepts, `chooseLayout` must answer, and with a layout that itself passes `check`.
@Suite struct AutoLayoutCoverageTests {
    /// Every layout that can hold work of `rank` on `fabric`: SinglePE, RowPartition, ColPartition and Grid.
    static func family(rank: Int, fabric: FabricSize) -> [Layout] {
        var layouts: [Layout] = [.singlePE]
        guard rank >= 1, rank <= 2 else { return layouts }
        layouts += (1...fabric.height).map { .rowPartition($0) }
        layouts += (1...fabric.width).map { .colPartition($0) }
        if rank == 2 {
            for r in 1...fabric.height { for c in 1...fabric.width { layouts.append(.grid(rows: r, cols: c)) } }
        }
        return layouts
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var op: Op
        var inputs: [TensorType]
        var fabric: FabricSize
        var budget: Int
        var testDescription: String { "\(op.name) \(inputs) on \(fabric) budget \(budget)" }
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        let fabrics = [FabricSize(width: 8, height: 8), FabricSize(width: 5, height: 3), FabricSize(width: 12, height: 2), FabricSize(width: 3, height: 7)]
        let shapes: [Shape] = [[9], [17], [100], [1000], [9, 9], [17, 5], [5, 17], [33, 33], [100, 7], [64, 64], [13, 100], [1, 50], [50, 1]]
        for fabric in fabrics {
            for budget in [64, 256, 1024, 4096, 36864] {
                for shape in shapes {
                    let t = TensorType(shape, .f32)
                    cases.append(Case(op: .unary(.exp), inputs: [t], fabric: fabric, budget: budget))
                    cases.append(Case(op: .binary(.add, scalar: nil), inputs: [t, t], fabric: fabric, budget: budget))
                    cases.append(Case(op: .reduce(.sum, dim: 0, keepdim: false), inputs: [t], fabric: fabric, budget: budget))
                    if shape.rank == 2 {
                        cases.append(Case(op: .reduce(.max, dim: 1, keepdim: true), inputs: [t], fabric: fabric, budget: budget))
                        let b = TensorType(Shape([shape.dims[1], shape.dims[0]]), .f32)
                        cases.append(Case(op: .matmul, inputs: [t, b], fabric: fabric, budget: budget))
                    }
                }
            }
        }
        return cases
    }()

    @Test func autoAnswersWheneverSomeLayoutOfItsFamilyAccepts() throws {
        var accepted = 0, refused = 0
        for c in Self.cases {
            let result = try TypeInference.resultType(of: c.op, inputs: c.inputs)
            let limits = PlacementLimits(fabric: c.fabric, peDataBudget: c.budget)
            let workRank = { if case .reduce = c.op { return c.inputs[0].shape.rank } else { return result.shape.rank } }()
            let accepting = Self.family(rank: workRank, fabric: c.fabric).first {
                (try? OpPlacement.check(c.op, inputs: c.inputs, result: result, on: $0, limits: limits)) != nil
            }
            let chosen = try? OpPlacement.chooseLayout(
                for: c.op, inputs: c.inputs, inputLayouts: c.inputs.map { _ in .host },
                result: result, limits: limits)
            if let accepting {
                accepted += 1
                #expect(chosen != nil, "\(c.testDescription): \(accepting) accepts, auto refuses")
                if let chosen {
                    #expect(
                        (try? OpPlacement.check(c.op, inputs: c.inputs, result: result, on: chosen, limits: limits)) != nil,
                        "\(c.testDescription): auto chose \(chosen), which refuses")
                }
            } else {
                refused += 1
                #expect(chosen == nil, "\(c.testDescription): no layout accepts, auto chose \(String(describing: chosen))")
            }
        }
        // The table exercises both outcomes.
        #expect(accepted > 100 && refused > 100)
    }

    @Test func aLargeElementwiseOpOnTheWholeWaferFindsAGrid() throws {
        let t = TensorType([800, 800], .f32)
        let limits = PlacementLimits(fabric: FabricSize(width: 750, height: 994))
        try OpPlacement.check(.unary(.exp), inputs: [t], result: t, on: .grid(rows: 12, cols: 12), limits: limits)
        let chosen = try OpPlacement.chooseLayout(for: .unary(.exp), inputs: [t], inputLayouts: [.host], result: t, limits: limits)
        #expect((try? OpPlacement.check(.unary(.exp), inputs: [t], result: t, on: chosen, limits: limits)) != nil)
        #expect(chosen.peCount <= 144)
    }
}
