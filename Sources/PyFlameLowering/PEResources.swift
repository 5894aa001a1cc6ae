import PyFlameIR

/// The queue IDs one fabric operation of a step uses on its PE: the input queue it receives from (a
/// receive, a forward's incoming color) and the output queue it sends through (a send, a forward's
/// outgoing color). A fabric DSD's queue ID is its microthread: operations that run together never share
/// one, and an input and an output queue with the same ID clash.
public struct OperationQueues: Sendable, Equatable, Hashable {
    public var input: Int?
    public var output: Int?

    public init(input: Int? = nil, output: Int? = nil) {
        self.input = input
        self.output = output
    }
}

/// How a PE binds its queues to colors.
public enum QueueBinding: Sendable, Equatable {
    /// Each color the PE receives or sends keeps one queue for the whole program (both chips; WSE-3
    /// binds it at compile time with `@initialize_queue`).
    case perColor
    /// The j-th operation of each step uses the j-th queue, with the color its DSD names: for a PE
    /// that touches more colors than there are queues (WSE-2 only).
    case perStep
}

extension LoweringOptions {
    /// The queue IDs a program's fabric operations use: the ones memcpy leaves free on both chips
    /// (`Architecture.freeInputQueues` of each; 2–7), so a program keeps its queues on either target.
    public static let queueIDs: [Int] = Architecture.allCases.reduce(Array(0..<Architecture.queueCount)) { ids, arch in
        ids.filter(arch.freeInputQueues.contains)
    }

    /// ``queueIDs`` as messages say it: `2–7`.
    public static var queueIDsText: String { "\(queueIDs.first ?? 0)–\(queueIDs.last ?? 0)" }
}

extension Lowering {
    /// Assigns, once, a PE's queue IDs (per fabric operation of every step) and local task IDs (the resume
    /// task that drives its steps and one completion task per operation a step runs at once). `routed`:
    /// the colors routed at the PE, whose IDs a local task may not take on WSE-2 (a wavelet that reaches
    /// the core activates the task whose ID is its color). Throws when the PE cannot get them, so a
    /// program that lowers can always be emitted.
    public static func assignResources(_ program: inout PEProgram, routed: Set<Int>, architecture: Architecture) throws(LoweringError) {
        let pe = program.pe
        // Queues.
        let (binding, queues) = try assignQueues(program, architecture: architecture)
        var concurrent = 0
        for case .fabric(let ops) in program.steps { concurrent = max(concurrent, ops.count) }
        // Local tasks: the resume task first, then one completion task per concurrent operation.
        let taken: Set<Int> = architecture == .wse2 ? routed : []
        let available = LoweringOptions.taskIDs.filter { !taken.contains($0) }
        guard let resume = available.first else {
            throw LoweringError(.noTaskID(pe: pe))
        }
        guard available.count >= concurrent + 1 else {
            throw LoweringError(.taskIDs(pe: pe, needed: concurrent + 1, free: available.count))
        }
        program.taskID = resume
        program.doneTaskIDs = Array(available.dropFirst().prefix(concurrent))
        program.queueBinding = binding
        program.queues = queues
    }
}

extension PEProgram {
    /// True when every fabric operation has its queues and every concurrent operation a completion task,
    /// as ``Lowering/assignResources(_:routed:architecture:)`` leaves it (a program edited after lowering
    /// may not be).
    public var hasResources: Bool {
        guard queues.count == steps.count else { return false }
        for (s, step) in steps.enumerated() {
            guard case .fabric(let ops) = step else { continue }
            guard queues[s].count == ops.count, doneTaskIDs.count >= ops.count else { return false }
            for (op, q) in zip(ops, queues[s]) {
                switch op {
                case .send: if q.output == nil { return false }
                case .receive: if q.input == nil { return false }
                case .forward: if q.input == nil || q.output == nil { return false }
                }
            }
        }
        return true
    }
}
