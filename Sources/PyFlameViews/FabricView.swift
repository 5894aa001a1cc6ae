import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

/// A key as the fabric view understands it (the curses adapter translates).
public enum ViewKey: Equatable, Sendable {
    case character(Character)
    case up, down, left, right, tab
    case interrupt
    case resize
    case timeout
}

/// What the view asks of its host after a key.
public enum ViewAction: Equatable, Sendable {
    case none
    case step(Int)
    case quit
}

/// How the terminal draws: 256 colors or none, Unicode or ASCII.
public struct ViewStyle: Equatable, Sendable {
    public var color: Bool
    public var unicode: Bool

    public init(color: Bool, unicode: Bool) {
        self.color = color
        self.unicode = unicode
    }
}

/// The view's state: the cursor PE, the color shown, the zoom, running or paused.
public struct FabricViewState: Equatable, Sendable {
    public var cursor: PECoord
    /// Index into the snapshot's colors; the routes of that color are drawn.
    public var colorIndex = 0
    /// PEs per screen cell along each axis; 0 = fit the rectangle to the screen.
    public var zoom = 0
    public var running = false
    /// Cycles per animation tick while running.
    public var speed = 1
    public var showHelp = false

    public init(cursor: PECoord) { self.cursor = cursor }
}

/// The full-screen fabric view, pure: a frame from a snapshot and a state, and the next state from a key.
public enum FabricView {
    public static let minimumSize = (rows: 10, columns: 40)
    static let palette: [UInt8] = [196, 46, 27, 226, 201, 51, 208, 93, 118, 33, 214, 165, 48, 160, 39, 190, 129, 87, 202, 99, 154, 45, 220, 135]
    /// Shapes only (no arrows, which would read as route directions); every one a single cell wide.
    static let unicodeGlyphs = Array("●◆■◉◈▣○◇□◐◑◒◓◎▤▥▦▧▨▩▪▫◘◙")
    static let asciiGlyphs = Array("abcdefghijklmnopqrstuvwx")

    public static func glyph(_ color: Int, _ style: ViewStyle) -> Character {
        (style.unicode ? unicodeGlyphs : asciiGlyphs)[color % 24]
    }

    static let speeds = [1, 2, 5, 10, 20, 50, 100]

    /// The next state for a key, and what the host should do.
    public static func handle(_ key: ViewKey, _ state: FabricViewState, _ snapshot: FabricSnapshot) -> (FabricViewState, ViewAction) {
        var s = state
        let rect = snapshot.rectangle
        func move(_ dx: Int, _ dy: Int) {
            s.cursor = PECoord(min(max(s.cursor.x + dx, rect.x), rect.x + rect.width - 1),
                               min(max(s.cursor.y + dy, rect.y), rect.y + rect.height - 1))
        }
        if s.showHelp, key != .timeout, key != .resize {
            s.showHelp = false
            if key == .character("q") || key == .interrupt { return (s, .quit) }
            return (s, .none)
        }
        switch key {
        case .character(" "), .character("n"): s.running = false; return (s, .step(1))
        case .character("N"): s.running = false; return (s, .step(10))
        case .character("r"): s.running.toggle(); return (s, .none)
        case .character("+"), .character("="):
            s.speed = speeds.first { $0 > s.speed } ?? s.speed
        case .character("-"):
            s.speed = speeds.last { $0 < s.speed } ?? s.speed
        case .up, .character("k"): move(0, -1)
        case .down, .character("j"): move(0, 1)
        case .left, .character("h"): move(-1, 0)
        case .right, .character("l"): move(1, 0)
        case .tab: if !snapshot.colors.isEmpty { s.colorIndex = (s.colorIndex + 1) % snapshot.colors.count }
        case .character("z"):
            // Fit, then halve the block size down to one PE per cell, then fit again.
            s.zoom = s.zoom == 1 ? 0 : s.zoom == 0 ? max(1, fitZoom(snapshot, rows: 24, columns: 80) / 2) : max(1, s.zoom / 2)
        case .character("?"): s.showHelp = true
        case .character("q"), .interrupt: return (s, .quit)
        case .timeout: return (s, s.running ? .step(s.speed) : .none)
        default: break
        }
        return (s, .none)
    }

    /// PEs per cell needed to fit the rectangle into the grid area of a terminal.
    static func fitZoom(_ snapshot: FabricSnapshot, rows: Int, columns: Int) -> Int {
        let (gridRows, gridColumns) = gridArea(rows: rows, columns: columns)
        let rect = snapshot.rectangle
        if rect.width * 2 <= gridColumns && rect.height * 2 <= gridRows { return 1 }
        let kx = (rect.width + gridColumns - 1) / max(gridColumns, 1)
        let ky = (rect.height + gridRows - 1) / max(gridRows, 1)
        return max(2, kx, ky)
    }

    static let panelWidth = 36

    static func gridArea(rows: Int, columns: Int) -> (rows: Int, columns: Int) {
        (max(rows - 5, 1), max(columns - panelWidth - 2, 1))
    }

    /// One frame. `panel` is the side panel's text for the PE under the cursor.
    public static func render(_ snapshot: FabricSnapshot, _ state: FabricViewState, rows: Int, columns: Int,
                              style: ViewStyle, panel: [String]) -> ScreenGrid {
        var grid = ScreenGrid(rows: rows, columns: columns)
        guard rows >= minimumSize.rows, columns >= minimumSize.columns else {
            grid.write("terminal too small: \(columns)x\(rows)", row: 0, column: 0)
            grid.write("the fabric view needs \(minimumSize.columns)x\(minimumSize.rows)", row: 1, column: 0)
            grid.write("q: back to the prompt", row: 2, column: 0)
            return grid
        }
        let color = snapshot.colors.isEmpty ? nil : snapshot.colors[min(state.colorIndex, snapshot.colors.count - 1)]
        // Title.
        var title = snapshot.title + " · " + (snapshot.cycle.map { "cycle \($0)" } ?? "before simulation")
        title += " · " + (snapshot.state.count > 40 ? String(snapshot.state.prefix(40)) + "…" : snapshot.state)
        if snapshot.cycle != nil { title += state.running ? " · running ×\(state.speed)" : " · paused" }
        grid.write(title, row: 0, column: 0, bold: true)
        if state.showHelp { return help(grid, style) }
        let (gridRows, gridColumns) = gridArea(rows: rows, columns: columns)
        let zoom = state.zoom == 0 ? fitZoom(snapshot, rows: rows, columns: columns) : state.zoom
        if zoom == 1 {
            drawDetailed(&grid, snapshot, state, color: color, style: style, top: 1, rows: gridRows, columns: gridColumns)
        } else {
            drawBlocks(&grid, snapshot, state, zoom: zoom, style: style, top: 1, rows: gridRows, columns: gridColumns)
        }
        // Side panel.
        let left = columns - panelWidth
        for (i, line) in panel.prefix(gridRows).enumerated() {
            grid.write(String(line.prefix(panelWidth)), row: 1 + i, column: left)
        }
        // Legend and keys.
        var bottom = rows - 4
        let colorText: String
        if let color {
            let name = snapshot.colorNames[color].map { " \($0)" } ?? ""
            colorText = "color \(color)\(name) (Tab: \(state.colorIndex + 1)/\(snapshot.colors.count)): \(glyph(color, style)) wavelets, "
                + (style.unicode ? "→↓ routes" : "> v routes") + "; in flight " + snapshot.inFlight.enumerated().filter { $0.element > 0 }
                    .map { "\(glyph($0.offset, style))\($0.offset):\($0.element)" }.joined(separator: " ")
        } else {
            colorText = "no routes"
        }
        grid.write(String(colorText.prefix(columns)), row: bottom, column: 0, foreground: style.color ? color.map { palette[$0 % 24] } : nil)
        bottom += 1
        let legend = snapshot.legend.map { "\($0.0) \($0.1)" }.joined(separator: "  ")
        grid.write(String((legend.isEmpty ? "PEs: . unused  + routes only" : legend).prefix(columns)), row: bottom, column: 0)
        bottom += 1
        let states = "link states: Active, " + (style.color ? "Delayed (yellow), Backpressure (red)" : "Delayed (?), Backpressure (!)")
        grid.write(String(states.prefix(columns)), row: bottom, column: 0)
        grid.write(String("space/n step  N ×10  r run  +/- speed  hjkl/arrows move  Tab color  z zoom  ? help  q back".prefix(columns)),
                   row: rows - 1, column: 0, bold: true)
        return grid
    }

    private static func help(_ grid: ScreenGrid, _ style: ViewStyle) -> ScreenGrid {
        var grid = grid
        let lines = [
            "Keys",
            "  space or n   step one cycle          N   step ten cycles",
            "  r            run / pause             + - run faster / slower",
            "  arrows hjkl  move the cursor         Tab show the next color's routes",
            "  z            zoom: fit, then down to one PE per cell",
            "  q, Ctrl-C    back to the prompt (the session stays as it is)",
            "Picture",
            "  a letter per op on its PEs (legend below), . an unused PE, + a PE that only routes",
            "  " + (style.unicode ? "→ ← ↓ ↑" : "> < v ^") + " the routes of the color shown; a glyph per color marks its wavelets on links",
            "  Delayed: waiting for a shared output; Backpressure: the destination is full",
            "any key closes this help",
        ]
        for (i, line) in lines.enumerated() { grid.write(line, row: 2 + i, column: 2, bold: i == 0 || i == 6) }
        return grid
    }

    /// One PE per 2x2 cells: the PE's letter, its east link, its south link.
    private static func drawDetailed(_ grid: inout ScreenGrid, _ snapshot: FabricSnapshot, _ state: FabricViewState, color: Int?,
                                     style: ViewStyle, top: Int, rows: Int, columns: Int) {
        let rect = snapshot.rectangle
        let visibleX = max(1, columns / 2), visibleY = max(1, rows / 2)
        // Scroll so the cursor stays visible.
        let x0 = min(max(rect.x, state.cursor.x - visibleX + 1), max(rect.x, rect.x + rect.width - visibleX))
        let y0 = min(max(rect.y, state.cursor.y - visibleY + 1), max(rect.y, rect.y + rect.height - visibleY))
        let routes = color.flatMap { snapshot.routes[$0] } ?? [:]
        let anyRoute = Set(snapshot.routes.values.flatMap(\.keys))
        for y in y0..<min(rect.y + rect.height, y0 + visibleY) {
            for x in x0..<min(rect.x + rect.width, x0 + visibleX) {
                let pe = PECoord(x, y)
                let row = top + (y - y0) * 2, col = (x - x0) * 2
                let label: Character = snapshot.labels[pe] ?? (anyRoute.contains(pe) ? "+" : (style.unicode ? "·" : "."))
                let delivers = routes[pe]?.tx.contains(.ramp) == true
                grid[row, col] = Cell(label, bold: delivers || snapshot.labels[pe] != nil, inverse: pe == state.cursor)
                // East link: routes of the shown color.
                let east = routes[pe]?.tx.contains(.east) == true
                let west = routes[PECoord(x + 1, y)]?.tx.contains(.west) == true
                if x + 1 < rect.x + rect.width {
                    let c: Character = east && west ? (style.unicode ? "↔" : "=") : east ? (style.unicode ? "→" : ">") : west ? (style.unicode ? "←" : "<") : " "
                    grid[row, col + 1] = Cell(c, foreground: style.color ? color.map { palette[$0 % 24] } : nil)
                }
                let south = routes[pe]?.tx.contains(.south) == true
                let north = routes[PECoord(x, y + 1)]?.tx.contains(.north) == true
                if y + 1 < rect.y + rect.height {
                    let c: Character = south && north ? (style.unicode ? "↕" : "|") : south ? (style.unicode ? "↓" : "v") : north ? (style.unicode ? "↑" : "^") : " "
                    grid[row + 1, col] = Cell(c, foreground: style.color ? color.map { palette[$0 % 24] } : nil)
                }
            }
        }
        // Wavelets held at router inputs, drawn on the link they came over.
        for w in snapshot.wavelets {
            let (dx, dy): (Int, Int)
            switch w.from {
            case .west: (dx, dy) = (-1, 0)
            case .east: (dx, dy) = (0, 0)
            case .north: (dx, dy) = (0, -1)
            case .south: (dx, dy) = (0, 0)
            case .ramp: (dx, dy) = (0, 0)
            }
            let lx = w.pe.x + dx, ly = w.pe.y + dy
            guard lx >= x0, ly >= y0, lx < x0 + visibleX, ly < y0 + visibleY else { continue }
            let row = top + (ly - y0) * 2 + (w.from == .north || w.from == .south ? 1 : 0)
            let col = (lx - x0) * 2 + (w.from == .east || w.from == .west ? 1 : 0)
            var cell = Cell(glyph(w.color, style), foreground: style.color ? palette[w.color % 24] : nil, bold: true)
            if w.from == .ramp {
                cell = grid[top + (w.pe.y - y0) * 2, (w.pe.x - x0) * 2]
                cell.foreground = style.color ? palette[w.color % 24] : nil
                cell.bold = true
            } else if w.state != .active {
                if style.color { cell.background = w.state == .delayed ? 178 : 88 } else { cell.character = w.state == .delayed ? "?" : "!" }
            }
            grid[row, col] = cell
        }
    }

    /// Blocks of zoom×zoom PEs per cell, each showing its busiest state: wavelets, then an op, then routes.
    private static func drawBlocks(_ grid: inout ScreenGrid, _ snapshot: FabricSnapshot, _ state: FabricViewState, zoom: Int,
                                   style: ViewStyle, top: Int, rows: Int, columns: Int) {
        let rect = snapshot.rectangle
        let blocksX = (rect.width + zoom - 1) / zoom, blocksY = (rect.height + zoom - 1) / zoom
        let visibleX = min(blocksX, columns), visibleY = min(blocksY, rows)
        let cursorBlock = PECoord((state.cursor.x - rect.x) / zoom, (state.cursor.y - rect.y) / zoom)
        let bx0 = min(max(0, cursorBlock.x - visibleX + 1), max(0, blocksX - visibleX))
        let by0 = min(max(0, cursorBlock.y - visibleY + 1), max(0, blocksY - visibleY))
        // Flat per-block summaries: the busiest color held there, an op letter, whether anything routes there.
        let blockCount = blocksX * blocksY
        var busiestColor = [Int](repeating: -1, count: blockCount)
        var busiestCount = [Int](repeating: 0, count: blockCount)
        for w in snapshot.wavelets where rect.contains(w.pe) {
            let b = ((w.pe.y - rect.y) / zoom) * blocksX + (w.pe.x - rect.x) / zoom
            if busiestCount[b] < w.count { busiestCount[b] = w.count; busiestColor[b] = w.color }
        }
        var letters = [Character?](repeating: nil, count: blockCount)
        for (pe, letter) in snapshot.labels where rect.contains(pe) {
            letters[((pe.y - rect.y) / zoom) * blocksX + (pe.x - rect.x) / zoom] = letter
        }
        var routed = [Bool](repeating: false, count: blockCount)
        for byPE in snapshot.routes.values {
            for pe in byPE.keys where rect.contains(pe) { routed[((pe.y - rect.y) / zoom) * blocksX + (pe.x - rect.x) / zoom] = true }
        }
        let dot: Character = style.unicode ? "·" : "."
        for by in by0..<(by0 + visibleY) {
            for bx in bx0..<(bx0 + visibleX) {
                let b = by * blocksX + bx
                var cell: Cell
                if busiestColor[b] >= 0 {
                    let c = busiestColor[b]
                    cell = Cell(glyph(c, style), foreground: style.color ? palette[c % 24] : nil, bold: true)
                } else if let l = letters[b] {
                    cell = Cell(l, bold: true)
                } else {
                    cell = Cell(routed[b] ? "+" : dot)
                }
                cell.inverse = PECoord(bx, by) == cursorBlock
                grid[top + by - by0, bx - bx0] = cell
            }
        }
        let note = "\(zoom)x\(zoom) PEs per cell, \(blocksX)x\(blocksY) cells"
        grid.write(note, row: top + min(visibleY, rows - 1), column: 0)
    }
}
