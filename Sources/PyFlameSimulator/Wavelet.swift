/// A delivered wavelet as a core records it: when, on which color, and its 32-bit payload.
public struct Delivery: Sendable, Equatable {
    public var cycle: Int
    public var color: Int
    public var payload: UInt32
}

/// Something the simulation refuses to do silently.
public struct SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case unrouted, wrongDirection, race, deadlock, livelock, stall, starvation, leavesFabric, program
    }

    public var kind: Kind
    public var message: String
    public var cycle: Int

    public var description: String { message }
}

/// The state of a link direction in the SDK GUI's vocabulary.
public enum LinkState: String, Sendable {
    case active = "Active", delayed = "Delayed", backpressure = "Backpressure"
}
