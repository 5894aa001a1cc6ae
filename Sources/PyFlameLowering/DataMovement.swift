import PyFlameIR

/// Where data moves between PEs, decided in this module and nowhere else.
///
/// - Between layouts: an op that reads an operand computed on the fabric in another layout, and tiles that
///   operand like its own work (a same-shape elementwise operand, a reduction or matmul input), reads it
///   moved to the op's layout. The front end asks ``movesToOpLayout(_:operand:from:result:on:)`` while it
///   builds a statement and records each move as a `layout_transform` node, so `:graph` shows it and a move
///   that does not fit a PE is refused at the statement; the lowering then lowers that node like any other
///   movement (`Lowering.lowerMovement`).
/// - Between blocks of one layout: where each block goes is the lowering's choice, so when a value lives on
///   another block than the op that reads it (two operands of one layout placed apart), the lowering moves
///   it itself (`Lowering.relocate`, through the same movement engine).
///
/// Host tensors never "move": memcpy copies them into each reader's tiling before the program starts.
public enum DataMovement {
    /// Whether `op`, placed on `layout`, reads an operand of type `operand` that lives in `from` through a
    /// move to `layout` (an operand used twice moves once: the caller keeps the first move).
    public static func movesToOpLayout(_ op: Op, operand: TensorType, from: Layout, result: TensorType, on layout: Layout) -> Bool {
        guard from != .host, from != layout else { return false }
        switch op {
        case .unary, .binary, .cast: return operand.shape == result.shape
        case .reduce: return true
        case .matmul:
            // A vector on a grid is not tiled like the work: each PE fetches the piece its columns need.
            if case .grid = layout, operand.shape.rank == 1 { return false }
            return true
        default: return false
        }
    }
}
