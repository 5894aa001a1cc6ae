/// Result types of ops from their operand types: PyFlame's shape and dtype rules, with its error wording.
public enum TypeInference {
    /// The result type of `op` applied to tensor operands of `inputs`.
    public static func resultType(of op: Op, inputs: [TensorType]) throws(IRError) -> TensorType {
        switch op {
        case .arange, .ones, .zeros, .full, .randn, .constant, .load:
            throw IRError("\(op.name) is a constructor: its type comes from its arguments")
        case .unary(let f):
            let a = inputs[0]
            if f.isFloatOnly && a.dtype.isInteger {
                throw IRError("\(f.rawValue) needs a floating-point tensor, got \(a) (make it with dtype=f32)", operand: 0)
            }
            return a
        case .binary(let f, let scalar):
            if scalar != nil { return inputs[0] }
            let (a, b) = (inputs[0], inputs[1])
            guard a.dtype == b.dtype else {
                throw IRError("\(f.rawValue): dtypes differ: \(a.dtype) vs \(b.dtype) (no promotion: make both operands one dtype)", operand: 1)
            }
            return TensorType(try Shape.broadcast(a.shape, b.shape), a.dtype)
        case .reduce(let f, let dim, let keepdim):
            let a = inputs[0]
            if f == .mean && a.dtype.isInteger {
                throw IRError("mean needs a floating-point tensor, got \(a) (make it with dtype=f32)", operand: 0)
            }
            guard let dim else {
                return TensorType(Shape(keepdim ? a.shape.dims.map { _ in 1 } : []), a.dtype)
            }
            guard let d = a.shape.normalizedDim(dim) else {
                throw IRError("Reduction dimension out of range: dim=\(dim) of a \(a.shape.rank)-D tensor\(dimRange(a.shape.rank))")
            }
            var dims = a.shape.dims
            if keepdim { dims[d] = 1 } else { dims.remove(at: d) }
            return TensorType(Shape(dims), a.dtype)
        case .matmul:
            let (a, b) = (inputs[0], inputs[1])
            guard a.dtype == b.dtype else {
                throw IRError("matmul: dtypes differ: \(a.dtype) vs \(b.dtype) (no promotion: make both operands one dtype)", operand: 1)
            }
            guard (1...2).contains(a.shape.rank), (1...2).contains(b.shape.rank) else {
                throw IRError("matmul takes 1-D and 2-D tensors, got \(a) and \(b)")
            }
            let k1 = a.shape.dims.last!, k2 = b.shape.dims.first!
            guard k1 == k2 else { throw IRError("matmul: shapes not aligned: \(k1) vs \(k2)", operand: 1) }
            var dims: [Int] = []
            if a.shape.rank == 2 { dims.append(a.shape.dims[0]) }
            if b.shape.rank == 2 { dims.append(b.shape.dims[1]) }
            return TensorType(Shape(dims), a.dtype)
        case .transpose(let d0, let d1):
            let a = inputs[0]
            if a.shape.rank < 2 { return a }
            for d in [d0, d1] where a.shape.normalizedDim(d) == nil { throw transposeDimension(d, rank: a.shape.rank) }
            guard let x = a.shape.normalizedDim(d0), let y = a.shape.normalizedDim(d1) else {
                throw transposeDimension(d0, rank: a.shape.rank)
            }
            var dims = a.shape.dims
            dims.swapAt(x, y)
            return TensorType(Shape(dims), a.dtype)
        case .reshape(let target):
            return TensorType(try resolveReshape(inputs[0].shape, to: target), inputs[0].dtype)
        case .layoutTransform:
            return inputs[0]
        case .cast, .slice, .concat, .shift:
            return try movementType(of: op, inputs: inputs)
        }
    }

    /// Resolves one `-1` in a reshape target and checks the element count.
    public static func resolveReshape(_ shape: Shape, to target: Shape) throws(IRError) -> Shape {
        let unknown = target.dims.indices.filter { target.dims[$0] == -1 }
        guard unknown.count <= 1 else { throw IRError("reshape: only one dimension can be -1") }
        if let bad = target.dims.first(where: { $0 < -1 }) { throw IRError("reshape: invalid dimension \(bad)") }
        let n = shape.elementCount
        var dims = target.dims
        if let u = unknown.first {
            let known = Shape(dims.enumerated().filter { $0.offset != u }.map(\.element)).elementCount
            guard known > 0, n % known == 0 else {
                throw IRError("reshape: cannot reshape tensor of \(n) elements into shape \(describe(target))")
            }
            dims[u] = n / known
        }
        guard Shape(dims).elementCount == n else {
            throw IRError("reshape: cannot reshape tensor of \(n) elements into shape \(describe(target))")
        }
        return Shape(dims)
    }

    /// The error for a transpose dim that a tensor of `rank` lacks (as PyTorch, rank 0 and 1 take -1 and 0).
    public static func transposeDimension(_ dim: Int, rank: Int) -> IRError {
        IRError("Transpose dimension out of range: dim \(dim) of a \(rank)-D tensor\(dimRange(Swift.max(rank, 1)))")
    }

    /// ` (dims are -2 to 1)`: the dims a tensor of `rank` takes; none for a scalar.
    private static func dimRange(_ rank: Int) -> String { rank == 0 ? " (it has no dims)" : " (dims are \(-rank) to \(rank - 1))" }

    private static func describe(_ shape: Shape) -> String { "[" + shape.dims.map(String.init).joined(separator: ", ") + "]" }
}
