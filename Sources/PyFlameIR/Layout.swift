/// A PE coordinate `(x, y)` = (column, row), origin north-west: what CSL's `@set_tile_code` takes.
public struct PECoord: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var x: Int
    public var y: Int

    public init(_ x: Int, _ y: Int) {
        self.x = x
        self.y = y
    }

    public var description: String { "(\(x),\(y))" }

    /// Address order: row by row, west to east.
    public static func < (a: PECoord, b: PECoord) -> Bool { (a.y, a.x) < (b.y, b.x) }
}

/// Where a tensor lives or an op runs: on the host, or on a block of PEs (PyFlame's MeshLayout).
/// A layout is a shape of PEs; where the block sits on the fabric is the placer's choice.
public enum Layout: Hashable, Sendable, CustomStringConvertible {
    /// Made by a constructor or `load()`: the host holds it and memcpy copies it into the layout of its user.
    case host
    case singlePE
    /// Dim 0 split over `n` PEs stacked in one column (a 1-wide, n-tall block).
    case rowPartition(Int)
    /// Dim 1 (dim 0 of a 1-D tensor) split over `n` PEs side by side in one row.
    case colPartition(Int)
    /// Dims 0 and 1 split over `rows` × `cols` PEs (rows first, as PyFlame counts).
    case grid(rows: Int, cols: Int)

    public var description: String {
        switch self {
        case .host: return "host"
        case .singlePE: return "SinglePE"
        case .rowPartition(let n): return "RowPartition(\(n))"
        case .colPartition(let n): return "ColPartition(\(n))"
        case .grid(let r, let c): return "Grid(\(r), \(c))"
        }
    }

    /// The PE block's size in columns × rows (0 × 0 for the host).
    public var blockSize: (width: Int, height: Int) {
        switch self {
        case .host: return (0, 0)
        case .singlePE: return (1, 1)
        case .rowPartition(let n): return (1, n)
        case .colPartition(let n): return (n, 1)
        case .grid(let r, let c): return (c, r)
        }
    }

    public var peCount: Int { blockSize.width * blockSize.height }

    /// Every PE of the block in address order, block-local coordinates.
    public var pes: [PECoord] {
        let (w, h) = blockSize
        var result: [PECoord] = []
        result.reserveCapacity(w * h)
        for y in 0..<h { for x in 0..<w { result.append(PECoord(x, y)) } }
        return result
    }
}

/// The layout a statement asks for: a fixed one, or `auto` (the default when `on` is absent).
public enum LayoutRequest: Hashable, Sendable, CustomStringConvertible {
    case fixed(Layout)
    case auto

    public var description: String {
        switch self {
        case .fixed(let layout): return layout.description
        case .auto: return "auto"
        }
    }
}

/// The size of the program rectangle the layouts must fit: columns × rows.
public struct FabricSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)x\(height)" }
    public var peCount: Int { width * height }
}
