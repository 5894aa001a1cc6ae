import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

/// The routing playground's state: color names, one route per (PE, color), and queued sends, and the
/// program they make (rebuilt by every playground statement; see `Shell.playgroundProgram`).
public struct Playground: Sendable {
    public var colors: [String: Int] = [:]
    public var routes: [RouteConfig] = []
    public var sends: [PlaygroundSend] = []
    /// The playground as a ``FabricProgram`` for the target, fabric and PE data budget it was built for.
    public var program: FabricProgram?

    public var isEmpty: Bool { routes.isEmpty && sends.isEmpty }

    /// How each color's payloads read: the kind its sends were written in (integers when none says).
    public var payloadKinds: PayloadKinds {
        var kinds = PayloadKinds()
        for send in sends where kinds.byColor[send.color] == nil { kinds.byColor[send.color] = send.kind }
        return kinds
    }
}

/// Everything a shell session holds: the target and fabric, the settings, the IR graph with its
/// values, the names bound to nodes, and the log of successful statements that `:save` writes.
/// A value type; a statement changes it in place, and one that fails leaves it as it was (the shell removes
/// the nodes a failed build added).
public struct Session: Sendable {
    public var target: Architecture = .wse2
    public var fabric: FabricSize = Architecture.wse2.usableFabric
    /// How the fabric was named (`wse2`, `wse3`) when it was set by name, for the banner and `:status`.
    public var fabricName: String? = "wse2"
    public var settings = Settings()
    public var graph = Graph()
    /// Tensor names → nodes.
    public var bindings: [String: NodeID] = [:]
    /// The last name assigned (what `:pes`, `:colors` and `:routes` show without a NAME).
    public var lastDefined: String?
    /// Statements that changed the session, as typed (for `:save`).
    public var log: [String] = []

    /// The routing playground: named colors, hand-written routes and sends.
    public var playground = Playground()

    public init() {}

    public var limits: PlacementLimits {
        PlacementLimits(fabric: fabric, peDataBudget: settings.peDataBudget)
    }

    /// `fabric wse2 (750x994)` or `fabric 8x8`.
    public var fabricDescription: String {
        fabricName.map { "\($0) (\(fabric))" } ?? fabric.description
    }

    /// Binds `name` to `id`, releasing what the name held before if nothing else uses it.
    public mutating func bind(_ name: String, to id: NodeID) {
        let old = bindings[name]
        bindings[name] = id
        if var node = graph[id], node.name == nil {
            node.name = name
            graph.update(node)
        }
        guard let old, old != id else { return }
        if var node = graph[old], node.name == name {
            node.name = bindings.first(where: { $0.value == old })?.key
            graph.update(node)
        }
        // Only the nodes the walk reaches are looked up among the bound values.
        let bindings = self.bindings
        graph.removeIfUnused(old) { id in bindings.values.contains(id) }
    }

    /// The names bound to tensors, sorted.
    public var names: [String] { bindings.keys.sorted() }
}
