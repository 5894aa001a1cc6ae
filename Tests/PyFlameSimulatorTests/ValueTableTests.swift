import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// One row of the value table: statements the source runs (every one must succeed; shapes are chosen so
/// every tile divides), the last of which defines `r`. The program of `r` (or of a `layout_transform` of
/// `r` to `transform`) is lowered, simulated, and read back from the fabric.
struct ValueCase: Sendable, CustomTestStringConvertible {
    var statements: [String]
    /// When set, the program's result is a layout_transform of `r` onto this layout (a pure transform).
    var transform: Layout?
    /// False when the result must equal the reference bit for bit (no reduction or matmul, or integers).
    var accumulates: Bool

    var testDescription: String {
        statements.joined(separator: "; ") + (transform.map { " ; transform to \($0)" } ?? "")
    }
}

/// The table: every op kind on every layout it runs on, f32 and f16 (and i32 where the op takes
/// integers), over small shapes.
enum ValueTable {
    static let grids2D = [
        "SinglePE", "RowPartition(2)", "RowPartition(4)", "ColPartition(2)", "ColPartition(4)",
        "Grid(2, 2)", "Grid(2, 4)", "Grid(4, 2)",
    ]
    static let layouts1D = ["SinglePE", "RowPartition(2)", "RowPartition(4)", "ColPartition(4)"]
    /// Every dim divides by 1, 2 and 4.
    static let shapes2D = [[4, 8], [8, 8], [8, 4], [8, 16]]
    static let shapes1D = [[16], [32], [8]]

    static func text(_ shape: [Int]) -> String {
        shape.count == 1 ? String(shape[0]) : "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// `name = randn(shape, seed=..., dtype=...)`, or for i32 a literal of small non-zero integers
    /// (a deterministic sequence, so integer division never divides by zero).
    static func input(_ name: String, _ shape: [Int], _ dtype: DType, seed: Int) -> String {
        guard dtype == .i32 else {
            return "\(name) = randn(\(text(shape)), seed=\(seed)\(dtype == .f32 ? "" : ", dtype=\(dtype.rawValue)"))"
        }
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let v = Int((state >> 33) % 9) + 1
            return (state >> 20) & 1 == 0 ? v : -v
        }
        func literal(_ dims: ArraySlice<Int>) -> String {
            if dims.count == 1 { return "[" + (0..<dims.first!).map { _ in String(next()) }.joined(separator: ", ") + "]" }
            return "[" + (0..<dims.first!).map { _ in literal(dims.dropFirst()) }.joined(separator: ", ") + "]"
        }
        return "\(name) = tensor(\(literal(shape[...])), dtype=i32)"
    }

    static var cases: [ValueCase] {
        elementwise + reductions + matmuls + movements + uneven + newOps
    }

    // MARK: Uneven tiles the source accepts (ceil-sized blocks, the last PE holds fewer but not none)

    static var uneven: [ValueCase] {
        var result: [ValueCase] = []
        var k = 900
        // [6, 10] on Grid(2, 4): columns of 3, 3, 3, 1; [10, 6] on Grid(4, 2): rows of 3, 3, 3, 1;
        // [7, 5] on RowPartition(4) / ColPartition(2); 1-D 7 on RowPartition(4) and ColPartition(4).
        let cases: [([Int], String)] = [
            ([6, 10], "Grid(2, 4)"), ([10, 6], "Grid(4, 2)"), ([7, 5], "RowPartition(4)"), ([7, 5], "ColPartition(2)"),
            ([5, 7], "Grid(2, 4)"), ([7], "RowPartition(4)"), ([7], "ColPartition(4)"),
        ]
        for (shape, layout) in cases {
            for dtype in [DType.f32, .f16] {
                k += 1
                result.append(
                    ValueCase(
                        statements: [input("x", shape, dtype, seed: k), input("y", shape, dtype, seed: k + 1), "r = x * y - 1 on \(layout)"],
                        accumulates: false))
                for f in ReduceFunction.allCases {
                    for dim in (shape.count == 2 ? [0, 1, nil] : [0, nil]) as [Int?] {
                        k += 1
                        result.append(
                            ValueCase(
                                statements: [input("x", shape, dtype, seed: k), "r = \(f.rawValue)(x\(dim.map { ", dim=\($0)" } ?? "")) on \(layout)"],
                                accumulates: true))
                    }
                }
                let targets: [Layout] =
                    shape.count == 2 ? [.singlePE, .rowPartition(2), .grid(rows: 2, cols: 2)] : [.singlePE, .rowPartition(2), .colPartition(2)]
                for to in targets {
                    k += 1
                    result.append(ValueCase(statements: [input("x", shape, dtype, seed: k), "r = relu(x) on \(layout)"], transform: to, accumulates: false))
                }
            }
        }
        return result
    }

    // MARK: Elementwise

    static var elementwise: [ValueCase] {
        var result: [ValueCase] = []
        var k = 0
        func rotate<T>(_ list: [T]) -> T { k += 1; return list[k % list.count] }
        // Unary: every function, f32 and f16, three (shape, layout) pairs each; relu, neg, abs also on i32.
        for f in UnaryFunction.allCases {
            let dtypes: [DType] = f.isFloatOnly ? [.f32, .f16] : [.f32, .f16, .i32]
            for dtype in dtypes {
                for _ in 0..<3 {
                    let (shape, layout) = rotate([([8, 8], rotate(grids2D)), ([4, 8], rotate(grids2D)), ([16], rotate(layouts1D))])
                    result.append(ValueCase(statements: [input("x", shape, dtype, seed: k), "r = \(f.rawValue)(x) on \(layout)"], accumulates: false))
                }
            }
        }
        // Binary: tensor op tensor, tensor op scalar, scalar op tensor.
        for op in ["+", "-", "*", "/"] {
            for dtype in [DType.f32, .f16, .i32] {
                let scalar = dtype == .i32 ? "3" : "2.5"
                for form in ["x \(op) y", "x \(op) \(scalar)", "\(scalar) \(op) y"] {
                    for _ in 0..<2 {
                        let (shape, layout) = rotate([(rotate(shapes2D), rotate(grids2D)), (rotate(shapes1D), rotate(layouts1D))])
                        result.append(
                            ValueCase(
                                statements: [
                                    input("x", shape, dtype, seed: k), input("y", shape, dtype, seed: k + 1000),
                                    "r = \(form) on \(layout)",
                                ], accumulates: false))
                    }
                }
            }
        }
        // Broadcast host operands: a row [n], a column [m, 1], a one-element tensor, row with column.
        for dtype in [DType.f32, .f16, .i32] {
            for layout in grids2D {
                let shape = rotate(shapes2D)
                let (m, n) = (shape[0], shape[1])
                let statements = [
                    input("x", shape, dtype, seed: k), input("row", [n], dtype, seed: k + 1), input("col", [m, 1], dtype, seed: k + 2),
                    input("one", [1], dtype, seed: k + 3),
                ]
                for form in ["x + row", "row * x", "x - col", "col / x", "x * one", "col + row"] {
                    result.append(ValueCase(statements: statements + ["r = \(form) on \(layout)"], accumulates: false))
                }
            }
        }
        // Fused chains (one kernel per PE) and chains across statements (a layout change in the middle).
        let chains = [
            "relu(x * 2 - y) / 3 + exp(x)", "sigmoid(tanh(x) + y) * x", "sqrt(abs(x)) - gelu(y) * silu(x)",
            "neg(x + 1) * (y - 2)", "exp(x - y) / (1 + exp(x - y))", "abs(relu(x) - relu(y)) * 0.5",
        ]
        for dtype in [DType.f32, .f16] {
            for chain in chains {
                for _ in 0..<2 {
                    let (shape, layout) = rotate([(rotate(shapes2D), rotate(grids2D)), (rotate(shapes1D), rotate(layouts1D))])
                    result.append(
                        ValueCase(
                            statements: [
                                input("x", shape, dtype, seed: k), input("y", shape, dtype, seed: k + 7),
                                "r = \(chain) on \(layout)",
                            ], accumulates: false))
                }
            }
            for (a, b) in [
                ("RowPartition(4)", "ColPartition(2)"), ("Grid(2, 4)", "SinglePE"), ("ColPartition(4)", "Grid(4, 2)"),
                ("Grid(2, 2)", "RowPartition(2)"),
            ] {
                result.append(
                    ValueCase(
                        statements: [
                            input("x", [8, 8], dtype, seed: k), input("y", [8, 8], dtype, seed: k + 3),
                            "u = exp(x) - y on \(a)", "r = u * y + 1 on \(b)",
                        ], accumulates: false))
                k += 1
            }
        }
        for layout in grids2D {
            result.append(
                ValueCase(
                    statements: [
                        input("x", [8, 8], .i32, seed: k), input("y", [8, 8], .i32, seed: k + 5),
                        "r = abs(x * 3 - y) + relu(neg(y)) / 2 on \(layout)",
                    ], accumulates: false))
            k += 1
        }
        return result
    }

    // MARK: Reductions

    static var reductions: [ValueCase] {
        var result: [ValueCase] = []
        var k = 0
        for dtype in [DType.f32, .f16, .i32] {
            for f in ReduceFunction.allCases where !(dtype == .i32 && f == .mean) {
                for dim in [0, 1, nil] as [Int?] {
                    for keepdim in [false, true] {
                        for layout in grids2D {
                            k += 1
                            let shape = shapes2D[k % shapes2D.count]
                            var call = "\(f.rawValue)(x"
                            if let dim { call += ", dim=\(dim)" }
                            if keepdim { call += ", keepdim=true" }
                            result.append(
                                ValueCase(
                                    statements: [input("x", shape, dtype, seed: k), "r = \(call)) on \(layout)"],
                                    accumulates: dtype != .i32))
                        }
                    }
                }
            }
        }
        // 1-D reductions (dim 0 and all) on 1-D layouts.
        for dtype in [DType.f32, .f16] {
            for f in ReduceFunction.allCases {
                for (i, layout) in layouts1D.enumerated() {
                    k += 1
                    let call = i % 2 == 0 ? "\(f.rawValue)(x)" : "\(f.rawValue)(x, dim=0, keepdim=\(k % 3 == 0))"
                    result.append(ValueCase(statements: [input("x", shapes1D[k % 2], dtype, seed: k), "r = \(call) on \(layout)"], accumulates: true))
                }
            }
        }
        // A reduction of a value computed on the fabric in another layout (a layout_transform feeds it).
        for (a, b) in [("RowPartition(4)", "Grid(2, 4)"), ("Grid(4, 2)", "ColPartition(4)"), ("ColPartition(2)", "Grid(2, 2)")] {
            result.append(ValueCase(statements: [input("x", [8, 8], .f32, seed: 77), "u = relu(x) on \(a)", "r = sum(u, dim=0) on \(b)"], accumulates: true))
        }
        return result
    }

    // MARK: Matmul

    static var matmuls: [ValueCase] {
        var result: [ValueCase] = []
        var k = 0
        for dtype in [DType.f32, .f16, .i32] {
            let exact = dtype == .i32
            // SinglePE, 2-D operands (odd shapes too: nothing is tiled).
            for (m, kk, n) in [(4, 8, 4), (8, 8, 8), (3, 5, 7), (1, 6, 2)] {
                k += 1
                result.append(
                    ValueCase(
                        statements: [
                            input("a", [m, kk], dtype, seed: k), input("b", [kk, n], dtype, seed: k + 50),
                            "r = a @ b on SinglePE",
                        ], accumulates: !exact))
            }
            // SinglePE, 1-D operands.
            for form in ["v @ b", "a @ w", "v @ w", "matmul(v, b)"] {
                k += 1
                result.append(
                    ValueCase(
                        statements: [
                            input("a", [6, 8], dtype, seed: k), input("b", [8, 4], dtype, seed: k + 1),
                            input("v", [8], dtype, seed: k + 2), input("w", [8], dtype, seed: k + 3),
                            "r = \(form) on SinglePE",
                        ], accumulates: !exact))
            }
            // SUMMA on grids, square and non-square.
            let grids: [(String, [(Int, Int, Int)])] = [
                ("Grid(2, 2)", [(8, 8, 8), (4, 8, 6)]), ("Grid(4, 4)", [(8, 8, 8)]),
                ("Grid(2, 4)", [(8, 8, 8), (4, 8, 16)]), ("Grid(4, 2)", [(8, 8, 8), (8, 16, 4)]),
                ("Grid(1, 2)", [(4, 4, 4)]), ("Grid(2, 1)", [(4, 4, 4)]),
            ]
            for (grid, shapes) in grids {
                for (m, kk, n) in shapes {
                    k += 1
                    result.append(
                        ValueCase(
                            statements: [
                                input("a", [m, kk], dtype, seed: k), input("b", [kk, n], dtype, seed: k + 50),
                                "r = a @ b on \(grid)",
                            ], accumulates: !exact))
                }
            }
        }
        // Operands computed on the fabric (layout transforms into the SUMMA tiling), and a fused consumer.
        result.append(
            ValueCase(
                statements: [
                    input("a", [8, 8], .f32, seed: 5), input("b", [8, 8], .f32, seed: 6),
                    "p = relu(a) on RowPartition(4)", "r = p @ b on Grid(2, 2)",
                ], accumulates: true))
        result.append(
            ValueCase(
                statements: [
                    input("a", [8, 8], .f32, seed: 7), input("b", [8, 8], .f32, seed: 8),
                    "p = a @ b on Grid(2, 4)", "r = p * 2 + 1 on ColPartition(4)",
                ], accumulates: true))
        return result
    }

    // MARK: Transpose, reshape, layout transforms

    static var movements: [ValueCase] {
        var result: [ValueCase] = []
        var k = 0
        // Transpose of host tensors and of computed ones, on every layout.
        for dtype in [DType.f32, .f16, .i32] {
            for layout in grids2D {
                k += 1
                let shape = [[4, 8], [8, 8], [8, 16], [16, 8]][k % 4]
                result.append(ValueCase(statements: [input("x", shape, dtype, seed: k), "r = transpose(x) on \(layout)"], accumulates: false))
            }
        }
        for (a, b) in [
            ("Grid(2, 2)", "RowPartition(4)"), ("RowPartition(2)", "Grid(2, 4)"), ("ColPartition(4)", "SinglePE"),
            ("Grid(4, 2)", "Grid(2, 4)"), ("SinglePE", "ColPartition(2)"),
        ] {
            k += 1
            result.append(
                ValueCase(
                    statements: [input("x", [8, 16], .f32, seed: k), "u = x * 2 on \(a)", "r = transpose(u) on \(b)"],
                    accumulates: false))
        }
        // Reshape: 2-D to 2-D, to 1-D, and 1-D to 2-D.
        for dtype in [DType.f32, .f16] {
            for layout in grids2D {
                k += 1
                result.append(ValueCase(statements: [input("x", [4, 16], dtype, seed: k), "r = reshape(x, [8, 8]) on \(layout)"], accumulates: false))
                result.append(ValueCase(statements: [input("v", [32], dtype, seed: k), "r = reshape(v, [4, -1]) on \(layout)"], accumulates: false))
            }
            for layout in layouts1D {
                k += 1
                result.append(ValueCase(statements: [input("x", [8, 4], dtype, seed: k), "r = reshape(x, [32]) on \(layout)"], accumulates: false))
            }
        }
        for (a, b) in [("Grid(2, 2)", "RowPartition(4)"), ("ColPartition(4)", "Grid(4, 2)"), ("RowPartition(2)", "ColPartition(4)")] {
            k += 1
            result.append(
                ValueCase(
                    statements: [input("x", [8, 16], .f32, seed: k), "u = x - 1 on \(a)", "r = reshape(u, [16, 8]) on \(b)"],
                    accumulates: false))
        }
        // Pure layout transforms: a value computed on one layout, moved to another through the router.
        let layouts: [Layout] = [
            .singlePE, .rowPartition(2), .rowPartition(4), .colPartition(2), .colPartition(4),
            .grid(rows: 2, cols: 2), .grid(rows: 2, cols: 4), .grid(rows: 4, cols: 2),
        ]
        for (i, from) in grids2D.enumerated() {
            for (j, to) in layouts.enumerated() where i != j {
                k += 1
                let dtype: DType = [.f32, .f16, .i32][k % 3]
                let shape = shapes2D[k % shapes2D.count]
                result.append(ValueCase(statements: [input("x", shape, dtype, seed: k), "r = neg(x) on \(from)"], transform: to, accumulates: false))
            }
        }
        let layouts1DValues: [Layout] = [.singlePE, .rowPartition(2), .rowPartition(4), .colPartition(4)]
        for (i, from) in layouts1D.enumerated() {
            for (j, to) in layouts1DValues.enumerated() where i != j {
                k += 1
                result.append(
                    ValueCase(
                        statements: [input("x", [16], k % 2 == 0 ? .f32 : .f16, seed: k), "r = abs(x) on \(from)"],
                        transform: to, accumulates: false))
            }
        }
        return result
    }
}

@Suite struct ValueTableTests {
    @Test(arguments: ValueTable.cases)
    func simulatedResultEqualsTheReference(_ c: ValueCase) throws {
        let source = makeProgram(c.statements)
        var graph = source.graph
        var id = try #require(source.bindings["r"], "r was not defined")
        if let layout = c.transform {
            let node = graph[id]!
            #expect(node.resultLayout != layout)
            id = graph.add(op: .layoutTransform, inputs: [id], type: node.type, layout: layout, value: node.value)
        }
        let run = try simulateProgram(graph, result: id, options: source.options)
        #expect(run.outcome == .finished)
        #expect(run.simulation.cores.allSatisfy { $0.isFinished })
        let comparison = run.comparison
        #expect(comparison.readable)
        #expect(comparison.count == graph[id]!.type.shape.elementCount)
        #expect(comparison.matches, "mismatch at \(comparison.mismatch.map { "\($0.index): simulated \($0.simulated), reference \($0.reference)" } ?? "-")")
        if !c.accumulates {
            // docs/language.md: no reduction or matmul (or integers): bit for bit, no tolerance.
            #expect(comparison.maxTolerance == nil)
            #expect(comparison.maxError == 0)
        }
    }

    /// The table covers what the brief asks: the number of rows per kind, so a refactor cannot drop a kind.
    @Test func theTableCoversEveryKind() {
        let all = ValueTable.cases
        #expect(ValueTable.elementwise.count >= 300)
        #expect(ValueTable.reductions.count >= 550)
        #expect(ValueTable.matmuls.count >= 50)
        #expect(ValueTable.movements.count >= 140)
        #expect(ValueTable.uneven.count >= 40)
        for f in UnaryFunction.allCases { #expect(all.contains { $0.statements.last!.contains("\(f.rawValue)(x)") }) }
        for f in ReduceFunction.allCases {
            for layout in ValueTable.grids2D {
                #expect(all.contains { $0.statements.last!.hasPrefix("r = \(f.rawValue)(x") && $0.statements.last!.hasSuffix("on \(layout)") })
            }
        }
        #expect(all.contains { $0.statements.contains { $0.contains("dtype=i32") } })
        #expect(all.contains { $0.statements.contains { $0.contains("dtype=f16") } })
    }
}
