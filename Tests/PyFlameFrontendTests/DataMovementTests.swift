import PyFlameFrontend
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport
import Testing

/// Data movement is decided by the lowering module (``DataMovement``): the front end records exactly the
/// moves it decides as `layout_transform` nodes, and adds none of its own.
@Suite struct DataMovementTests {
    /// The `layout_transform` nodes of a program, as `input-name -> layout`.
    func moves(_ source: SourceProgram) -> [String] {
        source.graph.nodes.sorted { $0.key < $1.key }.compactMap { _, node in
            guard case .layoutTransform = node.op else { return nil }
            return "\(source.graph[node.inputs[0]]?.name ?? "?") -> \(node.layout)"
        }
    }

    @Test func theRuleMovesFabricOperandsTheOpTilesLikeItsWork() {
        let v = TensorType([16], .f32), m = TensorType([4, 16], .f32)
        let add = Op.binary(.add, scalar: nil)
        // Same-shape elementwise operand in another layout: moves; on the host or the same layout: stays.
        #expect(DataMovement.movesToOpLayout(add, operand: v, from: .rowPartition(4), result: v, on: .colPartition(4)))
        #expect(!DataMovement.movesToOpLayout(add, operand: v, from: .host, result: v, on: .colPartition(4)))
        #expect(!DataMovement.movesToOpLayout(add, operand: v, from: .colPartition(4), result: v, on: .colPartition(4)))
        // A broadcast operand (smaller shape) reaches each PE as its piece instead.
        #expect(!DataMovement.movesToOpLayout(add, operand: v, from: .rowPartition(4), result: m, on: .grid(rows: 2, cols: 2)))
        // Reductions and matmul read their inputs tiled like their work.
        #expect(DataMovement.movesToOpLayout(.reduce(.sum, dim: 0, keepdim: false), operand: m, from: .singlePE, result: v, on: .grid(rows: 2, cols: 2)))
        #expect(DataMovement.movesToOpLayout(.matmul, operand: m, from: .singlePE, result: m, on: .grid(rows: 2, cols: 2)))
        // Movement ops are moves themselves.
        #expect(!DataMovement.movesToOpLayout(.transpose(0, 1), operand: m, from: .singlePE, result: m, on: .grid(rows: 2, cols: 2)))
    }

    @Test func theFrontEndRecordsTheMovesTheRuleDecides() throws {
        let source = try SourceProgram([
            "fabric 8x8", "a = arange(16)", "c = a + 1 on RowPartition(4)", "t = c + 1 on ColPartition(4)", "u = c * c on SinglePE",
            "h = a * 2 on ColPartition(2)", "m = randn([4, 16], seed=1)", "g = m + c on Grid(2, 2)",
        ])
        // c moves for t and once (not twice) for c * c; the host tensor a and the broadcast operand c of g do not.
        #expect(moves(source) == ["c -> ColPartition(4)", "c -> SinglePE"])
    }

    @Test func anExplicitLayoutOnANameIsTheUsersOwnMove() throws {
        let source = try SourceProgram(["fabric 8x8", "a = arange(16)", "c = a + 1 on RowPartition(4)", "d = c on ColPartition(2)", "e = c"])
        #expect(moves(source) == ["c -> ColPartition(2)"])
        #expect(source.bindings["e"] == source.bindings["c"])
    }
}
