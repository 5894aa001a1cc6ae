import PyFlameIR

extension Lowering {
    /// An op as a refusal names it to the user: `%5 (s) sum` for a named op; for an op the user wrote only
    /// inside an expression (`randn(...)` in `W1 = randn(...) * 0.0625`), the op and the named op that reads
    /// it: `the randn that %2 (W1) mul reads`.
    func ownerName(_ id: NodeID) -> String {
        guard let node = graph[id] else { return "%\(id)" }
        if node.name != nil { return describe(node) }
        // The nearest reader with a name, up the chain of readers (iterative: no recursion on user data).
        var frontier = [id], seen: Set<NodeID> = [id]
        while !frontier.isEmpty {
            let current = Set(frontier)
            var next: [NodeID] = []
            for reader in graph.nodes.values.sorted(by: { $0.id < $1.id }) where !seen.contains(reader.id) {
                guard reader.inputs.contains(where: { current.contains($0) }) else { continue }
                if reader.name != nil { return "the \(node.op.name) that \(describe(reader)) reads" }
                seen.insert(reader.id)
                next.append(reader.id)
            }
            frontier = next
        }
        return describe(node)
    }
}
