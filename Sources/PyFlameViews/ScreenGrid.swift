/// One character cell of a screen: a character and its style. Colors are xterm-256 indices (nil: the
/// terminal's default).
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var foreground: UInt8?
    public var background: UInt8?
    public var bold: Bool
    public var inverse: Bool

    public init(_ character: Character = " ", foreground: UInt8? = nil, background: UInt8? = nil, bold: Bool = false, inverse: Bool = false) {
        self.character = character
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.inverse = inverse
    }
}

/// A screen as rows of styled cells: what the curses adapter paints, and what tests compare as text.
public struct ScreenGrid: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public private(set) var cells: [Cell]

    public init(rows: Int, columns: Int) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        cells = [Cell](repeating: Cell(), count: self.rows * self.columns)
    }

    public subscript(row: Int, column: Int) -> Cell {
        get { cells[row * columns + column] }
        set { if row >= 0 && row < rows && column >= 0 && column < columns { cells[row * columns + column] = newValue } }
    }

    /// Writes `text` from (row, column), clipped at the right edge.
    public mutating func write(
        _ text: String, row: Int, column: Int, foreground: UInt8? = nil, background: UInt8? = nil,
        bold: Bool = false, inverse: Bool = false
    ) {
        guard row >= 0 && row < rows else { return }
        var c = column
        for ch in text {
            if c >= columns { break }
            if c >= 0 { self[row, c] = Cell(ch, foreground: foreground, background: background, bold: bold, inverse: inverse) }
            c += 1
        }
    }

    /// The characters, one line per row, trailing spaces removed.
    public func plainText() -> String {
        (0..<rows).map { r in
            var line = String((0..<columns).map { cells[r * columns + $0].character })
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// A mask of the styles, for snapshot tests of colors: per cell `.` plain, `b` bold, `r` inverse,
    /// or the color index's last hex digit.
    public func styleMask() -> String {
        (0..<rows).map { r in
            String(
                (0..<columns).map { c -> Character in
                    let cell = cells[r * columns + c]
                    if cell.inverse { return "r" }
                    if let f = cell.foreground { return Character(String(f % 16, radix: 16)) }
                    return cell.bold ? "b" : "."
                })
        }.joined(separator: "\n")
    }
}
