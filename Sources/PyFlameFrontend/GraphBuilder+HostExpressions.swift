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
}
