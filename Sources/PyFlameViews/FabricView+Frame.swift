import PyFlameIR
import PyFlameLowering

/// Drawing one frame: title, the fabric area (one PE per cell, or blocks of PEs), the side panel, the legend.
extension FabricView {
    /// One frame. `panel` is the side panel's text for the PE under the cursor.
    public static func render(
        _ snapshot: FabricSnapshot, _ state: FabricViewState, rows: Int, columns: Int,
        style: ViewStyle, panel: [String]
    ) -> ScreenGrid {
        var grid = ScreenGrid(rows: rows, columns: columns)
        guard rows >= minimumSize.rows, columns >= minimumSize.columns else {
            grid.write("terminal too small: \(columns)x\(rows)", row: 0, column: 0)
            grid.write("the fabric view needs \(minimumSize.columns)x\(minimumSize.rows)", row: 1, column: 0)
            grid.write("q: back to the prompt", row: 2, column: 0)
            return grid
        }
        let color = snapshot.colors.isEmpty ? nil : snapshot.colors[min(state.colorIndex, snapshot.colors.count - 1)]
        grid.write(title(snapshot, state, style), row: 0, column: 0, bold: true)
        if state.showHelp { return asciiOnly(help(grid, style), style) }
        // The footer first: its lines wrap to the width, and the fabric area gets the rows left (three rows a PE,
        // cell needs, or at least half).
        let fabricRows = min(snapshot.rectangle.height * 3, (rows - 1) / 2)
        let footer = footerLines(snapshot, state, color: color, style: style, columns: columns, maximumRows: max(4, rows - 1 - fabricRows))
        let geometry = FrameGeometry(rows: rows, columns: columns, panel: panel, rectangle: snapshot.rectangle, footerRows: footer.count)
        let zoom = state.zoom == 0 ? FrameGeometry.fitZoom(snapshot.rectangle, rows: geometry.gridRows, columns: geometry.gridColumns) : state.zoom
        let cell = FrameGeometry.cell(snapshot.rectangle, zoom: zoom, rows: geometry.gridRows, columns: geometry.gridColumns)
        if zoom == 1 {
            drawDetailed(&grid, snapshot, state, color: color, style: style, cell: cell, rows: geometry.gridRows, columns: geometry.gridColumns)
        } else {
            drawBlocks(&grid, snapshot, state, zoom: zoom, style: style, cell: cell, rows: geometry.gridRows, columns: geometry.gridColumns)
        }
        for (i, line) in geometry.wrapped(panel).prefix(geometry.gridRows).enumerated() {
            grid.write(line, row: 1 + i, column: geometry.panelLeft)
        }
        for (i, line) in footer.enumerated() {
            grid.write(line.text, row: rows - footer.count + i, column: 0, foreground: line.foreground, bold: line.bold)
        }
        return asciiOnly(grid, style)
    }

    /// `s's program · cycle 90 · in progress · running at 500 cycles/s`.
    static func title(_ snapshot: FabricSnapshot, _ state: FabricViewState, _ style: ViewStyle) -> String {
        let dot = style.unicode ? " · " : " | "
        var parts = [snapshot.title, snapshot.cycle.map { "cycle \($0)" } ?? "before simulation"]
        parts.append(snapshot.state.count > 60 ? String(snapshot.state.prefix(60)) + (style.unicode ? "…" : "...") : snapshot.state)
        if snapshot.cycle != nil && !snapshot.hasEnded {
            parts.append((state.running ? "running" : "paused") + " (\(state.cyclesPerSecond) cycle\(state.cyclesPerSecond == 1 ? "" : "s")/s)")
        }
        return parts.joined(separator: dot)
    }

    /// The color line, the PE legend, the link states and the keys, at the bottom, each wrapped to the width
    /// (the legend at its entries); at most `maximumRows` (the keys line always last).
    static func footerLines(
        _ snapshot: FabricSnapshot, _ state: FabricViewState, color: Int?, style: ViewStyle, columns: Int,
        maximumRows: Int
    ) -> [(text: String, foreground: UInt8?, bold: Bool)] {
        var colorParts: [String]
        if let color {
            let name = snapshot.colorNames[color].map { " \($0)" } ?? ""
            colorParts = [
                "color \(color)\(name) (Tab: \(state.colorIndex + 1)/\(snapshot.colors.count)):", "\(glyph(color, style)) wavelets,",
                routeLegend(snapshot.routes[color] ?? [:], style) + ";", "in flight",
            ]
            let flying = snapshot.inFlight.enumerated().filter { $0.element > 0 }.map { "\(glyph($0.offset, style))\($0.offset):\($0.element)" }
            colorParts += flying.isEmpty ? ["none"] : flying
        } else {
            colorParts = ["no routes"]
        }
        var legend = snapshot.legend.map { "\($0.0) \($0.1)" }
        legend.append("\(PEGlyph.unused(unicode: style.unicode)) \(PEGlyph.unusedMeaning)")
        legend += dynamicLegend(snapshot, color: color, style: style)
        let states = [
            "links: Active,", style.color ? "Delayed (yellow)," : "Delayed (?),", style.color ? "Backpressure (red);" : "Backpressure (!);",
            "ramp: a glyph below-right of its PE",
        ]
        let keys = ["n step", "N \(style.unicode ? "×" : "x")10", "r run", "+/- speed", "arrows move", "Tab color", "z zoom", "? help", "q back"]
        let foreground = style.color ? color.map { palette[$0 % palette.count] } : nil
        var lines: [(text: String, foreground: UInt8?, bold: Bool)] = []
        lines += pack(colorParts, separator: " ", columns: columns).map { ($0, foreground, false) }
        lines += pack(legend, separator: "  ", columns: columns).map { ($0, nil, false) }
        lines += pack(states, separator: " ", columns: columns).map { ($0, nil, false) }
        let keyLines = pack(keys, separator: "  ", columns: columns).map { (text: $0, foreground: UInt8?.none, bold: true) }
        return Array(lines.prefix(max(0, maximumRows - keyLines.count))) + keyLines
    }

    /// Legend entries for what the shown color's switches, filters, swaps and teardowns and the control
    /// wavelets put in the picture (none for a program without them).
    static func dynamicLegend(_ snapshot: FabricSnapshot, color: Int?, style: ViewStyle) -> [String] {
        var legend: [String] = []
        if let color, let routes = snapshot.dynamicRoutes[color] {
            let entries = routes.values
            if let most = entries.compactMap({ $0.route.switches?.positions.count }).max() {
                legend.append("0-\(most) \(PEGlyph.switchPositionMeaning)")
            }
            if entries.contains(where: { $0.live?.tornDown == true }) { legend.append("\(PEGlyph.tornDown) \(PEGlyph.tornDownMeaning)") }
            if entries.contains(where: { ($0.live?.drops ?? 0) > 0 }) { legend.append("\(PEGlyph.filterDropped) \(PEGlyph.filterDroppedMeaning)") }
            let swaps = entries.filter { $0.route.colorSwapX || $0.route.colorSwapY }.map(\.route.pe).sorted()
            if let first = swaps.first {
                let at = swaps.count == 1 ? "at \(first)" : "at \(swaps.count) PEs"
                legend.append("swap \(at): color \(color) leaves as \(color ^ 1)")
            }
        }
        if !snapshot.controlHeads.isEmpty {
            legend.append("\(PEGlyph.controlWavelet(unicode: style.unicode)) \(PEGlyph.controlWaveletMeaning)")
        }
        return legend
    }

    /// Items joined by `separator` into lines of at most `columns` characters (an item wider than a line is cut).
    static func pack(_ items: [String], separator: String, columns: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for item in items {
            if current.isEmpty {
                current = String(item.prefix(columns))
            } else if current.count + separator.count + item.count <= columns {
                current += separator + item
            } else {
                lines.append(current)
                current = String(item.prefix(columns))
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The arrows the shown color's routes actually use, e.g. `< routes west, v south`.
    static func routeLegend(_ routes: [PECoord: (rx: DirectionSet, tx: DirectionSet)], _ style: ViewStyle) -> String {
        let order: [(Direction, String)] = [(.east, "east"), (.west, "west"), (.south, "south"), (.north, "north")]
        let used = order.filter { d in routes.values.contains { $0.tx.contains(d.0) } }
        if used.isEmpty { return "routes only to the ramp" }
        return "routes " + used.map { "\(arrow($0.0, style)) \($0.1)" }.joined(separator: ", ")
    }

    static func arrow(_ direction: Direction, _ style: ViewStyle) -> Character {
        switch direction {
        case .east: return style.unicode ? "→" : ">"
        case .west: return style.unicode ? "←" : "<"
        case .south: return style.unicode ? "↓" : "v"
        case .north: return style.unicode ? "↑" : "^"
        case .ramp: return "*"
        }
    }

    private static func help(_ grid: ScreenGrid, _ style: ViewStyle) -> ScreenGrid {
        var grid = grid
        let lines = [
            "Keys",
            "  n or space   step one cycle          N   step ten cycles",
            "  r            run / pause             + - run faster / slower (cycles per second)",
            "  arrows, hjkl move the cursor         Tab show the next color's routes",
            "  z            zoom: fit, then down to one PE per cell",
            "  q, Ctrl-C    back to the prompt (the session stays as it is)",
            "Picture",
            "  a letter per op on its PEs (legend below), \(PEGlyph.severalOps) \(PEGlyph.severalOpsMeaning),",
            "  \(PEGlyph.routesOnly) \(PEGlyph.routesOnlyMeaning), \(PEGlyph.unused(unicode: style.unicode)) \(PEGlyph.unusedMeaning); "
                + "the playground: \(PEGlyph.sender) \(PEGlyph.senderMeaning), \(PEGlyph.receiver) \(PEGlyph.receiverMeaning), "
                + "\(PEGlyph.reactingCore) reacts",
            "  " + [Direction.east, .west, .south, .north].map { String(arrow($0, style)) }.joined(separator: " ")
                + " the routes of the color shown; a glyph per color marks its wavelets on links,",
            "  and below-right of a PE while they are on its ramp (to or from the core)",
            "  Delayed: waiting for a shared output; Backpressure: the destination is full",
            "  0-3 a switch's position now, \(PEGlyph.tornDown) torn down, \(PEGlyph.filterDropped) a filter dropped wavelets, "
                + "\(PEGlyph.controlWavelet(unicode: style.unicode)) a control wavelet",
            "any key closes this help",
        ]
        for (i, line) in lines.enumerated() { grid.write(line, row: 2 + i, column: 2, bold: i == 0 || i == 6) }
        return grid
    }

    /// One PE per cell: the PE's glyph, its east link to the right, its south link below, its ramp
    /// diagonally below-right.
    private static func drawDetailed(
        _ grid: inout ScreenGrid, _ snapshot: FabricSnapshot, _ state: FabricViewState, color: Int?,
        style: ViewStyle, cell: CellSize, rows: Int, columns: Int
    ) {
        let top = 1
        let rect = snapshot.rectangle
        let w = cell.width, h = cell.height
        let visibleX = max(1, columns / w), visibleY = max(1, rows / h)
        // Scroll so the cursor stays visible.
        let x0 = min(max(rect.x, state.cursor.x - visibleX + 1), max(rect.x, rect.x + rect.width - visibleX))
        let y0 = min(max(rect.y, state.cursor.y - visibleY + 1), max(rect.y, rect.y + rect.height - visibleY))
        let routes = color.flatMap { snapshot.routes[$0] } ?? [:]
        let dynamic = color.flatMap { snapshot.dynamicRoutes[$0] }
        let linkColor = style.color ? color.map { palette[$0 % palette.count] } : nil
        let unused = PEGlyph.unused(unicode: style.unicode)
        func origin(_ x: Int, _ y: Int) -> (row: Int, column: Int) { (top + (y - y0) * h, (x - x0) * w) }
        for y in y0..<min(rect.y + rect.height, y0 + visibleY) {
            for x in x0..<min(rect.x + rect.width, x0 + visibleX) {
                let pe = PECoord(x, y)
                let (row, col) = origin(x, y)
                let label = snapshot.labels[pe] ?? unused
                let delivers = routes[pe]?.tx.contains(.ramp) == true
                grid[row, col] = Cell(label, bold: delivers || snapshot.labels[pe] != nil, inverse: pe == state.cursor)
                if let entry = dynamic?[pe], let mark = dynamicMark(entry.route, entry.live) {
                    grid[row, col] = Cell(mark.0, foreground: style.color ? mark.1 : nil, bold: true, inverse: pe == state.cursor)
                }
                if x + 1 < rect.x + rect.width {
                    let east = routes[pe]?.tx.contains(.east) == true
                    let west = routes[PECoord(x + 1, y)]?.tx.contains(.west) == true
                    for (i, c) in horizontalLink(east: east, west: west, length: w - 1, style).enumerated() {
                        grid[row, col + 1 + i] = Cell(c, foreground: linkColor)
                    }
                }
                if y + 1 < rect.y + rect.height {
                    let south = routes[pe]?.tx.contains(.south) == true
                    let north = routes[PECoord(x, y + 1)]?.tx.contains(.north) == true
                    for (i, c) in verticalLink(south: south, north: north, length: h - 1, style).enumerated() {
                        grid[row + 1 + i, col] = Cell(c, foreground: linkColor)
                    }
                }
            }
        }
        func visible(_ x: Int, _ y: Int) -> Bool { x >= x0 && y >= y0 && x < x0 + visibleX && y < y0 + visibleY }
        func waveletCell(_ c: Int) -> Cell { Cell(glyph(c, style), foreground: style.color ? palette[c % palette.count] : nil, bold: true) }
        // Wavelets on a ramp (core to router, or router to core), below-right of their PE.
        for q in snapshot.coreQueues where visible(q.pe.x, q.pe.y) {
            let (row, col) = origin(q.pe.x, q.pe.y)
            grid[row + 1, col + 1] = waveletCell(q.color)
        }
        // Router inputs whose head is a control wavelet.
        let controlHeads = Set(snapshot.controlHeads.map { HeldInput(pe: $0.pe, color: $0.color, from: $0.from) })
        // Wavelets held at router inputs, drawn in the middle of the link they came over.
        for wavelet in snapshot.wavelets {
            var cellHere = waveletCell(wavelet.color)
            if !controlHeads.isEmpty && controlHeads.contains(HeldInput(pe: wavelet.pe, color: wavelet.color, from: wavelet.from)) {
                cellHere.character = PEGlyph.controlWavelet(unicode: style.unicode)
            }
            if wavelet.state != .active && wavelet.from != .ramp {
                if style.color {
                    cellHere.background = wavelet.state == .delayed ? 178 : 88
                } else {
                    cellHere.character = wavelet.state == .delayed ? "?" : "!"
                }
            }
            let p = wavelet.pe
            switch wavelet.from {
            case .ramp:
                guard visible(p.x, p.y) else { continue }
                let (row, col) = origin(p.x, p.y)
                grid[row + 1, col + 1] = cellHere
            case .west, .east:
                let lx = wavelet.from == .west ? p.x - 1 : p.x
                guard visible(lx, p.y) else { continue }
                let (row, col) = origin(lx, p.y)
                grid[row, col + 1 + (w - 2) / 2] = cellHere
            case .north, .south:
                let ly = wavelet.from == .north ? p.y - 1 : p.y
                guard visible(p.x, ly) else { continue }
                let (row, col) = origin(p.x, ly)
                grid[row + 1 + (h - 2) / 2, col] = cellHere
            }
        }
    }

    /// A router input: where a held wavelet is.
    struct HeldInput: Hashable {
        var pe: PECoord
        var color: Int
        var from: Direction
    }

    /// What a PE shows for the shown color's dynamic route, and its color: torn down, else a filter that
    /// dropped, else its switch's position; nil to keep the PE's own glyph.
    static func dynamicMark(_ route: RouteConfig, _ live: RouteLiveState?) -> (Character, UInt8)? {
        if live?.tornDown == true { return (PEGlyph.tornDown, 196) }
        if let drops = live?.drops, drops > 0 { return (PEGlyph.filterDropped, 208) }
        if route.switches != nil { return (PEGlyph.switchPosition(RouteText.position(route, live: live)), 51) }
        return nil
    }

    /// The characters of a link `length` cells long between two PEs side by side: `-->`, `<--`, `<->`.
    static func horizontalLink(east: Bool, west: Bool, length: Int, _ style: ViewStyle) -> [Character] {
        guard length > 0, east || west else { return [] }
        let line: Character = style.unicode ? "─" : "-"
        if length == 1 { return [east && west ? (style.unicode ? "↔" : "=") : east ? arrow(.east, style) : arrow(.west, style)] }
        var cells = [Character](repeating: line, count: length)
        if east { cells[length - 1] = arrow(.east, style) }
        if west { cells[0] = arrow(.west, style) }
        return cells
    }

    /// The characters of a link between two PEs one above the other, top to bottom.
    static func verticalLink(south: Bool, north: Bool, length: Int, _ style: ViewStyle) -> [Character] {
        guard length > 0, south || north else { return [] }
        let line: Character = style.unicode ? "│" : "|"
        if length == 1 { return [south && north ? (style.unicode ? "↕" : "|") : south ? arrow(.south, style) : arrow(.north, style)] }
        var cells = [Character](repeating: line, count: length)
        if south { cells[length - 1] = arrow(.south, style) }
        if north { cells[0] = arrow(.north, style) }
        return cells
    }

    /// Blocks of zoom×zoom PEs per cell, each showing its busiest state: wavelets, then an op, then routes.
    private static func drawBlocks(
        _ grid: inout ScreenGrid, _ snapshot: FabricSnapshot, _ state: FabricViewState, zoom: Int,
        style: ViewStyle, cell: CellSize, rows: Int, columns: Int
    ) {
        let top = 1
        let rect = snapshot.rectangle
        let blocksX = (rect.width + zoom - 1) / zoom, blocksY = (rect.height + zoom - 1) / zoom
        let visibleX = min(blocksX, max(1, columns / cell.width)), visibleY = min(blocksY, max(1, (rows - 1) / cell.height))
        let cursorBlock = PECoord((state.cursor.x - rect.x) / zoom, (state.cursor.y - rect.y) / zoom)
        let bx0 = min(max(0, cursorBlock.x - visibleX + 1), max(0, blocksX - visibleX))
        let by0 = min(max(0, cursorBlock.y - visibleY + 1), max(0, blocksY - visibleY))
        // Flat per-block summaries: the busiest color held there, a PE glyph, in the table's order of weight.
        let blockCount = blocksX * blocksY
        func block(_ pe: PECoord) -> Int { ((pe.y - rect.y) / zoom) * blocksX + (pe.x - rect.x) / zoom }
        var busiestColor = [Int](repeating: -1, count: blockCount)
        var busiestCount = [Int](repeating: 0, count: blockCount)
        func hold(_ pe: PECoord, _ color: Int, _ count: Int) {
            guard rect.contains(pe) else { return }
            let b = block(pe)
            if busiestCount[b] < count { busiestCount[b] = count; busiestColor[b] = color }
        }
        for w in snapshot.wavelets { hold(w.pe, w.color, w.count) }
        for q in snapshot.coreQueues { hold(q.pe, q.color, q.count) }
        var glyphs = [Character?](repeating: nil, count: blockCount)
        for (pe, g) in snapshot.labels where rect.contains(pe) {
            let b = block(pe)
            // An op letter or `+` outweighs `:` (routes only).
            if glyphs[b] == nil || glyphs[b] == PEGlyph.routesOnly { glyphs[b] = g }
        }
        let unused = PEGlyph.unused(unicode: style.unicode)
        // A cell shows its character over all but a gap column and row, so blocks stay apart.
        let fillWidth = cell.width > 2 ? cell.width - 1 : cell.width
        let fillHeight = cell.height > 1 ? cell.height - 1 : 1
        for by in by0..<(by0 + visibleY) {
            for bx in bx0..<(bx0 + visibleX) {
                let b = by * blocksX + bx
                var content: Cell
                if busiestColor[b] >= 0 {
                    let c = busiestColor[b]
                    content = Cell(glyph(c, style), foreground: style.color ? palette[c % palette.count] : nil, bold: true)
                } else if let g = glyphs[b] {
                    content = Cell(g, bold: g != PEGlyph.routesOnly)
                } else {
                    content = Cell(unused)
                }
                content.inverse = PECoord(bx, by) == cursorBlock
                let row = top + (by - by0) * cell.height, col = (bx - bx0) * cell.width
                for dy in 0..<fillHeight {
                    for dx in 0..<fillWidth {
                        var c = content
                        // Unused blocks show one dot, not a field of them.
                        if content.character == unused && (dx > 0 || dy > 0) { c.character = " " }
                        grid[row + dy, col + dx] = c
                    }
                }
            }
        }
        let note = "\(zoom)x\(zoom) PEs per cell, \(blocksX)x\(blocksY) cells" + (visibleX < blocksX || visibleY < blocksY ? " (scrolls with the cursor)" : "")
        grid.write(note, row: top + min(visibleY * cell.height, rows - 1), column: 0)
    }

    /// In ASCII style, every character below 128: what a Unicode-only text would show is replaced.
    static func asciiOnly(_ grid: ScreenGrid, _ style: ViewStyle) -> ScreenGrid {
        guard !style.unicode else { return grid }
        var grid = grid
        for r in 0..<grid.rows {
            for c in 0..<grid.columns where !(grid[r, c].character.isASCII) {
                grid[r, c].character = ASCIIFallback.character(grid[r, c].character)
            }
        }
        return grid
    }
}

/// ASCII stand-ins for the few non-ASCII characters the shell's texts use (for frames drawn in ASCII).
enum ASCIIFallback {
    static let table: [Character: Character] = [
        "·": ".", "×": "x", "…": "~", "→": ">", "←": "<", "↓": "v", "↑": "^", "↔": "=", "↕": "|", "─": "-", "│": "|",
        "µ": "u", "–": "-", "—": "-", "ε": "e", "Σ": "S", "≤": "<", "≥": ">", "é": "e", "¤": "&",
    ]

    static func character(_ c: Character) -> Character { table[c] ?? "?" }
}
