import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

/// The routing playground's state: color names, one route per (PE, color), and queued sends, and the
/// program they make (rebuilt by every playground statement; see `Shell.playgroundProgram`).
public struct Playground: Sendable {
    public var colors: [String: Int] = [:]
    public var routes: [RouteConfig] = []
    public var sends: [PlaygroundSend] = []
    /// Reacting cores (`on (x,y) ...`), at most one per PE, in statement order.
    public var reactions: [PlaygroundReaction] = []
    /// Host streams at the edges (`stream in` / `stream out`), in the order memcpy runs them.
    public var hostStreams: [HostStream] = []
    /// The playground as a ``FabricProgram`` for the target, fabric and PE data budget it was built for.
    public var program: FabricProgram?

    public var isEmpty: Bool { routes.isEmpty && sends.isEmpty && reactions.isEmpty && hostStreams.isEmpty }

    /// How each color's payloads read: the kind its sends (or reacting cores' own values) were written in;
    /// a relay passes its input color's kind on, and so does a color swap to the other color of its pair;
    /// integers when none says.
    public var payloadKinds: PayloadKinds {
        var kinds = PayloadKinds()
        // A send of control wavelets only says nothing about how the color's data reads.
        for send in sends where kinds.byColor[send.color] == nil && !(send.hasControl && send.commandWords.allSatisfy({ $0 != 0 })) {
            kinds.byColor[send.color] = send.kind
        }
        for r in reactions {
            if let to = r.to, let kind = r.kind, r.values != nil, kinds.byColor[to] == nil { kinds.byColor[to] = kind }
        }
        // A color swap carries a color's wavelets on as the other color of its pair.
        let swaps = Set(routes.filter { $0.colorSwapX || $0.colorSwapY }.map(\.color))
        // Relays and swaps pass kinds on: at most one new color per round, so 24 rounds reach every color.
        for _ in Architecture.colors {
            var changed = false
            for r in reactions where r.values == nil {
                if let to = r.to, kinds.byColor[to] == nil, let kind = kinds.byColor[r.from] {
                    kinds.byColor[to] = kind
                    changed = true
                }
            }
            for color in swaps where kinds.byColor[color ^ 1] == nil {
                if let kind = kinds.byColor[color] {
                    kinds.byColor[color ^ 1] = kind
                    changed = true
                }
            }
            if !changed { break }
        }
        return kinds
    }

    /// Wavelets put on each color by sends and reacting cores. A relay without a count forwards what its
    /// input color carries (found in at most 25 rounds; relays in a ring have no such number and get what
    /// the rounds reached: write their count).
    public var waveletsByColor: [Int: Int] {
        var fixed: [Int: Int] = [:]
        for send in sends { fixed[send.color, default: 0] += send.values.count }
        for stream in hostStreams where stream.isToDevice { fixed[stream.color, default: 0] += stream.count }
        for r in reactions {
            if let to = r.to, let n = r.fixedCount { fixed[to, default: 0] += n }
        }
        var counts = fixed
        for _ in 0...Architecture.colors.count {
            var next = fixed
            for r in reactions where r.fixedCount == nil {
                if let to = r.to { next[to] = Swift.min((next[to] ?? 0) + (counts[r.from] ?? 0), 1 << 40) }
            }
            if next == counts { break }
            counts = next
        }
        return counts
    }
}

/// One `on (x,y) ...` statement: what the PE's core does with what reaches it.
public struct PlaygroundReaction: Sendable, Equatable {
    public enum Verb: Sendable, Equatable {
        case receive(count: Int)
        /// A relay; `count` nil: every wavelet sent on its input color.
        case forward(count: Int?)
        case chain(Combine)
    }

    public var pe: PECoord
    public var verb: Verb
    public var from: Int
    public var to: Int?
    /// Its own values (a chain's, or `then send blue [..]`); nil: it sends what it received.
    public var values: [UInt32]?
    public var kind: PayloadKind?
    /// The statement as written after `on (x,y) `, normalised (for :pe).
    public var text: String
    /// The command word of each of its own values (0 for data), or empty when all are data.
    public var commandWords: [UInt32] = []

    /// Wavelets it sends, when that does not depend on what others send (a relay without a count does).
    var fixedCount: Int? {
        guard to != nil else { return 0 }
        switch verb {
        case .receive(let n): return values?.count ?? n
        case .forward(let n): return n
        case .chain: return values?.count ?? 0
        }
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
    /// The statement that last assigned each name (a refusal's layout suggestion retypes it).
    public var definitions: [String: Definition] = [:]

    /// The routing playground: named colors, hand-written routes and sends.
    public var playground = Playground()
    /// The playground as it was before each of its last statements, for `:undo` (newest last).
    public var playgroundUndo: [PlaygroundUndo] = []

    /// The CSL project `:open` loaded (Shell+Open.swift).
    public var opened: OpenedProject?

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
