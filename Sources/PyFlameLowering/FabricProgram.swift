import PyFlameIR

/// The single source of truth after lowering: where every op runs, what each PE holds and does, the
/// colors and routes, and the host transfers. The CSL emitter renders it, the simulator runs it and
/// the views draw it; nothing downstream re-derives placement, colors or routes.
public struct FabricProgram: Sendable, Equatable {
    public var architecture: Architecture
    public var fabric: FabricSize
    /// The bounding box of every PE the program uses.
    public var rectangle: PERect
    public var peDataBudget: Int
    /// The node the program computes (the cone's apex); nil for the routing playground's program.
    public var result: NodeID?
    public var ops: [LoweredOp]
    /// PE programs in address order (row by row).
    public var pes: [PEProgram] {
        didSet { peIndex = FabricProgram.index(pes) }
    }
    public var roles: [PERole]
    public var colors: [ColorUse]
    /// One per (PE, color), sorted by color, then PE address.
    public var routes: [RouteConfig]
    /// The IR nodes whose data each route carries: which op a route belongs to (`:lower` lists an op's own).
    public var routeNodes: [RouteKey: [NodeID]] = [:]
    public var hostInputs: [HostTransfer]
    public var hostOutputs: [HostTransfer]
    /// The playground's control wavelets: per color, the command word of every value its `sent_` host
    /// input holds (0 for data), end to end like that input; absent for a color that sends only data.
    public var playgroundCommandWords: [ColorID: [UInt32]] = [:]
    /// The playground's reacting cores that send control wavelets among their own values (`on (x,y) receive
    /// N red then send ctl [advance ignore]`): per (PE, color sent on), every own value's command word (0 for data).
    public var playgroundCoreCommandWords: [RouteKey: [UInt32]] = [:]
    /// The playground's host streams (`stream in` / `stream out`), in the order memcpy runs them.
    public var playgroundHostStreams: [HostStream] = []
    /// PE → its index in ``pes``: every per-PE look-up is a hash look-up, not a search (a whole wafer
    /// has 745,500 PEs). Rebuilt whenever `pes` is replaced.
    public private(set) var peIndex: [PECoord: Int]

    public init(
        architecture: Architecture, fabric: FabricSize, rectangle: PERect, peDataBudget: Int, result: NodeID?,
        ops: [LoweredOp], pes: [PEProgram], roles: [PERole], colors: [ColorUse], routes: [RouteConfig],
        routeNodes: [RouteKey: [NodeID]] = [:], hostInputs: [HostTransfer], hostOutputs: [HostTransfer]
    ) {
        self.architecture = architecture
        self.fabric = fabric
        self.rectangle = rectangle
        self.peDataBudget = peDataBudget
        self.result = result
        self.ops = ops
        self.pes = pes
        self.roles = roles
        self.colors = colors
        self.routes = routes
        self.routeNodes = routeNodes
        self.hostInputs = hostInputs
        self.hostOutputs = hostOutputs
        self.peIndex = FabricProgram.index(pes)
    }

    /// PEs of the rectangle that run no program: they only route wavelets (the emitter gives them one
    /// program file, `pe_idle.csl`).
    public var routingOnlyPECount: Int {
        let (w, h) = (rectangle.width, rectangle.height)
        let inside = pes.filter { $0.pe.x >= rectangle.x && $0.pe.x < rectangle.x + w && $0.pe.y >= rectangle.y && $0.pe.y < rectangle.y + h }
        return Swift.max(0, w * h - inside.count)
    }

    /// The PE program files `:emit` writes for a lowered program: one per role, and one for the PEs that
    /// only route (the playground's control wavelets may split a role further).
    public var programFileCount: Int { roles.count + (routingOnlyPECount > 0 ? 1 : 0) }

    /// Whether this is the routing playground's program (hand-written routes and sends, no IR node).
    public var isPlayground: Bool { result == nil }

    /// The program of `pe`, or nil when the PE runs nothing (it may still route).
    public func program(at pe: PECoord) -> PEProgram? {
        guard let i = peIndex[pe], i < pes.count, pes[i].pe == pe else { return nil }
        return pes[i]
    }

    private static func index(_ pes: [PEProgram]) -> [PECoord: Int] {
        var index = [PECoord: Int](minimumCapacity: pes.count)
        for (i, p) in pes.enumerated() { index[p.pe] = i }
        return index
    }

    public static func == (a: FabricProgram, b: FabricProgram) -> Bool {
        a.architecture == b.architecture && a.fabric == b.fabric && a.rectangle == b.rectangle && a.peDataBudget == b.peDataBudget
            && a.result == b.result && a.ops == b.ops && a.pes == b.pes && a.roles == b.roles && a.colors == b.colors
            && a.routes == b.routes && a.hostInputs == b.hostInputs && a.hostOutputs == b.hostOutputs
    }
}
