import PyFlameIR
import PyFlameLowering

/// The float64 reference of a result that accumulates (a sum, a mean or a matmul whose operands the
/// fabric computes exactly, i.e. with no reduction or matmul in their cones), and a worst-case bound per
/// element on the simulated result's distance from it, from the lowered program's accumulation depth D:
/// every term passes through at most D roundings in the accumulator (the local tile's additions plus one
/// per hop of the chain; for a matmul its K products and additions plus one per SUMMA segment), so
/// |simulated − exact| ≤ γ_D·Σ|terms| with γ_D = D·u/(1 − D·u) and u half the accumulator's epsilon
/// (Higham, Accuracy and Stability of Numerical Algorithms, §3.1 and §4.2). To that come the double
/// evaluation's own error (γ_n in u = 2⁻⁵³), a mean's division (3u of the mean), and each rounding to a
/// narrower dtype than the accumulator (ε_d of what is rounded). No statistics: a correct result is
/// never out of it.
public struct AccumulationBound: Equatable, Sendable {
    public var reference: [Double]
    public var bounds: [Double]
    /// The largest number of roundings any term goes through (D).
    public var depth: Int

    /// The bound for `node` as `program` lowered it; nil when the node does not accumulate, its
    /// operands do (then the evaluator's rule applies), or the program has no such op.
    public static func of(_ node: Node, graph: Graph, program: FabricProgram) -> AccumulationBound? {
        guard node.type.dtype.isFloat, let reference = node.value else { return nil }
        // The operands must be what the fabric holds bit for bit: no accumulation before this one.
        for input in node.inputs {
            let accumulates = graph.cone(of: input).contains { id in
                switch graph[id]?.op {
                case .reduce, .matmul: return true
                default: return false
                }
            }
            if accumulates { return nil }
        }
        guard let op = program.ops.first(where: { $0.nodes.last == node.id }) else { return nil }
        switch (node.op, op.pattern) {
        case (.reduce(let f, _, _), .reduce(let r)) where f == .sum || f == .mean:
            guard let input = graph[node.inputs[0]]?.value else { return nil }
            return reduction(f, r, op: op, input: input, dtype: node.type.dtype, count: reference.elements.count)
        case (.matmul, .matmul(let m)):
            guard let a = graph[node.inputs[0]]?.value, let b = graph[node.inputs[1]]?.value, m.k >= 1 else { return nil }
            return matmul(m, a: a, b: b, dtype: node.type.dtype, count: reference.elements.count)
        default:
            return nil
        }
    }

    /// γ_n = n·u/(1 − n·u), nil when n·u ≥ 1/2 (no bound of this form).
    static func gammaOf(_ n: Int, unit u: Double) -> Double? {
        let nu = Double(n) * u
        return nu < 0.5 ? nu / (1 - nu) : nil
    }

    static let unit64 = 0x1p-53

    private static func reduction(
        _ f: ReduceFunction, _ r: OpPattern.Reduce, op: LoweredOp, input: TensorValue, dtype: DType, count expected: Int
    ) -> AccumulationBound? {
        guard let tiling = try? Tiling(op.tensor, on: op.layout) else { return nil }
        let dims = input.shape.dims
        let axis = r.axis.flatMap { input.shape.normalizedDim($0) }
        // The first PE of the block holds the largest tile (contiguous blocks of ceil(n/p)).
        let tile = tiling.tile(for: PECoord(0, 0))
        let local: Int
        if let axis {
            guard axis < tile.ranges.count else { return nil }
            local = tile.ranges[axis].count
        } else {
            local = tile.elementCount
        }
        let block = op.layout.blockSize
        let hops: Int
        switch r.chain {
        case .local: hops = 0
        case .rows: hops = block.width - 1
        case .columns: hops = block.height - 1
        case .rowsThenColumn: hops = block.width - 1 + block.height - 1
        }
        let depth = local + hops
        let (outer, count, inner): (Int, Int, Int)
        if let axis {
            (outer, count, inner) = (dims[..<axis].reduce(1, *), dims[axis], dims[(axis + 1)...].reduce(1, *))
        } else {
            (outer, count, inner) = (1, input.shape.elementCount, 1)
        }
        guard outer * inner == expected, count >= 1, let gamma = gammaOf(depth, unit: r.accumulator.epsilon / 2),
            let gamma64 = gammaOf(count, unit: unit64)
        else { return nil }
        let u = r.accumulator.epsilon / 2
        let narrower = dtype != r.accumulator
        var reference: [Double] = [], bounds: [Double] = []
        reference.reserveCapacity(expected)
        bounds.reserveCapacity(expected)
        for o in 0..<outer {
            for i in 0..<inner {
                let (sum, magnitude) = Evaluator.sumLine64(input.elements, base: o * count * inner + i, count: count, stride: inner)
                var value = sum
                var bound = gamma * magnitude + gamma64 * magnitude
                if f == .mean {
                    value = sum / Double(count)
                    // fl(fl(Σ)/fl(n)): the sum's error divided, the division's and n's rounding, the double one.
                    bound = bound / Double(count) + 3 * u * (abs(value) + bound / Double(count)) + unit64 * abs(value)
                }
                if narrower { bound += dtype.epsilon * (abs(value) + bound) }
                reference.append(value)
                bounds.append(bound)
            }
        }
        return AccumulationBound(reference: reference, bounds: bounds, depth: depth)
    }

    private static func matmul(_ m: OpPattern.Matmul, a: TensorValue, b: TensorValue, dtype: DType, count expected: Int) -> AccumulationBound? {
        let rows = a.shape.rank == 2 ? a.shape.dims[0] : 1
        let k = a.shape.dims.last ?? 0
        let n = b.shape.rank == 2 ? b.shape.dims[1] : 1
        guard rows * n == expected, k == m.k, a.elements.count == rows * k, b.elements.count == k * n else { return nil }
        // The accumulator is f32 (the evaluator's and the cores' `Float`); the result buffer's dtype rounds
        // the partial after every segment.
        let segments = max(m.grid?.segments ?? 1, 1)
        let depth = k + segments
        guard let gamma = gammaOf(depth, unit: DType.f32.epsilon / 2), let gamma64 = gammaOf(k, unit: unit64) else { return nil }
        let narrower = dtype != .f32
        var reference: [Double] = [], bounds: [Double] = []
        reference.reserveCapacity(expected)
        bounds.reserveCapacity(expected)
        for i in 0..<rows {
            for j in 0..<n {
                let (sum, magnitude) = Evaluator.dot64(a.elements, b.elements, i: i, j: j, k: k, n: n)
                var bound = (gamma + gamma64) * magnitude
                if narrower { bound += Double(segments) * dtype.epsilon * (magnitude + bound) }
                reference.append(sum)
                bounds.append(bound)
            }
        }
        return AccumulationBound(reference: reference, bounds: bounds, depth: depth)
    }
}
