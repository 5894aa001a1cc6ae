import PyFlameIR

/// What the front end reads of a session: the names bound to tensors, where ops may be placed, the host
/// limit on a tensor's elements, and the folder relative file names (`load("w.npy")`) resolve against.
public struct FrontendScope: Sendable {
    /// Tensor names → nodes of the graph being built on.
    public var bindings: [String: NodeID]
    /// The fabric and the PE data budget every layout is checked against.
    public var limits: PlacementLimits
    /// Most elements a tensor may have (the `host_limit` setting).
    public var hostLimit: Int
    /// Relative file names resolve against this folder.
    public var baseDirectory: String

    public init(bindings: [String: NodeID] = [:], limits: PlacementLimits, hostLimit: Int, baseDirectory: String = "") {
        self.bindings = bindings
        self.limits = limits
        self.hostLimit = hostLimit
        self.baseDirectory = baseDirectory
    }

    /// The bound names, sorted (for "did you mean").
    var names: [String] { bindings.keys.sorted() }
}
