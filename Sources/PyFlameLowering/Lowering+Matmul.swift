import PyFlameIR

extension Lowering {
    /// Matmul on one PE (C += A·B over whole operands), or on Grid(r, c) by SUMMA: A [M,K] and B [K,N]
    /// are tiled on the grid like C; K is cut at every A column-block and B row-block boundary, and for
    /// each segment the PEs owning that piece of A multicast it along their rows and those owning that
    /// piece of B multicast it down their columns, then every PE accumulates. Each source column (for A)
    /// and source row (for B) needs a color of its own: r + c colors in all, which SUMMA takes while they
    /// stay within ``matmulColorsPerPE``; beyond, it relays the panels PE to PE (``lowerRelaySumma``).
    mutating func lowerMatmul(_ node: Node) throws(LoweringError) {
        let a = graph[node.inputs[0]]!, b = graph[node.inputs[1]]!
        let location = locations[node.id]!
        let origin = location.origin
        let dtype = node.type.dtype
        switch node.layout {
        case .singlePE:
            let aBuf = try operandBuffers(a.id, layout: .singlePE, origin: origin, consumer: node)[origin]!
            let bBuf = try operandBuffers(b.id, layout: .singlePE, origin: origin, consumer: node)[origin]!
            let m = a.type.shape.rank == 2 ? a.type.shape.dims[0] : 1
            let k = a.type.shape.dims.last!
            let n = b.type.shape.rank == 2 ? b.type.shape.dims[1] : 1
            let c = addBuffer(origin, name: node.name ?? "tmp\(node.id)", dtype: dtype, shape: [m * n], node: node.id)
            addStep(
                origin,
                .compute(
                    .matmulAccumulate(
                        c: BufferAccess(buffer: c, extents: [m, n]), a: BufferAccess(buffer: aBuf, extents: [m, k]),
                        b: BufferAccess(buffer: bBuf, extents: [k, n]), m: m, k: k, n: n)), node: node.id)
            resident[node.id] = [origin: c]
            ops.append(
                LoweredOp(
                    nodes: [node.id], pattern: .matmul(.init(dtype: dtype, m: m, k: k, n: n, grid: nil)), kernel: "matmul_accumulate",
                    algorithm: "single PE: C = A·B with f32 accumulation", layout: .singlePE, origin: origin, tensor: node.type,
                    tileElements: m * n, tileBytes: (m * k + k * n + m * n) * dtype.byteSize, colors: [],
                    fusedOps: []))
        case .grid(let r, let cCount):
            if Self.multicastColors(rows: r, cols: cCount) <= Self.matmulColorsPerPE {
                try lowerSumma(node, a: a, b: b, rows: r, cols: cCount, origin: origin)
            } else {
                try lowerRelaySumma(node, plan: try summaPlan(node, a: a, b: b, rows: r, cols: cCount, origin: origin))
            }
        default:
            throw LoweringError(.matmulLayout(op: describe(node), layout: node.layout))
        }
    }

    /// Colors multicast SUMMA routes at a corner PE of Grid(rows, cols): one per source column along its
    /// row and one per source row down its column (none along an axis of one PE).
    static func multicastColors(rows: Int, cols: Int) -> Int {
        (cols > 1 ? cols : 0) + (rows > 1 ? rows : 0)
    }

    /// What both SUMMA variants share: the tilings, the operands' buffers and the K segments (K cut at
    /// every A column-block and B row-block boundary).
    struct SummaPlan {
        var layout: Layout
        var origin: PECoord
        var rows: Int
        var cols: Int
        var a: Node
        var b: Node
        var aTiling: Tiling
        var bTiling: Tiling
        var cTiling: Tiling
        var aBufs: [PECoord: Int]
        var bBufs: [PECoord: Int]
        var k: Int
        var aBlock: Int
        var bBlock: Int
        var segments: [(Int, Int)]
        var maxSegment: Int
        var label: String
    }

    mutating func summaPlan(_ node: Node, a: Node, b: Node, rows r: Int, cols c: Int, origin: PECoord) throws(LoweringError) -> SummaPlan {
        let layout = node.layout
        let aTiling = try tiling(a.type, layout, node), bTiling = try tiling(b.type, layout, node)
        let cTiling = try tiling(node.type, layout, node)
        let aBufs = try operandBuffers(a.id, layout: layout, origin: origin, consumer: node)
        let bBufs = try operandBuffers(b.id, layout: layout, origin: origin, consumer: node)
        let k = a.type.shape.dims[1]
        let cut = SummaSegments(k: k, rows: r, cols: c)
        let aBlock = cut.aBlock, bBlock = cut.bBlock
        let segments = cut.bounds.map { ($0.start, $0.end) }
        return SummaPlan(
            layout: layout, origin: origin, rows: r, cols: c, a: a, b: b, aTiling: aTiling, bTiling: bTiling, cTiling: cTiling, aBufs: aBufs,
            bBufs: bBufs, k: k, aBlock: aBlock, bBlock: bBlock, segments: segments, maxSegment: segments.map { $0.1 - $0.0 }.max() ?? 0,
            label: node.name ?? "tmp\(node.id)")
    }

    private mutating func lowerSumma(_ node: Node, a: Node, b: Node, rows r: Int, cols c: Int, origin: PECoord) throws(LoweringError) {
        let plan = try summaPlan(node, a: a, b: b, rows: r, cols: c, origin: origin)
        let layout = plan.layout
        let aTiling = plan.aTiling, bTiling = plan.bTiling, cTiling = plan.cTiling
        let k = plan.k, aBlock = plan.aBlock, bBlock = plan.bBlock, segments = plan.segments
        let label = plan.label
        // Colors: one per (row, source column) for A and per (column, source row) for B.
        var aColor: [Int: [Int: ColorID]] = [:]  // [row][source column]
        var bColor: [Int: [Int: ColorID]] = [:]  // [column][source row]
        var used: Set<ColorID> = []
        if c > 1 {
            for y in 0..<r {
                let line = (0..<c).map { global(origin, PECoord($0, y)) }
                for j in 0..<c {
                    let flow = Flow.lineMulticast(
                        source: line[j], line: line,
                        carries: "A panels of \(describe(node)) from column \(j) along row \(y)\(Self.sides(j, of: c, "west", "east"))",
                        label: "\(label)_a\(j)", node: node.id, opName: describe(node))
                    aColor[y, default: [:]][j] = try colors.assign(flow)
                    used.insert(aColor[y]![j]!)
                }
            }
        }
        if r > 1 {
            for x in 0..<c {
                let line = (0..<r).map { global(origin, PECoord(x, $0)) }
                for i in 0..<r {
                    let flow = Flow.lineMulticast(
                        source: line[i], line: line,
                        carries: "B panels of \(describe(node)) from row \(i) along column \(x)\(Self.sides(i, of: r, "north", "south"))",
                        label: "\(label)_b\(i)", node: node.id, opName: describe(node))
                    bColor[x, default: [:]][i] = try colors.assign(flow)
                    used.insert(bColor[x]![i]!)
                }
            }
        }
        var outputs: [PECoord: Int] = [:]
        for local in layout.pes {
            try poll()
            let part = summaPE(plan, local: local, node: node)
            let pe = part.pe
            for (k0, k1) in segments {
                let jA = k0 / aBlock, iB = k0 / bBlock
                var fabricOps: [FabricOperation] = []
                // A piece: local columns of the owner's tile (multicast from it), or the panel received.
                let aPiece = part.aPiece(k0, k1)
                if aPiece.owned {
                    if c > 1 { fabricOps.append(.send(aPiece.access, color: aColor[local.y]![jA]!)) }
                } else {
                    fabricOps.append(.receive(aPiece.access, color: aColor[local.y]![jA]!, combine: .store))
                }
                let bPiece = part.bPiece(k0, k1)
                if bPiece.owned {
                    if r > 1 { fabricOps.append(.send(bPiece.access, color: bColor[local.x]![iB]!)) }
                } else {
                    fabricOps.append(.receive(bPiece.access, color: bColor[local.x]![iB]!, combine: .store))
                }
                if !fabricOps.isEmpty { addFabricSteps(pe, fabricOps, node: node.id) }
                addStep(pe, part.accumulate(aPiece.access, bPiece.access, k0, k1), node: node.id)
            }
            outputs[pe] = part.c
        }
        resident[node.id] = outputs
        let first = PECoord(0, 0)
        let bytes = aTiling.bytes(for: first) + bTiling.bytes(for: first) + cTiling.bytes(for: first)
        ops.append(
            LoweredOp(
                nodes: [node.id],
                pattern: .matmul(
                    .init(
                        dtype: node.type.dtype, m: node.type.shape.dims[0], k: k, n: node.type.shape.dims[1],
                        grid: OpPattern.SummaGrid(rows: r, columns: c, segments: segments.count))),
                kernel: "matmul_accumulate",
                algorithm:
                    "SUMMA on \(layout): \(segments.count) K-segment\(segments.count == 1 ? "" : "s"), A multicast along rows (\(c > 1 ? c : 0) colors), B down columns (\(r > 1 ? r : 0) colors); color budget \(used.count) of \(ColorAllocator.usable)",
                layout: layout, origin: origin, tensor: node.type, tileElements: cTiling.tile(for: first).elementCount, tileBytes: bytes,
                colors: used.sorted(),
                fusedOps: []))
    }

    /// Which ways a multicast from position `i` of a line of `n` goes: ` (south)`, ` (north and south)`.
    static func sides(_ i: Int, of n: Int, _ before: String, _ after: String) -> String {
        let ways = (i > 0 ? [before] : []) + (i < n - 1 ? [after] : [])
        return ways.isEmpty ? "" : " (" + ways.joined(separator: " and ") + ")"
    }
}

/// One PE's part of SUMMA, the same in both variants: its C tile, the panels it receives A and B pieces
/// into (-1 when its row or column is one PE wide), and where each K segment's pieces are.
struct SummaPE {
    let pe: PECoord
    let local: PECoord
    let m: Int, n: Int
    let aPanel: Int, bPanel: Int, c: Int
    /// The PE's own A and B tiles and their row widths.
    let aOwn: Int?, bOwn: Int?
    let aWidth: Int, bWidth: Int
    let aBlock: Int, bBlock: Int

    /// Segment `[k0, k1)`'s A piece: the PE's own columns when it owns them, else its panel.
    func aPiece(_ k0: Int, _ k1: Int) -> (access: BufferAccess, owned: Bool) {
        let seg = k1 - k0, owner = k0 / aBlock
        if owner == local.x, let aOwn {
            return (BufferAccess(buffer: aOwn, offset: k0 - owner * aBlock, extents: [m, seg], strides: [aWidth, 1]), true)
        }
        return (BufferAccess(buffer: aPanel, extents: [m, seg], strides: [seg, 1]), false)
    }

    /// Segment `[k0, k1)`'s B piece: the PE's own rows when it owns them, else its panel.
    func bPiece(_ k0: Int, _ k1: Int) -> (access: BufferAccess, owned: Bool) {
        let seg = k1 - k0, owner = k0 / bBlock
        if owner == local.y, let bOwn {
            return (BufferAccess(buffer: bOwn, offset: (k0 - owner * bBlock) * bWidth, extents: [seg, n], strides: [bWidth, 1]), true)
        }
        return (BufferAccess(buffer: bPanel, extents: [seg, n], strides: [n, 1]), false)
    }

    /// C += A·B over segment `[k0, k1)`.
    func accumulate(_ a: BufferAccess, _ b: BufferAccess, _ k0: Int, _ k1: Int) -> PEStep {
        .compute(.matmulAccumulate(c: BufferAccess(buffer: c, extents: [m, n]), a: a, b: b, m: m, k: k1 - k0, n: n))
    }
}

extension Lowering {
    /// Allocates one PE's SUMMA buffers (panels and C tile) for either variant.
    mutating func summaPE(_ plan: SummaPlan, local: PECoord, node: Node) -> SummaPE {
        let pe = global(plan.origin, local)
        let cTile = plan.cTiling.tile(for: local)
        let m = cTile.ranges[0].count, n = cTile.ranges[1].count
        let aPanel = plan.cols > 1 ? addBuffer(pe, name: "a_panel", dtype: plan.a.type.dtype, shape: [m, plan.maxSegment], node: node.id) : -1
        let bPanel = plan.rows > 1 ? addBuffer(pe, name: "b_panel", dtype: plan.b.type.dtype, shape: [plan.maxSegment, n], node: node.id) : -1
        let c = addBuffer(pe, name: plan.label, dtype: node.type.dtype, shape: [m, n], node: node.id)
        return SummaPE(
            pe: pe, local: local, m: m, n: n, aPanel: aPanel, bPanel: bPanel, c: c, aOwn: plan.aBufs[pe], bOwn: plan.bBufs[pe],
            aWidth: plan.aTiling.tile(for: local).ranges[1].count, bWidth: plan.bTiling.tile(for: local).ranges[1].count,
            aBlock: plan.aBlock, bBlock: plan.bBlock)
    }
}
