/// A delivered wavelet as a core records it: when, on which color, and its 32-bit payload.
public struct Delivery: Sendable, Equatable {
    public var cycle: Int
    public var color: Int
    public var payload: UInt32
}
