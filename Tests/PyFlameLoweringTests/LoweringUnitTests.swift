import Testing
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport

/// A graph built from `statements` by the front end, each of which must succeed.
func session(_ statements: String...) throws -> SourceProgram {
    try SourceProgram(statements)
}

/// `name`'s cone lowered with the source's fabric and the default budget.
func lower(_ source: SourceProgram, _ name: String, architecture: Architecture = .wse2) throws -> FabricProgram {
    let id = try #require(source.bindings[name])
    return try Lowering.lower(source.graph, result: id, options: options(source, architecture))
}

func options(_ source: SourceProgram, _ architecture: Architecture = .wse2) -> LoweringOptions {
    LoweringOptions(architecture: architecture, fabric: source.fabric, peDataBudget: 36864)
}

/// Every structural invariant and the values, for a program the test expects to be right.
func expectSound(_ program: FabricProgram, _ source: SourceProgram, architecture: Architecture = .wse2, sourceLocation: SourceLocation = #_sourceLocation) {
    let violations = ProgramChecker.violations(program, graph: source.graph, options: options(source, architecture))
    #expect(violations.isEmpty, "\(violations.prefix(5).joined(separator: "\n"))", sourceLocation: sourceLocation)
    if violations.isEmpty {
        let values = FabricInterpreter.valueViolations(program, graph: source.graph)
        #expect(values.isEmpty, "\(values.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}

/// The color a chain hop from `pe` uses: the route there that takes from the core and sends `direction`.
func hopColor(_ program: FabricProgram, at pe: PECoord, toward direction: Direction) -> ColorID? {
    program.routes.first { $0.pe == pe && $0.rx == [.ramp] && $0.tx == DirectionSet([direction]) }?.color
}

@Suite("Lowering: colors, SUMMA, placement, reductions")
struct LoweringUnitTests {
    // MARK: - Checkerboard

    @Test func rowChainUsesTwoAlternatingColors() throws {
        let source = try session("fabric 8x8", "x = randn([16, 16], seed=4)", "s = sum(x, dim=1) on ColPartition(4)")
        let program = try lower(source, "s")
        expectSound(program, source)
        #expect(program.colors.map(\.id) == [0, 1])
        let origin = try #require(program.ops.last).origin
        let hops = try (1..<4).map { x in try #require(hopColor(program, at: PECoord(origin.x + x, origin.y), toward: .west)) }
        #expect(Set(hops) == [0, 1])
        for i in 1..<hops.count { #expect(hops[i] != hops[i - 1], "hops \(hops) do not alternate") }
        // Middle PEs carry both colors: one hop arrives, the next leaves.
        for x in 1..<3 {
            let here = Set(program.routes.filter { $0.pe == PECoord(origin.x + x, origin.y) }.map(\.color))
            #expect(here == [0, 1])
        }
    }

    @Test func gridRowsReuseTheSameTwoColors() throws {
        let source = try session("fabric 8x8", "x = randn([16, 16], seed=4)", "g = sum(x, dim=1) on Grid(4, 4)")
        let program = try lower(source, "g")
        expectSound(program, source)
        #expect(program.colors.map(\.id) == [0, 1], "four row chains should share colors 0 and 1")
        let origin = try #require(program.ops.last).origin
        var rows: [[ColorID]] = []
        for y in 0..<4 {
            let hops = try (1..<4).map { x in try #require(hopColor(program, at: PECoord(origin.x + x, origin.y + y), toward: .west)) }
            for i in 1..<hops.count { #expect(hops[i] != hops[i - 1]) }
            rows.append(hops)
        }
        #expect(Set(rows.map { $0.description }).count == 1, "every row alternates the same way: \(rows)")
        // Dim 1 combines along rows only: nothing goes north or south.
        #expect(program.routes.allSatisfy { !$0.tx.contains(.north) && !$0.tx.contains(.south) })
    }

    // MARK: - SUMMA

    @Test(arguments: [(2, 4), (3, 3), (4, 2), (2, 5), (5, 3)])
    func summaUsesRowsPlusColumnsColors(rows: Int, cols: Int) throws {
        let source = try session(
            "fabric 12x12", "p = randn([\(rows * 3), 60], seed=1)", "q = randn([60, \(cols * 2)], seed=2)",
            "m = p @ q on Grid(\(rows), \(cols))")
        // A corner PE sends or receives on every row's and column's color, more than the six queues 2–7:
        // it receives on rows + cols - 2 of them and sends on 2, never two on one queue in a step, so input
        // and output queues from separate ID spaces fit WSE-3 too.
        let program = try lower(source, "m", architecture: .wse3)
        expectSound(program, source, architecture: .wse3)
        #expect(program.pes.allSatisfy { $0.queueBinding == .perColor })
        expectSound(try lower(source, "m", architecture: .wse2), source, architecture: .wse2)
        let matmul = try #require(program.ops.first { $0.pattern.title == "Matmul" })
        #expect(matmul.colors.count == rows + cols)
        #expect(program.colors.count == rows + cols)
        guard case .matmul(let pattern) = matmul.pattern else {
            Issue.record("the matmul's pattern is \(matmul.pattern)")
            return
        }
        #expect(pattern.grid == OpPattern.SummaGrid(rows: rows, columns: cols, segments: pattern.grid?.segments ?? 0))
        #expect(pattern.m == rows * 3 && pattern.k == 60 && pattern.n == cols * 2)
    }

    @Test func summaBeyondTheMulticastRelaysItsPanelsInEightColors() throws {
        // Multicast would need 10 + 11 = 21 colors (all of 0...20): the relay routes 8, two per link direction.
        let source = try session("fabric 40x40", "p = randn([10, 110], seed=1)", "q = randn([110, 11], seed=2)", "m = p @ q on Grid(10, 11)")
        let program = try lower(source, "m")
        expectSound(program, source)
        #expect(program.colors.map(\.id) == Array(0..<Lowering.matmulColorsPerPE))
        let matmul = try #require(program.ops.first { $0.pattern.title == "Matmul" })
        #expect(matmul.algorithm.contains("with relayed panels") && matmul.algorithm.contains("8 colors"), "\(matmul.algorithm)")
    }

    @Test func summaOverTheOldColorCeilingLowersOnBothChips() throws {
        // Grid(11, 11) needed 22 colors, over the budget of 21, and was refused; relayed, it takes 8.
        let source = try session("fabric 40x40", "p = randn([22, 22], seed=1)", "q = randn([22, 22], seed=2)", "m = p @ q on Grid(11, 11)")
        for architecture in [Architecture.wse2, .wse3] {
            let program = try lower(source, "m", architecture: architecture)
            expectSound(program, source, architecture: architecture)
            #expect(program.colors.count <= Lowering.matmulColorsPerPE)
        }
    }

    // MARK: - Fabric size

    @Test func programLargerThanTheFabricIsRefusedWithTheSizeItNeeds() throws {
        let source = try session("fabric 8x8", "x = randn([8, 8], seed=1)", "a = x * 2 on Grid(4, 8)", "fabric 4x4")
        let error = try #require(#expect(throws: LoweringError.self) { try lower(source, "a") })
        #expect(error.kind == .fabricTooSmall(width: 8, height: 4, fabric: FabricSize(width: 4, height: 4)), "\(error.kind)")
        // A statement whose layout cannot fit is refused at once, with the block it needs.
        var more = source
        let refused = #expect(throws: SourceProgramError.self) { try more.run("b = x * 3 on Grid(4, 8)") }
        #expect(refused?.message.contains("8x4") == true, "\(String(describing: refused))")
    }

    // MARK: - Placement

    @Test func opsWithMatchingLayoutsShareABlock() throws {
        let source = try session(
            "fabric 12x12", "x = randn([8, 8], seed=1)",
            "a = sum(x, dim=0) on Grid(2, 2)", "b = max(x, dim=1) on Grid(2, 2)", "s = a + b")
        let program = try lower(source, "s")
        expectSound(program, source)
        let a = try #require(source.bindings["a"]), b = try #require(source.bindings["b"])
        let opA = try #require(program.ops.first { $0.nodes.contains(a) })
        let opB = try #require(program.ops.first { $0.nodes.contains(b) })
        #expect(opA.layout == .grid(rows: 2, cols: 2) && opB.layout == .grid(rows: 2, cols: 2))
        #expect(opA.origin == opB.origin, "both Grid(2, 2) reductions run on one block")
        // The value b needs in another layout moves to a block of its own, beside the grid.
        let move = try #require(program.ops.first { if case .layoutTransform = $0.pattern { return true } else { return false } })
        #expect(move.origin != opA.origin)
        let grid = Set(Layout.grid(rows: 2, cols: 2).pes.map { PECoord(opA.origin.x + $0.x, opA.origin.y + $0.y) })
        let moved = Set(move.layout.pes.map { PECoord(move.origin.x + $0.x, move.origin.y + $0.y) })
        #expect(grid.isDisjoint(with: moved))
    }

    @Test func elementwiseOpsOnOneLayoutFuseOnOneBlock() throws {
        let source = try session("fabric 8x8", "a = arange(1024)", "b = relu(a - 512) * 2 on RowPartition(4)")
        let program = try lower(source, "b")
        expectSound(program, source)
        #expect(program.ops.count == 1)
        #expect(program.ops[0].fusedOps == ["sub", "relu", "mul"])
        #expect(program.pes.map(\.pe) == (0..<4).map { PECoord(0, $0) })
        #expect(program.routes.isEmpty)
    }

    // MARK: - Where reductions end

    @Test func reductionAlongDim0EndsOnTheFirstRow() throws {
        let source = try session("fabric 8x8", "x = randn([16, 16], seed=3)", "s = sum(x, dim=0) on Grid(4, 4)")
        let program = try lower(source, "s")
        expectSound(program, source)
        let output = try #require(program.hostOutputs.first)
        let origin = output.origin
        #expect(output.layout == .colPartition(4))
        #expect(source.graph[source.bindings["s"]!]!.resultLayout == .colPartition(4))
        #expect(output.pieces.map(\.pe) == (0..<4).map { PECoord(origin.x + $0, origin.y) })
        // Partials travel north only.
        #expect(program.routes.allSatisfy { !$0.tx.contains(.east) && !$0.tx.contains(.west) && !$0.tx.contains(.south) })
    }

    @Test func reductionAlongDim1EndsOnTheFirstColumn() throws {
        let source = try session("fabric 8x8", "x = randn([16, 12], seed=3)", "s = mean(x, dim=1) on Grid(4, 3)")
        let program = try lower(source, "s")
        expectSound(program, source)
        let output = try #require(program.hostOutputs.first)
        #expect(output.layout == .rowPartition(4))
        #expect(output.pieces.map(\.pe) == (0..<4).map { PECoord(output.origin.x, output.origin.y + $0) })
        #expect(program.routes.allSatisfy { !$0.tx.contains(.east) && !$0.tx.contains(.north) && !$0.tx.contains(.south) })
    }

    @Test(arguments: ["max(x) on Grid(3, 4)", "sum(x, dim=0) on RowPartition(4)", "min(x, dim=1) on ColPartition(4)", "mean(x) on RowPartition(3)"])
    func reductionOverEveryPEEndsOnTheBlocksFirstPE(_ expression: String) throws {
        let source = try session("fabric 8x8", "x = randn([12, 12], seed=5)", "s = \(expression)")
        let program = try lower(source, "s")
        expectSound(program, source)
        let output = try #require(program.hostOutputs.first)
        let op = try #require(program.ops.last)
        #expect(output.layout == .singlePE)
        #expect(output.pieces.map(\.pe) == [op.origin])
    }

    @Test func unevenTilesReduceWithTheirOwnCounts() throws {
        // 7 rows over 4 PE rows: tiles of 2, 2, 2 and 1 row; each row's chain carries its own count.
        let source = try session(
            "fabric 8x8", "x = full([7, 10], 3, dtype=i32)", "s = sum(x, dim=1) on Grid(4, 5)",
            "y = randn([13, 11], seed=1, dtype=f16)", "m = mean(y, dim=1, keepdim=true) on RowPartition(7)")
        for name in ["s", "m"] {
            let program = try lower(source, name)
            expectSound(program, source)
        }
    }

    // MARK: - Host tensors read twice on one block

    /// A host tensor moved (reshape, transpose) on a block where an elementwise op also took a
    /// broadcast piece of it: the second movement must read the tile copies, not the broadcast piece.
    @Test func hostTensorMovedAfterABroadcastReadsItsOwnTiles() throws {
        let source = try session(
            "fabric 8x8", "x = arange(8)", "y = ones([2, 8])",
            "r1 = reshape(x, [2, 4]) on RowPartition(2)", "z = y + x on RowPartition(2)",
            "r2 = transpose(x) on RowPartition(2)", "k = reshape(r1, [8]) + r2 on RowPartition(2)",
            "f = matmul(reshape(k, [1, 8]), reshape(z, [8, 2])) on SinglePE")
        for name in ["r2", "k", "f"] {
            expectSound(try lower(source, name), source)
        }
    }

    // MARK: - A long program

    /// The shape of pyflame-bench's 100-op program: four rounds on four grids of fused elementwise
    /// chains, SUMMA, a transpose and a full reduction, the value moving from grid to grid, and a sum
    /// of the reductions gathered on the first block. Every flow keeps its color for the whole program.
    @Test func hundredOpProgramLowersSoundly() throws {
        var lines = ["fabric 64x64", "x0 = randn([32, 32], seed=1)", "w = randn([32, 32], seed=2)"]
        for (r, g) in ["Grid(4, 4)", "Grid(2, 2)", "Grid(1, 1)", "Grid(4, 2)"].enumerated() {
            lines += [
                "a\(r) = relu(x\(r) * 0.5 + 1) on \(g)", "b\(r) = a\(r) @ w on \(g)", "c\(r) = tanh(b\(r) / 8) * 2 - 1 on \(g)",
                "d\(r) = transpose(c\(r)) on \(g)", "e\(r) = sigmoid(d\(r)) + d\(r) * 0.25 on \(g)",
                "f\(r) = exp(-abs(e\(r))) * e\(r) + sqrt(abs(e\(r)) + 1) on \(g)", "x\(r + 1) = gelu(f\(r)) - silu(e\(r)) on \(g)",
                "s\(r) = \(["max", "sum", "mean", "min"][r])(x\(r + 1)) on \(g)",
            ]
        }
        lines.append("z = s0 + s1 + s2 + s3")
        let source = try SourceProgram(lines)
        let cone = source.graph.cone(of: try #require(source.bindings["z"]))
        #expect(cone.count >= 100)
        // PE (0,0) touches more colors than there are queues (11; 14 before relays shared one color per
        // hop): WSE-2 rebinds its queues per step; WSE-3 cannot and refuses it when lowering (never later,
        // when emitting).
        do {
            _ = try lower(source, "z", architecture: .wse3)
            Issue.record("WSE-3 took a PE with more colors than queues")
        } catch {
            guard case .queueColors(_, let colors, let queues)? = (error as? LoweringError)?.kind else { Issue.record("\(error)"); return }
            #expect(colors > queues)
        }
        let program = try lower(source, "z", architecture: .wse2)
        expectSound(program, source, architecture: .wse2)
        #expect(program.pes.contains { $0.queueBinding == .perStep })
        #expect(program.colors.allSatisfy { (0...20).contains($0.id) })
    }

    // MARK: - The generator and the checker themselves

    @Test func generatorIsDeterministic() {
        var first = ProgramGenerator(seed: 42), second = ProgramGenerator(seed: 42), other = ProgramGenerator(seed: 43)
        first.generate()
        second.generate()
        other.generate()
        #expect(first.log.map(\.statement) == second.log.map(\.statement))
        #expect(first.log.map(\.statement) != other.log.map(\.statement))
        var a = SplitMix64(seed: 0)
        #expect(a.next() == 0xE220_A839_7B1D_CDAF)  // Vigna's reference first output for seed 0
    }

    /// A program with routes, multicast and steps of every kind to break on purpose.
    func sample() throws -> (FabricProgram, SourceProgram) {
        let source = try session(
            "fabric 8x8", "p = randn([4, 6], seed=1)", "q = randn([6, 4], seed=2)", "m = p @ q on Grid(2, 2)",
            "s = sum(m, dim=1) on Grid(2, 2)")
        let program = try lower(source, "s")
        expectSound(program, source)
        return (program, source)
    }

    func violations(_ program: FabricProgram, _ source: SourceProgram) -> [String] {
        ProgramChecker.violations(program, graph: source.graph, options: options(source))
    }

    @Test func checkerCatchesBrokenRoutes() throws {
        let (good, source) = try sample()
        let hop = try #require(good.routes.firstIndex { $0.tx.contains(.east) || $0.tx.contains(.west) || $0.tx.contains(.south) })
        var missing = good
        missing.routes.remove(at: hop)
        #expect(violations(missing, source).contains { $0.contains("does not send") || $0.contains("no RAMP") || $0.contains("deliver") })
        var doubled = good
        doubled.routes.append(good.routes[0])
        #expect(violations(doubled, source).contains { $0.contains("two route configs") })
        var reserved = good
        reserved.routes[0].color = 22
        #expect(violations(reserved, source).contains { $0.contains("outside 0...20") })
        var offFabric = good
        offFabric.routes[0].tx.insert(.north)
        offFabric.routes[0].pe = PECoord(offFabric.routes[0].pe.x, 0)
        #expect(violations(offFabric, source).contains { $0.contains("off fabric") })
    }

    @Test func checkerCatchesCountsMemoryQueuesRolesAndTiles() throws {
        let (good, source) = try sample()
        // A receive that takes one wavelet fewer than is sent.
        var short = good
        let (p, s) = try #require(
            short.pes.indices.lazy.compactMap { p in
                short.pes[p].steps.firstIndex {
                    if case .fabric(let ops) = $0 { return ops.contains { if case .receive = $0 { true } else { false } } }; return false
                }.map { (p, $0) }
            }.first)
        guard case .fabric(var ops) = short.pes[p].steps[s] else { return }
        let r = try #require(ops.firstIndex { if case .receive = $0 { true } else { false } })
        guard case .receive(var access, let color, let combine) = ops[r] else { return }
        access.extents[access.extents.count - 1] -= 1
        ops[r] = .receive(access, color: color, combine: combine)
        short.pes[p].steps[s] = .fabric(ops)
        #expect(violations(short, source).contains { $0.contains("routes deliver") })
        // An access past the end of its buffer, and a budget overrun.
        var overrun = good
        guard
            case .compute(.matmulAccumulate(var c, let a, let b, let m, let k, let n)) = overrun.pes[0].steps.first(where: {
                if case .compute(.matmulAccumulate) = $0 { true } else { false }
            })
        else {
            Issue.record("no matmul step")
            return
        }
        let i = overrun.pes[0].steps.firstIndex { if case .compute(.matmulAccumulate) = $0 { true } else { false } }!
        c.offset += 1
        overrun.pes[0].steps[i] = .compute(.matmulAccumulate(c: c, a: a, b: b, m: m, k: k, n: n))
        #expect(violations(overrun, source).contains { $0.contains("reaches offsets") })
        var heavy = good
        heavy.pes[0].buffers[0].count = 20000
        heavy.pes[0].buffers[0].shape = [20000]
        #expect(violations(heavy, source).contains { $0.contains("over the budget") })
        // Too many operations in one step (one microthread each), and a color twice in one step.
        var crowded = good
        let send = FabricOperation.send(BufferAccess(buffer: 0, extents: [1]), color: 0)
        crowded.pes[0].steps.append(.fabric([FabricOperation](repeating: send, count: 8)))
        crowded.pes[0].stepNodes.append(0)
        let queueViolations = ProgramChecker.queueViolations(crowded, options: options(source))
        #expect(queueViolations.contains { $0.contains("runs 8 fabric operations at once") } && queueViolations.contains { $0.contains("color twice") })
        // A PE in no role, and a result piece missing.
        var roleless = good
        roleless.roles[0].pes.removeFirst()
        #expect(violations(roleless, source).contains { $0.contains("in 0 roles") })
        var partial = good
        partial.hostOutputs[0].pieces.removeLast()
        #expect(violations(partial, source).contains { $0.contains("miss") })
    }

    @Test func interpreterCatchesDataInTheWrongPlace() throws {
        let (good, source) = try sample()
        var swapped = good
        try #require(swapped.hostOutputs[0].pieces.count >= 2)
        let tile = swapped.hostOutputs[0].pieces[0].tile
        swapped.hostOutputs[0].pieces[0].tile = swapped.hostOutputs[0].pieces[1].tile
        swapped.hostOutputs[0].pieces[1].tile = tile
        #expect(!FabricInterpreter.valueViolations(swapped, graph: source.graph).isEmpty)
        var lost = good
        let route = try #require(lost.routes.firstIndex { $0.tx.contains(.ramp) && !$0.rx.contains(.ramp) })
        lost.routes[route].tx = DirectionSet([])
        #expect(FabricInterpreter.valueViolations(lost, graph: source.graph).contains { $0.contains("deadlock") })
    }
}

/// The lowering's own moves: two operands of one layout that live on different blocks (a reduction's result
/// on its grid's block, a value on the layout's own block) meet through a relocation the lowering decides.
@Suite struct RelocationTests {
    @Test func operandsOfOneLayoutOnTwoBlocksMeetThroughARelocation() throws {
        let source = try session(
            "fabric 16x16", "m = randn([6, 8], seed=3)", "n = ones([8]) * 2 on ColPartition(4)", "g = m + 1 on Grid(2, 4)",
            "s0 = sum(g, dim=0)", "t = (s0 + n) * n on ColPartition(4)")
        // The front end records no move: both operands are already on ColPartition(4).
        #expect(!source.graph.nodes.values.contains { if case .layoutTransform = $0.op { true } else { false } })
        let program = try lower(source, "t")
        expectSound(program, source)
        // n travels from its own block to the block where s0 lives (one point-to-point flow per PE pair).
        #expect(!program.routes.isEmpty)
        #expect(program.colors.contains { $0.carries.hasPrefix("relocation of") }, "\(program.colors.map(\.carries))")
    }
}
