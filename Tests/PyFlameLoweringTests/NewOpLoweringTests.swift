import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport
import Testing

/// How the new ops lower: a stencil with shift exchanges only boundary elements with neighbours (not a
/// banded matmul), a matrix-vector product lowers on a grid (it was refused), a cast stays local.
@Suite struct NewOpLoweringTests {
    /// The fabric operations of `node`'s steps on every PE.
    func fabricOperations(_ program: FabricProgram, node: NodeID) -> [FabricOperation] {
        program.pes.flatMap { pe in
            zip(pe.steps, pe.stepNodes).flatMap { step, owner -> [FabricOperation] in
                guard owner == node, case .fabric(let ops) = step else { return [] }
                return ops
            }
        }
    }

    @Test func aStencilWithShiftMovesOneBoundaryElementPerNeighbour() throws {
        let source = try SourceProgram([
            "fabric 8x8", "x = randn(64, seed=1)", "y = 0.25 * shift(x, 1) + 0.5 * x + 0.25 * shift(x, -1) on RowPartition(4)",
        ])
        let program = try source.lower("y")
        let shifts = program.ops.filter { op in op.nodes.contains { source.graph[$0]?.op.name == "shift" } }
        try #require(shifts.count == 2)
        for op in shifts {
            let operations = fabricOperations(program, node: op.nodes[0])
            // Three PE boundaries, one element each way: three sends and three receives of one element.
            #expect(operations.count == 6)
            #expect(operations.allSatisfy { $0.count == 1 })
            guard case .layoutTransform(let t) = op.pattern else {
                Issue.record("shift lowered as \(op.pattern)")
                continue
            }
            #expect(t.zeroFill && !t.local)
            // The exchange is one step on every PE (an interior PE sends and receives at once), not a
            // chain where each PE waits for its neighbour before it sends on.
            for pe in program.pes {
                let steps = zip(pe.steps, pe.stepNodes).filter { step, owner in
                    if owner == op.nodes[0], case .fabric = step { true } else { false }
                }
                #expect(steps.count <= 1, "\(pe.pe): \(steps.count) fabric steps for one shift")
            }
        }
        // No matmul anywhere, and x is copied in once.
        #expect(!program.ops.contains { if case .matmul = $0.pattern { true } else { false } })
        #expect(program.hostInputs.filter { $0.name == "x" }.count == 1)
    }

    @Test func matrixVectorProductsLowerOnAGrid() throws {
        let source = try SourceProgram(["fabric 8x8", "a = randn([16, 12], seed=1)", "v = randn(12, seed=2)", "y = a @ v on Grid(2, 3)"])
        #expect(source.node("y")?.resultLayout == .rowPartition(2))
        let program = try source.lower("y")
        let op = try #require(program.ops.first)
        guard case .matmul(let m) = op.pattern else {
            Issue.record("matvec lowered as \(op.pattern)")
            return
        }
        #expect(m.n == 1 && m.grid?.rows == 2 && m.grid?.columns == 3)
        // Partials chain west: two colors alternate along each row of three PEs.
        #expect(op.colors.count <= 2)
        #expect(program.hostOutputs.first?.layout == .rowPartition(2))
    }

    @Test func aCastIsALocalCopyIntoTheNewDType() throws {
        let source = try SourceProgram(["fabric 8x8", "h = randn([8, 8], seed=3, dtype=f16)", "u = h * 2 on Grid(2, 2)", "s = cast(u, f32)"])
        let program = try source.lower("s")
        let cast = try #require(program.ops.last)
        #expect(cast.colors.isEmpty)
        let id = try #require(source.bindings["s"])
        for pe in program.pes {
            for (step, owner) in zip(pe.steps, pe.stepNodes) where owner == id {
                guard case .compute(.copy(let out, let input)) = step else {
                    Issue.record("cast step \(step)")
                    continue
                }
                #expect(pe.buffers[out.buffer].dtype == .f32 && pe.buffers[input.buffer].dtype == .f16)
            }
        }
    }

    /// A concat of host operands holds its result tile and the pieces for it, no more: the placement check
    /// accepts what fits and the lowering's peak stays within what the check counted.
    @Test func aHostConcatHoldsItsTileAndItsPiecesOnly() throws {
        let source = try SourceProgram([
            "fabric 8x8", "a = randn([60, 100], seed=2)", "b = randn([60, 20], seed=3)", "c = concat([a, b], dim=1) on RowPartition(2)",
        ])
        let program = try source.lower("c")
        let peak = program.pes.map(\.peakBytes).max() ?? 0
        #expect(peak <= 2 * 30 * 120 * 4, "peak \(peak) B")
        #expect(program.hostInputs.count == 2)
        #expect(program.routes.isEmpty)
    }
}
