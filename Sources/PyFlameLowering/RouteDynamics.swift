import PyFlameIR

// What a route may do beyond a fixed rx/tx (SDK 1.4 `@set_color_config`): switch positions that control
// wavelets move, a range filter on the wavelet index, and color swap; and the wavelets that carry
// control commands. The simulator, the playground and the emitter share these types.

/// One switch position beyond a route's base: it replaces the base rx and/or tx (nil keeps the base's).
public struct SwitchPosition: Hashable, Sendable {
    public var rx: DirectionSet?
    public var tx: DirectionSet?

    public init(rx: DirectionSet? = nil, tx: DirectionSet? = nil) {
        self.rx = rx
        self.tx = tx
    }
}

/// When a router takes the first command off a control wavelet that passes it (`.pop_mode`).
public enum PopMode: String, Hashable, Sendable, CaseIterable {
    /// Never: every later router sees the same command (the default).
    case noPop = "no_pop"
    /// Every control wavelet: the next router sees the next command.
    case alwaysPop = "always_pop"
    /// Only a SWITCH_ADV command (the one that advanced this router's switch).
    case popOnAdvance = "pop_on_advance"
}

/// A route's switch (`.switches`): up to three positions beyond the base (position 0), the position it
/// starts at, whether SWITCH_ADV wraps from the last position to the base, and the pop mode.
public struct RouteSwitches: Hashable, Sendable {
    /// The most positions beyond the base (`pos1` to `pos3`).
    public static let maxPositions = 3

    /// `pos1`, `pos2`, `pos3` (one to three of them).
    public var positions: [SwitchPosition]
    /// `current_switch_pos`: 0 (the base) to `positions.count`.
    public var currentPosition: Int
    /// `ring_mode`: SWITCH_ADV at the last position goes back to the base (otherwise it stays).
    public var ringMode: Bool
    public var popMode: PopMode

    public init(positions: [SwitchPosition], currentPosition: Int = 0, ringMode: Bool = false, popMode: PopMode = .noPop) {
        self.positions = positions
        self.currentPosition = currentPosition
        self.ringMode = ringMode
        self.popMode = popMode
    }
}

/// A range filter (`.filter = .{ .kind = .{ .range = true }, .min_idx, .max_idx }`): a data wavelet whose
/// index (the upper 16 bits of its payload) is outside `minIndex...maxIndex` is not delivered to the PE's
/// own core, but still goes to the route's other outputs. The other filter kinds of SDK 1.4 (counter and
/// sparse-counter filters, which count wavelets rather than read their index) are not modelled: a route
/// cannot express them here, and the playground refuses them.
public struct RouteFilter: Hashable, Sendable {
    public var minIndex: UInt16
    public var maxIndex: UInt16

    public init(minIndex: UInt16, maxIndex: UInt16) {
        self.minIndex = minIndex
        self.maxIndex = maxIndex
    }

    /// Whether a data wavelet with `index` passes to the core.
    public func passes(index: UInt16) -> Bool { index >= minIndex && index <= maxIndex }
}

/// A command a control wavelet carries.
public enum ControlCommand: UInt8, Hashable, Sendable, CaseIterable {
    case nop = 0
    /// SWITCH_ADV: the router's switch goes to its next position.
    case switchAdvance = 1
    /// SWITCH_RST: the router's switch goes back to the base.
    case switchReset = 2
    /// TEARDOWN: the color stops at this router until its core reconfigures it.
    case teardown = 3
}

/// A command and whether the core ignores it (`ce_ignore`: the wavelet is not delivered down the ramp).
public struct ControlItem: Hashable, Sendable {
    public var command: ControlCommand
    public var ceIgnore: Bool

    public init(_ command: ControlCommand, ceIgnore: Bool = false) {
        self.command = command
        self.ceIgnore = ceIgnore
    }
}

/// A control wavelet: one to eight commands (a router acts on the first; popping removes it), and what a
/// core it reaches receives: an optional control-task entry point (0–63) and a 16-bit argument.
///
/// Encoded as a 32-bit payload (`argument` in bits 0–15, the entry point in bits 16–21, bit 22 set when
/// there is one) and a 32-bit command word (4 bits a command, the first in the low bits: bits 0–1 the
/// command, bit 2 `ce_ignore`, bit 3 set for a command present). A data wavelet's command word is 0.
public struct ControlWavelet: Hashable, Sendable {
    public static let maxCommands = 8
    public static let maxEntryPoint = 63

    public var commands: [ControlItem]
    public var entryPoint: Int?
    public var argument: UInt16

    public init(_ commands: [ControlItem], entryPoint: Int? = nil, argument: UInt16 = 0) {
        precondition(!commands.isEmpty && commands.count <= ControlWavelet.maxCommands, "a control wavelet carries 1 to 8 commands")
        precondition(entryPoint.map { (0...ControlWavelet.maxEntryPoint).contains($0) } ?? true, "control task entry points are 0 to 63")
        self.commands = commands
        self.entryPoint = entryPoint
        self.argument = argument
    }

    /// The 32-bit payload: argument and entry point.
    public var payload: UInt32 {
        UInt32(argument) | (entryPoint.map { UInt32($0) << 16 | 1 << 22 } ?? 0)
    }

    /// The command word (never 0).
    public var commandWord: UInt32 {
        var word: UInt32 = 0
        for (k, c) in commands.enumerated() {
            word |= (UInt32(c.command.rawValue) | (c.ceIgnore ? 4 : 0) | 8) << (4 * UInt32(k))
        }
        return word
    }

    /// The entry point a control payload names, if any.
    public static func entryPoint(ofPayload payload: UInt32) -> Int? {
        payload & (1 << 22) != 0 ? Int(payload >> 16 & 0x3F) : nil
    }

    /// The argument of a control payload.
    public static func argument(ofPayload payload: UInt32) -> UInt16 { UInt16(truncatingIfNeeded: payload) }

    /// The first command of a command word (nil for 0: no command left).
    public static func first(of word: UInt32) -> ControlItem? {
        guard word & 8 != 0, let c = ControlCommand(rawValue: UInt8(word & 3)) else { return nil }
        return ControlItem(c, ceIgnore: word & 4 != 0)
    }

    /// The command word without its first command.
    public static func popped(_ word: UInt32) -> UInt32 { word >> 4 }
}

/// A wavelet as a sender puts it on the fabric.
public enum WaveletValue: Hashable, Sendable {
    /// 32 bits of data.
    case data(UInt32)
    /// 16 bits of data and a 16-bit index in the upper half (what range filters read).
    case indexed(index: UInt16, data: UInt16)
    case control(ControlWavelet)

    /// The 32-bit payload.
    public var payload: UInt32 {
        switch self {
        case .data(let v): return v
        case .indexed(let index, let data): return UInt32(index) << 16 | UInt32(data)
        case .control(let c): return c.payload
        }
    }

    /// The command word: 0 for data.
    public var commandWord: UInt32 {
        if case .control(let c) = self { return c.commandWord }
        return 0
    }
}

extension RouteConfig {
    /// Whether the route needs more than a fixed rx/tx (switches, a filter or color swap).
    public var isDynamic: Bool { switches != nil || filter != nil || colorSwapX || colorSwapY }

    /// Position `k`'s rx and tx (0 is the base).
    public func position(_ k: Int) -> (rx: DirectionSet, tx: DirectionSet) {
        guard k > 0, let s = switches, k <= s.positions.count else { return (rx, tx) }
        return (s.positions[k - 1].rx ?? rx, s.positions[k - 1].tx ?? tx)
    }

    /// Every side some position receives from, and every way some position sends.
    public var allRx: DirectionSet { DirectionSet((0...(switches?.positions.count ?? 0)).flatMap { position($0).rx.sorted }) }
    public var allTx: DirectionSet { DirectionSet((0...(switches?.positions.count ?? 0)).flatMap { position($0).tx.sorted }) }

    /// Why this route cannot be configured on `architecture`, or nil when it can: switches on a color
    /// WSE-3 does not allow them on, color swap on WSE-3, a bad switch description.
    public func refusal(on architecture: Architecture) -> String? {
        if let s = switches {
            if s.positions.isEmpty || s.positions.count > RouteSwitches.maxPositions {
                return
                    "the route on color \(color) at \(pe) has \(s.positions.count) switch positions: a switch has 1 to \(RouteSwitches.maxPositions) beyond the base"
            }
            if s.currentPosition < 0 || s.currentPosition > s.positions.count {
                return "the route on color \(color) at \(pe) starts at switch position \(s.currentPosition), but it has positions 0 to \(s.positions.count)"
            }
            if !architecture.switchColors.contains(color) {
                return
                    "the route on color \(color) at \(pe) has switches, but \(architecture.rawValue) allows switches only on colors \(architecture.switchColorsText)"
            }
        }
        if let f = filter, f.minIndex > f.maxIndex {
            return "the route on color \(color) at \(pe) filters indices \(f.minIndex)..\(f.maxIndex): the range is empty"
        }
        if (colorSwapX || colorSwapY) && !architecture.allowsColorSwap {
            return "the route on color \(color) at \(pe) swaps colors, but color swap exists only on wse2"
        }
        return nil
    }
}
