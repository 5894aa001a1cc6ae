/// Result types of cast, slice, concat and shift (the ops that convert or move elements without arithmetic).
extension TypeInference {
    static func movementType(of op: Op, inputs: [TensorType]) throws(IRError) -> TensorType {
        switch op {
        case .cast(let dtype):
            return TensorType(inputs[0].shape, dtype)
        case .slice(let ranges, let drop):
            let a = inputs[0]
            guard ranges.count <= a.shape.rank else {
                throw IRError("too many indices: \(ranges.count) for a \(a.shape.rank)-D tensor \(a)", operand: 0)
            }
            var dims = a.shape.dims
            for (d, r) in ranges.enumerated() {
                guard r.lowerBound >= 0, r.upperBound <= a.shape.dims[d] else {
                    throw IRError("slice \(r.lowerBound):\(r.upperBound) is outside dim \(d) of \(a) (0 to \(a.shape.dims[d]))")
                }
                guard !r.isEmpty else {
                    throw IRError("slice \(r.lowerBound):\(r.upperBound) of dim \(d) of \(a) is empty (a tensor needs at least one element per dim)")
                }
                dims[d] = r.count
            }
            for d in drop where !dims.indices.contains(d) || dims[d] != 1 {
                throw IRError("slice: dim \(d) of \(a) is not a single index")
            }
            return TensorType(Shape(dims.enumerated().filter { !drop.contains($0.offset) }.map(\.element)), a.dtype)
        case .concat(let dim):
            guard let first = inputs.first else { throw IRError("concat needs at least one tensor") }
            guard first.shape.rank >= 1 else { throw IRError("concat: zero-dimensional tensors cannot be concatenated", operand: 0) }
            guard let d = first.shape.normalizedDim(dim) else {
                throw IRError("concat: dim \(dim) is out of range for \(first.shape.rank)-D tensors (dims are \(-first.shape.rank) to \(first.shape.rank - 1))")
            }
            var total = 0
            for (k, t) in inputs.enumerated() {
                guard t.dtype == first.dtype else {
                    throw IRError("concat: dtypes differ: \(first.dtype) vs \(t.dtype) (no promotion: cast one of them)", operand: k)
                }
                guard t.shape.rank == first.shape.rank else {
                    throw IRError("concat: all tensors need the same number of dims: \(first) vs \(t)", operand: k)
                }
                for e in 0..<t.shape.rank where e != d && t.shape.dims[e] != first.shape.dims[e] {
                    throw IRError("concat: sizes must match except in dim \(d): \(first) vs \(t) differ in dim \(e)", operand: k)
                }
                let (sum, overflow) = total.addingReportingOverflow(t.shape.dims[d])
                guard !overflow else { throw IRError("concat: the result is too large") }
                total = sum
            }
            var dims = first.shape.dims
            dims[d] = total
            return TensorType(Shape(dims), first.dtype)
        case .shift(_, let dim):
            let a = inputs[0]
            guard a.shape.rank >= 1 else { throw IRError("shift needs a tensor with at least one dim, got \(a)", operand: 0) }
            guard a.shape.normalizedDim(dim) != nil else {
                throw IRError("shift: dim \(dim) is out of range for \(a) (dims are \(-a.shape.rank) to \(a.shape.rank - 1))")
            }
            return a
        default:
            return inputs[0]
        }
    }
}
