import PyFlameIR

/// A host transfer in memcpy's streaming mode, at the edge of the program rectangle (the playground's
/// `stream in` / `stream out`): wavelets the host pushes into a PE's router from the west or north edge on
/// a color, or wavelets a PE's route sends off the rectangle's west or north edge to the host. memcpy runs
/// host transfers one at a time, in the order given: a stream starts when the one before it has finished
/// (docs/fabric-model.md, "Host edges").
public struct HostStream: Sendable, Equatable {
    public enum Way: Sendable, Equatable {
        /// Host to device: these 32-bit payloads enter the PE's route from the edge, in order.
        case toDevice([UInt32])
        /// Device to host: the host reads this many wavelets leaving the PE's route at the edge.
        case toHost(count: Int)
    }

    public var pe: PECoord
    public var color: ColorID
    /// The edge the stream crosses: WEST (the PE is in column 0) or NORTH (in row 0).
    public var side: Direction
    public var way: Way

    public init(pe: PECoord, color: ColorID, side: Direction, way: Way) {
        self.pe = pe
        self.color = color
        self.side = side
        self.way = way
    }

    /// Whether the stream goes from the host into the fabric.
    public var isToDevice: Bool {
        if case .toDevice = way { return true }
        return false
    }

    /// The wavelets the stream moves.
    public var count: Int {
        switch way {
        case .toDevice(let values): return values.count
        case .toHost(let count): return count
        }
    }

    /// The edge `pe` lies on for a stream crossing `side`, or why it does not: a stream crosses the west edge
    /// from column 0 and the north edge from row 0 (memcpy's streams enter and leave there).
    public static func edgeRefusal(pe: PECoord, side: Direction) -> String? {
        switch side {
        case .west where pe.x == 0, .north where pe.y == 0: return nil
        case .west: return "\(pe) is not on the west edge (column 0): a host stream crosses the edge at a PE of the rectangle's first column or row"
        case .north: return "\(pe) is not on the north edge (row 0): a host stream crosses the edge at a PE of the rectangle's first column or row"
        default: return "a host stream crosses the west or north edge, not \(side)"
        }
    }
}
