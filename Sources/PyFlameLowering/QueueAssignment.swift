import PyFlameIR

extension Lowering {
    /// The queue IDs of a PE's fabric operations: per step, per operation (``PEProgram/queues``), and how
    /// they bind to colors. Every ID comes from ``LoweringOptions/queueIDs``; a fabric DSD's queue ID is its
    /// microthread, so operations of one step never share an ID (an input and an output queue with the same
    /// ID clash only when they run at once). In order of preference:
    /// 1. one ID per color the PE receives or sends, as input and output queue alike (``queueColors``: the
    ///    k-th color takes the k-th ID), when the colors fit;
    /// 2. input queues (one per color received) and output queues (one per color sent) from separate ID
    ///    spaces, each color keeping its queue for the whole program, when a greedy choice in first-use order
    ///    finds IDs that no two operations of a step share (a PE relaying SUMMA panels receives on four colors
    ///    and sends on four, never in the same step);
    /// 3. on WSE-2, the j-th operation of each step takes the j-th ID (``QueueBinding/perStep``).
    /// WSE-3 binds each queue to its color at compile time, so there a PE that fits neither 1 nor 2 is refused.
    static func assignQueues(_ program: PEProgram, architecture: Architecture) throws(LoweringError) -> (QueueBinding, [[OperationQueues]]) {
        let ids = LoweringOptions.queueIDs
        let colors = program.queueColors
        if colors.count <= ids.count {
            return (.perColor, queues(program) { _, _, color in colors.firstIndex(of: color).map { ids[$0] } })
        }
        if let separate = separateQueues(program, ids: ids) {
            return (.perColor, queues(program) { _, kind, color in separate[QueueUse(kind: kind, color: color)] })
        }
        guard architecture == .wse2 else {
            throw LoweringError(.queueColors(pe: program.pe, colors: colors.count, queues: ids.count))
        }
        var concurrent = 0
        for case .fabric(let ops) in program.steps { concurrent = max(concurrent, ops.count) }
        guard concurrent <= ids.count else {
            throw LoweringError(.queuesPerStep(pe: program.pe, operations: concurrent, queues: ids.count))
        }
        return (.perStep, queues(program) { j, _, _ in ids[j] })
    }

    /// Whether a queue takes wavelets in from a color or sends them out on one.
    enum QueueKind: Hashable { case input, output }

    /// One queue a PE needs when queues are bound per color: the input queue of a color it receives, or
    /// the output queue of a color it sends.
    struct QueueUse: Hashable {
        var kind: QueueKind
        var color: ColorID
    }

    /// The queues of every operation of every step, each from `id(operation index, kind, color)`.
    private static func queues(_ program: PEProgram, _ id: (Int, QueueKind, ColorID) -> Int?) -> [[OperationQueues]] {
        program.steps.map { step in
            guard case .fabric(let ops) = step else { return [] }
            return ops.enumerated().map { j, op in
                switch op {
                case .send(_, let c): OperationQueues(output: id(j, .output, c))
                case .receive(_, let c, _): OperationQueues(input: id(j, .input, c))
                case .forward(_, let from, let to, _): OperationQueues(input: id(j, .input, from), output: id(j, .output, to))
                }
            }
        }
    }

    /// The queues a step's operations use, in operation order.
    static func queueUses(_ ops: [FabricOperation]) -> [QueueUse] {
        ops.flatMap { op -> [QueueUse] in
            switch op {
            case .send(_, let c): [QueueUse(kind: .output, color: c)]
            case .receive(_, let c, _): [QueueUse(kind: .input, color: c)]
            case .forward(_, let from, let to, _): [QueueUse(kind: .input, color: from), QueueUse(kind: .output, color: to)]
            }
        }
    }

    /// Input and output queues from separate ID spaces (rule 2 of ``assignQueues(_:architecture:)``):
    /// greedy in first-use order, each use taking the lowest ID that no other use of its kind holds and no
    /// use running with it in some step holds. Nil when some use finds none.
    static func separateQueues(_ program: PEProgram, ids: [Int]) -> [QueueUse: Int]? {
        var order: [QueueUse] = []
        var together: [QueueUse: Set<QueueUse>] = [:]
        for case .fabric(let ops) in program.steps {
            let uses = queueUses(ops)
            for use in uses {
                if together[use] == nil { order.append(use) }
                together[use, default: []].formUnion(uses.filter { $0 != use })
            }
        }
        var assigned: [QueueUse: Int] = [:]
        var taken: [QueueKind: Set<Int>] = [:]
        for use in order {
            let clashing = Set((together[use] ?? []).compactMap { assigned[$0] })
            guard let id = ids.first(where: { !(taken[use.kind] ?? []).contains($0) && !clashing.contains($0) }) else { return nil }
            assigned[use] = id
            taken[use.kind, default: []].insert(id)
        }
        return assigned
    }
}
