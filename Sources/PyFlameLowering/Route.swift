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

    public init(id: ColorID, name: String, carries: String, flows: Int, nodes: [NodeID]) {
        self.id = id
        self.name = name
        self.carries = carries
        self.flows = flows
        self.nodes = nodes
    }
}

/// One router configuration: on `color` at `pe`, accept from `rx` and send to `tx` (multicast when
/// several). One per (PE, color) — the `@set_color_config` of the layout file. `rx`/`tx` are the base
/// (switch position 0); `switches`, `filter` and color swap are optional (RouteDynamics.swift).
public struct RouteConfig: Hashable, Sendable {
    public var pe: PECoord
    public var color: ColorID
    public var rx: DirectionSet
    public var tx: DirectionSet
    /// Switches, filter and color swap, boxed (nil when the route has none): a wafer holds millions of
    /// routes, and few have any, so each route pays one reference for them.
    private var extras: RouteExtras?

    /// Switch positions that control wavelets move (`.switches`).
    public var switches: RouteSwitches? {
        get { extras?.value.switches }
        set { change { $0.switches = newValue } }
    }
    /// A range filter on delivery to this PE's core (`.filter`).
    public var filter: RouteFilter? {
        get { extras?.value.filter }
        set { change { $0.filter = newValue } }
    }
    /// `color_swap_x` / `color_swap_y` (WSE-2): a wavelet leaving east or west (north or south) takes the
    /// other color of its even/odd pair (color ^ 1).
    public var colorSwapX: Bool {
        get { extras?.value.colorSwapX ?? false }
        set { change { $0.colorSwapX = newValue } }
    }
    public var colorSwapY: Bool {
        get { extras?.value.colorSwapY ?? false }
        set { change { $0.colorSwapY = newValue } }
    }

    public init(
        pe: PECoord, color: ColorID, rx: DirectionSet, tx: DirectionSet, switches: RouteSwitches? = nil, filter: RouteFilter? = nil,
        colorSwapX: Bool = false, colorSwapY: Bool = false
    ) {
        self.pe = pe
        self.color = color
        self.rx = rx
        self.tx = tx
        let value = RouteExtras.Value(switches: switches, filter: filter, colorSwapX: colorSwapX, colorSwapY: colorSwapY)
        extras = value.isEmpty ? nil : RouteExtras(value)
    }

    private mutating func change(_ body: (inout RouteExtras.Value) -> Void) {
        var value = extras?.value ?? RouteExtras.Value()
        body(&value)
        extras = value.isEmpty ? nil : RouteExtras(value)
    }
}

/// A route's switches, filter and color swap, in an immutable box (`RouteConfig.extras`).
final class RouteExtras: Hashable, Sendable {
    struct Value: Hashable, Sendable {
        var switches: RouteSwitches?
        var filter: RouteFilter?
        var colorSwapX = false
        var colorSwapY = false

        var isEmpty: Bool { switches == nil && filter == nil && !colorSwapX && !colorSwapY }
    }

    let value: Value

    init(_ value: Value) { self.value = value }

    static func == (a: RouteExtras, b: RouteExtras) -> Bool { a.value == b.value }
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
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
