/// The reference values of cast, slice, concat and shift: each result element is one input element
/// (converted to the result's dtype for a cast) or, for a shift, 0 where nothing shifts in.
extension Evaluator {
    func movement(_ op: Op, inputs: [TensorValue], type: TensorType) throws(IRError) -> TensorValue {
        let n = type.shape.elementCount
        switch op {
        case .cast(let dtype):
            // NumPy's astype: round to nearest even (through f32 for f16 and bf16, as DType.round defines),
            // overflow to ±inf; a float to an integer truncates toward zero and wraps (NaN becomes 0).
            var out = inputs[0].elements
            for i in out.indices {
                try poll(i)
                out[i] = dtype.round(out[i])
            }
            return TensorValue(type, exact: out)
        case .slice(let ranges, let drop):
            let a = inputs[0]
            let source = Evaluator.sliceSource(ranges, drop: drop, rank: a.shape.rank)
            return try gather(type) { index in
                let s = source(index)
                var flat = 0
                for d in 0..<s.count { flat = flat * a.shape.dims[d] + s[d] }
                return a.elements[flat]
            }
        case .shift(let k, let dim):
            let a = inputs[0]
            guard let d = a.shape.normalizedDim(dim) else { return a }
            let length = a.shape.dims[d]
            return try gather(type) { index in
                let (source, overflow) = index[d].subtractingReportingOverflow(k)
                guard !overflow, source >= 0, source < length else { return 0 }
                var flat = 0
                for e in 0..<index.count { flat = flat * a.shape.dims[e] + (e == d ? source : index[e]) }
                return a.elements[flat]
            }
        case .concat(let dim):
            guard let d = type.shape.normalizedDim(dim) else { return TensorValue(type, exact: [Double](repeating: 0, count: n)) }
            // The operand holding each position along `dim`, and where that operand starts.
            var starts: [Int] = []
            var at = 0
            for input in inputs {
                starts.append(at)
                at += input.shape.dims[d]
            }
            return try gather(type) { index in
                var k = inputs.count - 1
                while k > 0 && starts[k] > index[d] { k -= 1 }
                let a = inputs[k]
                var flat = 0
                for e in 0..<index.count { flat = flat * a.shape.dims[e] + (e == d ? index[e] - starts[k] : index[e]) }
                return a.elements[flat]
            }
        default:
            return TensorValue(type, exact: inputs[0].elements)
        }
    }

    /// Maps an index of a slice's result to the index of its input: the dropped dims put back, each
    /// coordinate moved by its range's start.
    public static func sliceSource(_ ranges: [Range<Int>], drop: [Int], rank: Int) -> ([Int]) -> [Int] {
        let starts = (0..<rank).map { $0 < ranges.count ? ranges[$0].lowerBound : 0 }
        let dropped = Set(drop)
        return { index in
            var source = [Int](repeating: 0, count: rank)
            var k = 0
            for d in 0..<rank {
                if dropped.contains(d) {
                    source[d] = starts[d]
                } else {
                    source[d] = (k < index.count ? index[k] : 0) + starts[d]
                    k += 1
                }
            }
            return source
        }
    }

    /// A value of `type` whose element at each index (row-major) is `element(index)`.
    private func gather(_ type: TensorType, _ element: ([Int]) -> Double) throws(IRError) -> TensorValue {
        let n = type.shape.elementCount
        var out = [Double](repeating: 0, count: n)
        let dims = type.shape.dims
        var index = [Int](repeating: 0, count: dims.count)
        for flat in 0..<n {
            try poll(flat)
            out[flat] = element(index)
            var d = dims.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < dims[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return TensorValue(type, exact: out)
    }
}
