/// Programs that use the ops of issue 15 (cast, slicing, concat, shift and matrix-vector `@` on a grid),
/// each a list of statements whose last defines `r`, over small shapes and several layouts. The value
/// table simulates them against the reference; the emission tests emit and check them.
public enum NewOpPrograms {
    /// One program: its statements and whether its result accumulates (a reduction or a product: compared
    /// within the language's tolerance; everything else bit for bit).
    public struct Case: Sendable {
        public var statements: [String]
        public var accumulates: Bool
    }

    static func randn(_ name: String, _ shape: [Int], _ dtype: String = "f32", seed: Int) -> String {
        let text = shape.count == 1 ? String(shape[0]) : "[" + shape.map(String.init).joined(separator: ", ") + "]"
        return "\(name) = randn(\(text), seed=\(seed)\(dtype == "f32" ? "" : ", dtype=\(dtype)"))"
    }

    public static var cast: [Case] {
        var result: [Case] = []
        var k = 3000
        for layout in ["SinglePE", "RowPartition(2)", "ColPartition(4)", "Grid(2, 2)", "Grid(2, 4)"] {
            k += 1
            result.append(Case(statements: [randn("h", [8, 8], "f16", seed: k), "r = cast(h, f32) on \(layout)"], accumulates: false))
            result.append(Case(statements: [randn("x", [8, 8], seed: k), "r = x.astype(f16) on \(layout)"], accumulates: false))
            result.append(Case(statements: [randn("x", [8, 8], seed: k), "u = x * 3 on \(layout)", "r = cast(u, i32)"], accumulates: false))
            result.append(Case(statements: [randn("x", [8, 8], seed: k), "u = x * 1000 on \(layout)", "r = cast(u, bf16) on \(layout)"], accumulates: false))
        }
        for layout in ["SinglePE", "RowPartition(4)", "ColPartition(4)"] {
            k += 1
            result.append(Case(statements: [randn("h", [32], "f16", seed: k), "r = sum(cast(h, f32)) on \(layout)"], accumulates: true))
            result.append(Case(statements: [randn("h", [32], "f16", seed: k), "r = h.astype(f32) * 2 + 1 on \(layout)"], accumulates: false))
        }
        result.append(Case(statements: [randn("h", [8, 16], "f16", seed: 3100), "r = sum(h.astype(f32), dim=1) on Grid(2, 4)"], accumulates: true))
        return result
    }

    public static var slice: [Case] {
        var result: [Case] = []
        var k = 3200
        for layout in ["SinglePE", "RowPartition(2)", "RowPartition(4)", "ColPartition(4)"] {
            k += 1
            result.append(Case(statements: [randn("x", [18], seed: k), "r = x[1:-1] on \(layout)"], accumulates: false))
            result.append(Case(statements: [randn("x", [16], seed: k), "u = relu(x) on RowPartition(4)", "r = u[3:] * 2 on \(layout)"], accumulates: false))
        }
        for layout in ["SinglePE", "RowPartition(2)", "ColPartition(2)", "Grid(2, 2)", "Grid(2, 4)"] {
            k += 1
            result.append(Case(statements: [randn("x", [8, 16], seed: k), "r = x[:, 0:8] on \(layout)"], accumulates: false))
            result.append(Case(statements: [randn("x", [10, 12], "f16", seed: k), "r = x[1:-1, 2:10] on \(layout)"], accumulates: false))
            result.append(Case(statements: [randn("x", [8, 8], seed: k), "u = x - 1 on Grid(2, 2)", "r = u[2:6, -4:] on \(layout)"], accumulates: false))
        }
        result.append(Case(statements: [randn("x", [6, 8], seed: 3290), "u = x * 2 on Grid(2, 2)", "r = u[3] on RowPartition(2)"], accumulates: false))
        return result
    }

    public static var shift: [Case] {
        var result: [Case] = []
        var k = 3300
        for layout in ["SinglePE", "RowPartition(2)", "RowPartition(4)", "ColPartition(4)"] {
            k += 1
            result.append(Case(statements: [randn("x", [16], seed: k), "r = shift(x, 1) on \(layout)"], accumulates: false))
            result.append(
                Case(statements: [randn("x", [16], seed: k), "r = 0.25 * shift(x, 1) + 0.5 * x + 0.25 * shift(x, -1) on \(layout)"], accumulates: false))
        }
        for layout in ["SinglePE", "RowPartition(4)", "ColPartition(2)", "Grid(2, 2)", "Grid(4, 2)"] {
            k += 1
            result.append(Case(statements: [randn("x", [8, 8], seed: k), "r = shift(x, -2, dim=1) on \(layout)"], accumulates: false))
            result.append(
                Case(statements: [randn("x", [8, 8], "f16", seed: k), "u = x + 1 on Grid(2, 2)", "r = shift(u, 3, dim=0) on \(layout)"], accumulates: false))
        }
        return result
    }

    public static var concat: [Case] {
        var result: [Case] = []
        var k = 3400
        for layout in ["SinglePE", "RowPartition(2)", "ColPartition(4)", "Grid(2, 2)"] {
            k += 1
            result.append(
                Case(
                    statements: [randn("a", [4, 8], seed: k), randn("b", [4, 8], seed: k + 1), "r = concat([a, b], dim=0) on \(layout)"], accumulates: false))
            result.append(
                Case(
                    statements: [
                        randn("a", [8, 4], seed: k), randn("b", [8, 12], seed: k + 1), "u = b * 2 on RowPartition(2)", "r = concat([a, u], dim=1) on \(layout)",
                    ], accumulates: false))
        }
        result.append(
            Case(statements: [randn("a", [6], seed: 3490), randn("b", [10], seed: 3491), "r = concat([a, b]) on RowPartition(4)"], accumulates: false))
        // Two slices of one host tensor with the same shape (their host pieces must not be mistaken for each other).
        for layout in ["SinglePE", "Grid(2, 2)"] {
            result.append(Case(statements: [randn("g", [8, 8], seed: 3492), "r = concat([g[:, 4:], g[:, 0:4]], dim=1) on \(layout)"], accumulates: false))
            result.append(
                Case(
                    statements: [randn("g", [8, 8], seed: 3493), "p = g[0:4] on \(layout)", "q = g[4:] on \(layout)", "r = p - q on \(layout)"],
                    accumulates: false))
        }
        return result
    }

    public static var matvec: [Case] {
        var result: [Case] = []
        var k = 3500
        for dtype in ["f32", "f16"] {
            for (grid, m, n) in [("Grid(2, 2)", 8, 8), ("Grid(2, 4)", 8, 16), ("Grid(4, 2)", 16, 8), ("Grid(1, 4)", 4, 8), ("Grid(3, 1)", 6, 5)] {
                k += 1
                result.append(
                    Case(statements: [randn("a", [m, n], dtype, seed: k), randn("v", [n], dtype, seed: k + 1), "r = a @ v on \(grid)"], accumulates: true))
            }
        }
        result.append(
            Case(
                statements: [randn("a", [8, 8], seed: 3590), randn("v", [8], seed: 3591), "w = relu(v) on RowPartition(2)", "r = a @ w on Grid(2, 2)"],
                accumulates: true))
        result.append(
            Case(
                statements: [randn("a", [8, 8], seed: 3592), randn("v", [8], seed: 3593), "p = a * 2 on Grid(2, 2)", "y = p @ v on Grid(2, 2)", "r = y + 1"],
                accumulates: true))
        return result
    }

    public static var all: [Case] { cast + slice + matvec + shift + concat }
}
