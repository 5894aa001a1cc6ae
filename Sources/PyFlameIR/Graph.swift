/// A node's identity in the graph: `%3` in `:graph`.
public typealias NodeID = Int

/// One operation of the IR: what it computes, from which nodes, its type, where it runs and where its
/// result lives, and its reference value once evaluated.
public struct Node: Sendable {
    public let id: NodeID
    /// The name the user bound it to (nil for intermediates and rebound names).
    public var name: String?
    public var op: Op
    public var inputs: [NodeID]
    public var type: TensorType
    /// Where the op's work is spread (for a reduction or matmul, how its inputs are tiled).
    public var layout: Layout
    /// Where its result lives (differs from `layout` for reductions that combine PEs).
    public var resultLayout: Layout
    /// The reference evaluator's value.
    public var value: TensorValue?
    /// Whether `auto` chose `layout` (no `on LAYOUT` placed it): such a value computed on the host may be
    /// recomputed at a reader's layout instead of moved.
    public var placedByAuto = false

    public init(
        id: NodeID, name: String? = nil, op: Op, inputs: [NodeID], type: TensorType,
        layout: Layout, resultLayout: Layout? = nil, value: TensorValue? = nil
    ) {
        self.id = id
        self.name = name
        self.op = op
        self.inputs = inputs
        self.type = type
        self.layout = layout
        self.resultLayout = resultLayout ?? layout
        self.value = value
    }
}

/// The IR graph: nodes by id. A value type, so a statement builds on a copy and the session keeps the
/// old graph if anything fails ("nothing half-defined").
public struct Graph: Sendable {
    public private(set) var nodes: [NodeID: Node] = [:]
    public private(set) var nextID: NodeID = 0
    /// How many nodes read each node (absent: none), so a rebinding finds an unused value without
    /// scanning the graph.
    private var userCounts: [NodeID: Int] = [:]

    public init() {}

    public var count: Int { nodes.count }
    public subscript(id: NodeID) -> Node? { nodes[id] }

    /// Adds a node with the next id and returns the id.
    @discardableResult
    public mutating func add(
        name: String? = nil, op: Op, inputs: [NodeID], type: TensorType,
        layout: Layout, resultLayout: Layout? = nil, value: TensorValue? = nil
    ) -> NodeID {
        let id = nextID
        nextID += 1
        nodes[id] = Node(
            id: id, name: name, op: op, inputs: inputs, type: type, layout: layout,
            resultLayout: resultLayout, value: value)
        count(usersOf: inputs, by: 1)
        return id
    }

    public mutating func update(_ node: Node) {
        if let old = nodes[node.id], old.inputs != node.inputs {
            count(usersOf: old.inputs, by: -1)
            count(usersOf: node.inputs, by: 1)
        } else if nodes[node.id] == nil {
            count(usersOf: node.inputs, by: 1)
        }
        nodes[node.id] = node
    }

    /// Removes node `id` (whatever reads it).
    private mutating func remove(_ id: NodeID) {
        guard let node = nodes.removeValue(forKey: id) else { return }
        count(usersOf: node.inputs, by: -1)
    }

    private mutating func count(usersOf inputs: [NodeID], by delta: Int) {
        for (k, input) in inputs.enumerated() where !inputs[..<k].contains(input) {
            let n = (userCounts[input] ?? 0) + delta
            userCounts[input] = n > 0 ? n : nil
        }
    }

    /// Whether any node reads `id`.
    public func hasUsers(_ id: NodeID) -> Bool { userCounts[id] != nil }

    /// Removes the nodes added since `nextID` was `mark` and gives their ids back: undoes a statement's
    /// additions in the time they took, without keeping a copy of the graph.
    public mutating func removeNodes(addedSince mark: NodeID) {
        guard mark < nextID else { return }
        for id in mark..<nextID { remove(id) }
        nextID = mark
    }

    /// Nodes that read `id`.
    public func users(of id: NodeID) -> [NodeID] {
        nodes.values.filter { $0.inputs.contains(id) }.map(\.id).sorted()
    }

    /// Removes `id` if nothing reads it and no name in `bound` holds it, then does the same for its inputs
    /// (iteratively): what a rebinding leaves behind when the old value was never used.
    public mutating func removeIfUnused(_ id: NodeID, keeping bound: Set<NodeID> = []) {
        removeIfUnused(id) { bound.contains($0) }
    }

    /// ``removeIfUnused(_:keeping:)`` with a test for the nodes to keep (each node's users are counted, so
    /// this takes time in what it removes, not in the size of the graph).
    public mutating func removeIfUnused(_ id: NodeID, keeping isBound: (NodeID) -> Bool) {
        var work = [id]
        while let next = work.popLast() {
            guard let node = nodes[next], !hasUsers(next), !isBound(next) else { continue }
            remove(next)
            work.append(contentsOf: node.inputs)
        }
    }

    /// Every node in topological order (inputs before users), ties broken by id. Kahn's algorithm,
    /// iterative, so a graph of any depth sorts without recursion.
    public func topologicalOrder() -> [NodeID] {
        topologicalOrder(of: Set(nodes.keys))
    }

    /// The nodes of `subset` in topological order (edges from outside the subset are ignored).
    public func topologicalOrder(of subset: Set<NodeID>) -> [NodeID] {
        var pending: [NodeID: Int] = [:]
        var users: [NodeID: [NodeID]] = [:]
        for id in subset {
            guard let node = nodes[id] else { continue }
            let inputs = Set(node.inputs).filter { subset.contains($0) && nodes[$0] != nil }
            pending[id] = inputs.count
            for input in inputs { users[input, default: []].append(id) }
        }
        var ready = MinHeap(pending.filter { $0.value == 0 }.map(\.key))
        var order: [NodeID] = []
        order.reserveCapacity(pending.count)
        while let id = ready.pop() {
            order.append(id)
            for user in users[id] ?? [] {
                pending[user]! -= 1
                if pending[user] == 0 { ready.push(user) }
            }
        }
        return order
    }

    /// The cone of `id`: the node and everything it depends on, in topological order (sorted on its
    /// own, so the cost follows the cone, not the graph).
    public func cone(of id: NodeID) -> [NodeID] {
        var seen: Set<NodeID> = []
        var stack = [id]
        while let next = stack.popLast() {
            guard nodes[next] != nil, seen.insert(next).inserted else { continue }
            stack.append(contentsOf: nodes[next]!.inputs)
        }
        return topologicalOrder(of: seen)
    }
}

/// A small binary min-heap of node ids (the ready set of the topological sort).
struct MinHeap {
    private var items: [Int] = []

    init(_ values: [Int]) { for v in values { push(v) } }

    mutating func push(_ value: Int) {
        items.append(value)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent] <= items[i] { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < items.count, items[l] < items[smallest] { smallest = l }
                if r < items.count, items[r] < items[smallest] { smallest = r }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
        return top
    }
}
