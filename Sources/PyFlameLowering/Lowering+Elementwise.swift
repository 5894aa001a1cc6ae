import PyFlameIR

extension Lowering {
    /// A fused chain of elementwise ops: one kernel per PE over its tile, no communication. Operands
    /// come from the host (copied into each PE's tile, broadcast pieces for smaller shapes) or are
    /// resident from earlier ops on the same block.
    mutating func lowerElementwise(_ group: [NodeID]) throws(LoweringError) {
        let apex = graph[group.last!]!
        let members = Set(group)
        let location = locations[apex.id]!
        let layout = apex.layout
        // Leaf operands in first-use order, and the expression over them.
        var leaves: [NodeID] = []
        func expression(_ id: NodeID) -> KernelExpression {
            guard members.contains(id) else {
                if let i = leaves.firstIndex(of: id) { return .input(i) }
                leaves.append(id)
                return .input(leaves.count - 1)
            }
            let node = graph[id]!
            switch node.op {
            case .unary(let f): return .unary(f, expression(node.inputs[0]))
            case .binary(let f, let scalar):
                if let scalar {
                    let tensor = expression(node.inputs[0])
                    return scalar.isLeft ? .binary(f, .constant(scalar.value), tensor) : .binary(f, tensor, .constant(scalar.value))
                }
                return .binary(f, expression(node.inputs[0]), expression(node.inputs[1]))
            default: return .input(-1)
            }
        }
        let expr = expression(apex.id)
        let resultTiling = try tiling(apex.type, layout, apex)
        var inputBuffers: [[PECoord: Int]] = []
        var broadcastColors: [ColorID] = []
        var broadcastNames: [String] = []
        var broadcastRelayed = false
        for leaf in leaves {
            let node = graph[leaf]!
            if node.type.shape == apex.type.shape {
                inputBuffers.append(try operandBuffers(leaf, layout: layout, origin: location.origin, consumer: apex))
            } else {
                let piece = { (local: PECoord) -> Tile in
                    Lowering.broadcastTile(node.type.shape, resultTile: resultTiling.tile(for: local), result: apex.type.shape)
                }
                if !node.op.isConstructor {
                    // A value computed on the fabric: each PE gets its piece through the router.
                    guard let from = locations[leaf] else { throw LoweringError(.broadcastBeforeLowered(op: describe(node), reader: describe(apex))) }
                    let key = "\(leaf)@broadcast \(apex.type.shape)@\(layout)@\(location.origin)"
                    if let done = relocated[key] {
                        inputBuffers.append(done)
                    } else {
                        let moved = try move(
                            node, from: from, to: Location(layout: layout, origin: location.origin, type: node.type),
                            map: { $0 }, for: apex, kind: "broadcast", pieces: piece)
                        relocated[key] = moved.buffers
                        broadcastColors += moved.colors
                        broadcastRelayed = broadcastRelayed || moved.relayed
                        broadcastNames.append(node.name ?? "%\(node.id)")
                        inputBuffers.append(moved.buffers)
                    }
                    continue
                }
                let buffers = try hostBuffers(node, layout: layout, origin: location.origin, key: "broadcast to \(apex.type.shape)") { local in
                    Lowering.broadcastTile(node.type.shape, resultTile: resultTiling.tile(for: local), result: apex.type.shape)
                }
                inputBuffers.append(buffers)
            }
        }
        var outputs: [PECoord: Int] = [:]
        outputs.reserveCapacity(layout.pes.count)
        let leafShapes = leaves.map { graph[$0]!.type.shape }
        let outName = apex.name ?? "tmp\(apex.id)"
        for local in layout.pes {
            try poll()
            let pe = global(location.origin, local)
            let tile = resultTiling.tile(for: local)
            let tileDims = tile.shape.dims
            let dims = tileDims.isEmpty ? [1] : tileDims
            let out = addBuffer(pe, name: outName, dtype: apex.type.dtype, shape: dims, node: apex.id)
            let accesses = leafShapes.enumerated().map { (k, shape) -> BufferAccess in
                Lowering.broadcastAccess(buffer: inputBuffers[k][pe]!, operand: shape, result: apex.type.shape, tile: tile)
            }
            addStep(
                pe, .compute(.elementwise(out: BufferAccess(buffer: out, extents: dims), inputs: accesses, expression: expr, count: tile.elementCount)),
                node: apex.id)
            outputs[pe] = out
        }
        resident[apex.id] = outputs
        let ewOps = group.compactMap { graph[$0]?.op.name }
        let tileElements = resultTiling.tile(for: PECoord(0, 0)).elementCount
        ops.append(
            LoweredOp(
                nodes: group,
                pattern: .elementwise(
                    .init(
                        ops: ewOps, expression: expr, inputs: leaves.count, dtype: apex.type.dtype, tileElements: tileElements,
                        routedOperands: broadcastNames)),
                kernel: "elementwise",
                algorithm: broadcastNames.isEmpty
                    ? "local: each PE computes its tile"
                    : "the pieces of \(broadcastNames.joined(separator: ", ")) each PE needs come through the router (\(broadcastRelayed ? "relayed hop by hop through the cores" : "point to point"), X then Y); then each PE computes its tile",
                layout: layout, origin: location.origin, tensor: apex.type,
                tileElements: tileElements,
                tileBytes: resultTiling.maxTileBytes, colors: Array(Set(broadcastColors)).sorted(),
                fusedOps: group.count > 1 ? ewOps : []))
    }

    /// The piece of a broadcast operand a PE needs for its result tile.
    static func broadcastTile(_ operand: Shape, resultTile: Tile, result: Shape) -> Tile {
        let offset = result.rank - operand.rank
        return Tile((0..<operand.rank).map { d in operand.dims[d] == 1 ? 0..<1 : resultTile.ranges[d + offset] })
    }

    /// How a kernel reads an operand piece laid out row-major: stride 0 along broadcast dimensions.
    static func broadcastAccess(buffer: Int, operand: Shape, result: Shape, tile: Tile) -> BufferAccess {
        let dims = tile.shape.dims.isEmpty ? [1] : tile.shape.dims
        guard operand != result else { return BufferAccess(buffer: buffer, extents: dims) }
        let offset = result.rank - operand.rank
        let pieceDims = (0..<operand.rank).map { d in operand.dims[d] == 1 ? 1 : tile.ranges[d + offset].count }
        var pieceStrides = [Int](repeating: 1, count: operand.rank)
        for d in stride(from: operand.rank - 2, through: 0, by: -1) { pieceStrides[d] = pieceStrides[d + 1] * pieceDims[d + 1] }
        var strides = [Int](repeating: 0, count: max(result.rank, 1))
        for d in 0..<operand.rank where operand.dims[d] != 1 { strides[d + offset] = pieceStrides[d] }
        return BufferAccess(buffer: buffer, extents: dims, strides: strides)
    }
}
