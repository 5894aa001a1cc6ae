import Foundation
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport
import Testing

/// A refusal names only a change that has been tried and works (issue 15, item 6): a lowering over a PE's
/// data budget names a `pe_data_budget` under which the cone lowers, or says none does; a statement's
/// placement refusal names a layout or budget its check accepts.
@Suite struct VerifiedAdviceTests {
    /// The `N` of "`set pe_data_budget N`" in a message.
    static func suggestedBudget(_ message: String) -> Int? {
        guard let range = message.range(of: "`set pe_data_budget ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }

    /// The layout of "it fits on LAYOUT" in a message, parsed back from its printed form.
    static func suggestedLayout(_ message: String) -> Layout? {
        guard let range = message.range(of: "it fits on ") else { return nil }
        let text = String(message[range.upperBound...].prefix { $0 != ";" })
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        if text.hasPrefix("SinglePE") { return .singlePE }
        if text.hasPrefix("RowPartition"), numbers.count >= 1 { return .rowPartition(numbers[0]) }
        if text.hasPrefix("ColPartition"), numbers.count >= 1 { return .colPartition(numbers[0]) }
        if text.hasPrefix("Grid"), numbers.count >= 2 { return .grid(rows: numbers[0], cols: numbers[1]) }
        return nil
    }

    @Test func everyBudgetTheLoweringSuggestsLowersTheRandomPrograms() throws {
        var refused = 0, suggested = 0, plain = 0
        for seed in UInt64(0)..<120 {
            var generator = ProgramGenerator(seed: seed)
            generator.generate()
            for (name, id) in generator.defined {
                // The generator's tensors are small: a small budget makes them refuse for memory.
                let options = LoweringOptions(architecture: .wse2, fabric: generator.fabric, peDataBudget: seed % 2 == 0 ? 256 : 2048)
                let refusal: LoweringError
                do {
                    _ = try Lowering.lower(generator.graph, result: id, options: options)
                    continue
                } catch { refusal = error }
                guard case .peData = refusal.kind else { continue }
                refused += 1
                let message = try LoweringAdvice.message(for: refusal, graph: generator.graph, result: id, options: options)
                var raised = options
                if let budget = Self.suggestedBudget(message) {
                    suggested += 1
                    raised.peDataBudget = budget
                    #expect(throws: Never.self, "seed \(seed), \(name): \(message)") {
                        _ = try Lowering.lower(generator.graph, result: id, options: raised)
                    }
                } else {
                    plain += 1
                    #expect(message.contains("no pe_data_budget up to"), "\(message)")
                    raised.peDataBudget = Architecture.peMemoryBytes
                    #expect((try? Lowering.lower(generator.graph, result: id, options: raised)) == nil, "seed \(seed), \(name): \(message)")
                }
            }
        }
        print("VerifiedAdviceTests: \(refused) programs over the data budget: \(suggested) with a budget that lowers, \(plain) with none")
        #expect(refused > 0)
    }

    @Test func aStatementsPlacementRefusalNamesOnlyWhatItsCheckAccepts() throws {
        var refusals = 0, withLayout = 0, withBudget = 0
        let fabrics = [FabricSize(width: 8, height: 8), FabricSize(width: 4, height: 2), FabricSize(width: 16, height: 16)]
        let shapes: [Shape] = [[100], [1000], [9, 9], [64, 64], [200, 100], [13, 100], [256, 256]]
        let layouts: [Layout] = [.singlePE, .rowPartition(2), .colPartition(3), .grid(rows: 2, cols: 2), .grid(rows: 4, cols: 2)]
        for fabric in fabrics {
            for budget in [1024, 8192, 36864] {
                let limits = PlacementLimits(fabric: fabric, peDataBudget: budget)
                for shape in shapes {
                    let t = TensorType(shape, .f32)
                    var ops: [(Op, [TensorType])] = [(.unary(.exp), [t]), (.binary(.add, scalar: nil), [t, t])]
                    if shape.rank == 2 { ops.append((.matmul, [t, TensorType(Shape([shape.dims[1], shape.dims[0]]), .f32)])) }
                    if shape.rank == 1 { ops.append((.matmul, [TensorType(Shape([shape.dims[0], shape.dims[0]]), .f32), t])) }
                    for (op, inputs) in ops {
                        let result = try TypeInference.resultType(of: op, inputs: inputs)
                        for layout in layouts {
                            let message: String
                            do {
                                try OpPlacement.check(op, inputs: inputs, result: result, on: layout, limits: limits)
                                continue
                            } catch { message = error.message }
                            guard message.contains("B of data") || message.contains("needs 2-D operands") else { continue }
                            refusals += 1
                            if let other = Self.suggestedLayout(message) {
                                withLayout += 1
                                #expect(throws: Never.self, "\(message)") {
                                    try OpPlacement.check(op, inputs: inputs, result: result, on: other, limits: limits)
                                }
                            }
                            if let n = Self.suggestedBudget(message) {
                                withBudget += 1
                                #expect(n <= Architecture.peMemoryBytes)
                                let raised = PlacementLimits(fabric: fabric, peDataBudget: n)
                                #expect(throws: Never.self, "\(message)") {
                                    try OpPlacement.check(op, inputs: inputs, result: result, on: layout, limits: raised)
                                }
                            }
                            if Self.suggestedLayout(message) == nil && Self.suggestedBudget(message) == nil && message.contains("B of data") {
                                #expect(message.contains("no layout of fabric"), "\(message)")
                            }
                            #expect(!message.contains("try more PEs") && !message.contains("use SinglePE"), "\(message)")
                        }
                    }
                }
            }
        }
        #expect(refusals > 50 && withLayout > 10 && withBudget > 10)
    }

    @Test func aBufferOfAnOpInsideAnExpressionIsNamedByTheStatementThatReadsIt() throws {
        var source = try SourceProgram(["fabric 4x4", "W1 = randn([64, 64], seed=1) * 0.0625"])
        source.peDataBudget = 1024
        do {
            _ = try source.lower("W1")
            Issue.record("W1 lowered in 1024 B")
        } catch let error as LoweringError {
            // It named `%0 randn`, a node the user never wrote.
            #expect(error.message.contains("for the randn that %1 (W1) mul reads"), "\(error.message)")
        }
    }

    /// The issue's cases: a vector matmul on a grid over memory on one PE does not send the user to SinglePE,
    /// and a budget above a PE's memory is not suggested.
    @Test func theIssuesSuggestionsThatLedToAnotherRefusal() throws {
        let a = TensorType([200, 200], .f32), v = TensorType([200], .f32)
        let limits = PlacementLimits(fabric: FabricSize(width: 8, height: 8))
        let result = try TypeInference.resultType(of: .matmul, inputs: [a, v])
        #expect((try? OpPlacement.check(.matmul, inputs: [a, v], result: result, on: .singlePE, limits: limits)) == nil)
        do {
            try OpPlacement.check(.matmul, inputs: [a, v], result: result, on: .grid(rows: 2, cols: 2), limits: limits)
            Issue.record("a matrix-vector product over memory on Grid(2, 2) was accepted")
        } catch {
            // A @ v lowers on a grid; over memory there, the refusal names a grid that holds it, not SinglePE.
            #expect(!error.message.contains("SinglePE"), "\(error.message)")
            #expect(error.message.contains("it fits on Grid(3, 2)"), "\(error.message)")
            try OpPlacement.check(.matmul, inputs: [a, v], result: result, on: .grid(rows: 3, cols: 2), limits: limits)
        }
        let big = TensorType([256, 256], .f32)
        do {
            try OpPlacement.check(.unary(.exp), inputs: [big], result: big, on: .singlePE, limits: limits)
        } catch {
            #expect(
                error.message
                    == "PE (0,0) needs 524288 B of data, budget 36864 B (exp on SinglePE; it fits on Grid(4, 4))")
        }
    }
}
