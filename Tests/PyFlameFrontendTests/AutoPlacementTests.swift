import PyFlameFrontend
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport
import Testing

/// The `auto` rule (issue 15, item 4): an operand's layout first, then one PE, then the squarest grid
/// that fits memory; host-side scaling is recomputed where it is read; an `on LAYOUT` clause places the
/// statement's result, and an intermediate it cannot hold takes `auto`'s layout.
@Suite struct AutoPlacementTests {
    let wafer = PlacementLimits(fabric: Architecture.wse2.usableFabric)

    /// The `layout_transform` nodes in `name`'s cone.
    func moves(in source: SourceProgram, of name: String) -> Int {
        source.graph.cone(of: source.bindings[name]!).filter {
            if case .layoutTransform = source.graph[$0]!.op { return true } else { return false }
        }.count
    }

    /// Whether some grid whose longer side is `side` holds the op.
    func someGridFits(side: Int, _ op: Op, _ inputs: [TensorType], _ result: TensorType) -> Bool {
        (1...side).contains { other in
            [Layout.grid(rows: side, cols: other), .grid(rows: other, cols: side)].contains {
                (try? OpPlacement.check(op, inputs: inputs, result: result, on: $0, limits: wafer)) != nil
            }
        }
    }

    @Test func exp512SquaredTakesASquareGrid() throws {
        let t = TensorType([512, 512], .f32)
        let chosen = try OpPlacement.chooseLayout(for: .unary(.exp), inputs: [t], inputLayouts: [.host], result: t, limits: wafer)
        // No grid with a longer side of 7 holds it; of those with 8, 8x8 is the only one.
        #expect(chosen == .grid(rows: 8, cols: 8))
        #expect(!someGridFits(side: 7, .unary(.exp), [t], t))
    }

    @Test func aMatrixVectorProductTakesAGridOverItsMatrix() throws {
        // Its result is a vector, but the grid tiles A: auto tried only Grid(n, 1) and refused what Grid(8, 8) holds.
        let a = TensorType([64, 64], .f32), v = TensorType([64], .f32), w = TensorType([64], .f32)
        let limits = PlacementLimits(fabric: FabricSize(width: 8, height: 8), peDataBudget: 1000)
        let chosen = try OpPlacement.chooseLayout(for: .matmul, inputs: [a, v], inputLayouts: [.host, .host], result: w, limits: limits)
        guard case .grid(let r, let c) = chosen else {
            Issue.record("auto chose \(chosen)")
            return
        }
        #expect(c > 1 && max(r, c) <= 8, "\(chosen)")
        try OpPlacement.check(.matmul, inputs: [a, v], result: w, on: chosen, limits: limits)
    }

    @Test func matmul512SquaredTakesASquarishGridCountingItsPanels() throws {
        let t = TensorType([512, 512], .f32)
        let chosen = try OpPlacement.chooseLayout(for: .matmul, inputs: [t, t], inputLayouts: [.host, .host], result: t, limits: wafer)
        // SUMMA holds a received A panel and B panel beside the three tiles: Grid(10, 10)'s tiles alone fit,
        // with the panels they do not.
        let tenByTen = try OpPlacement.bytesPerPE(.matmul, inputs: [t, t], result: t, on: .grid(rows: 10, cols: 10))
        #expect(tenByTen == 5 * 52 * 52 * 4)
        #expect(tenByTen > wafer.peDataBudget)
        // The smallest longer side that fits is 13; of those grids, the fewest PEs: 13 rows of 11.
        #expect(!someGridFits(side: 12, .matmul, [t, t], t))
        #expect(chosen == .grid(rows: 13, cols: 11))
    }

    @Test func aLayerReadingAScaledWeightCountsTheWeightsHostTile() throws {
        // SinglePE held X, W1 and h (32 KB) but not the randn W1 is computed from beside them: auto chose it
        // and the lowering refused 40,960 B.
        let source = try SourceProgram(["X = randn([32, 64], seed=28)", "W1 = randn([64, 64], seed=29) * 0.0625", "h = relu(X @ W1)"])
        #expect(source.node("h")?.layout != .singlePE)
        _ = try source.lower("h")
    }

    @Test func aDifferenceWithABroadcastOperandGoesToTheOperandsGrid() throws {
        let source = try SourceProgram([
            "fabric 8x8", "A = randn([64, 64], seed=1)", "mu = sum(A, dim=1, keepdim=true) on Grid(4, 4)", "d = A - mu",
        ])
        #expect(source.node("d")?.layout == .grid(rows: 4, cols: 4))
        _ = try source.lower("d")
    }

    @Test func hostSideScalingIsRecomputedWhereItIsRead() throws {
        let source = try SourceProgram([
            "fabric 16x16", "W1 = randn([256, 256], seed=1) * 0.0625", "x = randn([256, 256], seed=2)",
            "h = x * W1 on Grid(8, 8)",
        ])
        // W1 alone takes a block of its own; read on Grid(8, 8) it is scaled there, not moved.
        let w1 = source.bindings["W1"]!
        #expect(!source.graph.cone(of: source.bindings["h"]!).contains(w1))
        #expect(moves(in: source, of: "h") == 0)
        _ = try source.lower("h")
    }

    @Test func twoScaledWeightsDoNotShareOneBlock() throws {
        let source = try SourceProgram([
            "fabric 16x16", "W1 = randn([128, 128], seed=1) * 0.0625", "W2 = randn([128, 128], seed=2) * 0.0625",
            "x = randn([16, 128], seed=3)", "h = x @ W1", "y = h @ W2",
        ])
        // Each weight is scaled where its matmul reads it; neither has a block of its own or moves.
        let cone = source.graph.cone(of: source.bindings["y"]!)
        #expect(!cone.contains(source.bindings["W1"]!) && !cone.contains(source.bindings["W2"]!))
        #expect(moves(in: source, of: "y") == 0)
        // (y itself still holds each weight's host tile beside its scaled tile until buffers are reused.)
        _ = try source.lower("h")
    }

    @Test func aWeightPlacedByTheUserMovesAsWritten() throws {
        let source = try SourceProgram([
            "fabric 16x16", "W1 = randn([64, 64], seed=1) * 0.0625 on SinglePE", "x = randn([64, 64], seed=3)", "h = x * W1 on Grid(2, 2)",
        ])
        #expect(source.graph.cone(of: source.bindings["h"]!).contains(source.bindings["W1"]!))
        #expect(moves(in: source, of: "h") == 1)
    }

    @Test func aLayoutClausePlacesTheResultAndABroadcastIntermediateWhereItFits() throws {
        let source = try SourceProgram([
            "fabric 8x8", "x = randn([8, 8], seed=1)", "m = sum(x, dim=1, keepdim=true) on Grid(2, 2)", "y = x - m*2 on Grid(2, 2)",
        ])
        #expect(source.node("y")?.layout == .grid(rows: 2, cols: 2))
        _ = try source.lower("y")
        // The result itself still must fit the clause.
        #expect(throws: SourceProgramError.self) {
            _ = try SourceProgram(["fabric 8x8", "x = randn([8, 1], seed=1)", "y = x * 2 on Grid(2, 2)"])
        }
    }

    /// A refused move, or a refused op whose operands move, names only a layout that holds the op and its
    /// moves (item 6): applied, the statement builds. (Grid(2, 1) named Grid(1, 2), where the move of W is over.)
    @Test(arguments: ["Grid(1, 3)", "Grid(2, 1)"])
    func aRefusalNamesALayoutThatBuilds(_ layout: String) throws {
        var source = try SourceProgram(["fabric 16x16", "W = randn([128, 128], seed=1) * 1 on Grid(2, 2)", "x = randn([4, 128], seed=2)"])
        var message = ""
        do {
            try source.run("h = x @ W on \(layout)")
            Issue.record("h on \(layout) was accepted")
        } catch { message = error.message }
        let named = ["`on ", "it fits on "].lazy.compactMap { marker in
            message.range(of: marker).map { String(message[$0.upperBound...].prefix { $0 != "`" && $0 != ";" && $0 != "\n" }) }
        }.first
        let suggested = try #require(named, "\(message)")
        // `it fits on Grid(2, 2))` closes the refusal's bracket too.
        let cut = suggested.filter({ $0 == ")" }).count > suggested.filter({ $0 == "(" }).count ? String(suggested.dropLast()) : suggested
        try source.run("h = x @ W on \(cut)")
    }
}
