import PyFlameIR

/// What one PE holds and does: its buffers and its task program.
public struct PEProgram: Sendable, Equatable {
    public var pe: PECoord
    /// Index into ``FabricProgram/roles``.
    public var role: Int
    public var buffers: [Buffer]
    public var steps: [PEStep]
    /// The IR node each step computes (same length as `steps`); nil for a step of the routing
    /// playground, which has no IR node.
    public var stepNodes: [NodeID?]
    /// The local task ID of the PE's step machine, its resume task (one task, re-activated as a step's
    /// async operations finish). Assigned by ``Lowering/assignResources(_:routed:architecture:)``.
    public var taskID: Int
    /// The completion task of the k-th operation of a fabric step (one per operation a step runs at once):
    /// it counts the operation as finished and activates the resume task after the last.
    public var doneTaskIDs: [Int] = []
    /// Per step, per fabric operation: its input and output queue IDs (empty for compute steps).
    public var queues: [[OperationQueues]] = []
    /// Whether each color keeps its queue for the whole program, or queues are rebound per step.
    public var queueBinding: QueueBinding = .perColor

    public init(pe: PECoord) {
        self.pe = pe
        self.role = 0
        self.taskID = LoweringOptions.taskIDs[0]
        self.buffers = []
        self.steps = []
        self.stepNodes = []
    }

    /// Bytes of data the PE holds: its ``memoryPlan``'s, where buffers whose live spans do not overlap
    /// share memory. What `:lower` reports, what the `pe_data_budget` check compares, and what the emitted PE
    /// program declares.
    public var peakBytes: Int { memoryPlan.bytes }

    /// The code shape: step kinds and kernel kinds without sizes, colors or offsets. PEs with the same
    /// shape share one PE program file and differ only by parameters.
    /// The buffers and ranks of the accesses are part of it (the code's loop nests), the extents are not.
    public var signature: String {
        // Appended into one string (this runs once per PE: 745,500 times for the whole wafer).
        var out = ""
        out.reserveCapacity(32 * steps.count + 8 * buffers.count)
        for (i, step) in steps.enumerated() {
            if i > 0 { out += ";" }
            switch step {
            case .compute(let k):
                switch k {
                case .elementwise(let o, let inputs, let e, _):
                    out += "ew(" + String(inputs.count) + ":"
                    shape(e, into: &out)
                    out += ":"
                    access(o, into: &out)
                    for input in inputs { out += ","; access(input, into: &out) }
                    out += ")"
                case .reduce(let f, let o, let input, _, _, _, let acc):
                    out += "reduce(" + f.rawValue + "," + (acc ? "true" : "false") + ","
                    access(o, into: &out); out += ","; access(input, into: &out); out += ")"
                case .copy(let o, let input):
                    out += "copy("; access(o, into: &out); out += ","; access(input, into: &out); out += ")"
                case .matmulAccumulate(let c, let a, let b, _, _, _):
                    out += "mm("; access(c, into: &out); out += ","; access(a, into: &out); out += ","; access(b, into: &out); out += ")"
                case .scale(let o, _):
                    out += "scale("; access(o, into: &out); out += ")"
                }
            case .fabric(let ops):
                out += "fabric("
                for (j, op) in ops.enumerated() {
                    if j > 0 { out += "," }
                    switch op {
                    case .send(let a, _): out += "send"; access(a, into: &out)
                    case .receive(let a, _, let c): out += "recv." + c.rawValue; access(a, into: &out)
                    case .forward(let a, _, _, let c): out += "fwd." + c.rawValue; access(a, into: &out)
                    }
                }
                out += ")"
            }
        }
        out += "|"
        for (i, b) in buffers.enumerated() {
            if i > 0 { out += "," }
            out += b.dtype.rawValue
        }
        // The memory plan's slots (one array each in the code): PEs whose buffers share them alike.
        out += "|slots"
        for k in memoryPlan.slotOf { out += " " + String(k) }
        return out
    }

    /// Which of ``queueColors`` each fabric operation receives (`r`) and sends (`t`), in step order
    /// (`r0t1` = receives the first color, sends the second): PEs sharing a program must agree, since the
    /// queue of each color is fixed for the program.
    public var queuePattern: String {
        let colors = queueColors
        var pattern = ""
        for case .fabric(let ops) in steps {
            for op in ops {
                switch op {
                case .send(_, let c): pattern += "t\(colors.firstIndex(of: c)!)"
                case .receive(_, let c, _): pattern += "r\(colors.firstIndex(of: c)!)"
                case .forward(_, let from, let to, _): pattern += "r\(colors.firstIndex(of: from)!)t\(colors.firstIndex(of: to)!)"
                }
            }
            pattern += ";"
        }
        return pattern
    }

    /// Every color the PE's core receives or sends over the whole program, in first-use order: where
    /// each keeps one queue ID (its microthread) for the program, the k-th color's is the k-th ID.
    public var queueColors: [ColorID] {
        var colors: [ColorID] = []
        for case .fabric(let ops) in steps {
            for op in ops { for c in op.color where !colors.contains(c) { colors.append(c) } }
        }
        return colors
    }

    /// An access in a signature: its buffer and rank.
    private func access(_ a: BufferAccess, into out: inout String) {
        out += "b" + String(a.buffer) + "r" + String(a.extents.count)
    }

    private func shape(_ e: KernelExpression, into out: inout String) {
        switch e {
        case .input(let i): out += "i" + String(i)
        case .constant: out += "k"
        case .unary(let f, let a):
            out += f.rawValue + "("; shape(a, into: &out); out += ")"
        case .binary(let f, let a, let b):
            out += f.rawValue + "("; shape(a, into: &out); out += ","; shape(b, into: &out); out += ")"
        }
    }
}

/// A group of PEs that run the same code and differ only by parameters: one PE program file each.
public struct PERole: Sendable, Equatable {
    public var name: String
    public var pes: [PECoord]
    public var signature: String
}

/// A tensor copied between the host and PE buffers (memcpy): for each PE, which buffer holds which
/// tile of the tensor.
public struct HostTransfer: Sendable, Equatable {
    /// What it carries: an IR value, or the playground's wavelets on a color.
    public var source: TransferSource
    public var name: String
    public var type: TensorType
    /// The layout and block origin whose tiles the buffers hold.
    public var layout: Layout
    public var origin: PECoord
    public var pieces: [HostPiece]

    public init(source: TransferSource, name: String, type: TensorType, layout: Layout, origin: PECoord, pieces: [HostPiece]) {
        self.source = source
        self.name = name
        self.type = type
        self.layout = layout
        self.origin = origin
        self.pieces = pieces
    }

    /// A transfer of IR node `node`'s value (a lowered program's host input or result).
    public init(node: NodeID, name: String, type: TensorType, layout: Layout, origin: PECoord, pieces: [HostPiece]) {
        self.init(source: .node(node), name: name, type: type, layout: layout, origin: origin, pieces: pieces)
    }

    /// The IR node whose value it carries (nil for the playground's wavelets).
    public var node: NodeID? { source.node }
}

/// One PE's part of a host transfer.
public struct HostPiece: Sendable, Equatable {
    public var pe: PECoord
    public var buffer: Int
    public var tile: Tile
}

/// One lowered op (or fused chain): what `:lower` shows, with provenance.
public struct LoweredOp: Sendable, Equatable {
    /// The IR nodes it implements (a fused chain has several), last = the result.
    public var nodes: [NodeID]
    /// What the op does, with its typed parameters (the CSL back end maps it to its templates).
    public var pattern: OpPattern
    /// The back-end-neutral kernel kind (`elementwise`, `reduce`, `matmul_accumulate`, `copy`, `copy+fabric`).
    public var kernel: String
    /// How the work moves over the fabric, in words (`local`, `chain reduce west along rows`, `SUMMA ...`).
    public var algorithm: String
    public var layout: Layout
    public var origin: PECoord
    /// The tensor whose tiles the op's PEs hold (the result; the input of a reduction).
    public var tensor: TensorType
    /// Tile of the op's main tensor per PE: elements of the largest tile and bytes per PE.
    public var tileElements: Int
    public var tileBytes: Int
    public var colors: [ColorID]
    public var fusedOps: [String]
}
