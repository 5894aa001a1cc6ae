import PyFlameIR

extension Lowering {
    /// Whether `node` is a matrix-vector product on a grid (`A @ v on Grid(r, c)`).
    func isMatvec(_ node: Node) -> Bool {
        guard case .matmul = node.op, case .grid = node.layout, node.inputs.count == 2 else { return false }
        return graph[node.inputs[0]]?.type.shape.rank == 2 && graph[node.inputs[1]]?.type.shape.rank == 1
    }

    /// `A @ v` on Grid(r, c), as Cerebras' gemv tutorials do it: A [M,K] is tiled on the grid; each PE gets
    /// the piece of v its columns need (through the router, or copied in when v is a host tensor),
    /// multiplies its tile into partial sums (f32, or i32 for integers), and the partials chain-reduce west
    /// along each row to the block's first column, where the result rows end (RowPartition(r)).
    mutating func lowerMatvec(_ node: Node) throws(LoweringError) {
        guard case .grid(let r, let c) = node.layout else { return }
        let a = graph[node.inputs[0]]!, v = graph[node.inputs[1]]!
        let layout = node.layout
        let origin = locations[node.id]!.origin
        let aTiling = try tiling(a.type, layout, node)
        let aBuffers = try operandBuffers(a.id, layout: layout, origin: origin, consumer: node)
        let piece = { (local: PECoord) -> Tile in Tile([aTiling.tile(for: local).ranges[1]]) }
        var colorsUsed: [ColorID] = []
        let vBuffers: [PECoord: Int]
        if v.op.isConstructor {
            vBuffers = try hostBuffers(v, layout: layout, origin: origin, key: "columns of a matvec") { piece($0) }
        } else {
            guard let from = locations[v.id] else { throw LoweringError(.broadcastBeforeLowered(op: describe(v), reader: describe(node))) }
            let key = "\(v.id)@matvec columns@\(layout)@\(origin)"
            if let done = relocated[key] {
                vBuffers = done
            } else {
                let moved = try move(
                    v, from: from, to: Location(layout: layout, origin: origin, type: v.type), map: { $0 }, for: node, kind: "broadcast",
                    pieces: piece)
                relocated[key] = moved.buffers
                vBuffers = moved.buffers
                colorsUsed += moved.colors
            }
        }
        let dtype = node.type.dtype
        let accumulator: DType = dtype.isFloat ? .f32 : .i32
        let label = node.name ?? "tmp\(node.id)"
        var partials: [PECoord: Int] = [:]
        var rowsOf: [PECoord: Int] = [:]
        for local in layout.pes {
            try poll()
            let pe = global(origin, local)
            let tile = aTiling.tile(for: local)
            let m = tile.ranges[0].count, k = tile.ranges[1].count
            let partial = addBuffer(pe, name: "partial_\(label)", dtype: accumulator, shape: [m], node: node.id)
            addStep(
                pe,
                .compute(
                    .matmulAccumulate(
                        c: BufferAccess(buffer: partial, extents: [m, 1]), a: BufferAccess(buffer: aBuffers[pe]!, extents: [m, k]),
                        b: BufferAccess(buffer: vBuffers[pe]!, extents: [k, 1]), m: m, k: k, n: 1)), node: node.id)
            partials[pe] = partial
            rowsOf[pe] = m
        }
        if c > 1 {
            for y in 0..<r {
                let line = (0..<c).map { global(origin, PECoord($0, y)) }
                colorsUsed += try chain(line, toward: .west, node: node, partials: partials, combine: .add, count: rowsOf[line[0]]!, label: label)
            }
        }
        var results: [PECoord: Int] = [:]
        for y in 0..<r {
            try poll()
            let pe = global(origin, PECoord(0, y))
            let m = rowsOf[pe]!
            var buffer = partials[pe]!
            if accumulator != dtype {
                let out = addBuffer(pe, name: label, dtype: dtype, shape: [m], node: node.id)
                addStep(pe, .compute(.copy(out: BufferAccess(buffer: out, extents: [m]), input: BufferAccess(buffer: buffer, extents: [m]))), node: node.id)
                buffer = out
            }
            results[pe] = buffer
        }
        resident[node.id] = results
        let (mAll, kAll) = (a.type.shape.dims[0], a.type.shape.dims[1])
        ops.append(
            LoweredOp(
                nodes: [node.id],
                pattern: .matmul(.init(dtype: dtype, m: mAll, k: kAll, n: 1, grid: .init(rows: r, columns: c, segments: 1), matrixVector: true)),
                kernel: "matmul_accumulate",
                algorithm: "matrix-vector on \(layout): each PE gets the piece of \(v.name ?? "%\(v.id)") its columns need"
                    + (v.op.isConstructor ? " (copied in)" : " (through the router)")
                    + ", multiplies its tile of A into \(accumulator) partials"
                    + (c > 1 ? ", then the partials chain-reduce west along each row to column 0" : ""),
                layout: layout, origin: origin, tensor: a.type,
                tileElements: aTiling.tile(for: PECoord(0, 0)).elementCount, tileBytes: aTiling.maxTileBytes,
                colors: Array(Set(colorsUsed)).sorted(), fusedOps: []))
    }
}
