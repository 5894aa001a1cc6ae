import PyFlameIR

/// A PE buffer: a named block of elements, allocated for the span of steps that use it.
public struct Buffer: Sendable, Equatable {
    public var name: String
    public var dtype: DType
    public var count: Int
    /// The tile shape it holds (for 2-D accesses); `[count]` for a flat buffer.
    public var shape: [Int]
    /// First and last step index (in the PE's step list) that touch it; host inputs start at -1,
    /// host outputs end at `Int.max` (read back after the program).
    public var firstUse: Int
    public var lastUse: Int
    /// The IR node whose data it holds; nil for a buffer of the routing playground (its sent or received
    /// wavelets, which no IR node holds).
    public var node: NodeID?

    public var bytes: Int { count * dtype.byteSize }
}

/// An affine view of a buffer: `extents` elements per dimension, `strides` apart, from `offset`
/// (a DSD `tensor_access` in CSL). Elements are visited in row-major order of the extents.
public struct BufferAccess: Sendable, Equatable, CustomStringConvertible {
    public var buffer: Int
    public var offset: Int
    public var extents: [Int]
    public var strides: [Int]

    public init(buffer: Int, offset: Int = 0, extents: [Int], strides: [Int]? = nil) {
        self.buffer = buffer
        self.offset = offset
        self.extents = extents
        if let strides {
            self.strides = strides
        } else {
            var s = [Int](repeating: 1, count: extents.count)
            for i in stride(from: extents.count - 2, through: 0, by: -1) { s[i] = s[i + 1] * extents[i + 1] }
            self.strides = s
        }
    }

    /// Elements the access visits.
    public var count: Int { extents.reduce(1, *) }

    /// The buffer offsets visited, in order.
    public func offsets() -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        guard count > 0 else { return result }
        var index = [Int](repeating: 0, count: extents.count)
        while true {
            var at = offset
            for d in 0..<extents.count { at += index[d] * strides[d] }
            result.append(at)
            var d = extents.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < extents[d] { break }
                index[d] = 0
                d -= 1
            }
            if d < 0 { return result }
        }
    }

    public var description: String {
        let e = extents.map(String.init).joined(separator: "x")
        let s = strides.map(String.init).joined(separator: ",")
        return "b\(buffer)[\(offset) +\(e) step \(s)]"
    }
}
