import PyFlameIR
import Testing

@Suite struct TilingTests {
    let f32x1024 = TensorType([1024], .f32)

    @Test func rowPartitionSplitsDimZeroIntoCeilBlocksDownAColumn() throws {
        let tiling = try Tiling(TensorType([10, 6], .f32), on: .rowPartition(4))
        #expect(tiling.tile(for: PECoord(0, 0)).ranges == [0..<3, 0..<6])
        #expect(tiling.tile(for: PECoord(0, 2)).ranges == [6..<9, 0..<6])
        #expect(tiling.tile(for: PECoord(0, 3)).ranges == [9..<10, 0..<6])  // the uneven last tile
        #expect(tiling.bytes(for: PECoord(0, 3)) == 6 * 4)
        #expect(tiling.maxTileBytes == 18 * 4)
    }

    @Test func colPartitionSplitsDimOneOfAMatrixAndDimZeroOfAVector() throws {
        let matrix = try Tiling(TensorType([4, 8], .f16), on: .colPartition(4))
        #expect(matrix.tile(for: PECoord(1, 0)).ranges == [0..<4, 2..<4])
        #expect(matrix.bytes(for: PECoord(1, 0)) == 8 * 2)
        let vector = try Tiling(f32x1024, on: .colPartition(4))
        #expect(vector.tile(for: PECoord(3, 0)).ranges == [768..<1024])
    }

    @Test func gridSplitsRowsOverYAndColumnsOverX() throws {
        let tiling = try Tiling(TensorType([64, 32], .f32), on: .grid(rows: 4, cols: 2))
        #expect(Layout.grid(rows: 4, cols: 2).blockSize == (2, 4))
        #expect(tiling.tile(for: PECoord(1, 3)).ranges == [48..<64, 16..<32])
        #expect(tiling.tile(for: PECoord(0, 0)).description == "[0:16, 0:16]")
        #expect(Layout.grid(rows: 2, cols: 4).pes.count == 8)
        #expect(Layout.grid(rows: 2, cols: 4).pes.last == PECoord(3, 1))
    }

    @Test func everyTileOfAnUnevenSplitIsNonEmptyAndTheyCoverTheTensor() throws {
        for n in 1...40 {
            for p in 1...min(n, 12) {
                guard let tiling = try? Tiling(TensorType([n], .f32), on: .rowPartition(p)) else { continue }
                let counts = (0..<p).map { tiling.tile(for: PECoord(0, $0)).elementCount }
                #expect(counts.allSatisfy { $0 > 0 })
                #expect(counts.reduce(0, +) == n)
            }
        }
    }

    @Test func aSplitThatLeavesAPEEmptyIsRefusedNamingThePE() {
        #expect(
            throws: IRError("RowPartition(4) leaves PE (0,3) with an empty tile: dim 0 of tensor<9xf32> has 9 elements, in blocks of 3 they fill 3 of 4 PEs")
        ) {
            try Tiling(TensorType([9], .f32), on: .rowPartition(4))
        }
        #expect(
            throws: IRError(
                "ColPartition(8) leaves PE (5,0) with an empty tile: dim 1 of tensor<2x10xf32> has 10 elements, in blocks of 2 they fill 5 of 8 PEs")
        ) {
            try Tiling(TensorType([2, 10], .f32), on: .colPartition(8))
        }
        #expect(throws: IRError.self) { try Tiling(TensorType([3], .f32), on: .rowPartition(5)) }
    }

    @Test func layoutsRefuseTensorsOfTheWrongRank() {
        #expect(throws: IRError("Grid(2, 2) splits dims 0 and 1, but tensor<16xf32> is 1-D: use RowPartition or ColPartition")) {
            try Tiling(TensorType([16], .f32), on: .grid(rows: 2, cols: 2))
        }
        #expect(throws: IRError("RowPartition(2) cannot split a scalar: use SinglePE")) {
            try Tiling(TensorType([], .f32), on: .rowPartition(2))
        }
        #expect(throws: IRError.self) { try Tiling(TensorType([2, 2, 2], .f32), on: .rowPartition(2)) }
        #expect((try? Tiling(TensorType([2, 2, 2], .f32), on: .singlePE)) != nil)
    }
}

@Suite struct OpPlacementTests {
    let limits = PlacementLimits(fabric: FabricSize(width: 8, height: 8))

    @Test func aTileOverTheBudgetIsRefusedWithBytesAndBudget() throws {
        let big = TensorType([128, 128], .f32)
        #expect(throws: IRError("PE (0,0) needs 196608 B of data, budget 36864 B (add on SinglePE; it fits on Grid(3, 2))")) {
            try OpPlacement.check(.binary(.add, scalar: nil), inputs: [big, big], result: big, on: .singlePE, limits: limits)
        }
        // 2×2 quarters it, 4×4 fits: 3 tiles of 32×32 f32 = 12 KiB.
        #expect(throws: IRError.self) {
            try OpPlacement.check(.binary(.add, scalar: nil), inputs: [big, big], result: big, on: .grid(rows: 2, cols: 2), limits: limits)
        }
        #expect(try OpPlacement.check(.binary(.add, scalar: nil), inputs: [big, big], result: big, on: .grid(rows: 4, cols: 4), limits: limits) == 12288)
    }

    @Test func theBudgetIsASetting() throws {
        let t = TensorType([1024], .f32)
        let tight = PlacementLimits(fabric: limits.fabric, peDataBudget: 8191)
        #expect(try OpPlacement.check(.unary(.relu), inputs: [t], result: t, on: .singlePE, limits: limits) == 8192)
        #expect(throws: IRError.self) { try OpPlacement.check(.unary(.relu), inputs: [t], result: t, on: .singlePE, limits: tight) }
    }

    @Test func aLayoutLargerThanTheFabricIsRefused() {
        let t = TensorType([64, 64], .f32)
        #expect(throws: IRError("Grid(4, 16) needs a block of 16x4 PEs; fabric 8x8 has 8 columns and 8 rows")) {
            try OpPlacement.check(.unary(.exp), inputs: [t], result: t, on: .grid(rows: 4, cols: 16), limits: limits)
        }
    }

    @Test func reductionsEndOnTheFirstRowOrColumn() {
        let x = TensorType([16, 16], .f32)
        let sum0 = Op.reduce(.sum, dim: 0, keepdim: false), sum1 = Op.reduce(.sum, dim: 1, keepdim: false)
        #expect(OpPlacement.resultLayout(of: sum0, input: x, on: .grid(rows: 4, cols: 4)) == .colPartition(4))
        #expect(OpPlacement.resultLayout(of: sum1, input: x, on: .grid(rows: 2, cols: 4)) == .rowPartition(2))
        #expect(OpPlacement.resultLayout(of: sum1, input: x, on: .colPartition(4)) == .singlePE)
        #expect(OpPlacement.resultLayout(of: sum0, input: x, on: .colPartition(4)) == .colPartition(4))
        #expect(OpPlacement.resultLayout(of: sum0, input: x, on: .rowPartition(4)) == .singlePE)
        #expect(OpPlacement.resultLayout(of: .reduce(.max, dim: nil, keepdim: false), input: x, on: .grid(rows: 4, cols: 4)) == .singlePE)
        #expect(OpPlacement.resultLayout(of: sum0, input: TensorType([16], .f32), on: .rowPartition(4)) == .singlePE)
    }

    @Test func autoKeepsAFittingOperandLayoutElseTakesTheFewestPEs() throws {
        let v = TensorType([1024], .f32)
        let add = Op.binary(.add, scalar: nil)
        #expect(try OpPlacement.chooseLayout(for: add, inputs: [v, v], inputLayouts: [.host, .host], result: v, limits: limits) == .singlePE)
        #expect(
            try OpPlacement.chooseLayout(for: add, inputs: [v, v], inputLayouts: [.host, .rowPartition(4)], result: v, limits: limits) == .rowPartition(4))
        // 16384 f32 × 3 buffers = 192 KiB: needs ceil(192/36) = 6 PEs in a column.
        let long = TensorType([16384], .f32)
        #expect(try OpPlacement.chooseLayout(for: add, inputs: [long, long], inputLayouts: [.host, .host], result: long, limits: limits) == .rowPartition(6))
        // 128×128 f32 × 3 = 192 KiB: the squarest grid with enough PEs that fits.
        let m = TensorType([128, 128], .f32)
        let chosen = try OpPlacement.chooseLayout(for: add, inputs: [m, m], inputLayouts: [.host, .host], result: m, limits: limits)
        #expect(chosen == .grid(rows: 3, cols: 2))
    }

    @Test func autoRefusesWhatFitsNowhere() {
        let huge = TensorType([4096, 4096], .f32)
        #expect(throws: IRError.self) {
            try OpPlacement.chooseLayout(for: .unary(.exp), inputs: [huge], inputLayouts: [.host], result: huge, limits: limits)
        }
    }

    @Test func matmulRunsOnSinglePEOrGridOnly() throws {
        let a = TensorType([8, 8], .f32)
        #expect(throws: IRError("matmul runs on SinglePE or Grid(r, c), not RowPartition(2)")) {
            try OpPlacement.check(.matmul, inputs: [a, a], result: a, on: .rowPartition(2), limits: limits)
        }
        // Three 4x4 tiles and SUMMA's two 4x4 receive panels (K cut in segments of 4).
        #expect(try OpPlacement.check(.matmul, inputs: [a, a], result: a, on: .grid(rows: 2, cols: 2), limits: limits) == 5 * 16 * 4)
    }
}

@Suite struct GraphTests {
    @Test func topologicalOrderIsIterativeAndHandlesDeepChains() {
        var graph = Graph()
        let t = TensorType([1], .f32)
        var last = graph.add(op: .ones, inputs: [], type: t, layout: .host)
        for _ in 0..<100_000 { last = graph.add(op: .unary(.relu), inputs: [last], type: t, layout: .singlePE) }
        let order = graph.topologicalOrder()
        #expect(order.count == 100_001)
        #expect(order.first == 0 && order.last == last)
        #expect(graph.cone(of: last).count == 100_001)
    }

    @Test func topologicalOrderPutsInputsBeforeUsersWhateverTheIds() {
        var graph = Graph()
        let t = TensorType([1], .f32)
        let a = graph.add(op: .ones, inputs: [], type: t, layout: .host)
        let b = graph.add(op: .zeros, inputs: [], type: t, layout: .host)
        let c = graph.add(op: .binary(.add, scalar: nil), inputs: [a, b], type: t, layout: .singlePE)
        // A node added later that an earlier one is rewired to read (as a pass inserting a transform would).
        let late = graph.add(op: .layoutTransform, inputs: [a], type: t, layout: .singlePE)
        var node = graph[c]!
        node.inputs = [late, b]
        graph.update(node)
        let order = graph.topologicalOrder()
        #expect(order.firstIndex(of: late)! < order.firstIndex(of: c)!)
        #expect(graph.cone(of: c) == [a, b, late, c])
    }

    @Test func whetherANodeIsUsedFollowsAddsRewiresAndRemovals() {
        var graph = Graph()
        let t = TensorType([1], .f32)
        let a = graph.add(op: .ones, inputs: [], type: t, layout: .host)
        let b = graph.add(op: .binary(.add, scalar: nil), inputs: [a, a], type: t, layout: .singlePE)
        #expect(graph.hasUsers(a) && !graph.hasUsers(b))
        let c = graph.add(op: .zeros, inputs: [], type: t, layout: .host)
        var node = graph[b]!
        node.inputs = [c, a]
        graph.update(node)
        #expect(graph.hasUsers(a) && graph.hasUsers(c))
        node.inputs = [c, c]
        graph.update(node)
        #expect(!graph.hasUsers(a) && graph.hasUsers(c))
        #expect(graph.users(of: c) == [b] && graph.users(of: a).isEmpty)
        graph.removeIfUnused(b)
        #expect(graph[b] == nil && graph[c] == nil && graph[a] != nil && !graph.hasUsers(c))
    }

    @Test func removingALongUnusedChainRemovesAllOfIt() {
        var graph = Graph()
        let t = TensorType([1], .f32)
        let first = graph.add(op: .ones, inputs: [], type: t, layout: .host)
        var last = first
        for _ in 0..<100_000 { last = graph.add(op: .unary(.relu), inputs: [last], type: t, layout: .singlePE) }
        let kept = graph.add(op: .unary(.exp), inputs: [first], type: t, layout: .singlePE)
        graph.removeIfUnused(last, keeping: [kept])
        #expect(graph.count == 2 && graph[first] != nil && graph[kept] != nil)
    }

    @Test func removingAnUnusedNodeAlsoRemovesItsUnusedInputs() {
        var graph = Graph()
        let t = TensorType([1], .f32)
        let a = graph.add(op: .ones, inputs: [], type: t, layout: .host)
        let b = graph.add(op: .unary(.exp), inputs: [a], type: t, layout: .singlePE)
        let c = graph.add(op: .unary(.neg), inputs: [b], type: t, layout: .singlePE)
        graph.removeIfUnused(c, keeping: [a])
        #expect(graph[c] == nil && graph[b] == nil)
        #expect(graph[a] != nil)
    }
}
