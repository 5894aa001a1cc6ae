/// A tensor's shape: its dimension sizes, outermost first. `[]` is a scalar (0-D).
public struct Shape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var dims: [Int]

    public init(_ dims: [Int]) { self.dims = dims }
    public init(arrayLiteral elements: Int...) { self.dims = elements }

    public var rank: Int { dims.count }

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

    /// `1024`, `64x64`, or empty for a scalar: the middle of `tensor<...>`.
    public var description: String { dims.map(String.init).joined(separator: "x") }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: dims.count)
        var step = 1
        for i in stride(from: dims.count - 1, through: 0, by: -1) {
            strides[i] = step
            step *= max(dims[i], 1)
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
            if da == db || db == 1 { out[i] = da }
            else if da == 1 { out[i] = db }
            else { throw IRError("Shapes are not broadcastable: dimension \(da) vs \(db)") }
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
