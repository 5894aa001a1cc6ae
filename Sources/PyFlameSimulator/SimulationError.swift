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
