import CNCurses
import CTermShim
import Glibc
import PyFlameIR
import PyFlameViews

/// The only code that talks to ncurses: paints a ``ScreenGrid`` and reads keys as ``ViewKey``s.
/// Opened around the view only (newterm, never initscr, which exits on an unknown TERM); libedit
/// works again after ``end()``.
public final class CursesScreen {
    private let screen: OpaquePointer
    public let hasColor: Bool
    private var pairs: [Int: Int16] = [:]
    private var ended = false

    /// Whether the full-screen view can run here: both ends a terminal, TERM set and not dumb.
    public static var isUsable: Bool {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return false }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty, term != "dumb" else { return false }
        return true
    }

    /// Whether the locale's character set is UTF-8 (Unicode arrows and glyphs), else ASCII.
    public static var localeIsUTF8: Bool {
        setlocale(LC_ALL, "")
        return pfs_locale_is_utf8() != 0
    }

    public init?(wantColor: Bool) {
        guard CursesScreen.isUsable else { return nil }
        setlocale(LC_ALL, "")
        guard let screen = newterm(nil, pfs_stdout(), pfs_stdin()) else { return nil }
        self.screen = screen
        if wantColor && has_colors() {
            start_color()
            use_default_colors()
        }
        // 24 wavelet colors must stay apart: 256 colors or none (then glyphs carry the difference).
        hasColor = wantColor && has_colors() && pfs_colors() >= 256
        cbreak()
        noecho()
        keypad(pfs_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
    }

    deinit { end() }

    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
        delscreen(screen)
    }

    public var size: (rows: Int, columns: Int) {
        var rows: Int32 = 0, columns: Int32 = 0
        pfs_getmaxyx(pfs_stdscr(), &rows, &columns)
        return (Int(rows), Int(columns))
    }

    private func pair(_ foreground: UInt8?, _ background: UInt8?) -> Int16 {
        let key = Int(foreground.map { Int($0) } ?? -1) * 1000 + Int(background.map { Int($0) } ?? -1)
        if let p = pairs[key] { return p }
        let p = Int16(pairs.count + 1)
        init_pair(p, Int16(foreground.map { Int16($0) } ?? -1), Int16(background.map { Int16($0) } ?? -1))
        pairs[key] = p
        return p
    }

    public func draw(_ grid: ScreenGrid) {
        werase(pfs_stdscr())
        for r in 0..<grid.rows {
            for c in 0..<grid.columns {
                let cell = grid[r, c]
                if cell.character == " " && cell.background == nil && !cell.inverse { continue }
                var attributes = pfs_a_normal()
                if cell.bold { attributes |= pfs_a_bold() }
                if cell.inverse { attributes |= pfs_a_reverse() }
                if hasColor && (cell.foreground != nil || cell.background != nil) {
                    attributes |= pfs_color_pair(Int32(pair(cell.foreground, cell.background)))
                }
                attrset(Int32(bitPattern: attributes))
                mvaddstr(Int32(r), Int32(c), String(cell.character))
            }
        }
        attrset(Int32(bitPattern: pfs_a_normal()))
        refresh()
    }

    /// Waits up to `milliseconds` for a key. Ctrl-C (SIGINT, which cbreak keeps) reads as `.interrupt`.
    public func readKey(milliseconds: Int32) -> ViewKey {
        wtimeout(pfs_stdscr(), milliseconds)
        let code = wgetch(pfs_stdscr())
        if Interrupts.take() { return .interrupt }
        switch code {
        case ERR: return .timeout
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_RESIZE: return .resize
        case 9: return .tab
        case 3: return .interrupt
        default:
            guard code > 0, code < 0x110000, let scalar = Unicode.Scalar(UInt32(code)) else { return .timeout }
            return .character(Character(scalar))
        }
    }
}

/// The fabric view's loop: draw, read a key, let the pure model decide, step the simulation.
public enum FabricViewRunner {
    public static func run(
        snapshot: () -> FabricSnapshot?, panel: (PECoord) -> [String], step: (Int) -> String?,
        wantColor: Bool, unicode: Bool, cyclesPerSecond: Int
    ) -> String? {
        guard let first = snapshot(), let screen = CursesScreen(wantColor: wantColor) else {
            return "the full-screen view cannot start on this terminal; :view --frame prints one frame as text"
        }
        defer { screen.end() }
        let style = ViewStyle(color: screen.hasColor, unicode: unicode)
        var state = FabricViewState(cursor: PECoord(first.rectangle.x, first.rectangle.y), cyclesPerSecond: cyclesPerSecond)
        var current = first
        var message: String?
        while true {
            let (rows, columns) = screen.size
            var grid = FabricView.render(current, state, rows: rows, columns: columns, style: style, panel: panel(state.cursor))
            if let message, rows > 2 {
                // Over the legend's row: clear it first.
                grid.write(String(repeating: " ", count: columns), row: rows - 2, column: 0)
                grid.write(String(message.prefix(columns)), row: rows - 2, column: 0, bold: true)
            }
            screen.draw(grid)
            let key = screen.readKey(milliseconds: state.running ? Int32(FabricView.tickMilliseconds) : Int32(250))
            let (next, action) = FabricView.handle(key, state, current)
            state = next
            switch action {
            case .quit: return nil
            case .step(let n):
                if let error = step(n) {
                    message = error
                    state.running = false
                }
            case .none: break
            }
            current = snapshot() ?? current
        }
    }
}
