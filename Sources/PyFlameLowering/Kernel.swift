import PyFlameIR

/// Back-end-neutral compute kernels with typed parameters; the CSL back end maps each kind to a
/// template, the simulator runs it with the compute cost model.
public enum Kernel: Sendable, Equatable {
    /// `out[i] = expression(inputs[..][i])` over `count` elements (a fused chain of elementwise ops).
    case elementwise(out: BufferAccess, inputs: [BufferAccess], expression: KernelExpression, count: Int)
    /// Reduce `input` (viewed as [outer, reduced, inner]) along the middle axis into `out` (combining
    /// with `out` when `accumulate`). A mean is a sum followed by one `scale` where the result ends.
    case reduce(ReduceFunction, out: BufferAccess, input: BufferAccess, outer: Int, reduced: Int, inner: Int, accumulate: Bool)
    /// `out[i] = out[i] / divisor` — the one division of a mean, at its end.
    case scale(out: BufferAccess, divisor: Double)
    /// C[m×n] += A[m×k] · B[k×n] (row-major tiles).
    case matmulAccumulate(c: BufferAccess, a: BufferAccess, b: BufferAccess, m: Int, k: Int, n: Int)
    /// Copy elements between two accesses of equal count (local part of a data movement).
    case copy(out: BufferAccess, input: BufferAccess)

    /// The name of the kernel kind (what `:lower` shows).
    public var kind: String {
        switch self {
        case .elementwise: return "elementwise"
        case .reduce: return "reduce"
        case .scale: return "scale"
        case .matmulAccumulate: return "matmul_accumulate"
        case .copy: return "copy"
        }
    }
}

/// A fused elementwise expression over kernel inputs (`in0`, `in1`, ...) and constants.
public indirect enum KernelExpression: Sendable, Equatable, CustomStringConvertible {
    case input(Int)
    case constant(Double)
    case unary(UnaryFunction, KernelExpression)
    case binary(BinaryFunction, KernelExpression, KernelExpression)

    public var description: String {
        switch self {
        case .input(let i): return "in\(i)"
        case .constant(let v): return v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .unary(let f, let e): return "\(f.rawValue)(\(e))"
        case .binary(let f, let a, let b): return "(\(a) \(f.symbol) \(b))"
        }
    }

    /// The ops of the chain, innermost first (for `:lower`'s fused-ops line).
    public var opNames: [String] {
        switch self {
        case .input, .constant: return []
        case .unary(let f, let e): return e.opNames + [f.rawValue]
        case .binary(let f, let a, let b): return a.opNames + b.opNames + [f.rawValue]
        }
    }
}
