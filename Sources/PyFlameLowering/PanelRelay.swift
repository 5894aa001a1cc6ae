import PyFlameIR

extension Lowering {
    /// The most colors a matmul routes at any PE, whatever its grid: SUMMA multicasts its panels (one
    /// color per source row and column) while rows + columns stay within it, and relays them hop by hop
    /// beyond (four colors per axis: two per link direction, alternating by parity).
    public static let matmulColorsPerPE = 8

    /// SUMMA with relayed panels (store and forward), for grids of any size. For each K segment, the PE
    /// of each row owning that piece of A (its root column j) sends it east (to j + 1) and west (to
    /// j - 1); every other PE of the row receives it into its `a_panel` from the root's side, then sends it
    /// on to its neighbour away from the root, if any. B goes the same way down the columns from its root
    /// row. Every hop is a point-to-point flow between neighbours, one per (link, direction); the color
    /// allocator's lowest-free choice gives each link direction two colors alternating by parity (the
    /// checkerboard of Cerebras' gemv-08 tutorial: PE x sends east on E[x % 2] and receives from the west
    /// on E[(x + 1) % 2]). A PE touches at most 8 flows (A: east in and out, west in and out; B: south and
    /// north the same), each on a color of its own there, so at most ``matmulColorsPerPE`` colors per PE.
    ///
    /// Per segment a PE runs one fabric step with its receives (A and/or B), one with its onward sends
    /// (the root sends both ways: up to four), then `matmulAccumulate`.
    ///
    /// Why it cannot deadlock: every flow joins two neighbours, and its sender sends and its receiver
    /// receives the same pieces in the same (segment) order, the same count per piece, so the stream on
    /// each link is matched piece for piece. Every PE runs its segments in order, and within segment s a
    /// PE waits (in its receive step) only for the neighbours one hop nearer A's root column and B's root
    /// row, which send after their own receives of s: the PE owning both pieces of s waits for no one, and
    /// each wait points to a PE strictly nearer it (Manhattan distance), so by induction on the segment
    /// and then on that distance every step of every PE finishes. A piece of a later segment that arrives
    /// early waits on its own color (flow control is per color), blocking no other stream.
    mutating func lowerRelaySumma(_ node: Node, plan: SummaPlan) throws(LoweringError) {
        let r = plan.rows, c = plan.cols, origin = plan.origin, label = plan.label
        let aRoots = Set(plan.segments.map { $0.0 / plan.aBlock }), bRoots = Set(plan.segments.map { $0.0 / plan.bBlock })
        // The flows, in an order that lets the lowest-free choice alternate two colors per link direction:
        // every row east, every row west, every column south, every column north. A flow is made only
        // where some piece passes (east of the westmost root, west of the eastmost).
        var east: [PECoord: ColorID] = [:], west: [PECoord: ColorID] = [:]  // by sending PE (local)
        var south: [PECoord: ColorID] = [:], north: [PECoord: ColorID] = [:]
        var used: Set<ColorID> = []
        var perPE: [PECoord: Set<ColorID>] = [:]
        func hop(_ from: PECoord, _ to: PECoord, _ what: String, _ way: String, _ stem: String) throws(LoweringError) -> ColorID {
            let flow = Flow.pointToPoint(
                from: global(origin, from), to: global(origin, to),
                carries: "\(what) panels of \(describe(node)) relayed \(way), PE to PE", label: "\(label)_\(stem)", node: node.id,
                opName: describe(node))
            let color = try colors.assign(flow)
            used.insert(color)
            perPE[from, default: []].insert(color)
            perPE[to, default: []].insert(color)
            return color
        }
        if c > 1, let first = aRoots.min(), let last = aRoots.max() {
            for y in 0..<r {
                for x in first..<(c - 1) { east[PECoord(x, y)] = try hop(PECoord(x, y), PECoord(x + 1, y), "A", "east", "a_east") }
            }
            for y in 0..<r {
                for x in stride(from: last, to: 0, by: -1) { west[PECoord(x, y)] = try hop(PECoord(x, y), PECoord(x - 1, y), "A", "west", "a_west") }
            }
        }
        if r > 1, let first = bRoots.min(), let last = bRoots.max() {
            for x in 0..<c {
                for y in first..<(r - 1) { south[PECoord(x, y)] = try hop(PECoord(x, y), PECoord(x, y + 1), "B", "south", "b_south") }
            }
            for x in 0..<c {
                for y in stride(from: last, to: 0, by: -1) { north[PECoord(x, y)] = try hop(PECoord(x, y), PECoord(x, y - 1), "B", "north", "b_north") }
            }
        }
        var outputs: [PECoord: Int] = [:]
        for local in plan.layout.pes {
            try poll()
            let part = summaPE(plan, local: local, node: node)
            let pe = part.pe
            for (k0, k1) in plan.segments {
                let jA = k0 / plan.aBlock, iB = k0 / plan.bBlock
                var receives: [FabricOperation] = [], sends: [FabricOperation] = []
                // A: the owner's own columns, sent both ways; elsewhere the panel, received from the root's
                // side and sent on away from it.
                let (aAccess, aOwned) = part.aPiece(k0, k1)
                if aOwned {
                    if let color = east[local] { sends.append(.send(aAccess, color: color)) }
                    if let color = west[local] { sends.append(.send(aAccess, color: color)) }
                } else {
                    let fromWest = jA < local.x
                    let from = fromWest ? east[PECoord(local.x - 1, local.y)] : west[PECoord(local.x + 1, local.y)]
                    receives.append(.receive(aAccess, color: from!, combine: .store))
                    if let color = fromWest ? east[local] : west[local] { sends.append(.send(aAccess, color: color)) }
                }
                let (bAccess, bOwned) = part.bPiece(k0, k1)
                if bOwned {
                    if let color = south[local] { sends.append(.send(bAccess, color: color)) }
                    if let color = north[local] { sends.append(.send(bAccess, color: color)) }
                } else {
                    let fromNorth = iB < local.y
                    let from = fromNorth ? south[PECoord(local.x, local.y - 1)] : north[PECoord(local.x, local.y + 1)]
                    receives.append(.receive(bAccess, color: from!, combine: .store))
                    if let color = fromNorth ? south[local] : north[local] { sends.append(.send(bAccess, color: color)) }
                }
                if !receives.isEmpty { addFabricSteps(pe, receives, node: node.id) }
                if !sends.isEmpty { addFabricSteps(pe, sends, node: node.id) }
                addStep(pe, part.accumulate(aAccess, bAccess, k0, k1), node: node.id)
            }
            outputs[pe] = part.c
        }
        resident[node.id] = outputs
        let first = PECoord(0, 0)
        let bytes = plan.aTiling.bytes(for: first) + plan.bTiling.bytes(for: first) + plan.cTiling.bytes(for: first)
        let most = perPE.values.map(\.count).max() ?? 0
        let count = plan.segments.count
        ops.append(
            LoweredOp(
                nodes: [node.id],
                pattern: .matmul(
                    .init(
                        dtype: node.type.dtype, m: node.type.shape.dims[0], k: plan.k, n: node.type.shape.dims[1],
                        grid: OpPattern.SummaGrid(rows: r, columns: c, segments: count))),
                kernel: "matmul_accumulate",
                algorithm:
                    "SUMMA on \(plan.layout) with relayed panels: \(count) K-segment\(count == 1 ? "" : "s"), each piece passed PE to PE from its owner (A along rows, B down columns, two colors per link direction); \(used.count) colors, at most \(most) at a PE (bound \(Self.matmulColorsPerPE))",
                layout: plan.layout, origin: origin, tensor: node.type, tileElements: plan.cTiling.tile(for: first).elementCount, tileBytes: bytes,
                colors: used.sorted(),
                fusedOps: []))
    }
}
