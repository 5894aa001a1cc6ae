import PyFlameIR

/// Why a program cannot be lowered: a ``Kind`` naming the op, the PE or the color, and what would fit. The
/// message the user reads is rendered from the kind, here and nowhere else.
public struct LoweringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, with the values the message names. `op` is an op as messages spell it:
    /// `%5 (s) sum`.
    public enum Kind: Equatable, Sendable {
        /// The lowering was asked to stop (Ctrl-C) before it finished.
        case interrupted
        /// The result node is not in the graph.
        case unknownNode(NodeID)
        /// The result is a host tensor: nothing runs on the fabric.
        case hostTensor(op: String)
        /// An op kind (or an op on a layout) the lowering has no pattern for.
        case noLowering(op: String)
        case matmulLayout(op: String, layout: Layout)
        /// A SUMMA matmul on `Grid(rows, cols)` needs `rows + cols` colors, over the budget.
        case matmulColors(op: String, layout: Layout, rows: Int, cols: Int)
        /// The color allocator found no free color for a flow through `pe`, which already routes `routed`.
        case colorBudget(op: String, pe: PECoord, routed: Int, carries: String)
        /// The placed blocks need a larger fabric.
        case fabricTooSmall(width: Int, height: Int, fabric: FabricSize)
        /// A PE's data is over the budget (the largest buffer named when known).
        case peData(pe: PECoord, bytes: Int, budget: Int, largest: LargestBuffer?, advice: String = LoweringError.spreadAdvice)
        /// Every free local task ID is taken by a color the PE routes (WSE-2).
        case noTaskID(pe: PECoord)
        /// A PE needs more local task IDs (resume + one per concurrent operation) than are free.
        case taskIDs(pe: PECoord, needed: Int, free: Int)
        /// WSE-3: a PE uses more colors than it has queues (each queue is bound to one color).
        case queueColors(pe: PECoord, colors: Int, queues: Int)
        /// A step runs more fabric operations at once than there are queues.
        case queuesPerStep(pe: PECoord, operations: Int, queues: Int)
        /// A tensor cannot be tiled on the op's layout.
        case tiling(op: String, reason: String)
        /// The playground sends several times on one color from one PE.
        case playgroundSends(pe: PECoord, count: Int, color: String)
        /// A playground PE sends and receives on one color.
        case playgroundSendAndReceive(pe: PECoord, color: String, received: Int)
        /// An order the lowering keeps broke (an op read before it was lowered): a bug, named.
        case notLowered(op: String)
        case readBeforeLowered(op: String, reader: String)
        case broadcastBeforeLowered(op: String, reader: String)
        case noBuffers(op: String, reader: String)
    }

    /// The largest buffer of a PE over its data budget, for the message.
    public struct LargestBuffer: Equatable, Sendable {
        public var name: String
        public var bytes: Int
        /// The op that owns it, as messages spell it.
        public var owner: String

        public init(name: String, bytes: Int, owner: String) {
            self.name = name
            self.bytes = bytes
            self.owner = owner
        }
    }

    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    /// A lowered program's PE over its data budget gets no advice here: the shell adds a change it has
    /// tried and that lowers (``LoweringAdvice``). The playground gives its own.
    public static let spreadAdvice = ""

    /// The lowering was asked to stop (Ctrl-C) before it finished.
    public static let interrupted = LoweringError(.interrupted)

    public var description: String { message }

    /// The message, rendered from the kind.
    public var message: String {
        switch kind {
        case .interrupted:
            return "interrupted: the lowering was stopped before it finished"
        case .unknownNode(let id):
            return "no node %\(id)"
        case .hostTensor(let op):
            return "\(op) is a host tensor: there is nothing to run on the fabric (lower an op that reads it)"
        case .noLowering(let op):
            return "\(op) has no lowering"
        case .matmulLayout(let op, let layout):
            return "\(op) on \(layout) has no lowering: matmul runs on SinglePE or Grid(r, c)"
        case .matmulColors(let op, let layout, let r, let c):
            let usable = Architecture.programColorCount
            return
                "\(op) on \(layout) needs \(r + c) colors (\(c) to multicast A along rows, \(r) to multicast B down columns); the budget is \(usable) (\(Architecture.programColorsText); memcpy reserves \(Architecture.memcpyColorsText))"
        case .colorBudget(let op, let pe, let routed, let carries):
            return
                "\(op) needs more colors than the budget of \(Architecture.programColorCount) (\(Architecture.programColorsText); memcpy reserves \(Architecture.memcpyColorsText)): no color is free on every PE of the route that carries \(carries)"
                + (routed >= Architecture.programColorCount
                    ? " (PE \(pe) already routes all \(routed))" : " (PE \(pe) routes \(routed) of them, other PEs on the route the rest)")
        case .fabricTooSmall(let width, let height, let fabric):
            return "the program needs a fabric of at least \(width)x\(height) PEs; fabric is \(fabric)"
        case .peData(let pe, let bytes, let budget, nil, _):
            return "PE \(pe) needs \(bytes) B of data, budget \(budget) B"
        case .peData(let pe, let bytes, let budget, let largest?, let advice):
            return
                "PE \(pe) needs \(bytes) B of data, budget \(budget) B (largest buffer \(largest.name), \(largest.bytes) B, for \(largest.owner))\(advice.isEmpty ? "" : "; \(advice)")"
        case .noTaskID(let pe):
            return
                "PE \(pe) has no free local task ID: \(LoweringOptions.taskIDsText) are all taken by colors it routes (memcpy reserves \(Architecture.memcpyTaskIDs.lowerBound)–\(Architecture.memcpyTaskIDs.upperBound))"
        case .taskIDs(let pe, let needed, let free):
            return
                "PE \(pe) needs \(needed) local task IDs; only \(free) of \(LoweringOptions.taskIDsText) are free beside the colors it routes (memcpy reserves \(Architecture.memcpyTaskIDs.lowerBound)–\(Architecture.memcpyTaskIDs.upperBound))"
        case .queueColors(let pe, let colors, let queues):
            return
                "PE \(pe) sends or receives on \(colors) colors; WSE-3 binds each queue to one color for the whole program, and queues \(LoweringOptions.queueIDsText) allow \(queues) (WSE-2 can rebind them per step)"
        case .queuesPerStep(let pe, let operations, let queues):
            return "PE \(pe) runs \(operations) fabric operations in one step; queues \(LoweringOptions.queueIDsText) allow \(queues)"
        case .tiling(let op, let reason):
            return "\(op): \(reason)"
        case .playgroundSends(let pe, let count, let color):
            return
                "\(pe) has \(count) sends on color \(color): one emitted send program streams one buffer per color, so several sends on one color and PE are not emitted; write them as one send"
        case .playgroundSendAndReceive(let pe, let color, let received):
            return
                "\(pe) sends on color \(color) and also receives it (\(received) wavelet\(received == 1 ? "" : "s")): a PE program sends all before it receives on one color, and stalls once more come back than its queues hold, while the simulated core takes them as they come; use another color for the way back"
        case .notLowered(let op):
            return "\(op) was not lowered"
        case .readBeforeLowered(let op, let reader):
            return "\(op) has not been lowered before \(reader) reads it"
        case .broadcastBeforeLowered(let op, let reader):
            return "\(op) has not been lowered before \(reader)"
        case .noBuffers(let op, let reader):
            return "\(op) has no buffers for \(reader)"
        }
    }
}
