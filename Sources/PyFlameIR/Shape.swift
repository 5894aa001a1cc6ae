/// A tensor's shape: its dimension sizes, outermost first. `[]` is a scalar (0-D).
public struct Shape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var dims: [Int]

    public init(_ dims: [Int]) { self.dims = dims }
    public init(arrayLiteral elements: Int...) { self.dims = elements }

    public var rank: Int { dims.count }

    /// The most dimensions a shape may have (NumPy's limit): every walk over dimensions stays shallow.
    public static let maxRank = 64
    /// The largest dimension a shape may have.
    public static let maxDimension = Int(Int32.max)

    /// The language's shape rules, which `load` applies too: at most ``maxRank`` dimensions, each from 1
    /// to ``maxDimension`` (a zero-size tensor has no values to reduce, tile or print).
    public static func checked(_ dims: [Int]) throws(IRError) -> Shape {
        guard dims.count <= maxRank else { throw IRError("shape has \(dims.count) dimensions, over the limit of \(maxRank)") }
        for d in dims {
            guard d >= 1 else { throw IRError("shape dimensions must be at least 1, not \(d)") }
            guard d <= maxDimension else { throw IRError("shape dimension \(d) is too large") }
        }
        return Shape(dims)
    }

    /// Number of elements; saturates instead of overflowing, so a huge request is refused, never trapped.
    public var elementCount: Int {
        var n = 1
        for d in dims {
            let (product, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return Int.max }
            n = product
        }
        return n
    }

    /// `[64, 64]`, `[]` for a scalar: a shape as the user writes it.
    public var list: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    /// `1024`, `64x64`, or empty for a scalar: the middle of `tensor<...>`.
    public var description: String { dims.map(String.init).joined(separator: "x") }

    /// Row-major strides in elements (saturating at Int.max, so no shape traps; checked shapes never reach it).
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: dims.count)
        var step = 1
        for i in stride(from: dims.count - 1, through: 0, by: -1) {
            strides[i] = step
            let (next, overflow) = step.multipliedReportingOverflow(by: max(dims[i], 1))
            step = overflow ? Int.max : next
        }
        return strides
    }

    /// Resolves a possibly negative dimension index; `nil` when out of range.
    public func normalizedDim(_ dim: Int) -> Int? {
        let d = dim < 0 ? dim + rank : dim
        return (0..<max(rank, 0)).contains(d) ? d : nil
    }

    /// NumPy broadcasting of two shapes, with PyFlame's error wording.
    public static func broadcast(_ a: Shape, _ b: Shape) throws(IRError) -> Shape {
        let rank = max(a.rank, b.rank)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.rank ? 1 : a.dims[i - (rank - a.rank)]
            let db = i < rank - b.rank ? 1 : b.dims[i - (rank - b.rank)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw IRError("Shapes are not broadcastable: dimension \(da) vs \(db) (shapes \(a.list) and \(b.list))")
            }
        }
        return Shape(out)
    }
}

/// The type of a tensor value: shape and dtype, printed as MLIR does (`tensor<64x64xf32>`, `tensor<f32>`).
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    public var shape: Shape
    public var dtype: DType

    public init(_ shape: Shape, _ dtype: DType) {
        self.shape = shape
        self.dtype = dtype
    }

    public var description: String {
        shape.rank == 0 ? "tensor<\(dtype)>" : "tensor<\(shape)x\(dtype)>"
    }

    /// Bytes the whole tensor occupies.
    public var byteCount: Int { shape.elementCount.multipliedReportingOverflow(by: dtype.byteSize).partialValue }
}
