import PyFlameIR

extension Lowering {
    /// `cast(x, dtype)`: each PE converts its tile with one local copy whose destination has the new dtype
    /// (the copy rounds to its destination, as NumPy's astype does). No communication.
    mutating func lowerCast(_ node: Node) throws(LoweringError) {
        guard case .cast(let dtype) = node.op else { return }
        let input = graph[node.inputs[0]]!
        let layout = node.layout
        let origin = locations[node.id]!.origin
        let resultTiling = try tiling(node.type, layout, node)
        let inputs = try operandBuffers(input.id, layout: layout, origin: origin, consumer: node)
        var outputs: [PECoord: Int] = [:]
        outputs.reserveCapacity(layout.pes.count)
        let name = node.name ?? "tmp\(node.id)"
        for local in layout.pes {
            try poll()
            let pe = global(origin, local)
            let tileDims = resultTiling.tile(for: local).shape.dims
            let dims = tileDims.isEmpty ? [1] : tileDims
            let out = addBuffer(pe, name: name, dtype: dtype, shape: dims, node: node.id)
            addStep(
                pe, .compute(.copy(out: BufferAccess(buffer: out, extents: dims), input: BufferAccess(buffer: inputs[pe]!, extents: dims))),
                node: node.id)
            outputs[pe] = out
        }
        resident[node.id] = outputs
        let tileElements = resultTiling.tile(for: PECoord(0, 0)).elementCount
        ops.append(
            LoweredOp(
                nodes: [node.id],
                pattern: .layoutTransform(.init(op: "cast", dtype: dtype, tileElements: tileElements, local: true)),
                kernel: "copy",
                algorithm: Self.castAlgorithm(from: input.type.dtype, to: dtype),
                layout: layout, origin: origin, tensor: node.type,
                tileElements: tileElements, tileBytes: resultTiling.maxTileBytes, colors: [], fusedOps: []))
    }

    /// What `:lower` says a cast does: a copy when the dtype does not change, else the conversion rule.
    public static func castAlgorithm(from: DType, to: DType) -> String {
        guard from != to else { return "local: each PE copies its tile (already \(to))" }
        let rule: String
        if from.isFloat && to.isInteger {
            rule = "toward zero"
        } else if from.isInteger && to.isInteger {
            rule = to.byteSize < from.byteSize ? "wrapping" : "exact"
        } else if from.isFloat && to == .f32 {
            rule = "exact"
        } else {
            rule = "round to nearest even"
        }
        return "local: each PE converts its tile from \(from) to \(to) (\(rule))"
    }
}
