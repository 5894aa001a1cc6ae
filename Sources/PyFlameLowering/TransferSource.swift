import PyFlameIR

/// What a host transfer carries: an IR value of a lowered program, or the wavelets of the routing
/// playground, which have no IR node (the values its `send` statements queue on a color, and those the
/// simulated fabric delivered to cores on a color).
public enum TransferSource: Hashable, Sendable, CustomStringConvertible {
    /// The value of IR node `NodeID` (a host input, or the program's result).
    case node(NodeID)
    /// The values the playground's `send` statements on a color queue, end to end in statement order.
    case playgroundSends(color: ColorID)
    /// The wavelets the playground's cores received on a color, PE by PE in address order.
    case playgroundReceives(color: ColorID)
    /// The own values the playground's reacting cores send (or combine into what they forward) on a color,
    /// end to end in statement order.
    case playgroundValues(color: ColorID)

    /// The IR node, for a lowered program's transfer.
    public var node: NodeID? {
        if case .node(let id) = self { return id }
        return nil
    }

    /// `%3`, `the wavelets sent on color 0`, `the wavelets received on color 0`.
    public var description: String {
        switch self {
        case .node(let id): return "%\(id)"
        case .playgroundSends(let color): return "the wavelets sent on color \(color)"
        case .playgroundReceives(let color): return "the wavelets received on color \(color)"
        case .playgroundValues(let color): return "the values reacting cores send on color \(color)"
        }
    }
}
