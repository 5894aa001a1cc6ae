import PyFlameTestSupport
import Testing

/// The value table's rows for the ops of issue 15 (cast, slices, matrix-vector `@` on a grid, shift, concat).
extension ValueTable {
    static var newOps: [ValueCase] {
        NewOpPrograms.all.map { ValueCase(statements: $0.statements, accumulates: $0.accumulates) }
    }
}

@Suite struct NewOpsValueTableTests {
    /// Every new op has rows, on SinglePE and on partitioned layouts.
    @Test func theTableCoversEveryNewOp() {
        let rows = ValueTable.cases.map { $0.statements.last! }
        for form in ["cast(", ".astype(", "[1:-1]", "[:, 0:8]", "shift(", "concat(", "@ v on Grid(2, 2)"] {
            #expect(rows.contains { $0.contains(form) }, "no row uses \(form)")
        }
        for layout in ["SinglePE", "RowPartition(4)", "Grid(2, 2)"] {
            for op in ["cast(", "shift(", "concat(", "x[1:-1"] {
                #expect(rows.contains { $0.contains(op) && $0.hasSuffix("on \(layout)") } || op == "x[1:-1" && layout == "Grid(2, 2)", "\(op) not on \(layout)")
            }
        }
    }
}
