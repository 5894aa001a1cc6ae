import PyFlameIR

/// One contiguous-or-strided piece of a data movement: elements of a source PE's buffer that land,
/// in order, in a destination PE's buffer.
struct MovementPiece {
    var source: PECoord
    var destination: PECoord
    var sourceAccess: BufferAccess
    var destinationAccess: BufferAccess
}

extension Lowering {
    /// Transpose, reshape and layout_transform: every element of the result tile of each PE is found in
    /// the source's tiling; pieces that stay on a PE are local copies, the rest travel through the
    /// router, one flow (and color) per (source PE, destination PE) pair, or relayed through the cores in
    /// a constant number of colors when those flows would crowd a PE (``move(_:from:to:map:for:kind:pieces:)``).
    mutating func lowerMovement(_ node: Node) throws(LoweringError) {
        let input = graph[node.inputs[0]]!
        let to = locations[node.id]!
        let map: ([Int]) -> [Int]
        switch node.op {
        case .transpose(let d0, let d1):
            let rank = input.type.shape.rank
            if rank >= 2, let x = input.type.shape.normalizedDim(d0), let y = input.type.shape.normalizedDim(d1) {
                map = { index in
                    var s = index; s.swapAt(x, y); return s
                }
            } else {
                map = { $0 }
            }
        case .reshape:
            let outStrides = node.type.shape.strides, inShape = input.type.shape
            let inStrides = inShape.strides
            map = { index in
                var flat = 0
                for d in 0..<index.count { flat += index[d] * outStrides[d] }
                return (0..<inShape.rank).map { d in
                    let v = flat / inStrides[d]
                    flat -= v * inStrides[d]
                    return v
                }
            }
        default:
            map = { $0 }
        }
        let from: Location
        if input.op.isConstructor {
            // A host tensor is copied into the destination block in its own tiling when it fits there.
            let layout = (try? Tiling(input.type, on: node.layout)) != nil ? node.layout : .singlePE
            from = Location(layout: layout, origin: to.origin, type: input.type)
            // Exactly the tile copies (not the broadcast pieces an elementwise op may have copied to
            // the same block: those hold other elements).
            resident[input.id] = try operandBuffers(input.id, layout: layout, origin: to.origin, consumer: node)
        } else {
            guard let loc = locations[input.id] else { throw LoweringError(.notLowered(op: describe(input))) }
            from = loc
        }
        let kind: String =
            switch node.op {
            case .transpose: "transpose"
            case .reshape: "reshape"
            default: "layout transform"
            }
        let moved = try move(input, from: from, to: to, map: map, for: node, kind: kind)
        let local = moved.local
        resident[node.id] = moved.buffers
        let dstTiling = try tiling(node.type, node.layout, node)
        ops.append(
            LoweredOp(
                nodes: [node.id],
                pattern: .layoutTransform(
                    .init(op: node.op.name, dtype: node.type.dtype, tileElements: dstTiling.tile(for: PECoord(0, 0)).elementCount, local: local)),
                kernel: local ? "copy" : "copy+fabric",
                algorithm: local
                    ? "local: every element stays on its PE"
                    : moved.relayed
                        ? "through the cores: \(moved.flows) parcel\(moved.flows == 1 ? "" : "s") relayed hop by hop from \(from.layout) at \(from.origin) to \(to.layout) at \(to.origin) (X then Y, two colors per link direction)"
                        : "through the router: \(moved.flows) point-to-point flow\(moved.flows == 1 ? "" : "s") from \(from.layout) at \(from.origin) to \(to.layout) at \(to.origin) (X then Y)",
                layout: node.layout, origin: to.origin, tensor: node.type,
                tileElements: dstTiling.tile(for: PECoord(0, 0)).elementCount, tileBytes: dstTiling.maxTileBytes,
                colors: Array(Set(moved.colors)).sorted(),
                fusedOps: []))
    }

    /// Moves a value that lives elsewhere into `to`'s layout and block (same element order); the copy
    /// is kept, so later readers at that block find it resident.
    mutating func relocate(_ node: Node, from: Location, to: Location, for consumer: Node) throws(LoweringError) -> [PECoord: Int] {
        let key = "\(node.id)@\(to.layout)@\(to.origin)"
        if let done = relocated[key] { return done }
        let buffers = try move(node, from: from, to: to, map: { $0 }, for: consumer, kind: "relocation").buffers
        relocated[key] = buffers
        return buffers
    }

    /// The movement engine: the destination buffers, and how the pieces travelled. `pieces`, when given,
    /// says which block of `to.type` each destination PE wants (a broadcast operand's piece); otherwise each
    /// PE takes its tile of `to.type` on `to.layout`. Pieces that stay on a PE are copies; the parcels of
    /// each (source PE, destination PE) pair go point to point, one flow and color each, while no PE
    /// carries more than ``HopRelay/directFlowLimit`` of those flows (and they get colors); otherwise
    /// they are relayed hop by hop through the cores in a constant number of colors (``HopRelay``).
    mutating func move(
        _ source: Node, from: Location, to: Location, map: ([Int]) -> [Int], for node: Node,
        kind: String, pieces wanted: ((PECoord) -> Tile)? = nil
    ) throws(LoweringError) -> MovementResult {
        let srcTiling = try tiling(source.type, from.layout, node)
        let dstTiling = wanted == nil ? try tiling(to.type, to.layout, node) : nil
        guard let srcBuffers = resident[source.id] else { throw LoweringError(.noBuffers(op: describe(source), reader: describe(node))) }
        let srcDims = source.type.shape.dims
        let (sw, sh) = from.layout.blockSize
        let rowBlock = srcTiling.rowDim.map { (srcDims[$0] + sh - 1) / sh }
        let colBlock = srcTiling.colDim.map { (srcDims[$0] + sw - 1) / sw }
        var pieces: [MovementPiece] = []
        var destinations: [PECoord: Int] = [:]
        let label = node.name ?? "tmp\(node.id)"
        for local in to.layout.pes {
            try poll()
            let q = to.global(local)
            let tile = wanted?(local) ?? dstTiling!.tile(for: local)
            let dims = tile.shape.dims.isEmpty ? [1] : tile.shape.dims
            let dst = addBuffer(q, name: label, dtype: to.type.dtype, shape: dims, node: node.id)
            destinations[q] = dst
            // Walk the destination tile in row-major order, grouping runs by source PE.
            var runs: [(p: PECoord, src: Int, dst: Int, count: Int, stride: Int)] = []
            var offset = 0
            tile.forEachIndex { index in
                defer { offset += 1 }
                let s = map(index)
                var sLocal = PECoord(0, 0)
                if let d = srcTiling.rowDim, let b = rowBlock { sLocal.y = s[d] / b }
                if let d = srcTiling.colDim, let b = colBlock { sLocal.x = s[d] / b }
                let sTile = srcTiling.tile(for: sLocal)
                var srcOffset = 0
                for d in 0..<s.count { srcOffset = srcOffset * sTile.ranges[d].count + (s[d] - sTile.ranges[d].lowerBound) }
                let p = from.global(sLocal)
                if var last = runs.last, last.p == p, last.dst + last.count == offset,
                    last.count == 1 || last.src + last.count * last.stride == srcOffset
                {
                    if last.count == 1 { last.stride = srcOffset - last.src }
                    if last.src + last.count * last.stride == srcOffset {
                        last.count += 1
                        runs[runs.count - 1] = last
                    } else {
                        runs.append((p, srcOffset, offset, 1, 1))
                    }
                } else {
                    runs.append((p, srcOffset, offset, 1, 1))
                }
            }
            // Merge equal runs at constant distances into 2-D pieces.
            var i = 0
            while i < runs.count {
                let r = runs[i]
                var rows = 1
                var srcStep = 0, dstStep = 0
                if i + 1 < runs.count {
                    let n = runs[i + 1]
                    if n.p == r.p && n.count == r.count && n.stride == r.stride {
                        srcStep = n.src - r.src
                        dstStep = n.dst - r.dst
                        rows = 2
                        while i + rows < runs.count {
                            let m = runs[i + rows]
                            guard m.p == r.p, m.count == r.count, m.stride == r.stride,
                                m.src - runs[i + rows - 1].src == srcStep, m.dst - runs[i + rows - 1].dst == dstStep
                            else { break }
                            rows += 1
                        }
                    }
                }
                let srcAccess =
                    rows > 1
                    ? BufferAccess(buffer: srcBuffers[r.p]!, offset: r.src, extents: [rows, r.count], strides: [srcStep, r.stride])
                    : BufferAccess(buffer: srcBuffers[r.p]!, offset: r.src, extents: [r.count], strides: [r.stride])
                let dstAccess =
                    rows > 1
                    ? BufferAccess(buffer: dst, offset: r.dst, extents: [rows, r.count], strides: [dstStep, 1])
                    : BufferAccess(buffer: dst, offset: r.dst, extents: [r.count], strides: [1])
                pieces.append(MovementPiece(source: r.p, destination: q, sourceAccess: srcAccess, destinationAccess: dstAccess))
                i += rows
            }
        }
        // Local pieces are copies; the others travel in parcels, one per (source, destination) pair.
        var parcels: [MovementParcel] = []
        var parcelIndex: [String: Int] = [:]
        for piece in pieces {
            try poll()
            if piece.source == piece.destination {
                addStep(piece.destination, .compute(.copy(out: piece.destinationAccess, input: piece.sourceAccess)), node: node.id)
                continue
            }
            let key = "\(piece.source)->\(piece.destination)"
            if let k = parcelIndex[key] {
                parcels[k].pieces.append(piece)
            } else {
                parcelIndex[key] = parcels.count
                parcels.append(MovementParcel(source: piece.source, destination: piece.destination, pieces: [piece]))
            }
        }
        parcels.sort { ($0.source, $0.destination) < ($1.source, $1.destination) }
        let carries = "\(kind) of \(describe(source)) for \(describe(node))"
        // Point-to-point flows while they leave every PE few colors (and fit); else relayed hop by hop.
        if try directLoad(parcels) <= HopRelay.directFlowLimit {
            let before = colors
            do {
                if let used = try direct(parcels, kind: kind, source: source, node: node, label: label) {
                    return MovementResult(buffers: destinations, colors: used, flows: parcels.count, relayed: false)
                }
                colors = before
            } catch {
                guard case .colorBudget = error.kind else { throw error }
                colors = before
            }
        }
        let used = try relay(parcels, dtype: to.type.dtype, carries: carries, label: "\(label)_move", node: node)
        return MovementResult(buffers: destinations, colors: used, flows: parcels.count, relayed: true)
    }

    /// True when every PE on the parcels' paths still has ``HopRelay/colorsPerPE`` colors free.
    private func leavesRoomForRelays(_ parcels: [MovementParcel]) -> Bool {
        let most = ColorAllocator.usable - HopRelay.colorsPerPE
        for parcel in parcels {
            for pe in HopRelay.path(from: parcel.source, to: parcel.destination) where (colors.used[pe] ?? 0).nonzeroBitCount > most {
                return false
            }
        }
        return true
    }

    /// One point-to-point flow (and color) per parcel; every PE takes part in the parcels in one global
    /// order (deadlock-free). Colors are assigned before any step is added, so a color refusal (or nil:
    /// the flows would crowd a PE) leaves the PEs' programs as they were.
    private mutating func direct(
        _ parcels: [MovementParcel], kind: String, source: Node, node: Node, label: String
    ) throws(LoweringError) -> [ColorID]? {
        var parcelColor: [ColorID] = []
        for parcel in parcels {
            try poll()
            let (p, q) = (parcel.source, parcel.destination)
            let flow = Flow.pointToPoint(
                from: p, to: q, carries: "\(kind) of \(describe(source)) from \(p) to \(q) for \(describe(node))",
                label: "\(label)_move", node: node.id, opName: describe(node))
            parcelColor.append(try colors.assign(flow))
        }
        // Direct flows may not take the colors a later relay needs: a PE they leave with fewer than
        // HopRelay.colorsPerPE free colors could refuse the next movement (ten shifts on one block). Nil
        // before any step is added, so the caller can restore the colors and relay instead.
        guard leavesRoomForRelays(parcels) else { return nil }
        var perPE: [PECoord: [FabricOperation]] = [:]
        for (parcel, c) in zip(parcels, parcelColor) {
            try poll()
            for piece in parcel.pieces {
                perPE[parcel.source, default: []].append(.send(piece.sourceAccess, color: c))
                perPE[parcel.destination, default: []].append(.receive(piece.destinationAccess, color: c, combine: .store))
            }
        }
        for pe in perPE.keys.sorted() { addFabricSteps(pe, perPE[pe]!, node: node.id) }
        return parcelColor
    }
}

/// What a data movement made: the destination buffers, the colors its flows use (one entry per flow when
/// direct), how many (source, destination) parcels crossed the fabric, and whether they were relayed.
struct MovementResult {
    var buffers: [PECoord: Int]
    var colors: [ColorID]
    var flows: Int
    var relayed: Bool
    var local: Bool { flows == 0 }
}
