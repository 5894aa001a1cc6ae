import Foundation
import PyFlameIR
import PyFlameLowering

/// Reads a program's result back from the simulated fabric (its host output transfer) and compares it
/// with the reference: exactly when the program has no reduction or matmul; a sum, mean or matmul of
/// exact operands against a float64 evaluation within the worst-case bound of the lowered program's
/// accumulation depth (``AccumulationBound``); any other result from reductions within n·ε·max(|v|, 1)
/// of the reference evaluator's value — docs/language.md.
public struct ResultComparison {
    public let dtype: DType
    public let count: Int
    public let maxError: Double
    /// The largest per-element tolerance (nil: compared exactly).
    public let maxTolerance: Double?
    /// The first element out of tolerance: its index, the simulated and the reference value.
    public let mismatch: (index: [Int], simulated: Double, reference: Double)?
    /// False when the result could not be read back.
    public let readable: Bool
    /// The accumulation depth the bound was computed from (nil: not a depth bound).
    public var depth: Int? = nil

    public var matches: Bool { readable && mismatch == nil }

    /// The result tensor as the host would read it back after the run.
    public static func readBack(_ program: FabricProgram, _ simulation: Simulation) -> TensorValue? {
        guard let output = program.hostOutputs.first else { return nil }
        var elements = [Double](repeating: 0, count: output.type.shape.elementCount)
        let cores = Dictionary(uniqueKeysWithValues: simulation.cores.map { ($0.pe, $0) })
        for piece in output.pieces {
            guard let core = cores[piece.pe] else { return nil }
            let buffer = core.buffers[piece.buffer]
            for (k, flat) in piece.tile.flatIndices(in: output.type.shape).enumerated() { elements[flat] = buffer[k] }
        }
        return TensorValue(output.type, exact: elements)
    }

    /// Per-element tolerance for the result node against the reference evaluator's (f32-accumulated)
    /// value: n·ε·Σ|terms| for a reduction or matmul (it covers both the fabric's and the evaluator's
    /// rounding), n·ε·max(|v|, 1) for a result computed from reductions. What `run.py` compares with.
    public static func tolerances(_ node: Node, graph: Graph) -> [Double]? {
        let dtype = node.type.dtype
        guard dtype.isFloat, let reference = node.value else { return nil }
        let cone = graph.cone(of: node.id)
        let accumulating = cone.compactMap { graph[$0] }.filter {
            if case .reduce = $0.op { return true }
            if case .matmul = $0.op { return true }
            return false
        }
        guard !accumulating.isEmpty else { return nil }
        let epsilon = max(dtype.epsilon, DType.f32.epsilon)
        switch node.op {
        case .reduce(let f, let dim, _):
            guard let input = graph[node.inputs[0]]?.value else { return nil }
            let dims = input.shape.dims
            let (outer, count, inner): (Int, Int, Int)
            if let dim, let d = input.shape.normalizedDim(dim) {
                (outer, count, inner) = (dims[..<d].reduce(1, *), dims[d], dims[(d + 1)...].reduce(1, *))
            } else {
                (outer, count, inner) = (1, input.shape.elementCount, 1)
            }
            var result: [Double] = []
            for o in 0..<outer {
                for i in 0..<inner {
                    var sum = 0.0
                    for k in 0..<count { sum += abs(input.elements[o * count * inner + k * inner + i]) }
                    if f == .mean { sum /= Double(count) }
                    // max/min pick an element: only the final rounding can differ.
                    result.append(f == .max || f == .min ? 0 : Double(count) * epsilon * sum + dtype.epsilon * abs(reference.elements[result.count]))
                }
            }
            return result
        case .matmul:
            guard let a = graph[node.inputs[0]]?.value, let b = graph[node.inputs[1]]?.value else { return nil }
            let m = a.shape.rank == 2 ? a.shape.dims[0] : 1, k = a.shape.dims.last!, n = b.shape.rank == 2 ? b.shape.dims[1] : 1
            var result: [Double] = []
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0
                    for p in 0..<k { sum += abs(a.elements[i * k + p] * b.elements[p * n + j]) }
                    result.append(Double(k) * epsilon * sum + dtype.epsilon * abs(reference.elements[i * n + j]))
                }
            }
            return result
        default:
            // A result computed from reductions: the largest term count of those, relative to the value.
            let n =
                accumulating.map { $0.op == .matmul ? (graph[$0.inputs[0]]?.type.shape.dims.last ?? 1) : (graph[$0.inputs[0]]?.type.shape.elementCount ?? 1) }
                .max() ?? 1
            return reference.elements.map { Double(n) * epsilon * max(abs($0), 1) }
        }
    }

    /// Compares the read-back result with the reference value of the program's result node.
    public static func compare(program: FabricProgram, simulation: Simulation, graph: Graph) -> ResultComparison {
        guard let id = program.result, let node = graph[id], let reference = node.value, let simulated = readBack(program, simulation) else {
            return ResultComparison(dtype: .f32, count: 0, maxError: 0, maxTolerance: nil, mismatch: nil, readable: false)
        }
        let depthBound = AccumulationBound.of(node, graph: graph, program: program)
        let tolerance = depthBound?.bounds ?? tolerances(node, graph: graph)
        let expected = depthBound?.reference ?? reference.elements
        var maxError = 0.0
        for i in 0..<expected.count {
            let s = simulated.elements[i], r = expected[i]
            let same = s == r || (s.isNaN && r.isNaN)
            let err = same ? 0 : abs(s - r)
            if !same && !(err <= (tolerance?[i] ?? 0)) {
                return ResultComparison(
                    dtype: node.type.dtype, count: expected.count, maxError: err, maxTolerance: tolerance?.max(),
                    mismatch: (position(i, node.type.shape), s, r), readable: true, depth: depthBound?.depth)
            }
            maxError = max(maxError, err)
        }
        return ResultComparison(
            dtype: node.type.dtype, count: expected.count, maxError: maxError, maxTolerance: tolerance?.max(),
            mismatch: nil, readable: true, depth: depthBound?.depth)
    }

    /// A flat index as a multi-index.
    static func position(_ flat: Int, _ shape: Shape) -> [Int] {
        var rest = flat
        return shape.strides.map { stride in
            let v = rest / stride
            rest -= v * stride
            return v
        }
    }
}
