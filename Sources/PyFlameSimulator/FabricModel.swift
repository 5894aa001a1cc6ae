import PyFlameIR

/// The timing parameters of the fabric model (docs/fabric-model.md). Every number is a named setting with
/// its documented default; `set NAME VALUE` changes it for the next `:sim`.
public struct FabricModel: Sendable, Equatable {
    /// Cycles for a wavelet to cross one link (the link has this many pipeline stages per color).
    public var hopLatency = 2
    /// Cycles from a core onto its router, and from the router into the core.
    public var rampLatency = 2
    /// Router buffer per color per input, in wavelets (beyond the link's pipeline stages).
    public var bufferDepth = 2
    /// Cycles before an async send's first wavelet.
    public var sendStartup = 7
    /// Cycles to set up a DSD operation (every compute step pays it once).
    public var dsdSetup = 16
    /// Cycles per element of host <-> PE copies (0: free).
    public var hostTransferCost = 0
    /// Cycles without progress before a stall, deadlock or livelock is reported.
    public var stallLimit = 10_000
    /// Wavelets a playground core consumes per cycle (0 stops consumption, to watch backpressure).
    public var sinkRate = 1
    /// Cycles per element for transcendental functions and division (our documented defaults).
    public var functionCosts: [CostedFunction: Int] = Dictionary(uniqueKeysWithValues: CostedFunction.allCases.map { ($0, $0.defaultCycles) })
    /// Cycles per multiply-accumulate of a matmul: f32 and integers 2 (our default), f16/bf16 0.25 (four lanes).
    public var macCyclesF32 = 2.0
    public var macCycles16Bit = 0.25
    public var macCyclesInteger = 2.0
    public var architecture: Architecture = .wse2
    /// Whether `pop_on_advance` pops a SWITCH_ADV that finds its switch at the last position without ring
    /// mode (the switch does not move). The SDK docs say "pop on advance" without that case; we pop (the
    /// command is a SWITCH_ADV), and false keeps it on the wavelet.
    public var popOnAdvanceAtLastPosition = true
    /// Wavelets memcpy's border holds for a host stream to the device beyond what is in the fabric: the
    /// stream finishes (and the next host transfer may start) once no more than this many are left to enter.
    /// Not public; 0 as `pipeline-01` builds memcpy (`--width-west-buf=0 --width-east-buf=0`, no buffer columns).
    public var hostInBuffer = 0
    /// Wavelets memcpy's border takes for a host stream to the host before its turn comes (0: none, as above).
    public var hostOutBuffer = 0

    /// The functions with a per-element cost of their own (every other op costs one cycle per element).
    public enum CostedFunction: String, CaseIterable, Sendable {
        case exp, tanh, sigmoid, gelu, silu, sqrt, div

        /// Our defaults (no public per-element figures exist for these on the CE).
        public var defaultCycles: Int {
            switch self {
            case .exp: return 20
            case .tanh, .sigmoid, .silu: return 24
            case .gelu: return 32
            case .sqrt: return 12
            case .div: return 8
            }
        }
    }

    public init() {}

    /// CE input queue depths (words) of queues 0–7: the architecture's.
    public var queueDepths: [Int] { architecture.inputQueueDepths }

    /// The input queues a program may use: the architecture's.
    public var freeQueues: [Int] { architecture.freeInputQueues }
}
