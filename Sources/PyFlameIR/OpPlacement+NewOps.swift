/// Placement facts of the ops of issue 15: matrix-vector `@` on a grid, cast, slice, concat and shift.
extension OpPlacement {
    /// The layout of an op's result from all its operand types: a matrix-vector product on Grid(r, c) ends
    /// on the block's first column, its rows split like A's (RowPartition(r)); otherwise as
    /// ``resultLayout(of:input:on:)``.
    public static func resultLayout(of op: Op, inputs: [TensorType], on layout: Layout) -> Layout {
        if case .matmul = op, case .grid(let r, _) = layout, inputs.count == 2, inputs[0].shape.rank == 2, inputs[1].shape.rank == 1 {
            return .rowPartition(r)
        }
        return resultLayout(of: op, input: inputs.first, on: layout)
    }

    /// A @ v on Grid(r, c): each PE holds its tile of A, the piece of v its columns need, an f32 (i32)
    /// partial per row of its tile and, on the first column, the result rows.
    static func matvecBytesPerPE(inputs: [TensorType], result: TensorType, rows r: Int, cols c: Int) throws(IRError) -> Int {
        let origin = PECoord(0, 0)
        let a = try Tiling(inputs[0], on: .grid(rows: r, cols: c)).tile(for: origin)
        let rowsHere = a.ranges[0].count, colsHere = a.ranges[1].count
        let dtype = inputs[0].dtype
        let accumulator: DType = dtype.isFloat ? .f32 : .i32
        var bytes = a.elementCount * dtype.byteSize + colsHere * inputs[1].dtype.byteSize + rowsHere * accumulator.byteSize
        if accumulator != result.dtype { bytes += rowsHere * result.dtype.byteSize }
        return bytes
    }

    /// A cast holds its input tile and its result tile; a shift its operand's tile, the piece that arrives
    /// and its result tile; a slice or concat its result tile and the pieces that arrive for it (at most a
    /// tile more).
    static func movementBytesPerPE(_ op: Op, inputs: [TensorType], result: TensorType, on layout: Layout) throws(IRError) -> Int {
        let origin = PECoord(0, 0)
        let out = try Tiling(result, on: layout).bytes(for: origin)
        switch op {
        case .cast:
            let input = try Tiling(inputs[0], on: layout).bytes(for: origin)
            return out + input
        case .shift:
            let input = try Tiling(inputs[0], on: layout).bytes(for: origin)
            return 2 * out + input
        default:
            return 2 * out
        }
    }
}
