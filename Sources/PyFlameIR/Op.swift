/// Elementwise functions of one tensor (PyFlame's activation and math ops).
public enum UnaryFunction: String, Sendable, CaseIterable {
    case relu, sigmoid, tanh, exp, neg, abs, sqrt, gelu, silu

    /// Functions that only make sense on floating-point tensors.
    public var isFloatOnly: Bool {
        switch self {
        case .relu, .neg, .abs: return false
        default: return true
        }
    }
}

/// Elementwise functions of two tensors (or a tensor and a scalar).
public enum BinaryFunction: String, Sendable, CaseIterable {
    case add, sub, mul, div

    public var symbol: String {
        switch self {
        case .add: return "+"
        case .sub: return "-"
        case .mul: return "*"
        case .div: return "/"
        }
    }
}

/// Reductions over one dimension or over all elements.
public enum ReduceFunction: String, Sendable, CaseIterable {
    case sum, mean, max, min
}

/// A scalar operand of a binary op and the side it stands on (`a - 2` vs `2 - a`).
public struct ScalarOperand: Hashable, Sendable {
    public var value: Double
    public var isLeft: Bool

    public init(_ value: Double, isLeft: Bool) {
        self.value = value
        self.isLeft = isLeft
    }
}

/// What a node computes, with its attributes: PyFlame's op vocabulary.
public enum Op: Hashable, Sendable {
    // Constructors: host tensors.
    case arange(start: Double, stop: Double, step: Double)
    case ones
    case zeros
    case full(Double)
    case randn(seed: UInt64)
    /// `tensor([...])`: the literal's values are the node's value.
    case constant
    case load(path: String)
    // Compute.
    case unary(UnaryFunction)
    case binary(BinaryFunction, scalar: ScalarOperand?)
    /// `dims` nil = every element.
    case reduce(ReduceFunction, dim: Int?, keepdim: Bool)
    case matmul
    case transpose(Int, Int)
    case reshape(Shape)
    /// Moves a fabric value into another layout (inserted where an op needs its operand elsewhere).
    case layoutTransform
    /// `cast(x, f16)`, `x.astype(f16)`: each element converted to another dtype (NumPy's astype).
    case cast(DType)
    /// `x[1:-1, 2:]`, `x[2]`: the elements in one half-open range per dimension (bounds resolved, step 1);
    /// the dims in `drop` (written as a single index, so of length 1) are left out of the result.
    case slice([Range<Int>], drop: [Int])
    /// `concat([a, b], dim=0)`: the operands one after another along `dim` (NumPy's concatenate).
    case concat(dim: Int)
    /// `shift(x, k, dim=0)`: `r[i] = x[i - k]` along `dim`, 0 where `i - k` is outside (no wrap).
    case shift(Int, dim: Int)

    /// PyFlame's name for the op, as `:graph` prints it.
    public var name: String {
        switch self {
        case .arange: return "arange"
        case .ones: return "ones"
        case .zeros: return "zeros"
        case .full: return "full"
        case .randn: return "randn"
        case .constant: return "tensor"
        case .load: return "load"
        case .unary(let f): return f.rawValue
        case .binary(let f, _): return f.rawValue
        case .reduce(let f, _, _): return f.rawValue
        case .matmul: return "matmul"
        case .transpose: return "transpose"
        case .reshape: return "reshape"
        case .layoutTransform: return "layout_transform"
        case .cast: return "cast"
        case .slice: return "slice"
        case .concat: return "concat"
        case .shift: return "shift"
        }
    }

    /// True for ops that make a host tensor from nothing.
    public var isConstructor: Bool {
        switch self {
        case .arange, .ones, .zeros, .full, .randn, .constant, .load: return true
        default: return false
        }
    }

    /// True for elementwise ops (the fusable ones).
    public var isElementwise: Bool {
        switch self {
        case .unary, .binary: return true
        default: return false
        }
    }
}
