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

/// The view's state: the cursor PE, the color shown, the zoom, running or paused and how fast.
public struct FabricViewState: Equatable, Sendable {
    public var cursor: PECoord
    /// Index into the snapshot's colors; the routes of that color are drawn.
    public var colorIndex = 0
    /// PEs per screen cell along each axis; 0 = fit the rectangle to the screen.
    public var zoom = 0
    public var running = false
    /// Simulated cycles per second of wall time while running.
    public var cyclesPerSecond = 100
    /// Cycles owed to the run, in thousandths, carried from tick to tick (speeds below one cycle per tick).
    var credit = 0
    public var showHelp = false

    public init(cursor: PECoord, cyclesPerSecond: Int = 100) {
        self.cursor = cursor
        self.cyclesPerSecond = cyclesPerSecond
    }
}

/// The full-screen fabric view, pure: a frame from a snapshot and a state, and the next state from a key.
public enum FabricView {
    public static let minimumSize = (rows: 10, columns: 40)
    static let palette: [UInt8] = [196, 46, 27, 226, 201, 51, 208, 93, 118, 33, 214, 165, 48, 160, 39, 190, 129, 87, 202, 99, 154, 45, 220, 135]
    /// Shapes only (no arrows, which would read as route directions); every one a single cell wide.
    static let unicodeGlyphs = Array("●◆■◉◈▣○◇□◐◑◒◓◎▤▥▦▧▨▩▪▫◘◙")
    static let asciiGlyphs = Array("abcdefghijklmnopqrstuvwx")

    public static func glyph(_ color: Int, _ style: ViewStyle) -> Character {
        (style.unicode ? unicodeGlyphs : asciiGlyphs)[color % unicodeGlyphs.count]
    }

    /// The run speeds `+` and `-` move between, in cycles per second.
    static let speeds = [
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000,
        200_000, 500_000, 1_000_000,
    ]
    /// How often a running view steps and redraws.
    public static let tickMilliseconds = 50
    /// How long a whole run should take to watch at the starting speed.
    static let runSeconds = 10

    /// The starting speed for a run of about `cycles` cycles (nil: not known): the listed speed closest
    /// to showing the whole run in about ten seconds.
    public static func initialSpeed(forRunOf cycles: Int?) -> Int {
        guard let cycles, cycles > 0 else { return 100 }
        let wanted = max(1, cycles / runSeconds)
        return speeds.min { abs($0 - wanted) < abs($1 - wanted) } ?? 100
    }

    /// The next state for a key, and what the host should do.
    public static func handle(_ key: ViewKey, _ state: FabricViewState, _ snapshot: FabricSnapshot) -> (FabricViewState, ViewAction) {
        var s = state
        let rect = snapshot.rectangle
        func move(_ dx: Int, _ dy: Int) {
            s.cursor = PECoord(
                min(max(s.cursor.x + dx, rect.x), rect.x + rect.width - 1),
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
        case .character("r"):
            s.running = snapshot.hasEnded ? false : !s.running
            s.credit = 0
            return (s, .none)
        case .character("+"), .character("="):
            s.cyclesPerSecond = speeds.first { $0 > s.cyclesPerSecond } ?? s.cyclesPerSecond
        case .character("-"):
            s.cyclesPerSecond = speeds.last { $0 < s.cyclesPerSecond } ?? s.cyclesPerSecond
        case .up, .character("k"): move(0, -1)
        case .down, .character("j"): move(0, 1)
        case .left, .character("h"): move(-1, 0)
        case .right, .character("l"): move(1, 0)
        case .tab: if !snapshot.colors.isEmpty { s.colorIndex = (s.colorIndex + 1) % snapshot.colors.count }
        case .character("z"):
            // Fit, then halve the block size down to one PE per cell, then fit again.
            s.zoom = s.zoom == 1 ? 0 : s.zoom == 0 ? max(1, FrameGeometry.fitZoom(snapshot.rectangle, rows: 19, columns: 40) / 2) : max(1, s.zoom / 2)
        case .character("?"): s.showHelp = true
        case .character("q"), .interrupt: return (s, .quit)
        case .timeout:
            guard s.running else { return (s, .none) }
            if snapshot.hasEnded {
                s.running = false
                return (s, .none)
            }
            s.credit += s.cyclesPerSecond * tickMilliseconds
            let cycles = s.credit / 1000
            s.credit %= 1000
            return (s, cycles > 0 ? .step(cycles) : .none)
        default: break
        }
        return (s, .none)
    }

}
