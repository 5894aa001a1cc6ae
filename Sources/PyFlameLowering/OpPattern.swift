import PyFlameIR

/// What a lowered op does, with its real parameters: the lowering's own description of each op, in
/// back-end-neutral terms. The CSL back end maps each case to its templates and placeholders; `:lower`
/// shows it.
public enum OpPattern: Sendable, Equatable {
    /// A fused chain of elementwise ops on each PE's tile.
    case elementwise(Elementwise)
    /// A reduction along one axis (or all), local or chained over PEs.
    case reduce(Reduce)
    /// A matrix product on one PE, or SUMMA on a grid of PEs.
    case matmul(Matmul)
    /// Data movement: a transpose, reshape or layout transform, local or through the router.
    case layoutTransform(LayoutTransform)

    /// A fused elementwise chain.
    public struct Elementwise: Sendable, Equatable {
        /// The IR ops of the chain in order (`add`, `relu`, ...).
        public var ops: [String]
        /// The fused expression over the inputs `in0`, `in1`, ...
        public var expression: KernelExpression
        public var inputs: Int
        public var dtype: DType
        /// Elements of the result tile of PE (0,0) of the block.
        public var tileElements: Int
        /// The operands whose pieces come through the router (broadcasts from other PEs), by name.
        public var routedOperands: [String]

        public init(ops: [String], expression: KernelExpression, inputs: Int, dtype: DType, tileElements: Int, routedOperands: [String]) {
            self.ops = ops
            self.expression = expression
            self.inputs = inputs
            self.dtype = dtype
            self.tileElements = tileElements
            self.routedOperands = routedOperands
        }
    }

    /// How a reduction's partials travel.
    public enum Chain: String, Sendable, Equatable {
        /// No partial leaves its PE (the reduced axis is not split).
        case local
        /// West along each row to column 0.
        case rows
        /// North along each column to row 0.
        case columns
        /// West along the rows, then north up column 0, ending on one PE.
        case rowsThenColumn = "rows, then column 0"
    }

    /// A reduction.
    public struct Reduce: Sendable, Equatable {
        public var function: ReduceFunction
        /// The reduced axis of the input, nil for a reduction over every element.
        public var axis: Int?
        /// The input's dtype, and the dtype partials accumulate in.
        public var dtype: DType
        public var accumulator: DType
        /// Elements of the input tile of PE (0,0) of the block.
        public var tileElements: Int
        /// Partial results each chained PE passes on (wavelets per hop).
        public var partials: Int
        public var combine: Combine
        public var chain: Chain

        public init(
            function: ReduceFunction, axis: Int?, dtype: DType, accumulator: DType, tileElements: Int, partials: Int, combine: Combine, chain: Chain
        ) {
            self.function = function
            self.axis = axis
            self.dtype = dtype
            self.accumulator = accumulator
            self.tileElements = tileElements
            self.partials = partials
            self.combine = combine
            self.chain = chain
        }
    }

    /// SUMMA's grid: rows and columns of PEs and the K-segments multicast in turn.
    public struct SummaGrid: Sendable, Equatable {
        public var rows: Int
        public var columns: Int
        public var segments: Int

        public init(rows: Int, columns: Int, segments: Int) {
            self.rows = rows
            self.columns = columns
            self.segments = segments
        }
    }

    /// A matrix product C[m×n] = A[m×k] · B[k×n].
    public struct Matmul: Sendable, Equatable {
        public var dtype: DType
        public var m: Int
        public var k: Int
        public var n: Int
        /// nil on one PE.
        public var grid: SummaGrid?
        /// `A @ v` on a grid: no SUMMA; each PE multiplies its tile of A by its piece of v and the partial
        /// sums chain-reduce along each row (``grid`` gives the rows and columns, one segment).
        public var matrixVector: Bool

        public init(dtype: DType, m: Int, k: Int, n: Int, grid: SummaGrid?, matrixVector: Bool = false) {
            self.dtype = dtype
            self.m = m
            self.k = k
            self.n = n
            self.grid = grid
            self.matrixVector = matrixVector
        }
    }

    /// Data movement.
    public struct LayoutTransform: Sendable, Equatable {
        /// The IR op: `transpose`, `reshape` or `layout_transform`.
        public var op: String
        public var dtype: DType
        /// Elements of the destination tile of PE (0,0) of the block.
        public var tileElements: Int
        /// True when every element stays on its PE.
        public var local: Bool
        /// True when PEs also write zeros into part of their tile (the elements a shift moves in).
        public var zeroFill: Bool

        public init(op: String, dtype: DType, tileElements: Int, local: Bool, zeroFill: Bool = false) {
            self.op = op
            self.dtype = dtype
            self.tileElements = tileElements
            self.local = local
            self.zeroFill = zeroFill
        }
    }

    /// The pattern's name in the seed's words (`:lower`'s pattern line).
    public var title: String {
        switch self {
        case .elementwise(let e): return e.routedOperands.isEmpty ? "Elementwise (no communication)" : "Elementwise with operands through the router"
        case .reduce: return "Reduction"
        case .matmul: return "Matmul"
        case .layoutTransform: return "Data Movement"
        }
    }

    /// The case and its parameters as `:lower` shows them:
    /// `elementwise(ops: add+relu, inputs: 2, dtype: f32, tile: 64, expression: relu((in0 + in1)))`.
    public var parameterText: String {
        switch self {
        case .elementwise(let e):
            let routed = e.routedOperands.isEmpty ? "" : ", through the router: \(e.routedOperands.joined(separator: ", "))"
            return
                "elementwise(ops: \(e.ops.joined(separator: "+")), inputs: \(e.inputs), dtype: \(e.dtype.rawValue), tile: \(e.tileElements), expression: \(e.expression)\(routed))"
        case .reduce(let r):
            return
                "reduce(\(r.function.rawValue), axis: \(r.axis.map(String.init) ?? "all"), dtype: \(r.dtype.rawValue), accumulator: \(r.accumulator.rawValue), tile: \(r.tileElements), partials: \(r.partials), combine: \(r.combine.rawValue), chain: \(r.chain.rawValue))"
        case .matmul(let m):
            let grid =
                m.grid.map { g in
                    guard m.matrixVector else { return "SUMMA \(g.rows)x\(g.columns), segments: \(g.segments)" }
                    return "matrix-vector \(g.rows)x\(g.columns), " + (g.columns > 1 ? "partial sums chain-reduced along rows" : "no partial sums to combine")
                } ?? "single PE"
            return "matmul(dtype: \(m.dtype.rawValue), m: \(m.m), k: \(m.k), n: \(m.n), grid: \(grid))"
        case .layoutTransform(let t):
            return
                "layoutTransform(\(t.op), dtype: \(t.dtype.rawValue), tile: \(t.tileElements), \(t.local ? "local" : "through the router")\(t.zeroFill ? ", zeros shifted in" : ""))"
        }
    }
}
