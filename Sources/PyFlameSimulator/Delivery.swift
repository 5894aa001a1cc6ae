import PyFlameLowering

/// A delivered wavelet as a core records it: when, on which color, and its 32-bit payload; for a control
/// wavelet (`isControl`), the payload holds the control task's entry point and argument.
public struct Delivery: Sendable, Equatable {
    public var cycle: Int
    public var color: Int
    public var payload: UInt32
    public var isControl = false

    /// A control wavelet's control-task entry point, if it names one.
    public var entryPoint: Int? { isControl ? ControlWavelet.entryPoint(ofPayload: payload) : nil }
    /// A control wavelet's 16-bit argument.
    public var argument: UInt16? { isControl ? ControlWavelet.argument(ofPayload: payload) : nil }
}
