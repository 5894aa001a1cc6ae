import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// The comparison of accumulating results (issue 15, item 7): a float64 reference and a worst-case bound
/// from the lowered program's accumulation depth, tighter than n·ε·Σ|terms| and never failing a correct
/// result.
@Suite struct AccumulationBoundTests {
    /// Runs `statements`, simulates `name`, and returns the run and the old rule's largest tolerance.
    func run(_ statements: [String], _ name: String) throws -> (ProgramRun, old: Double) {
        let source = makeProgram(statements)
        let run = try simulateProgram(source, name)
        let id = try #require(source.bindings[name])
        let node = try #require(source.graph[id])
        let old = try #require(ResultComparison.tolerances(node, graph: source.graph)?.max())
        #expect(run.outcome == .finished)
        #expect(run.comparison.matches, "\(String(describing: run.comparison.mismatch))")
        return (run, old)
    }

    @Test func aDotProductOf472IsBoundedByItsTileAndHops() throws {
        let (r, old) = try run(["a = randn([472], seed=3)", "b = randn([472], seed=4)", "d = sum(a * b) on RowPartition(4)"], "d")
        // 118 terms per PE, then 3 hops up the column.
        #expect(r.comparison.depth == 118 + 3)
        let bound = try #require(r.comparison.maxTolerance)
        #expect(r.comparison.maxError <= bound)
        #expect(bound * 7 < old, "bound \(bound) against n·ε·Σ|terms| \(old)")
    }

    @Test func anF16SumOf7696AccumulatesInF32() throws {
        let (r, old) = try run(["x = randn([7696], seed=42, dtype=f16)", "s = sum(x) on ColPartition(8)"], "s")
        #expect(r.comparison.depth == 962 + 7)
        let bound = try #require(r.comparison.maxTolerance)
        #expect(r.comparison.maxError <= bound)
        // The old rule took f16's ε per term; the cores accumulate in f32 and round to f16 once.
        #expect(bound * 100 < old, "bound \(bound) against n·ε·Σ|terms| \(old)")
    }

    @Test func aBigSumOnAGridCountsTheTileNotTheElements() throws {
        let (r, old) = try run(["x = randn([256, 256], seed=50)", "s = sum(x) on Grid(8, 8)"], "s")
        // A 32x32 tile, then 7 hops west along the rows and 7 north up column 0.
        #expect(r.comparison.depth == 1024 + 14)
        let bound = try #require(r.comparison.maxTolerance)
        #expect(bound * 50 < old, "bound \(bound) against n·ε·Σ|terms| \(old)")
    }

    @Test func aMeanAndARowSumAndAMatmulStayWithinTheirBounds() throws {
        let (mean, _) = try run(["x = randn([64, 96], seed=7)", "m = mean(x, dim=1) on Grid(2, 4)"], "m")
        #expect(mean.comparison.depth == 24 + 3)
        let (rows, _) = try run(["x = randn([64, 96], seed=8)", "s = sum(x, dim=0) on Grid(4, 2)"], "s")
        #expect(rows.comparison.depth == 16 + 3)
        let (mm, old) = try run(["a = randn([32, 48], seed=9)", "b = randn([48, 16], seed=10)", "c = a @ b on Grid(2, 2)"], "c")
        let depth = try #require(mm.comparison.depth)
        #expect(depth > 48 && depth <= 48 + 48)
        #expect(try #require(mm.comparison.maxTolerance) < old)
    }

    /// Random sums, means and matmuls over layouts, scales and dtypes: every correct result is within its
    /// bound (the value table's 600 accumulating cases run the same comparison).
    @Test func randomAccumulationsStayWithinTheBound() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let layouts = ["SinglePE", "Grid(2, 2)", "Grid(4, 2)", "Grid(3, 4)", "RowPartition(4)", "ColPartition(3)"]
        for i in 0..<40 {
            // Multiples of 12: every split of 2, 3 or 4 parts leaves no PE empty.
            let rows = 12 * (1 + next(4)), cols = 12 * (1 + next(4))
            let dtype = ["f32", "f16", "bf16"][next(3)]
            let scale = ["1", "1000", "0.001"][next(3)]
            let layout = layouts[next(layouts.count)]
            let f = ["sum", "mean"][next(2)]
            let dim = ["", ", dim=0", ", dim=1"][next(3)]
            let statements = [
                "x = randn([\(rows), \(cols)], seed=\(i), dtype=\(dtype))", "y = x * \(scale) + 1 on \(layout)", "r = \(f)(y\(dim)) on \(layout)",
            ]
            let source = makeProgram(statements)
            let run = try simulateProgram(source, "r")
            #expect(run.outcome == .finished, "\(statements)")
            #expect(run.comparison.matches, "\(statements): \(String(describing: run.comparison.mismatch))")
            #expect(run.comparison.depth != nil, "\(statements) got no depth bound")
        }
        for i in 0..<12 {
            let m = 12 * (1 + next(2)), k = 12 * (1 + next(4)), n = 12 * (1 + next(2))
            let layout = ["SinglePE", "Grid(2, 2)", "Grid(4, 2)", "Grid(2, 3)"][next(4)]
            let statements = ["a = randn([\(m), \(k)], seed=\(i))", "b = randn([\(k), \(n)], seed=\(i + 100))", "c = a @ b on \(layout)"]
            let source = makeProgram(statements)
            let run = try simulateProgram(source, "c")
            #expect(run.comparison.matches, "\(statements): \(String(describing: run.comparison.mismatch))")
            #expect(run.comparison.depth != nil)
        }
    }

    /// A result twice its bound away from the float64 reference is flagged: the bound is what the
    /// comparison enforces, not a formality. (The reference moves: one term of the sum grows by twice the
    /// bound, while the simulated fabric keeps the sum it computed.)
    @Test func aResultOutsideTheBoundIsAMismatch() throws {
        let source = makeProgram(["a = randn([472], seed=3)", "b = randn([472], seed=4)", "d = sum(a * b) on RowPartition(4)"])
        let run = try simulateProgram(source, "d")
        #expect(run.comparison.matches)
        var graph = source.graph
        let id = try #require(source.bindings["d"])
        let sum = try #require(graph[id])
        let bound = try #require(AccumulationBound.of(sum, graph: graph, program: run.program))
        var terms = try #require(graph[sum.inputs[0]])
        let values = try #require(terms.value)
        var elements = values.elements
        elements[0] += 2 * bound.bounds[0]
        terms.value = TensorValue(values.type, exact: elements)
        graph.update(terms)
        let compared = ResultComparison.compare(program: run.program, simulation: run.simulation, graph: graph)
        #expect(!compared.matches)
        #expect(compared.mismatch?.index == [])
    }
}
