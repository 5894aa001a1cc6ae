import PyFlameIR

extension Lowering {
    /// A reduction: each PE reduces its tile, then partials combine along the reduced axis as a chain
    /// toward the block's first row (dim 0) or first column (dim 1), one hop at a time, each hop a
    /// stream that adds (or maxes) the local partial on its way (`forward`); a full reduction chains
    /// along rows, then up the first column, ending on one PE. A mean divides once, at the end.
    mutating func lowerReduce(_ node: Node) throws(LoweringError) {
        guard case .reduce(let f, let dim, _) = node.op else { return }
        let input = graph[node.inputs[0]]!
        let layout = node.layout
        let location = locations[node.id]!
        let origin = location.origin
        let inputTiling = try tiling(input.type, layout, node)
        let inputs = try operandBuffers(input.id, layout: layout, origin: origin, consumer: node)
        let reducedDim = dim.flatMap { input.type.shape.normalizedDim($0) }
        let accumulator: DType = input.type.dtype.isFloat ? .f32 : .i32
        let combine: Combine =
            switch f {
            case .sum, .mean: .add
            case .max: .max
            case .min: .min
            }
        // Local reductions.
        var partials: [PECoord: Int] = [:]
        // Wavelets per PE: tiles are ceil-sized, so the last row or column of PEs may hold fewer.
        var partialCounts: [PECoord: Int] = [:]
        for local in layout.pes {
            try poll()
            let pe = global(origin, local)
            let dims = inputTiling.tile(for: local).shape.dims
            let (outer, reduced, inner): (Int, Int, Int)
            if let d = reducedDim {
                outer = dims[..<d].reduce(1, *)
                reduced = dims[d]
                inner = dims[(d + 1)...].reduce(1, *)
            } else {
                (outer, reduced, inner) = (1, dims.reduce(1, *), 1)
            }
            let partialCount = outer * inner
            partialCounts[pe] = partialCount
            let partial = addBuffer(pe, name: "partial_\(node.name ?? "tmp\(node.id)")", dtype: accumulator, shape: [outer * inner], node: node.id)
            let tileDims = dims.isEmpty ? [1] : dims
            addStep(
                pe,
                .compute(
                    .reduce(
                        f == .mean ? .sum : f, out: BufferAccess(buffer: partial, extents: [outer * inner]),
                        input: BufferAccess(buffer: inputs[pe]!, extents: tileDims),
                        outer: outer, reduced: reduced, inner: inner, accumulate: false)), node: node.id)
            partials[pe] = partial
        }
        // Combination along the reduced axis.
        let (w, h) = layout.blockSize
        let splitRows = inputTiling.rowDim != nil && (reducedDim == nil || reducedDim == inputTiling.rowDim)
        let splitCols = inputTiling.colDim != nil && (reducedDim == nil || reducedDim == inputTiling.colDim)
        var usedColors: [ColorID] = []
        var algorithm = "local: the reduced dimension is not split"
        var chainKind = OpPattern.Chain.local
        let label = "\(node.name ?? "tmp\(node.id)")"
        if splitCols && w > 1 {
            for y in 0..<h {
                let line = (0..<w).map { global(origin, PECoord($0, y)) }
                usedColors += try chain(line, toward: .west, node: node, partials: partials, combine: combine, count: partialCounts[line[0]]!, label: label)
            }
            algorithm = "chain reduce west along each row to column 0 (colors alternate hop by hop)"
            chainKind = .rows
        }
        if splitRows && h > 1 {
            let columns = (splitCols || reducedDim == nil) ? [0] : Array(0..<w)
            for x in columns {
                let line = (0..<h).map { global(origin, PECoord(x, $0)) }
                usedColors += try chain(line, toward: .north, node: node, partials: partials, combine: combine, count: partialCounts[line[0]]!, label: label)
            }
            algorithm =
                splitCols && w > 1
                ? "chain reduce west along rows, then north up column 0, ending on one PE"
                : "chain reduce north along each column to row 0 (colors alternate hop by hop)"
            chainKind = splitCols && w > 1 ? .rowsThenColumn : .columns
        }
        // Results: the partials on the head PEs, divided once for a mean, in the node's dtype.
        let resultLayout = node.resultLayout
        var results: [PECoord: Int] = [:]
        let total = reducedDim.map { input.type.shape.dims[$0] } ?? input.type.shape.elementCount
        for local in resultLayout.pes {
            try poll()
            let pe = global(origin, local)
            var buffer = partials[pe]!
            let partialCount = partialCounts[pe]!
            if f == .mean { addStep(pe, .compute(.scale(out: BufferAccess(buffer: buffer, extents: [partialCount]), divisor: Double(total))), node: node.id) }
            if accumulator != node.type.dtype {
                let out = addBuffer(pe, name: node.name ?? "tmp\(node.id)", dtype: node.type.dtype, shape: [partialCount], node: node.id)
                addStep(
                    pe, .compute(.copy(out: BufferAccess(buffer: out, extents: [partialCount]), input: BufferAccess(buffer: buffer, extents: [partialCount]))),
                    node: node.id)
                buffer = out
            }
            results[pe] = buffer
        }
        resident[node.id] = results
        ops.append(
            LoweredOp(
                nodes: [node.id],
                pattern: .reduce(
                    .init(
                        function: f, axis: reducedDim, dtype: input.type.dtype, accumulator: accumulator,
                        tileElements: inputTiling.tile(for: PECoord(0, 0)).elementCount, partials: partialCounts[origin]!, combine: combine,
                        chain: usedColors.isEmpty ? .local : chainKind)),
                kernel: "reduce",
                algorithm: algorithm + (f == .mean ? "; mean divides by \(total) at the end" : ""),
                layout: layout, origin: origin, tensor: input.type,
                tileElements: inputTiling.tile(for: PECoord(0, 0)).elementCount, tileBytes: inputTiling.maxTileBytes,
                colors: Array(Set(usedColors)).sorted(),
                fusedOps: []))
    }

    /// A chain along `line` (head first) toward `direction`: the tail sends its partial, each middle PE
    /// forwards (receive, combine with its own, send on), the head receives and combines. One flow per
    /// hop, colored in order from the tail: the greedy allocator alternates two colors.
    mutating func chain(
        _ line: [PECoord], toward direction: Direction, node: Node, partials: [PECoord: Int],
        combine: Combine, count: Int, label: String
    ) throws(LoweringError) -> [ColorID] {
        guard line.count > 1 else { return [] }
        var hopColor = [ColorID](repeating: 0, count: line.count)  // hopColor[i]: from line[i] to line[i-1]
        for i in stride(from: line.count - 1, through: 1, by: -1) {
            let flow = Flow.pointToPoint(
                from: line[i], to: line[i - 1],
                carries: "partial \(node.op.name)s of \(describe(node)) \(direction == .west ? "west" : "north")",
                label: "\(label)_reduce_\(direction == .west ? "w" : "n")", node: node.id, opName: describe(node))
            hopColor[i] = try colors.assign(flow)
        }
        for (i, pe) in line.enumerated() {
            try poll()
            let access = BufferAccess(buffer: partials[pe]!, extents: [count])
            let op: FabricOperation
            if i == line.count - 1 {
                op = .send(access, color: hopColor[i])
            } else if i == 0 {
                op = .receive(access, color: hopColor[1], combine: combine)
            } else {
                op = .forward(access, from: hopColor[i + 1], to: hopColor[i], combine: combine)
            }
            addFabricSteps(pe, [op], node: node.id)
        }
        return Array(hopColor.dropFirst())
    }
}
