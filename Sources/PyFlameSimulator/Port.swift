import PyFlameLowering

/// Port numbers: the four neighbours and the core's ramp.
enum Port {
    static let north = 0, east = 1, south = 2, west = 3, ramp = 4
    static func of(_ d: Direction) -> Int {
        switch d {
        case .north: return north
        case .east: return east
        case .south: return south
        case .west: return west
        case .ramp: return ramp
        }
    }
    static func direction(_ p: Int) -> Direction { [Direction.north, .east, .south, .west, .ramp][p] }
    static func opposite(_ p: Int) -> Int { p == ramp ? ramp : (p + 2) & 3 }
}
