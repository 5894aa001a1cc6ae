import PyFlameIR

/// One operand's part of a slice, shift or concat result: the box of result indices it fills and where
/// each of those elements is in the operand.
struct AssemblyPart {
    var source: Node
    /// The result indices the part fills (one range per result dim).
    var region: [Range<Int>]
    /// A result index → the operand's index.
    var map: ([Int]) -> [Int]
}

extension Lowering {
    /// Slice, shift and concat: every PE's result tile is assembled from the pieces of the operands it
    /// covers. A piece on the PE itself is a local copy; one elsewhere comes through the router (the
    /// movement engine, ``redistribute``, with an index map); a host operand is copied in by memcpy (a
    /// shift's in its own tiling, whose edges then move; a slice's or concat's as each PE's piece).
    /// Where a shift moves nothing in, the tile is set to 0.
    mutating func lowerAssembly(_ node: Node) throws(LoweringError) {
        let layout = node.layout
        let origin = locations[node.id]!.origin
        let resultTiling = try tiling(node.type, layout, node)
        let parts = assemblyParts(node)
        let name = node.name ?? "tmp\(node.id)"
        var outputs: [PECoord: Int] = [:]
        var colorsUsed: [ColorID] = []
        var routed = false
        var zeroFilled = false
        // Each PE's piece of each part (nil where the part does not reach its tile).
        var piecesOf: [[Tile?]] = Array(repeating: [], count: parts.count)
        for local in layout.pes {
            try poll()
            let tile = resultTiling.tile(for: local)
            for (k, part) in parts.enumerated() {
                let ranges = zip(tile.ranges, part.region).map { t, r in
                    Swift.max(t.lowerBound, r.lowerBound)..<Swift.max(Swift.max(t.lowerBound, r.lowerBound), Swift.min(t.upperBound, r.upperBound))
                }
                let piece = Tile(ranges)
                piecesOf[k].append(piece.elementCount > 0 ? piece : nil)
            }
        }
        // The pieces arrive first. A part that reaches every PE moves in one exchange (every PE sends and
        // receives in the same steps); one that reaches only some PEs moves PE by PE.
        let index = Dictionary(uniqueKeysWithValues: layout.pes.enumerated().map { ($1, $0) })
        var fetched: [[PECoord: Int]] = Array(repeating: [:], count: parts.count)
        for (k, part) in parts.enumerated() {
            let pieces = piecesOf[k]
            if pieces.allSatisfy({ $0 != nil }) {
                let (buffers, used, local) = try fetchAll(part, pieces: { pieces[index[$0]!]! }, for: node)
                fetched[k] = buffers
                colorsUsed += used
                routed = routed || !local
                continue
            }
            for (i, local) in layout.pes.enumerated() {
                guard let piece = pieces[i] else { continue }
                let pe = global(origin, local)
                let (buffer, used, local) = try fetch(part, piece: piece, at: pe, for: node)
                fetched[k][pe] = buffer
                colorsUsed += used
                routed = routed || !local
            }
        }
        for (i, local) in layout.pes.enumerated() {
            try poll()
            let pe = global(origin, local)
            let tile = resultTiling.tile(for: local)
            let tileDims = tile.shape.dims.isEmpty ? [1] : tile.shape.dims
            let pieces = parts.indices.compactMap { k -> (Int, Tile)? in piecesOf[k][i].map { (k, $0) } }
            // One piece that is the whole tile and arrived in a buffer of its own: that is the result.
            if pieces.count == 1, pieces[0].1 == tile, movesOnTheFabric(parts[pieces[0].0], node) {
                outputs[pe] = fetched[pieces[0].0][pe]!
                continue
            }
            let out = addBuffer(pe, name: name, dtype: node.type.dtype, shape: tileDims, node: node.id)
            for (k, piece) in pieces {
                let dims = piece.shape.dims.isEmpty ? [1] : piece.shape.dims
                addStep(
                    pe, .compute(.copy(out: Lowering.access(out, box: piece, in: tile), input: BufferAccess(buffer: fetched[k][pe]!, extents: dims))),
                    node: node.id)
            }
            for box in Lowering.uncovered(tile, by: pieces.map(\.1)) {
                zeroFilled = true
                addStep(
                    pe, .compute(.elementwise(out: Lowering.access(out, box: box, in: tile), inputs: [], expression: .constant(0), count: box.elementCount)),
                    node: node.id)
            }
            outputs[pe] = out
        }
        resident[node.id] = outputs
        let tileElements = resultTiling.tile(for: PECoord(0, 0)).elementCount
        let sources = Array(Set(parts.map { $0.source.name ?? "%\($0.source.id)" })).sorted()
        let how =
            routed
            ? "the pieces of \(sources.joined(separator: ", ")) each PE needs come through the router (point to point, X then Y) or are copied locally"
            : "local: each PE copies its pieces"
        let pattern = OpPattern.layoutTransform(
            .init(op: node.op.name, dtype: node.type.dtype, tileElements: tileElements, local: !routed, zeroFill: zeroFilled))
        ops.append(
            LoweredOp(
                nodes: [node.id], pattern: pattern, kernel: routed ? "copy+fabric" : "copy",
                algorithm: how + (zeroFilled ? "; the elements shifted in at the edge are set to 0" : ""),
                layout: layout, origin: origin, tensor: node.type,
                tileElements: tileElements, tileBytes: resultTiling.maxTileBytes, colors: Array(Set(colorsUsed)).sorted(), fusedOps: []))
    }

    /// What each operand fills of the result.
    private func assemblyParts(_ node: Node) -> [AssemblyPart] {
        let full = node.type.shape.dims.map { 0..<$0 }
        switch node.op {
        case .slice(let ranges, let drop):
            let input = graph[node.inputs[0]]!
            return [AssemblyPart(source: input, region: full, map: Evaluator.sliceSource(ranges, drop: drop, rank: input.type.shape.rank))]
        case .shift(let k, let dim):
            let input = graph[node.inputs[0]]!
            guard let d = node.type.shape.normalizedDim(dim) else { return [] }
            let n = node.type.shape.dims[d]
            // Result positions i with 0 <= i - k < n; |k| >= n leaves none.
            let lo = k >= 0 ? Swift.min(k, n) : 0
            let hi = k >= 0 ? n : Swift.max(n - Swift.min(-k, n), 0)
            guard lo < hi else { return [] }
            var region = full
            region[d] = lo..<hi
            return [
                AssemblyPart(source: input, region: region) { index in
                    var s = index
                    s[d] -= k
                    return s
                }
            ]
        case .concat(let dim):
            guard let d = node.type.shape.normalizedDim(dim) else { return [] }
            var parts: [AssemblyPart] = []
            var start = 0
            for id in node.inputs {
                let input = graph[id]!
                let length = input.type.shape.dims[d]
                var region = full
                region[d] = start..<(start + length)
                let offset = start
                parts.append(
                    AssemblyPart(source: input, region: region) { index in
                        var s = index
                        s[d] -= offset
                        return s
                    })
                start += length
            }
            return parts
        default:
            return []
        }
    }

    /// Whether the part's pieces move on the fabric into buffers of their own: always for a computed value;
    /// for a host operand only when it has the result's shape and tiles on the layout (a shift: copied in in
    /// its own tiling, then neighbours exchange the edges). Other host operands (a slice's or concat's) are
    /// copied in by memcpy exactly as the pieces each PE needs.
    private func movesOnTheFabric(_ part: AssemblyPart, _ node: Node) -> Bool {
        guard part.source.op.isConstructor else { return true }
        return part.source.type.shape == node.type.shape && (try? Tiling(part.source.type, on: node.layout)) != nil
    }

    /// The box of the operand a piece (result coordinates) reads: the map is a translation (with
    /// single-index dims put back).
    private static func sourceBox(_ part: AssemblyPart, _ piece: Tile) -> Tile {
        let low = part.map(piece.ranges.map(\.lowerBound)), high = part.map(piece.ranges.map { $0.upperBound - 1 })
        return Tile(zip(low, high).map { $0..<($1 + 1) })
    }

    /// The part's pieces of every PE of the op's block at once (`pieces(local)` for each PE): one exchange
    /// on the fabric, or one memcpy transfer of every PE's piece. Returns the buffers, the colors taken and
    /// whether it stayed local.
    private mutating func fetchAll(_ part: AssemblyPart, pieces: @escaping (PECoord) -> Tile, for node: Node) throws(LoweringError) -> (
        [PECoord: Int], [ColorID], Bool
    ) {
        let source = part.source
        let origin = locations[node.id]!.origin
        guard movesOnTheFabric(part, node) else {
            let buffers = try hostBuffers(source, layout: node.layout, origin: origin, key: "\(node.op.name) pieces for %\(node.id) at \(part.region)") {
                Lowering.sourceBox(part, pieces($0))
            }
            return (buffers, [], true)
        }
        let from: Location
        if source.op.isConstructor {
            resident[source.id] = try operandBuffers(source.id, layout: node.layout, origin: origin, consumer: node)
            from = Location(layout: node.layout, origin: origin, type: source.type)
        } else {
            guard let at = locations[source.id] else { throw LoweringError(.notLowered(op: describe(source))) }
            from = at
        }
        let moved = try move(
            source, from: from, to: Location(layout: node.layout, origin: origin, type: node.type), map: part.map, for: node,
            kind: node.op.name, pieces: pieces)
        return (moved.buffers, moved.colors, moved.local)
    }

    /// A buffer at `pe` holding the part's elements for `piece` (result coordinates) in row-major order,
    /// the colors it took and whether it stayed local.
    private mutating func fetch(_ part: AssemblyPart, piece: Tile, at pe: PECoord, for node: Node) throws(LoweringError) -> (Int, [ColorID], Bool) {
        let source = part.source
        guard movesOnTheFabric(part, node) else {
            let box = Lowering.sourceBox(part, piece)
            let buffers = try hostBuffers(source, layout: .singlePE, origin: pe, key: "\(node.op.name) piece \(box)") { _ in box }
            return (buffers[pe]!, [], true)
        }
        var from = locations[source.id]
        if source.op.isConstructor {
            let origin = locations[node.id]!.origin
            resident[source.id] = try operandBuffers(source.id, layout: node.layout, origin: origin, consumer: node)
            from = Location(layout: node.layout, origin: origin, type: source.type)
        }
        guard let from else { throw LoweringError(.notLowered(op: describe(source))) }
        let moved = try move(
            source, from: from, to: Location(layout: .singlePE, origin: pe, type: node.type), map: part.map, for: node,
            kind: node.op.name, pieces: { _ in piece })
        return (moved.buffers[pe]!, moved.colors, moved.local)
    }

    /// The access of `box` inside a buffer that holds `tile` row-major.
    static func access(_ buffer: Int, box: Tile, in tile: Tile) -> BufferAccess {
        let dims = tile.shape.dims
        guard !dims.isEmpty else { return BufferAccess(buffer: buffer, extents: [1]) }
        var strides = [Int](repeating: 1, count: dims.count)
        for d in stride(from: dims.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * dims[d + 1] }
        var offset = 0
        for d in 0..<dims.count { offset += (box.ranges[d].lowerBound - tile.ranges[d].lowerBound) * strides[d] }
        return BufferAccess(buffer: buffer, offset: offset, extents: box.shape.dims, strides: strides)
    }

    /// The boxes of `tile` no piece covers. Pieces of a shift cover one slab along the shifted dim (the
    /// rest are at most two slabs); pieces of a slice or concat cover the whole tile.
    static func uncovered(_ tile: Tile, by pieces: [Tile]) -> [Tile] {
        guard tile.elementCount > 0 else { return [] }
        guard let piece = pieces.first else { return [tile] }
        guard pieces.count == 1 else { return [] }
        guard let d = (0..<tile.ranges.count).first(where: { tile.ranges[$0] != piece.ranges[$0] }) else { return [] }
        var result: [Tile] = []
        if tile.ranges[d].lowerBound < piece.ranges[d].lowerBound {
            var ranges = tile.ranges
            ranges[d] = tile.ranges[d].lowerBound..<piece.ranges[d].lowerBound
            result.append(Tile(ranges))
        }
        if piece.ranges[d].upperBound < tile.ranges[d].upperBound {
            var ranges = tile.ranges
            ranges[d] = piece.ranges[d].upperBound..<tile.ranges[d].upperBound
            result.append(Tile(ranges))
        }
        return result
    }
}
