import PyFlameIR

/// What lowering needs besides the graph: the target, the fabric and the PE data budget.
public struct LoweringOptions: Sendable, Equatable {
    public var architecture: Architecture
    public var fabric: FabricSize
    public var peDataBudget: Int

    public init(architecture: Architecture, fabric: FabricSize, peDataBudget: Int) {
        self.architecture = architecture
        self.fabric = fabric
        self.peDataBudget = peDataBudget
    }

    /// Fabric operations one step may run at once. Each needs its own microthread, and a fabric DSD's
    /// queue ID is its microthread (an input and an output queue with the same ID clash): queues 2–7, the
    /// ones the SDK tutorials use beside memcpy on both chips, give six.
    public static let operationsPerStep = 6
    /// Local task IDs free beside memcpy on both chips: every SDK 1.4 task-ID map reserves 21, 22 and 23
    /// (and 27–31) for memcpy. On WSE-2 a PE also loses the IDs of the colors it routes (a wavelet that
    /// reaches the core activates the task whose ID is its color).
    public static let taskIDs: [Int] = Architecture.freeLocalTaskIDs
    /// ``taskIDs`` as messages say it: `8–20 and 24–26`.
    public static let taskIDsText: String = {
        // Runs of consecutive IDs, `a–b`, joined by "and".
        var runs: [(Int, Int)] = []
        for id in taskIDs {
            if let last = runs.last, last.1 + 1 == id { runs[runs.count - 1].1 = id } else { runs.append((id, id)) }
        }
        return runs.map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)–\($0.1)" }.joined(separator: " and ")
    }()
}

/// Lowers a node's cone into a ``FabricProgram``: placement, fusion of elementwise chains, per-PE
/// buffers and task programs, flows with colors and routes, and host transfers.
public struct Lowering {
    let graph: Graph
    let options: LoweringOptions
    var placer: Placer
    var colors = ColorAllocator()
    var pes: [PECoord: PEProgram] = [:]
    /// Buffers holding each value's tile, per PE (resident data).
    var resident: [NodeID: [PECoord: Int]] = [:]
    var locations: [NodeID: Location] = [:]
    /// Host inputs already copied in, keyed by node, layout, origin and how they are tiled.
    var hostInputs: [String: HostTransfer] = [:]
    var hostInputOrder: [String] = []
    /// For each host input transfer, the buffer of each PE's piece (what `hostInputs` holds, indexed).
    var hostPieceBuffers: [String: [PECoord: Int]] = [:]
    var ops: [LoweredOp] = []
    /// Values moved to another block for a reader, by node, layout and origin.
    var relocated: [String: [PECoord: Int]] = [:]
    /// Polled in the loops over PEs (Ctrl-C); true stops the lowering with ``LoweringError/interrupted``.
    let shouldStop: () -> Bool
    /// Polls so far (the check runs on the first and every 256th).
    var polls = 0

    /// Lowers the cone of `result`. `shouldStop` is polled every few hundred PEs; when it returns true the
    /// lowering stops with ``LoweringError/interrupted`` and nothing is returned.
    public static func lower(
        _ graph: Graph, result: NodeID, options: LoweringOptions,
        shouldStop: @escaping () -> Bool = { false }
    ) throws(LoweringError) -> FabricProgram {
        var lowering = Lowering(graph: graph, options: options, placer: Placer(fabric: options.fabric), shouldStop: shouldStop)
        return try lowering.run(result)
    }

    /// Called once per PE of every loop over PEs: throws ``LoweringError/interrupted`` when asked to stop.
    mutating func poll() throws(LoweringError) {
        defer { polls &+= 1 }
        if polls & 0xFF == 0, shouldStop() { throw LoweringError.interrupted }
    }

    private mutating func run(_ result: NodeID) throws(LoweringError) -> FabricProgram {
        guard let apex = graph[result] else { throw LoweringError(.unknownNode(result)) }
        if apex.op.isConstructor {
            throw LoweringError(.hostTensor(op: describe(apex)))
        }
        let cone = graph.cone(of: result)
        let groups = fusionGroups(cone, result: result)
        for group in groups {
            let last = graph[group.last!]!
            try place(group)
            switch last.op {
            case .unary, .binary: try lowerElementwise(group)
            case .reduce: try lowerReduce(last)
            case .matmul: if isMatvec(last) { try lowerMatvec(last) } else { try lowerMatmul(last) }
            case .transpose, .reshape, .layoutTransform: try lowerMovement(last)
            case .cast: try lowerCast(last)
            case .slice, .shift, .concat: try lowerAssembly(last)
            default: throw LoweringError(.noLowering(op: describe(last)))
            }
        }
        guard placer.fits else {
            throw LoweringError(.fabricTooSmall(width: placer.needed.width, height: placer.needed.height, fabric: options.fabric))
        }
        return try finish(result)
    }

    /// `%5 (s) sum` for messages.
    func describe(_ node: Node) -> String {
        "%\(node.id)\(node.name.map { " (\($0))" } ?? "") \(node.op.name)"
    }

    // MARK: - Fusion and placement

    /// Most ops fused into one kernel: a kernel's expression is a tree walked recursively (building,
    /// printing, emitting), so a chain of any length is cut into kernels of at most this many ops.
    static let maxFusedOps = 64

    /// Chains of elementwise ops on one layout become one group: a node joins its only user when both
    /// are elementwise, same shape and same layout, it is not the program's result, and the user's group
    /// has fewer than ``maxFusedOps`` ops.
    private func fusionGroups(_ cone: [NodeID], result: NodeID) -> [[NodeID]] {
        var users: [NodeID: [NodeID]] = [:]
        for id in cone { for input in Set(graph[id]!.inputs) { users[input, default: []].append(id) } }
        var groupOf: [NodeID: NodeID] = [:]  // node → apex of its group
        var groupSize: [NodeID: Int] = [:]  // apex → ops in its group
        for id in cone.reversed() {
            let node = graph[id]!
            guard !node.op.isConstructor else { continue }
            groupOf[id] = id
            if node.op.isElementwise, id != result, let u = users[id], u.count == 1, let user = graph[u[0]],
                user.op.isElementwise, user.layout == node.layout, user.type.shape == node.type.shape,
                user.inputs.filter({ $0 == id }).count == 1, let apex = groupOf[user.id],
                groupSize[apex, default: 1] < Lowering.maxFusedOps
            {
                groupOf[id] = apex
                groupSize[apex, default: 1] += 1
            }
        }
        var groups: [NodeID: [NodeID]] = [:]
        var order: [NodeID] = []
        for id in cone where groupOf[id] != nil {
            let apex = groupOf[id]!
            if groups[apex] == nil { order.append(apex) }
            groups[apex, default: []].append(id)
        }
        // Groups run in the order of their apex (every member precedes its apex topologically).
        let position = Dictionary(uniqueKeysWithValues: cone.enumerated().map { ($1, $0) })
        return order.sorted { position[$0]! < position[$1]! }.map { groups[$0]! }
    }

    /// Places a group's block: where an operand with the same layout already lives, else the block of
    /// an earlier op with that layout, else a new block.
    private mutating func place(_ group: [NodeID]) throws(LoweringError) {
        let last = graph[group.last!]!
        let layout = last.layout
        let members = Set(group)
        var origin: PECoord?
        for id in group {
            for input in graph[id]!.inputs where !members.contains(input) {
                if let loc = locations[input], loc.layout == layout { origin = loc.origin; break }
            }
            if origin != nil { break }
        }
        let at = origin ?? placer.origin(for: layout)
        for id in group {
            let node = graph[id]!
            locations[id] = Location(layout: node.resultLayout, origin: at, type: node.type)
        }
    }

    // MARK: - PE state

    mutating func program(_ pe: PECoord) -> PEProgram {
        pes[pe] ?? PEProgram(pe: pe)
    }

    /// Adds a buffer at `pe`, live from the PE's next step.
    mutating func addBuffer(_ pe: PECoord, name: String, dtype: DType, shape: [Int], node: NodeID, hostInput: Bool = false) -> Int {
        let count = shape.reduce(1, *)
        // In place (no copy of the PE's arrays): every PE of the wafer passes through here.
        return Lowering.addBuffer(&pes[pe, default: PEProgram(pe: pe)], name: name, dtype: dtype, count: count, shape: shape, node: node, hostInput: hostInput)
    }

    private static func addBuffer(_ p: inout PEProgram, name: String, dtype: DType, count: Int, shape: [Int], node: NodeID, hostInput: Bool) -> Int {
        let first = hostInput ? -1 : p.steps.count
        p.buffers.append(Buffer(name: name, dtype: dtype, count: count, shape: shape, firstUse: first, lastUse: first, node: node))
        return p.buffers.count - 1
    }

    /// Appends a step at `pe`, marking the buffers it touches as live through it.
    mutating func addStep(_ pe: PECoord, _ step: PEStep, node: NodeID) {
        Lowering.addStep(&pes[pe, default: PEProgram(pe: pe)], step, node: node)
    }

    private static func addStep(_ p: inout PEProgram, _ step: PEStep, node: NodeID) {
        let index = p.steps.count
        p.steps.append(step)
        p.stepNodes.append(node)
        for b in Lowering.buffers(of: step) where b < p.buffers.count {
            p.buffers[b].lastUse = max(p.buffers[b].lastUse, index)
            p.buffers[b].firstUse = min(p.buffers[b].firstUse, index)
        }
    }

    static func buffers(of step: PEStep) -> [Int] {
        switch step {
        case .compute(let k):
            switch k {
            case .elementwise(let out, let inputs, _, _): return [out.buffer] + inputs.map(\.buffer)
            case .reduce(_, let out, let input, _, _, _, _): return [out.buffer, input.buffer]
            case .scale(let out, _): return [out.buffer]
            case .matmulAccumulate(let c, let a, let b, _, _, _): return [c.buffer, a.buffer, b.buffer]
            case .copy(let out, let input): return [out.buffer, input.buffer]
            }
        case .fabric(let ops):
            return ops.map { op in
                switch op {
                case .send(let a, _), .receive(let a, _, _), .forward(let a, _, _, _): return a.buffer
                }
            }
        }
    }

    /// The buffers holding host tensor `node`'s pieces on the block of `layout` at `origin` (copied in by
    /// memcpy before the program), one per PE: `tile(local)` is the piece of the PE at block coordinate
    /// `local`. A transfer made earlier with the same `key` is reused. The transfer's maps are taken out
    /// once and put back once (a whole wafer has 745,500 pieces).
    mutating func hostBuffers(
        _ node: Node, layout: Layout, origin: PECoord, key: String,
        tile: (PECoord) -> Tile
    ) throws(LoweringError) -> [PECoord: Int] {
        let transferKey = "\(node.id)@\(layout)@\(origin)@\(key)"
        var known = hostPieceBuffers.removeValue(forKey: transferKey) ?? [:]
        let existing = hostInputs.removeValue(forKey: transferKey)
        var transfer = existing ?? HostTransfer(node: node.id, name: node.name ?? "tmp\(node.id)", type: node.type, layout: layout, origin: origin, pieces: [])
        let name = "in_" + (node.name ?? "tmp\(node.id)")
        var result: [PECoord: Int] = [:]
        result.reserveCapacity(layout.pes.count)
        for local in layout.pes {
            try poll()
            let pe = PECoord(origin.x + local.x, origin.y + local.y)
            if let buffer = known[pe] {
                result[pe] = buffer
                continue
            }
            let piece = tile(local)
            let dims = piece.shape.dims
            let buffer = addBuffer(pe, name: name, dtype: node.type.dtype, shape: dims.isEmpty ? [1] : dims, node: node.id, hostInput: true)
            transfer.pieces.append(HostPiece(pe: pe, buffer: buffer, tile: piece))
            known[pe] = buffer
            result[pe] = buffer
        }
        if existing == nil && !transfer.pieces.isEmpty { hostInputOrder.append(transferKey) }
        if existing != nil || !transfer.pieces.isEmpty { hostInputs[transferKey] = transfer }
        hostPieceBuffers[transferKey] = known
        return result
    }

    /// Buffers holding `node`'s tiles of layout `layout` at `origin`, one per PE of the block: resident
    /// data, host copies, or a relocation over the fabric when the value lives elsewhere.
    mutating func operandBuffers(_ id: NodeID, layout: Layout, origin: PECoord, consumer: Node) throws(LoweringError) -> [PECoord: Int] {
        let node = graph[id]!
        if node.op.isConstructor {
            let tiling = try tiling(node.type, layout, consumer)
            return try hostBuffers(node, layout: layout, origin: origin, key: "tile") { tiling.tile(for: $0) }
        }
        guard let loc = locations[id], let buffers = resident[id] else {
            throw LoweringError(.readBeforeLowered(op: describe(node), reader: describe(consumer)))
        }
        if loc.layout == layout && loc.origin == origin { return buffers }
        // Same value, other place: move it (a relocation through the router).
        return try relocate(node, from: loc, to: Location(layout: layout, origin: origin, type: node.type), for: consumer)
    }

    func tiling(_ type: TensorType, _ layout: Layout, _ consumer: Node) throws(LoweringError) -> Tiling {
        do { return try Tiling(type, on: layout) } catch {
            throw LoweringError(.tiling(op: describe(consumer), reason: error.message))
        }
    }

    func global(_ origin: PECoord, _ local: PECoord) -> PECoord { PECoord(origin.x + local.x, origin.y + local.y) }

    /// Fabric operations of one PE, split into steps of at most ``LoweringOptions/operationsPerStep``
    /// operations with no color twice in a step.
    mutating func addFabricSteps(_ pe: PECoord, _ operations: [FabricOperation], node: NodeID) {
        for batch in Lowering.fabricSteps(operations) { addStep(pe, .fabric(batch), node: node) }
    }

    /// The one rule for batching fabric operations into steps (lowered programs and the playground's):
    /// in order, a new step when the current one holds ``LoweringOptions/operationsPerStep`` operations
    /// (one microthread and queue each) or already uses one of the next operation's colors.
    static func fabricSteps(_ operations: [FabricOperation]) -> [[FabricOperation]] {
        var steps: [[FabricOperation]] = []
        var batch: [FabricOperation] = []
        for op in operations {
            let repeatsColor = batch.contains { !Set($0.color).isDisjoint(with: op.color) }
            if !batch.isEmpty && (batch.count == LoweringOptions.operationsPerStep || repeatsColor) {
                steps.append(batch)
                batch = []
            }
            batch.append(op)
        }
        if !batch.isEmpty { steps.append(batch) }
        return steps
    }
}
