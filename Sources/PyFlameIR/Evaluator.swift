import Foundation

/// The reference evaluator: a CPU interpreter that computes every op's value exactly as the language
/// defines it. Elementwise ops compute in double and round once to the dtype; reductions and matmul
/// accumulate in f32 in index order (integers exactly) and round once at the end.
public struct Evaluator {
    /// Polled every few thousand elements; returning true stops the evaluation with `Evaluator.interrupted`.
    public var shouldStop: () -> Bool

    public init(shouldStop: @escaping () -> Bool = { false }) {
        self.shouldStop = shouldStop
    }

    public static let interrupted = IRError("interrupted: the statement was not defined")

    @inline(__always)
    func poll(_ i: Int) throws(IRError) {
        if i & 0xFFFF == 0, shouldStop() { throw Evaluator.interrupted }
    }

    /// Computes `op` over `inputs` into a value of `type` (already inferred by ``TypeInference``).
    public func evaluate(_ op: Op, inputs: [TensorValue], type: TensorType) throws(IRError) -> TensorValue {
        switch op {
        case .arange(let start, _, let step):
            let n = type.shape.elementCount
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n { try poll(i); out[i] = type.dtype.round(start + Double(i) * step) }
            return TensorValue(type, exact: out)
        case .ones: return TensorValue(type, exact: [Double](repeating: 1, count: type.shape.elementCount))
        case .zeros: return TensorValue(type, exact: [Double](repeating: 0, count: type.shape.elementCount))
        case .full(let v): return TensorValue(type, exact: [Double](repeating: type.dtype.round(v), count: type.shape.elementCount))
        case .randn(let seed):
            var rng = NormalGenerator(seed: seed)
            let n = type.shape.elementCount
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n { try poll(i); out[i] = type.dtype.round(rng.next()) }
            return TensorValue(type, exact: out)
        case .constant, .load:
            throw IRError("\(op.name) carries its value: nothing to evaluate")
        case .unary(let f):
            return try unary(f, inputs[0])
        case .binary(let f, let scalar):
            if let scalar {
                let s = TensorValue(TensorType([], inputs[0].dtype), exact: [inputs[0].dtype.round(scalar.value)])
                return scalar.isLeft ? try binary(f, s, inputs[0], type) : try binary(f, inputs[0], s, type)
            }
            return try binary(f, inputs[0], inputs[1], type)
        case .reduce(let f, let dim, _):
            return try reduce(f, inputs[0], dim: dim, type: type)
        case .matmul:
            return try matmul(inputs[0], inputs[1], type: type)
        case .transpose(let d0, let d1):
            return try transpose(inputs[0], d0, d1, type: type)
        case .reshape, .layoutTransform:
            return TensorValue(type, exact: inputs[0].elements)
        case .cast, .slice, .concat, .shift:
            return try movement(op, inputs: inputs, type: type)
        }
    }

    // MARK: - Elementwise

    private func unary(_ f: UnaryFunction, _ a: TensorValue) throws(IRError) -> TensorValue {
        let dtype = a.dtype
        var out = a.elements
        if dtype.isInteger {
            for i in out.indices {
                try poll(i)
                let x = DType.toInt64(out[i])
                let y: Int64
                switch f {
                case .relu: y = x > 0 ? x : 0
                case .neg: y = 0 &- x
                case .abs: y = x < 0 ? 0 &- x : x
                default: throw IRError("\(f.rawValue) needs a floating-point tensor")
                }
                out[i] = dtype.round(Double(y))
            }
            return TensorValue(a.type, exact: out)
        }
        for i in out.indices {
            try poll(i)
            out[i] = dtype.round(Evaluator.apply(f, out[i]))
        }
        return TensorValue(a.type, exact: out)
    }

    /// One unary function in double precision (before rounding to the dtype).
    public static func apply(_ f: UnaryFunction, _ x: Double) -> Double {
        switch f {
        case .relu: return x > 0 || x.isNaN ? x : 0
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .tanh: return Foundation.tanh(x)
        case .exp: return Foundation.exp(x)
        case .neg: return -x
        case .abs: return Swift.abs(x)
        case .sqrt: return x.squareRoot()
        case .gelu:
            let c = (2 / Double.pi).squareRoot()
            return 0.5 * x * (1 + Foundation.tanh(c * (x + 0.044715 * x * x * x)))
        case .silu: return x / (1 + Foundation.exp(-x))
        }
    }

    /// One binary function in double precision (floats) or wrapping 64-bit arithmetic (integers).
    public static func apply(_ f: BinaryFunction, _ x: Double, _ y: Double, integer: Bool) throws(IRError) -> Double {
        if integer {
            let a = DType.toInt64(x), b = DType.toInt64(y)
            switch f {
            case .add: return wrapped(a &+ b)
            case .sub: return wrapped(a &- b)
            case .mul: return wrapped(a &* b)
            case .div:
                guard b != 0 else { throw IRError("div: integer division by zero") }
                return wrapped(a.dividedReportingOverflow(by: b).partialValue)
            }
        }
        switch f {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        }
    }

    /// An exact integer result as a Double, wrapped to 32 bits first: every integer dtype is at most 32 bits
    /// wide, and an Int64 beyond 2^53 would lose its low bits (and so its wrapped value) in the conversion.
    @inline(__always)
    static func wrapped(_ x: Int64) -> Double { Double(Int32(truncatingIfNeeded: x)) }

    private func binary(_ f: BinaryFunction, _ a: TensorValue, _ b: TensorValue, _ type: TensorType) throws(IRError) -> TensorValue {
        let dtype = type.dtype, integer = dtype.isInteger
        let n = type.shape.elementCount
        var out = [Double](repeating: 0, count: n)
        if a.shape == type.shape && b.shape == type.shape {
            for i in 0..<n { try poll(i); out[i] = dtype.round(try Evaluator.apply(f, a.elements[i], b.elements[i], integer: integer)) }
        } else if b.shape.elementCount == 1 && a.shape == type.shape {
            let y = b.elements[0]
            for i in 0..<n { try poll(i); out[i] = dtype.round(try Evaluator.apply(f, a.elements[i], y, integer: integer)) }
        } else if a.shape.elementCount == 1 && b.shape == type.shape {
            let x = a.elements[0]
            for i in 0..<n { try poll(i); out[i] = dtype.round(try Evaluator.apply(f, x, b.elements[i], integer: integer)) }
        } else {
            let ia = Evaluator.broadcastIndex(from: a.shape, to: type.shape)
            let ib = Evaluator.broadcastIndex(from: b.shape, to: type.shape)
            for i in 0..<n {
                try poll(i)
                out[i] = dtype.round(try Evaluator.apply(f, a.elements[ia(i)], b.elements[ib(i)], integer: integer))
            }
        }
        return TensorValue(type, exact: out)
    }

    /// Maps a flat index of the broadcast result to the flat index of an operand.
    static func broadcastIndex(from shape: Shape, to result: Shape) -> (Int) -> Int {
        let rank = result.rank
        let offset = rank - shape.rank
        let resultStrides = result.strides
        let strides = shape.strides
        var opStrides = [Int](repeating: 0, count: rank)
        for d in 0..<shape.rank where shape.dims[d] != 1 { opStrides[d + offset] = strides[d] }
        return { flat in
            var rest = flat, index = 0
            for d in 0..<rank {
                let coordinate = rest / resultStrides[d]
                rest -= coordinate * resultStrides[d]
                index += coordinate * opStrides[d]
            }
            return index
        }
    }

    // MARK: - Reductions

    private func reduce(_ f: ReduceFunction, _ a: TensorValue, dim: Int?, type: TensorType) throws(IRError) -> TensorValue {
        let dims = a.shape.dims
        // View the input as [outer, reduced, inner].
        let (outer, count, inner): (Int, Int, Int)
        if let dim, let d = a.shape.normalizedDim(dim) {
            outer = dims[..<d].reduce(1, *)
            count = dims[d]
            inner = dims[(d + 1)...].reduce(1, *)
        } else {
            (outer, count, inner) = (1, a.shape.elementCount, 1)
        }
        var out = [Double](repeating: 0, count: outer * inner)
        var polled = 0
        for o in 0..<outer {
            for i in 0..<inner {
                try poll(polled)
                polled += count
                let base = o * count * inner + i
                out[o * inner + i] = Evaluator.reduceLine(f, a.elements, base: base, count: count, stride: inner, dtype: a.dtype)
            }
        }
        return TensorValue(type, exact: out)
    }

    /// Reduces `count` elements starting at `base`, `stride` apart: f32 accumulation in index order for
    /// floats (one rounding to the dtype at the end), exact for integers. Empty sums are 0; empty max/min NaN.
    public static func reduceLine(_ f: ReduceFunction, _ x: [Double], base: Int, count: Int, stride: Int, dtype: DType) -> Double {
        if dtype.isInteger {
            guard count > 0 else { return 0 }
            var acc: Int64 = f == .sum ? 0 : DType.toInt64(x[base])
            for k in 0..<count {
                let v = DType.toInt64(x[base + k * stride])
                switch f {
                case .sum, .mean: acc &+= v
                case .max: acc = Swift.max(acc, v)
                case .min: acc = Swift.min(acc, v)
                }
            }
            return dtype.round(wrapped(acc))
        }
        switch f {
        case .sum, .mean:
            var acc: Float = 0
            for k in 0..<count { acc += Float(x[base + k * stride]) }
            if f == .mean { acc /= Float(count) }
            return dtype.round(Double(acc))
        case .max, .min:
            guard count > 0 else { return .nan }
            var acc = Float(x[base])
            for k in 0..<count {
                let v = Float(x[base + k * stride])
                if v.isNaN || acc.isNaN { acc = .nan; continue }
                acc = f == .max ? Swift.max(acc, v) : Swift.min(acc, v)
            }
            return dtype.round(Double(acc))
        }
    }

    // MARK: - Matmul, transpose

    private func matmul(_ a: TensorValue, _ b: TensorValue, type: TensorType) throws(IRError) -> TensorValue {
        let m = a.shape.rank == 2 ? a.shape.dims[0] : 1
        let k = a.shape.dims.last!
        let n = b.shape.rank == 2 ? b.shape.dims[1] : 1
        var out = [Double](repeating: 0, count: m * n)
        let integer = type.dtype.isInteger
        for i in 0..<m {
            for j in 0..<n {
                if j == 0, shouldStop() { throw Evaluator.interrupted }
                if integer {
                    var acc: Int64 = 0
                    for p in 0..<k { acc &+= DType.toInt64(a.elements[i * k + p]) &* DType.toInt64(b.elements[p * n + j]) }
                    out[i * n + j] = type.dtype.round(Evaluator.wrapped(acc))
                } else {
                    var acc: Float = 0
                    for p in 0..<k { acc += Float(a.elements[i * k + p]) * Float(b.elements[p * n + j]) }
                    out[i * n + j] = type.dtype.round(Double(acc))
                }
            }
        }
        return TensorValue(type, exact: out)
    }

    private func transpose(_ a: TensorValue, _ d0: Int, _ d1: Int, type: TensorType) throws(IRError) -> TensorValue {
        guard a.shape.rank >= 2, let x = a.shape.normalizedDim(d0), let y = a.shape.normalizedDim(d1), x != y else {
            return TensorValue(type, exact: a.elements)
        }
        let rank = a.shape.rank
        let inStrides = a.shape.strides
        var perm = Array(0..<rank)
        perm.swapAt(x, y)
        let outDims = type.shape.dims
        let n = type.shape.elementCount
        var out = [Double](repeating: 0, count: n)
        var coordinate = [Int](repeating: 0, count: rank)
        for flat in 0..<n {
            try poll(flat)
            var src = 0
            for d in 0..<rank { src += coordinate[d] * inStrides[perm[d]] }
            out[flat] = a.elements[src]
            var d = rank - 1
            while d >= 0 {
                coordinate[d] += 1
                if coordinate[d] < outDims[d] { break }
                coordinate[d] = 0
                d -= 1
            }
        }
        return TensorValue(type, exact: out)
    }
}
