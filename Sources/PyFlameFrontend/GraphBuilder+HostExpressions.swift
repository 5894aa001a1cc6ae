import PyFlameIR

extension GraphBuilder {
    /// Most ops of a host expression recomputed at a reader's layout.
    static let maxRecomputedOps = 16

    /// A value computed only from host tensors by elementwise ops that `auto` placed
    /// (`W = randn([256, 256]) * 0.0625`, no `on LAYOUT`) is
    /// not moved to a reader on another layout: its ops are added again on the reader's layout, reading
    /// the host tensors there (memcpy copies them into that tiling), so the value needs neither a block of
    /// its own nor a re-layout. Returns the recomputed node, or nil when `id` is not such a value or one
    /// of its ops does not fit `layout` (the caller then moves it).
    mutating func recomputeHostExpression(_ id: NodeID, on layout: Layout) -> NodeID? {
        guard layout != .host, let node = graph[id], node.op.isElementwise else { return nil }
        let cone = graph.cone(of: id)
        var ops: [Node] = []
        for member in cone {
            guard let n = graph[member] else { return nil }
            if n.op.isConstructor { continue }
            guard n.op.isElementwise, n.placedByAuto, n.type.shape == node.type.shape, ops.count < GraphBuilder.maxRecomputedOps else { return nil }
            ops.append(n)
        }
        for n in ops {
            let types = n.inputs.map { graph[$0]!.type }
            guard (try? OpPlacement.check(n.op, inputs: types, result: n.type, on: layout, limits: scope.limits)) != nil else { return nil }
        }
        // The cone is in topological order: each op's inputs are constructors or ops copied before it.
        var copies: [NodeID: NodeID] = [:]
        for n in ops {
            let inputs = n.inputs.map { copies[$0] ?? $0 }
            copies[n.id] = graph.add(op: n.op, inputs: inputs, type: n.type, layout: layout, value: n.value)
        }
        return copies[id]
    }

    /// The host tensors an operand computed by `auto`-placed elementwise ops from host tensors reads
    /// (`W = randn([64, 64]) * 0.0625` reads the randn), or [] when the operand is not such a value or has
    /// more than ``maxRecomputedOps`` ops (a walk bounded by that, never the whole graph).
    static func hostExpressionInputs(_ id: NodeID, graph: Graph) -> [NodeID] {
        guard let node = graph[id], node.op.isElementwise, node.placedByAuto else { return [] }
        var hosts: [NodeID] = []
        var seen: Set<NodeID> = [id]
        var pending = [id]
        var ops = 0
        while let next = pending.popLast() {
            guard let n = graph[next] else { return [] }
            if n.op.isConstructor {
                hosts.append(next)
                continue
            }
            ops += 1
            guard n.op.isElementwise, n.placedByAuto, ops <= maxRecomputedOps else { return [] }
            for input in n.inputs where seen.insert(input).inserted { pending.append(input) }
        }
        return hosts
    }

    /// Whether `op` on `layout` still fits when its host-expression operands are computed there: while
    /// such an operand is computed, its host tensors' tiles (`hosts`) are live beside the op's own tiles
    /// (`h = X @ W1` with `W1 = randn(...) * 0.0625` on SinglePE holds X, the randn, W1 and h at once).
    static func hostExpressionsFit(
        _ op: Op, types: [TensorType], hosts: [TensorType], result: TensorType, on layout: Layout, limits: PlacementLimits
    ) -> Bool {
        guard !hosts.isEmpty, let own = try? OpPlacement.bytesPerPE(op, inputs: types, result: result, on: layout) else { return true }
        var extra = 0
        for type in hosts {
            guard let tiling = try? Tiling(type, on: layout) else { continue }
            extra += tiling.bytes(for: PECoord(0, 0))
        }
        return own + extra <= limits.peDataBudget
    }
}
