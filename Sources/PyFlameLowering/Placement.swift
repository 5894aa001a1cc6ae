import PyFlameIR

/// Where a value lives on the fabric: its layout's block at an origin (program-rectangle coordinates).
struct Location: Equatable {
    var layout: Layout
    var origin: PECoord
    var type: TensorType

    func global(_ local: PECoord) -> PECoord { PECoord(origin.x + local.x, origin.y + local.y) }
}

/// Puts each layout's block on the fabric: ops whose layouts match reuse one block (data stays
/// resident); a new layout gets the next place on a shelf (left to right, then a new shelf below), or
/// shares PEs from the corner when the shelves are full. A block larger than the fabric does not fit.
struct Placer {
    let fabric: FabricSize
    private(set) var blocks: [(layout: Layout, origin: PECoord)] = []
    private var shelfY = 0
    private var shelfHeight = 0
    private var cursorX = 0
    /// The bounding box of everything placed, even what did not fit (for the error).
    private(set) var needed = (width: 0, height: 0)

    init(fabric: FabricSize) { self.fabric = fabric }

    /// The origin of a block for `layout`: the first block placed with that layout, else a new one.
    mutating func origin(for layout: Layout) -> PECoord {
        if let existing = blocks.first(where: { $0.layout == layout }) { return existing.origin }
        return place(layout)
    }

    /// A new block for `layout`: the next place on the shelves, or — when the shelves are full — the
    /// north-west corner, sharing PEs with earlier blocks (the PE memory check then decides).
    mutating func place(_ layout: Layout) -> PECoord {
        let (w, h) = layout.blockSize
        var x = cursorX, y = shelfY, height = shelfHeight
        if x > 0 && x + w > fabric.width {
            y += height
            height = 0
            x = 0
        }
        guard x + w <= fabric.width && y + h <= fabric.height else {
            // Shelves full: overlap from the corner if the block fits the fabric at all.
            needed = (max(needed.width, w), max(needed.height, h))
            blocks.append((layout, PECoord(0, 0)))
            return PECoord(0, 0)
        }
        cursorX = x + w
        shelfY = y
        shelfHeight = max(height, h)
        needed = (max(needed.width, cursorX), max(needed.height, shelfY + shelfHeight))
        blocks.append((layout, PECoord(x, y)))
        return PECoord(x, y)
    }

    var fits: Bool { needed.width <= fabric.width && needed.height <= fabric.height }
}
