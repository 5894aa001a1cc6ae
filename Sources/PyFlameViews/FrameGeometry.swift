import PyFlameIR
import PyFlameLowering

/// How a frame of the fabric view divides the window: a title row, the fabric area and the side panel
/// beside it, four rows of legend and keys. The panel takes what its lines need, leaving the fabric what
/// it can use (eight columns a PE, at least three fifths of the window when the fabric is wide); the fabric
/// gets the rest, zoomed to fill it.
struct FrameGeometry: Equatable {
    static let minimumPanelWidth = 24

    var rows: Int
    var columns: Int
    /// Columns of the side panel (0: no panel) and where it starts.
    var panelWidth: Int
    var panelLeft: Int { columns - panelWidth }
    /// The fabric area: from row 1, `gridRows` rows and `gridColumns` columns.
    var gridRows: Int
    var gridColumns: Int

    /// `footerRows`: the rows under the fabric area (the color line, the PE legend, the link states, the keys).
    init(rows: Int, columns: Int, panel: [String], rectangle: PERect, footerRows: Int) {
        self.rows = rows
        self.columns = columns
        let widest = panel.map(\.count).max() ?? 0
        let fabricWants = min(rectangle.width * 8, columns * 3 / 5)
        panelWidth = widest == 0 ? 0 : max(min(widest, columns - 2 - fabricWants), min(widest, Self.minimumPanelWidth))
        gridRows = max(rows - 1 - footerRows, 1)
        gridColumns = max(columns - panelWidth - (panelWidth > 0 ? 2 : 0), 1)
    }

    /// PEs per cell (along each axis) that fit `rect` into `rows` x `columns` character cells: 1 when every
    /// PE can have its own label and links (at least 2x2 characters), else the smallest block size that fits.
    static func fitZoom(_ rect: PERect, rows: Int, columns: Int) -> Int {
        if rect.width * 2 <= columns && rect.height * 2 <= rows { return 1 }
        // Blocks leave one row for the note that says how many PEs a cell holds.
        let blockRows = max(rows - 1, 1)
        let kx = (rect.width + columns - 1) / max(columns, 1)
        let ky = (rect.height + blockRows - 1) / blockRows
        return max(2, kx, ky)
    }

    /// The size of a cell for `zoom` PEs per cell: as large as the area allows (capped so a cell stays
    /// readable), keeping the picture's proportions (a character is about twice as tall as it is wide).
    static func cell(_ rect: PERect, zoom: Int, rows: Int, columns: Int) -> CellSize {
        let blocksX = (rect.width + zoom - 1) / zoom, blocksY = (rect.height + zoom - 1) / zoom
        let smallest = zoom == 1 ? 2 : 1
        var width = max(smallest, min(columns / max(blocksX, 1), zoom == 1 ? 20 : 8))
        var height = max(smallest, min(rows / max(blocksY, 1), zoom == 1 ? 10 : 4))
        width = max(smallest, min(width, 2 * height))
        height = max(smallest, min(height, (width + 1) / 2))
        return CellSize(width: width, height: height)
    }

    /// The panel's lines wrapped to its width; a wrapped line continues indented by two spaces.
    func wrapped(_ panel: [String]) -> [String] { Self.wrap(panel, width: panelWidth) }

    /// `text` wrapped to `width` columns, at spaces where possible; a wrapped line continues indented by two.
    static func wrap(_ text: [String], width panelWidth: Int) -> [String] {
        guard panelWidth > 2 else { return [] }
        var lines: [String] = []
        for line in text {
            var rest = Substring(line)
            var first = true
            while true {
                let room = first ? panelWidth : panelWidth - 2
                let prefix = first ? "" : "  "
                if rest.count <= room {
                    lines.append(prefix + rest)
                    break
                }
                // Break at the last space that fits, else hard at the width.
                let window = rest.prefix(room)
                let cut = window.lastIndex(of: " ").map { rest.distance(from: rest.startIndex, to: $0) } ?? room
                let take = cut > room / 3 ? cut : room
                lines.append(prefix + rest.prefix(take))
                rest = rest.dropFirst(take).drop { $0 == " " }
                first = false
                if rest.isEmpty { break }
            }
        }
        return lines
    }
}

/// Characters per cell of the fabric area: a PE (or a block of PEs) with its east link to the right and
/// its south link below.
struct CellSize: Equatable {
    var width: Int
    var height: Int
}
