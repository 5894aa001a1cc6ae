/// The wafer generation whose rules apply, and every hardware fact and reserved resource of it: the one
/// place each is written (docs/architecture.md has the table; a test fails when another module spells
/// one of these numbers). Each fact names its source.
public enum Architecture: String, Sendable, CaseIterable {
    case wse2, wse3

    // MARK: - Colors

    /// Routable colors on both generations: 0–23 (SDK docs, "Colors").
    public static let colorCount = 24
    /// Every color ID a route may name.
    public static let colors: ClosedRange<Int> = 0...(colorCount - 1)
    /// The colors memcpy takes in every project that imports it: 21, 22 and 23 (the SDK 1.4 examples'
    /// task-ID maps and `<memcpy/get_params>`).
    public static let memcpyColors: ClosedRange<Int> = 21...23
    /// Colors a program may give its own flows (0–20).
    public static let programColorCount = memcpyColors.lowerBound
    /// How the color ranges read in messages: `0–23`, `21–23`, `0–20`.
    public static let colorsText = "\(colors.lowerBound)–\(colors.upperBound)"
    public static let memcpyColorsText = "\(memcpyColors.lowerBound)–\(memcpyColors.upperBound)"
    public static let programColorsText = "0–\(programColorCount - 1)"

    /// The colors a route may have switches on: every color on WSE-2; on WSE-3 only 0–9, 12, 13, 16, 17,
    /// 20 and 21 (SDK 1.4 docs, `@set_color_config` "switches").
    public var switchColors: Set<Int> {
        switch self {
        case .wse2: return Set(Architecture.colors)
        case .wse3: return Set(Array(0...9) + [12, 13, 16, 17, 20, 21])
        }
    }

    /// How `switchColors` reads in messages.
    public var switchColorsText: String {
        switch self {
        case .wse2: return Architecture.colorsText
        case .wse3: return "0–9, 12, 13, 16, 17, 20 and 21"
        }
    }

    /// Whether routes may swap colors (`color_swap_x`/`_y`): WSE-2 only (SDK 1.4 `topic-14-color-swap`).
    public var allowsColorSwap: Bool { self == .wse2 }

    // MARK: - Tasks

    /// Local task IDs a program may bind beside memcpy: 8–20 and 24–26 (memcpy reserves 21–23; 0–7 are
    /// the data task IDs of its queues and colors). On WSE-2 a PE also may not use the ID of a color its
    /// routes deliver to its core (a wavelet of that color activates the task with that ID).
    public static let freeLocalTaskIDs: [Int] = Array(8...20) + Array(24...26)
    /// The local task IDs memcpy reserves.
    public static let memcpyTaskIDs: ClosedRange<Int> = 21...23

    // MARK: - Queues

    /// Input and output queues per PE (0–7).
    public static let queueCount = 8

    /// Depth in words of each input queue 0–7 (SDK docs, "Fabric Queues").
    public var inputQueueDepths: [Int] {
        switch self {
        case .wse2: return [6, 6, 4, 4, 2, 2, 2, 2]
        case .wse3: return [8, 8, 4, 4, 4, 4, 4, 4]
        }
    }

    /// The input queues a program's receives may use: memcpy takes queue 0 on WSE-2, 0 and 1 on WSE-3.
    public var freeInputQueues: [Int] {
        switch self {
        case .wse2: return Array(1..<Architecture.queueCount)
        case .wse3: return Array(2..<Architecture.queueCount)
        }
    }

    // MARK: - Memory

    /// A PE's memory: 48 KiB on both generations.
    public static let peMemoryBytes = 48 * 1024
    /// The data a PE may hold by default: its memory less 8 KiB of code and 4 KiB of stack (our budget).
    public static let defaultPEDataBudget = peMemoryBytes - 8 * 1024 - 4 * 1024

    // MARK: - The fabric

    /// The usable program rectangle of the real wafer (memcpy's border excluded).
    public var usableFabric: FabricSize {
        switch self {
        case .wse2: return FabricSize(width: 750, height: 994)
        case .wse3: return FabricSize(width: 755, height: 1170)
        }
    }

    /// What memcpy adds around a program rectangle in `cslc --fabric-dims` and `--fabric-offsets`: 7 columns
    /// (4 on the west, 3 on the east) and 2 rows (1 above, 1 below); the rectangle starts at (4, 1).
    public static let memcpyBorder = (extraWidth: 7, extraHeight: 2, offsetX: 4, offsetY: 1)
}
