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
    @discardableResult
    public static func check(
        _ op: Op, inputs: [TensorType], result: TensorType, on layout: Layout,
        limits: PlacementLimits
    ) throws(IRError) -> Int {
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
        let bytes = try bytesPerPE(op, inputs: inputs, result: result, on: layout)
        if bytes > limits.peDataBudget {
            throw IRError("PE (0,0) needs \(bytes) B of data, budget \(limits.peDataBudget) B (\(op.name) on \(layout); try more PEs or `set pe_data_budget`)")
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
                return a.bytes(for: origin) + bGrid.bytes(for: origin) + cGrid.bytes(for: origin)
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

    /// Elements of a broadcast operand that a PE needs for its result tile.
    static func broadcastTileElements(_ operand: Shape, resultTile: Tile, result: Shape) -> Int {
        let offset = result.rank - operand.rank
        var n = 1
        for d in 0..<operand.rank {
            n *= operand.dims[d] == 1 ? 1 : resultTile.ranges[d + offset].count
        }
        return n
    }

    /// Resolves `auto`: keeps the first operand layout that fits, otherwise the fewest PEs:
    /// SinglePE, then RowPartition(n) for 1-D work, then the squarest Grid(r, c) for 2-D work.
    public static func chooseLayout(
        for op: Op, inputs: [TensorType], inputLayouts: [Layout], result: TensorType,
        limits: PlacementLimits
    ) throws(IRError) -> Layout {
        func fits(_ layout: Layout) -> Bool {
            (try? check(op, inputs: inputs, result: result, on: layout, limits: limits)) != nil
        }
        if op.isConstructor { return .host }
        for (type, layout) in zip(inputs, inputLayouts) where layout != .host {
            let sameWork = type.shape == workShape(op, inputs: inputs, result: result)
            if sameWork && fits(layout) { return layout }
        }
        if fits(.singlePE) { return .singlePE }
        let work = workShape(op, inputs: inputs, result: result)
        let bytesNeeded = (try? bytesPerPE(op, inputs: inputs, result: result, on: .singlePE)) ?? Int.max
        let lowerBound = Swift.max(2, (bytesNeeded + limits.peDataBudget - 1) / Swift.max(limits.peDataBudget, 1))
        if case .matmul = op {
            if let grid = squarestGrid(rows: work.dims[0], cols: work.dims.count > 1 ? work.dims[1] : 1, from: lowerBound, limits: limits, fits: fits) {
                return grid
            }
        } else if work.rank == 1 {
            let most = Swift.min(work.dims[0], limits.fabric.height)
            if lowerBound <= most {
                for n in lowerBound...most where fits(.rowPartition(n)) { return .rowPartition(n) }
            }
            // A fabric wider than tall holds more PEs side by side.
            let widest = Swift.min(work.dims[0], limits.fabric.width)
            if lowerBound <= widest {
                for n in lowerBound...widest where fits(.colPartition(n)) { return .colPartition(n) }
            }
        } else if work.rank == 2 {
            if let grid = squarestGrid(rows: work.dims[0], cols: work.dims[1], from: lowerBound, limits: limits, fits: fits) {
                return grid
            }
        }
        if case .matmul = op, work.rank >= 1,
            let grid = anyGrid(rows: work.dims[0], cols: work.dims.count > 1 ? work.dims[1] : 1, from: lowerBound, limits: limits, fits: fits)
        {
            return grid
        } else if work.rank == 2, let grid = anyGrid(rows: work.dims[0], cols: work.dims[1], from: lowerBound, limits: limits, fits: fits) {
            return grid
        }
        throw IRError("\(op.name) on \(result) fits no layout of fabric \(limits.fabric) within the PE data budget of \(limits.peDataBudget) B")
    }

    /// The shape whose tiling decides the layout: the input of a reduction, the result otherwise.
    static func workShape(_ op: Op, inputs: [TensorType], result: TensorType) -> Shape {
        if case .reduce = op { return inputs[0].shape }
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

    /// The fallback of the grid search when the squarest grids do not fit: every grid whose row and column
    /// counts leave no tile empty, fewest PEs first, then squarest, then taller; the first that fits.
    /// Any grid that holds the work is among them, so `auto` refuses only what no grid holds.
    private static func anyGrid(
        rows: Int, cols: Int, from lowerBound: Int, limits: PlacementLimits,
        fits: (Layout) -> Bool
    ) -> Layout? {
        let rowParts = validParts(rows, most: limits.fabric.height), colParts = validParts(cols, most: limits.fabric.width)
        var candidates: [(r: Int, c: Int)] = []
        for r in rowParts { for c in colParts where r * c >= lowerBound { candidates.append((r, c)) } }
        candidates.sort { a, b in
            if a.r * a.c != b.r * b.c { return a.r * a.c < b.r * b.c }
            if Swift.abs(a.r - a.c) != Swift.abs(b.r - b.c) { return Swift.abs(a.r - a.c) < Swift.abs(b.r - b.c) }
            return a.r > b.r
        }
        return candidates.lazy.map { Layout.grid(rows: $0.r, cols: $0.c) }.first(where: fits)
    }

    private static func squarestGrid(
        rows: Int, cols: Int, from lowerBound: Int, limits: PlacementLimits,
        fits: (Layout) -> Bool
    ) -> Layout? {
        let maxRows = Swift.min(rows, limits.fabric.height), maxCols = Swift.min(cols, limits.fabric.width)
        guard maxRows * maxCols >= lowerBound, fits(.grid(rows: maxRows, cols: maxCols)) else { return nil }
        for p in lowerBound...(maxRows * maxCols) {
            var best: (Int, Int)?
            var r = 1
            while r * r <= p {
                if p % r == 0 {
                    for (rr, cc) in [(p / r, r), (r, p / r)] where rr <= maxRows && cc <= maxCols {
                        if best == nil || Swift.abs(rr - cc) < Swift.abs(best!.0 - best!.1)
                            || (Swift.abs(rr - cc) == Swift.abs(best!.0 - best!.1) && rr > best!.0)
                        {
                            best = (rr, cc)
                        }
                    }
                }
                r += 1
            }
            if let (rr, cc) = best, fits(.grid(rows: rr, cols: cc)) { return .grid(rows: rr, cols: cc) }
        }
        return nil
    }
}
