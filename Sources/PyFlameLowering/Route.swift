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
/// several). One per (PE, color) — the `@set_color_config` of the layout file.
public struct RouteConfig: Hashable, Sendable {
    public var pe: PECoord
    public var color: ColorID
    public var rx: DirectionSet
    public var tx: DirectionSet

    public init(pe: PECoord, color: ColorID, rx: DirectionSet, tx: DirectionSet) {
        self.pe = pe
        self.color = color
        self.rx = rx
        self.tx = tx
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
