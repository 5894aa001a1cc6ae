import PyFlameIR

/// The program rectangle: origin and size on the fabric.
public struct PERect: Sendable, Equatable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The smallest rectangle holding every PE of `pes` (the PE (0,0) alone when there are none).
    public init(bounding pes: Set<PECoord>) {
        let minX = pes.map(\.x).min() ?? 0, minY = pes.map(\.y).min() ?? 0
        let maxX = pes.map(\.x).max() ?? 0, maxY = pes.map(\.y).max() ?? 0
        self.init(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }

    public func contains(_ pe: PECoord) -> Bool {
        pe.x >= x && pe.x < x + width && pe.y >= y && pe.y < y + height
    }

    public var description: String { "(\(x),\(y))..(\(x + width - 1),\(y + height - 1))" }
}
