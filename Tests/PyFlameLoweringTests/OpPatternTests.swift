import Foundation
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport
import Testing

/// The lowering describes each op with an `OpPattern` and its typed parameters; CSL template names and
/// placeholders live in PyFlameCSL only.
@Suite struct OpPatternTests {
    /// What PyFlameLowering may not spell: the CSL templates' names and placeholders.
    static let cslWords = [
        ".csl", "OP_NAME", "TILE_SIZE", "OPERATION_EXPR", "NUM_INPUTS", "NUM_WAVELETS", "ACCUMULATOR\"", "GRID_ROWS", "GRID_COLS",
        "elementwise_unary", "elementwise_binary", "reduction_local", "reduction_chain", "matmul_single_pe", "matmul_grid",
        "transpose_local", "template:",
    ]

    @Test func theLoweringNamesNoCSLTemplateOrPlaceholder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PyFlameLowering")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 10)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                for word in Self.cslWords where line.contains(word) { found.append("\(file):\(n + 1): \(word)") }
            }
        }
        #expect(found.isEmpty, "\(found)")
    }

    static func program(_ statements: [String], _ name: String, fabric: String = "fabric 16x16") throws -> FabricProgram {
        let source = try SourceProgram([fabric] + statements)
        let id = try #require(source.bindings[name])
        return try Lowering.lower(
            source.graph, result: id, options: LoweringOptions(architecture: .wse2, fabric: source.fabric, peDataBudget: Architecture.defaultPEDataBudget))
    }

    @Test func elementwisePatternsCarryTheirChainAndRoutedOperands() throws {
        let local = try Self.program(["x = randn([16, 16], seed=1)", "y = relu(x * 2 - 1) on Grid(2, 2)"], "y")
        let ew = try #require(local.ops.last)
        #expect(
            ew.pattern
                == .elementwise(
                    .init(
                        ops: ["mul", "sub", "relu"], expression: .unary(.relu, .binary(.sub, .binary(.mul, .input(0), .constant(2)), .constant(1))),
                        inputs: 1, dtype: .f32, tileElements: 64, routedOperands: [])))
        #expect(ew.pattern.title == "Elementwise (no communication)")
        #expect(ew.pattern.parameterText == "elementwise(ops: mul+sub+relu, inputs: 1, dtype: f32, tile: 64, expression: relu(((in0 * 2) - 1)))")
    }

    @Test func reductionPatternsSayHowPartialsTravel() throws {
        let columns = try Self.program(["x = randn([16, 16], seed=1)", "s = sum(x, dim=0) on Grid(4, 4)"], "s")
        guard case .reduce(let r) = try #require(columns.ops.last).pattern else {
            Issue.record("not a reduction: \(columns.ops.map(\.pattern))")
            return
        }
        #expect(r.function == .sum && r.axis == 0 && r.chain == .columns && r.combine == .add && r.dtype == .f32 && r.accumulator == .f32)
        #expect(r.tileElements == 16 && r.partials == 4)
        let all = try Self.program(["x = randn([16, 16], seed=1)", "s = max(x) on Grid(4, 4)"], "s")
        guard case .reduce(let m) = try #require(all.ops.last).pattern else { return }
        #expect(m.function == .max && m.axis == nil && m.chain == .rowsThenColumn && m.combine == .max && m.partials == 1)
        let local = try Self.program(["x = randn([16, 16], seed=1)", "s = sum(x, dim=1) on RowPartition(4)"], "s")
        guard case .reduce(let l) = try #require(local.ops.last).pattern else { return }
        #expect(l.chain == .local && l.axis == 1)
    }

    @Test func matmulAndMovementPatterns() throws {
        let grid = try Self.program(["a = randn([8, 12], seed=1)", "b = randn([12, 6], seed=2)", "m = a @ b on Grid(2, 3)"], "m")
        let summa = try #require(grid.ops.last)
        // K = 12 splits into 4 segments (the row and column blocks' common refinement), as the algorithm says.
        #expect(summa.pattern == .matmul(.init(dtype: .f32, m: 8, k: 12, n: 6, grid: OpPattern.SummaGrid(rows: 2, columns: 3, segments: 4))))
        #expect(summa.algorithm.contains("4 K-segments"), "\(summa.algorithm)")
        let single = try Self.program(["a = randn([8, 12], seed=1)", "b = randn([12, 6], seed=2)", "m = a @ b"], "m")
        #expect(try #require(single.ops.last).pattern == .matmul(.init(dtype: .f32, m: 8, k: 12, n: 6, grid: nil)))
        let moved = try Self.program(["x = randn([8, 8], seed=1)", "t = transpose(x) on Grid(2, 2)"], "t")
        #expect(
            moved.ops.contains { $0.pattern == .layoutTransform(.init(op: "transpose", dtype: .f32, tileElements: 16, local: false)) },
            "\(moved.ops.map(\.pattern))")
    }
}
