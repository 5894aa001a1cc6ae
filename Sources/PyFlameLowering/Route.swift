import PyFlameIR

/// A routable color: 0–23 on both architectures; memcpy reserves 21–23 in emitted programs.
public typealias ColorID = Int

/// What a color carries, for `:colors`.
public struct ColorUse: Sendable, Equatable {
    public var id: ColorID
    /// A symbolic name: `c7_reduce_east_0` (op id, pattern, index).
    public var name: String
    /// One line: which op, which data, which direction (the first flow given this color).
    public var carries: String
    /// How many flows share the color (they never meet at a PE).
    public var flows: Int
    /// The IR nodes whose flows use it.
    public var nodes: [NodeID]
}

/// One router configuration: on `color` at `pe`, accept from `rx` and send to `tx` (multicast when
/// several). One per (PE, color) — the `@set_color_config` of the layout file. `rx`/`tx` are the base
/// (switch position 0); `switches`, `filter` and color swap are optional (RouteDynamics.swift).
public struct RouteConfig: Hashable, Sendable {
    public var pe: PECoord
    public var color: ColorID
    public var rx: DirectionSet
    public var tx: DirectionSet
    /// Switch positions that control wavelets move (`.switches`).
    public var switches: RouteSwitches?
    /// A range filter on delivery to this PE's core (`.filter`).
    public var filter: RouteFilter?
    /// `color_swap_x` / `color_swap_y` (WSE-2): a wavelet leaving east or west (north or south) takes the
    /// other color of its even/odd pair (color ^ 1).
    public var colorSwapX: Bool
    public var colorSwapY: Bool

    public init(
        pe: PECoord, color: ColorID, rx: DirectionSet, tx: DirectionSet, switches: RouteSwitches? = nil, filter: RouteFilter? = nil,
        colorSwapX: Bool = false, colorSwapY: Bool = false
    ) {
        self.pe = pe
        self.color = color
        self.rx = rx
        self.tx = tx
        self.switches = switches
        self.filter = filter
        self.colorSwapX = colorSwapX
        self.colorSwapY = colorSwapY
    }
}

/// A (PE, color) pair: where one route of a program is configured.
public struct RouteKey: Hashable, Sendable {
    public var pe: PECoord
    public var color: ColorID

    public init(_ pe: PECoord, _ color: ColorID) {
        self.pe = pe
        self.color = color
    }
}
