import PyFlameIR

/// A router port: the four neighbours and the PE's own core (RAMP), as CSL spells them.
public enum Direction: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case north, east, south, west, ramp

    public var description: String {
        switch self {
        case .north: return "NORTH"
        case .east: return "EAST"
        case .south: return "SOUTH"
        case .west: return "WEST"
        case .ramp: return "RAMP"
        }
    }

    /// The side a wavelet sent this way arrives from at the neighbour.
    public var opposite: Direction {
        switch self {
        case .north: return .south
        case .south: return .north
        case .east: return .west
        case .west: return .east
        case .ramp: return .ramp
        }
    }

    /// The neighbour's offset (x, y); y grows southward.
    public var step: (dx: Int, dy: Int) {
        switch self {
        case .north: return (0, -1)
        case .south: return (0, 1)
        case .east: return (1, 0)
        case .west: return (-1, 0)
        case .ramp: return (0, 0)
        }
    }

    public static func < (a: Direction, b: Direction) -> Bool { a.rawValue < b.rawValue }
}

/// A set of router ports, printed `{WEST}` or `{RAMP, EAST}` in CSL's order of `.rx`/`.tx` tuples.
public struct DirectionSet: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public private(set) var bits: UInt8

    public init(_ directions: [Direction] = []) {
        bits = 0
        for d in directions { insert(d) }
    }

    public init(arrayLiteral elements: Direction...) { self.init(elements) }

    public mutating func insert(_ d: Direction) { bits |= 1 << UInt8(d.rawValue) }
    public func contains(_ d: Direction) -> Bool { bits & (1 << UInt8(d.rawValue)) != 0 }
    public var isEmpty: Bool { bits == 0 }
    public var count: Int { bits.nonzeroBitCount }

    /// RAMP first, then the compass in N, E, S, W order.
    public var sorted: [Direction] {
        ([.ramp] + [.north, .east, .south, .west]).filter(contains)
    }

    public var description: String { "{" + sorted.map(\.description).joined(separator: ", ") + "}" }
}
