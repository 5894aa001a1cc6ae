/// One PE's share of a tensor: a contiguous block (a half-open range per dimension).
public struct Tile: Hashable, Sendable, CustomStringConvertible {
    public var ranges: [Range<Int>]

    public init(_ ranges: [Range<Int>]) { self.ranges = ranges }

    public var shape: Shape { Shape(ranges.map(\.count)) }
    public var elementCount: Int { shape.elementCount }

    /// Calls `body` with every index of the tile in row-major order (an odometer over the ranges).
    public func forEachIndex(_ body: ([Int]) -> Void) {
        guard ranges.allSatisfy({ !$0.isEmpty }) else { return }
        var index = ranges.map(\.lowerBound)
        while true {
            body(index)
            var d = index.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < ranges[d].upperBound { break }
                index[d] = ranges[d].lowerBound
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// The flat (row-major) positions in a tensor of `shape` of the tile's elements, in tile order.
    public func flatIndices(in shape: Shape) -> [Int] {
        let strides = shape.strides
        var result: [Int] = []
        result.reserveCapacity(elementCount)
        forEachIndex { index in
            var flat = 0
            for d in 0..<index.count { flat += index[d] * strides[d] }
            result.append(flat)
        }
        return result
    }

    /// `[0:256, 0:64]`, as NumPy slices.
    public var description: String {
        "[" + ranges.map { "\($0.lowerBound):\($0.upperBound)" }.joined(separator: ", ") + "]"
    }
}

/// How a tensor of one shape is split over the PEs of a layout: contiguous blocks of ceil(n/p)
/// elements per split dimension, PE k getting [k·b, min((k+1)·b, n)). An empty tile is refused.
public struct Tiling: Sendable, Equatable {
    public let type: TensorType
    public let layout: Layout
    /// Which tensor dimension is split along the block's rows (y) and columns (x), if any.
    public let rowDim: Int?
    public let colDim: Int?

    /// Validates that `layout` can hold a tensor of `type`, naming the PE that would be left empty.
    public init(_ type: TensorType, on layout: Layout) throws(IRError) {
        self.type = type
        self.layout = layout
        let rank = type.shape.rank
        switch layout {
        case .host, .singlePE:
            rowDim = nil; colDim = nil
        case .rowPartition(let n):
            guard n >= 1 else { throw IRError("RowPartition needs at least 1 PE, not \(n)") }
            guard rank >= 1 else { throw IRError("RowPartition(\(n)) cannot split a scalar: use SinglePE") }
            rowDim = 0; colDim = nil
        case .colPartition(let n):
            guard n >= 1 else { throw IRError("ColPartition needs at least 1 PE, not \(n)") }
            guard rank >= 1 else { throw IRError("ColPartition(\(n)) cannot split a scalar: use SinglePE") }
            rowDim = nil; colDim = rank >= 2 ? 1 : 0
        case .grid(let r, let c):
            guard r >= 1, c >= 1 else { throw IRError("Grid needs at least 1 row and 1 column of PEs, not Grid(\(r), \(c))") }
            guard rank >= 2 else {
                throw IRError("\(layout) splits dims 0 and 1, but \(type) is \(rank)-D: use RowPartition or ColPartition")
            }
            rowDim = 0; colDim = 1
        }
        if rank > 2 && layout != .singlePE && layout != .host {
            throw IRError("\(layout) splits 1-D and 2-D tensors; \(type) is \(rank)-D: use SinglePE or reshape it")
        }
        let (w, h) = layout.blockSize
        if let rowDim { try Tiling.checkSplit(type, dim: rowDim, parts: h, layout: layout, axis: "rows") }
        if let colDim { try Tiling.checkSplit(type, dim: colDim, parts: w, layout: layout, axis: "columns") }
    }

    private static func checkSplit(_ type: TensorType, dim: Int, parts: Int, layout: Layout, axis: String) throws(IRError) {
        let n = type.shape.dims[dim]
        let block = ceilingDivision(n, parts)
        let filled = block == 0 ? 0 : ceilingDivision(n, block)
        guard filled < parts else { return }
        let empty = axis == "rows" ? PECoord(0, filled) : PECoord(filled, 0)
        throw IRError(
            "\(layout) leaves PE \(empty) with an empty tile: dim \(dim) of \(type) has \(n) elements, in blocks of \(block) they fill \(filled) of \(parts) PEs"
        )
    }

    /// ceil(n / d) for n >= 0 and d >= 1, without the overflow of (n + d - 1) / d.
    static func ceilingDivision(_ n: Int, _ d: Int) -> Int { n / d + (n % d == 0 ? 0 : 1) }

    /// Block length along a split dimension.
    private func block(_ dim: Int, _ parts: Int) -> Int { Tiling.ceilingDivision(type.shape.dims[dim], parts) }

    /// The tile PE `pe` (block-local coordinates) holds.
    public func tile(for pe: PECoord) -> Tile {
        var ranges = type.shape.dims.map { 0..<$0 }
        let (w, h) = layout.blockSize
        if let rowDim {
            let b = block(rowDim, h), n = type.shape.dims[rowDim]
            ranges[rowDim] = min(pe.y * b, n)..<min((pe.y + 1) * b, n)
        }
        if let colDim {
            let b = block(colDim, w), n = type.shape.dims[colDim]
            ranges[colDim] = min(pe.x * b, n)..<min((pe.x + 1) * b, n)
        }
        return Tile(ranges)
    }

    /// Bytes of the largest tile (the first PE's: blocks are ceil-sized, so the last may be shorter).
    public var maxTileBytes: Int { tile(for: PECoord(0, 0)).elementCount * type.dtype.byteSize }

    /// Bytes PE `pe` holds.
    public func bytes(for pe: PECoord) -> Int { tile(for: pe).elementCount * type.dtype.byteSize }
}
