/// The limits a layout must respect: the program rectangle and the per-PE data budget.
public struct PlacementLimits: Sendable, Equatable {
    public var fabric: FabricSize
    /// Bytes of data a PE may hold (48 KiB − 8 KiB code − 4 KiB stack by default).
    public var peDataBudget: Int

    public static let defaultPEDataBudget = Architecture.defaultPEDataBudget

    public init(fabric: FabricSize, peDataBudget: Int = PlacementLimits.defaultPEDataBudget) {
        self.fabric = fabric
        self.peDataBudget = peDataBudget
    }
}

/// Where an op runs and what each of its PEs must hold: the layout checks behind `on ...` and the
/// `auto` choice. Per-PE bytes count every tile a PE holds for the op (operands and result).
public enum OpPlacement {
    /// The layout the result of a op run on `layout` lives on: a reduction that combines PEs ends on
    /// the block's first row (dim 0) or first column (dim 1), a full reduction on one PE.
    public static func resultLayout(of op: Op, input: TensorType?, on layout: Layout) -> Layout {
        guard case .reduce(_, let dim, _) = op, let input else { return layout }
        guard let dim, let d = input.shape.normalizedDim(dim) else { return .singlePE }
        switch layout {
        case .host, .singlePE: return layout
        case .rowPartition(let n): return d == 0 ? .singlePE : .rowPartition(n)
        case .colPartition(let n):
            let splitDim = input.shape.rank >= 2 ? 1 : 0
            return d == splitDim ? .singlePE : .colPartition(n)
        case .grid(let r, let c): return d == 0 ? .colPartition(c) : .rowPartition(r)
        }
    }

    /// Checks that `op` can run on `layout` with operands of `inputs` and result `result`, and returns
    /// the bytes the busiest PE holds. Throws naming the PE, the bytes and the budget when it does not fit.
    /// An over-budget refusal names a change `check` has accepted: the layout `auto` would pick (one that
    /// also passes `alsoHolds`: the front end's operand moves), and
    /// `set pe_data_budget N` when N is within a PE's memory; with neither, it says so.
    @discardableResult
    public static func check(
        _ op: Op, inputs: [TensorType], result: TensorType, on layout: Layout,
        limits: PlacementLimits, alsoHolds: (Layout) -> Bool = { _ in true }
    ) throws(IRError) -> Int {
        do {
            return try measure(op, inputs: inputs, result: result, on: layout, limits: limits)
        } catch {
            if error.offerLayout {
                let other = try? chooseLayout(
                    for: op, inputs: inputs, inputLayouts: inputs.map { _ in .host }, result: result, limits: limits, alsoHolds: alsoHolds)
                throw IRError("\(error.refusal.message)\(other.map { "; it fits on \($0)" } ?? "")")
            }
            guard let bytes = error.bytesNeeded else { throw error.refusal }
            var changes: [String] = []
            if let other = try? chooseLayout(
                for: op, inputs: inputs, inputLayouts: inputs.map { _ in .host }, result: result, limits: limits, alsoHolds: alsoHolds)
            {
                changes.append("it fits on \(other)")
            }
            if bytes <= Architecture.peMemoryBytes {
                var raised = limits
                raised.peDataBudget = bytes
                if (try? measure(op, inputs: inputs, result: result, on: layout, limits: raised)) != nil {
                    changes.append("`set pe_data_budget \(bytes)` holds it")
                }
            }
            let advice =
                changes.isEmpty
                ? "no layout of fabric \(limits.fabric) holds it within the budget, and a PE holds at most \(Architecture.peMemoryBytes) B"
                : changes.joined(separator: "; or ")
            throw IRError("\(error.refusal.message); \(advice))")
        }
    }

    /// ``check`` without the advice: for a caller that tries its own change (the front end's moves).
    @discardableResult
    public static func checkWithoutAdvice(
        _ op: Op, inputs: [TensorType], result: TensorType, on layout: Layout, limits: PlacementLimits
    ) throws(IRError) -> Int {
        do { return try measure(op, inputs: inputs, result: result, on: layout, limits: limits) } catch {
            throw error.bytesNeeded == nil ? error.refusal : IRError("\(error.refusal.message))")
        }
    }

    /// A refusal of ``measure``: over the budget by `bytesNeeded` (its message left open for the advice), or any other.
    struct Refusal: Error {
        var refusal: IRError
        var bytesNeeded: Int?
        /// The op runs on other layouts, not this one: the advice names the one `auto` picks.
        var offerLayout = false
    }

    /// ``check`` without advice: the bytes the busiest PE holds, or why the layout does not hold the op.
    static func measure(
        _ op: Op, inputs: [TensorType], result: TensorType, on layout: Layout,
        limits: PlacementLimits
    ) throws(Refusal) -> Int {
        do {
            return try measureOrThrow(op, inputs: inputs, result: result, on: layout, limits: limits)
        } catch let error as Refusal {
            throw error
        } catch {
            throw Refusal(refusal: error as? IRError ?? IRError("\(error)"), bytesNeeded: nil)
        }
    }

    private static func measureOrThrow(
        _ op: Op, inputs: [TensorType], result: TensorType, on layout: Layout,
        limits: PlacementLimits
    ) throws -> Int {
        if op.isConstructor {
            guard layout == .host else {
                throw IRError("\(op.name) makes a host tensor; a layout applies to ops that read it (e.g. b = a * 1 on \(layout))")
            }
            return 0
        }
        guard layout != .host else { throw IRError("\(op.name) runs on PEs, not on the host") }
        let (w, h) = layout.blockSize
        if w > limits.fabric.width || h > limits.fabric.height {
            throw IRError(
                "\(layout) needs a block of \(w)x\(h) PEs; fabric \(limits.fabric) has \(limits.fabric.width) columns and \(limits.fabric.height) rows")
        }
        // A @ v lowers on a grid (a matrix-vector product); v @ B and vector @ vector do not.
        if case .matmul = op, case .grid = layout, inputs[0].shape.rank != 2 || !(1...2).contains(inputs[1].shape.rank) {
            throw Refusal(
                refusal: IRError("matmul on \(layout) takes a matrix first (A @ v or A @ B); for v @ B write transpose(B) @ v"),
                offerLayout: true)
        }
        let bytes = try bytesPerPE(op, inputs: inputs, result: result, on: layout)
        if bytes > limits.peDataBudget {
            throw Refusal(
                refusal: IRError("PE (0,0) needs \(bytes) B of data, budget \(limits.peDataBudget) B (\(op.name) on \(layout)"), bytesNeeded: bytes)
        }
        return bytes
    }

    /// Bytes PE (0,0) of the block holds for the op: its tiles are the largest (ceil-sized blocks).
    public static func bytesPerPE(_ op: Op, inputs: [TensorType], result: TensorType, on layout: Layout) throws(IRError) -> Int {
        let origin = PECoord(0, 0)
        switch op {
        case .matmul:
            switch layout {
            case .singlePE:
                return inputs.reduce(result.byteCount) { $0 + $1.byteCount }
            case .grid(let r, let c):
                if inputs[0].shape.rank == 2, inputs[1].shape.rank == 1 {
                    return try matvecBytesPerPE(inputs: inputs, result: result, rows: r, cols: c)
                }
                guard inputs[0].shape.rank == 2, inputs[1].shape.rank == 2 else {
                    throw IRError("matmul on \(layout) takes a matrix first (A @ v or A @ B); for v @ B write transpose(B) @ v")
                }
                // SUMMA tiling: A [M,K] and B [K,N] and C [M,N], rows over r, columns over c.
                let a = try Tiling(inputs[0], on: .grid(rows: r, cols: c))
                let bGrid = try Tiling(inputs[1], on: .grid(rows: r, cols: c))
                let cGrid = try Tiling(result, on: layout)
                let tiles = a.bytes(for: origin) + bGrid.bytes(for: origin) + cGrid.bytes(for: origin)
                return tiles + summaPanelBytes(a: inputs[0], b: inputs[1], tile: cGrid.tile(for: origin), rows: r, cols: c)
            default:
                throw IRError("matmul runs on SinglePE or Grid(r, c), not \(layout)")
            }
        case .reduce:
            let input = try Tiling(inputs[0], on: layout)
            let out = try Tiling(result, on: resultLayout(of: op, input: inputs[0], on: layout))
            return input.bytes(for: origin) + out.bytes(for: origin)
        case .unary, .binary:
            let out = try Tiling(result, on: layout)
            let tile = out.tile(for: origin)
            var bytes = tile.elementCount * result.dtype.byteSize
            for input in inputs {
                bytes += broadcastTileElements(input.shape, resultTile: tile, result: result.shape) * input.dtype.byteSize
            }
            return bytes
        case .transpose, .reshape, .layoutTransform:
            let out = try Tiling(result, on: layout)
            let inputBytes = (try? Tiling(inputs[0], on: layout).bytes(for: origin)) ?? inputs[0].byteCount
            return out.bytes(for: origin) + inputBytes
        case .arange, .ones, .zeros, .full, .randn, .constant, .load:
            return 0
        case .cast, .slice, .concat, .shift:
            return try movementBytesPerPE(op, inputs: inputs, result: result, on: layout)
        }
    }

    /// The receive panels a SUMMA PE holds beside its tiles: K is cut at every A column-block and B
    /// row-block boundary, and a PE receives the longest segment of A (its rows) when the grid has more
    /// than one column and of B (its columns) when it has more than one row.
    static func summaPanelBytes(a: TensorType, b: TensorType, tile: Tile, rows r: Int, cols c: Int) -> Int {
        let longest = SummaSegments(k: a.shape.dims[1], rows: r, cols: c).longest
        let m = tile.ranges[0].count, n = tile.ranges.count > 1 ? tile.ranges[1].count : 1
        return (c > 1 ? m * longest * a.dtype.byteSize : 0) + (r > 1 ? longest * n * b.dtype.byteSize : 0)
    }

    /// Elements of a broadcast operand that a PE needs for its result tile.
    static func broadcastTileElements(_ operand: Shape, resultTile: Tile, result: Shape) -> Int {
        let offset = result.rank - operand.rank
        var n = 1
        for d in 0..<operand.rank {
            n *= operand.dims[d] == 1 ? 1 : resultTile.ranges[d + offset].count
        }
        return n
    }

    /// Resolves `auto`. Among the layouts `check` accepts (per-PE bytes within the budget, block within the
    /// fabric, no empty tile), in this order:
    /// 1. an operand's layout, in operand order: an operand with the op's work shape offers the layout its
    ///    value lives on; a smaller (broadcast) operand offers the layout of the op that made it, the block
    ///    it lives on (`inputLayouts` gives one layout per operand; `operandBlocks`, when given, the block);
    /// 2. `SinglePE`;
    /// 3. for 1-D work the fewest PEs: `RowPartition(n)`, then `ColPartition(n)`;
    ///    for 2-D work and matmul the squarest grid: `Grid(r, c)` with the smallest longer side max(r, c),
    ///    then the fewest PEs, then more rows (see ``squarishGrid``).
    /// A layout must also pass `alsoHolds` (the front end checks there that the operands' moves fit).
    /// Otherwise it throws naming the op, the fabric and the budget.
    public static func chooseLayout(
        for op: Op, inputs: [TensorType], inputLayouts: [Layout], operandBlocks: [Layout]? = nil,
        result: TensorType, limits: PlacementLimits, alsoHolds: (Layout) -> Bool = { _ in true }
    ) throws(IRError) -> Layout {
        func fits(_ layout: Layout) -> Bool {
            (try? measure(op, inputs: inputs, result: result, on: layout, limits: limits)) != nil && alsoHolds(layout)
        }
        if op.isConstructor { return .host }
        let work = workShape(op, inputs: inputs, result: result)
        // 1. The operands' layouts: same-shape operands first (no move at all), then the blocks of broadcast ones.
        for (type, layout) in zip(inputs, inputLayouts) where layout != .host && type.shape == work {
            if fits(layout) { return layout }
        }
        for (k, type) in inputs.enumerated() where type.shape != work {
            let block = operandBlocks.flatMap { k < $0.count ? $0[k] : nil } ?? (k < inputLayouts.count ? inputLayouts[k] : .host)
            if block != .host, fits(block) { return block }
        }
        // 2. One PE.
        if fits(.singlePE) { return .singlePE }
        // 3. More PEs, from the least count whose combined budget could hold the op.
        let bytesNeeded = (try? bytesPerPE(op, inputs: inputs, result: result, on: .singlePE)) ?? Int.max
        let lowerBound = Swift.max(2, bytesNeeded / Swift.max(limits.peDataBudget, 1) + (bytesNeeded % Swift.max(limits.peDataBudget, 1) == 0 ? 0 : 1))
        let isMatmul: Bool
        if case .matmul = op { isMatmul = true } else { isMatmul = false }
        if work.rank == 1 && !isMatmul {
            let most = Swift.min(work.dims[0], limits.fabric.height)
            if lowerBound <= most {
                for n in lowerBound...most where fits(.rowPartition(n)) { return .rowPartition(n) }
            }
            // A fabric wider than tall holds more PEs side by side.
            let widest = Swift.min(work.dims[0], limits.fabric.width)
            if lowerBound <= widest {
                for n in lowerBound...widest where fits(.colPartition(n)) { return .colPartition(n) }
            }
        } else if work.rank == 2 || (isMatmul && work.rank >= 1) {
            let rows = work.dims[0], cols = work.rank > 1 ? work.dims[1] : 1
            if let grid = squarishGrid(rows: rows, cols: cols, from: lowerBound, limits: limits, fits: fits) { return grid }
        }
        throw IRError("\(op.name) on \(result) fits no layout of fabric \(limits.fabric) within the PE data budget of \(limits.peDataBudget) B")
    }

    /// The shape whose tiling decides the layout: the input of a reduction, the matrix of a matrix-vector
    /// product (its grid tiles A, not the vector result), the result otherwise.
    static func workShape(_ op: Op, inputs: [TensorType], result: TensorType) -> Shape {
        if case .reduce = op { return inputs[0].shape }
        if case .matmul = op, inputs.count == 2, inputs[0].shape.rank == 2, inputs[1].shape.rank == 1 { return inputs[0].shape }
        return result.shape
    }

    /// The part counts that split `n` elements with no empty tile: ceil(n / b) for every block length b,
    /// at most `most` (about 2·√n values, ascending).
    static func validParts(_ n: Int, most: Int) -> [Int] {
        var parts = Set<Int>()
        var b = 1
        while b <= n {
            let p = Tiling.ceilingDivision(n, b)
            if p <= most { parts.insert(p) }
            if p == 1 { break }
            // The first block length that gives fewer parts: skip the run of lengths with the same count.
            b = Swift.max(b + 1, Tiling.ceilingDivision(n, p - 1))
        }
        return parts.sorted()
    }

    /// The squarish grid for `auto`: among the grids whose row and column counts leave no tile empty
    /// (``validParts``) and hold at least `lowerBound` PEs, the first that fits in the order: smaller
    /// longer side max(r, c) first (the squarest block), then fewer PEs, then more rows. Every grid that
    /// holds the work is among them, so `auto` refuses only what no grid holds.
    static func squarishGrid(
        rows: Int, cols: Int, from lowerBound: Int, limits: PlacementLimits,
        fits: (Layout) -> Bool
    ) -> Layout? {
        let rowParts = validParts(rows, most: limits.fabric.height), colParts = validParts(cols, most: limits.fabric.width)
        var candidates: [(r: Int, c: Int)] = []
        for r in rowParts { for c in colParts where r * c >= lowerBound { candidates.append((r, c)) } }
        candidates.sort { a, b in
            let sideA = Swift.max(a.r, a.c), sideB = Swift.max(b.r, b.c)
            if sideA != sideB { return sideA < sideB }
            if a.r * a.c != b.r * b.c { return a.r * a.c < b.r * b.c }
            return a.r > b.r
        }
        return candidates.lazy.map { Layout.grid(rows: $0.r, cols: $0.c) }.first(where: fits)
    }
}
