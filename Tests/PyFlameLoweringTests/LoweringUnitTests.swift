import Testing
import PyFlameIR
import PyFlameLowering
import PyFlameShell

/// A shell that has run `statements`, each of which must succeed.
func session(_ statements: String...) throws -> Shell {
    let shell = Shell()
    for s in statements {
        let result = shell.execute(s)
        try #require(!result.failed, "\(s) → \(result.text)")
    }
    return shell
}

/// `name`'s cone lowered with the shell's fabric and the default budget.
func lower(_ shell: Shell, _ name: String, architecture: Architecture = .wse2) throws -> FabricProgram {
    let id = try #require(shell.session.bindings[name])
    return try Lowering.lower(shell.session.graph, result: id, options: options(shell, architecture))
}

func options(_ shell: Shell, _ architecture: Architecture = .wse2) -> LoweringOptions {
    LoweringOptions(architecture: architecture, fabric: shell.session.fabric, peDataBudget: 36864)
}

/// Every structural invariant and the values, for a program the test expects to be right.
func expectSound(_ program: FabricProgram, _ shell: Shell, architecture: Architecture = .wse2, sourceLocation: SourceLocation = #_sourceLocation) {
    let violations = ProgramChecker.violations(program, graph: shell.session.graph, options: options(shell, architecture))
    #expect(violations.isEmpty, "\(violations.prefix(5).joined(separator: "\n"))", sourceLocation: sourceLocation)
    if violations.isEmpty {
        let values = FabricInterpreter.valueViolations(program, graph: shell.session.graph)
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
        let shell = try session("fabric 8x8", "x = randn([16, 16], seed=4)", "s = sum(x, dim=1) on ColPartition(4)")
        let program = try lower(shell, "s")
        expectSound(program, shell)
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
        let shell = try session("fabric 8x8", "x = randn([16, 16], seed=4)", "g = sum(x, dim=1) on Grid(4, 4)")
        let program = try lower(shell, "g")
        expectSound(program, shell)
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
        let shell = try session(
            "fabric 12x12", "p = randn([\(rows * 3), 60], seed=1)", "q = randn([60, \(cols * 2)], seed=2)",
            "m = p @ q on Grid(\(rows), \(cols))")
        // A corner PE sends or receives on every row's and column's color: beyond the six queues 2–7,
        // only WSE-2 (which rebinds queues per step) takes the program, and WSE-3 refuses it at lowering.
        let architecture: Architecture = rows + cols <= LoweringOptions.queueIDs.count ? .wse3 : .wse2
        if architecture == .wse2 {
            do {
                _ = try lower(shell, "m", architecture: .wse3)
                Issue.record("WSE-3 took a PE with \(rows + cols) colors")
            } catch {
                #expect("\(error)".contains("WSE-3 binds each queue to one color for the whole program, and queues 2–7 allow 6"), "\(error)")
            }
        }
        let program = try lower(shell, "m", architecture: architecture)
        expectSound(program, shell, architecture: architecture)
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

    @Test func summaAtTheColorBudgetLowers() throws {
        // 10 + 11 = 21 colors: exactly 0...20.
        let shell = try session("fabric 40x40", "p = randn([10, 110], seed=1)", "q = randn([110, 11], seed=2)", "m = p @ q on Grid(10, 11)")
        let program = try lower(shell, "m")
        expectSound(program, shell)
        #expect(program.colors.map(\.id) == Array(0...20))
    }

    @Test func summaOverTheColorBudgetIsRefusedNamingOpAndCounts() throws {
        let shell = try session("fabric 40x40", "p = randn([22, 22], seed=1)", "q = randn([22, 22], seed=2)", "m = p @ q on Grid(11, 11)")
        let error = #expect(throws: LoweringError.self) { try lower(shell, "m") }
        let message = try #require(error).message
        #expect(message.contains("(m) matmul on Grid(11, 11)"), "\(message)")
        #expect(message.contains("needs 22 colors"), "\(message)")
        #expect(message.contains("11 to multicast A along rows") && message.contains("11 to multicast B down columns"), "\(message)")
        #expect(message.contains("budget is 21"), "\(message)")
        // The shell says the same through :lower.
        let shown = shell.execute(":lower m")
        #expect(shown.failed)
        #expect(shown.text.contains("cannot lower m") && shown.text.contains("needs 22 colors"), "\(shown.text)")
    }

    // MARK: - Fabric size

    @Test func programLargerThanTheFabricIsRefusedWithTheSizeItNeeds() throws {
        let shell = try session("fabric 8x8", "x = randn([8, 8], seed=1)", "a = x * 2 on Grid(4, 8)", "fabric 4x4")
        let error = #expect(throws: LoweringError.self) { try lower(shell, "a") }
        let message = try #require(error).message
        #expect(message.contains("needs a fabric of at least 8x4 PEs") && message.contains("fabric is 4x4"), "\(message)")
        // A statement whose layout cannot fit is refused at once, with the block it needs.
        let refused = shell.execute("b = x * 3 on Grid(4, 8)")
        #expect(refused.failed)
        #expect(refused.text.contains("8x4"), "\(refused.text)")
    }

    // MARK: - Placement

    @Test func opsWithMatchingLayoutsShareABlock() throws {
        let shell = try session(
            "fabric 12x12", "x = randn([8, 8], seed=1)",
            "a = sum(x, dim=0) on Grid(2, 2)", "b = max(x, dim=1) on Grid(2, 2)", "s = a + b")
        let program = try lower(shell, "s")
        expectSound(program, shell)
        let a = try #require(shell.session.bindings["a"]), b = try #require(shell.session.bindings["b"])
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
        let shell = try session("fabric 8x8", "a = arange(1024)", "b = relu(a - 512) * 2 on RowPartition(4)")
        let program = try lower(shell, "b")
        expectSound(program, shell)
        #expect(program.ops.count == 1)
        #expect(program.ops[0].fusedOps == ["sub", "relu", "mul"])
        #expect(program.pes.map(\.pe) == (0..<4).map { PECoord(0, $0) })
        #expect(program.routes.isEmpty)
    }

    // MARK: - Where reductions end

    @Test func reductionAlongDim0EndsOnTheFirstRow() throws {
        let shell = try session("fabric 8x8", "x = randn([16, 16], seed=3)", "s = sum(x, dim=0) on Grid(4, 4)")
        let program = try lower(shell, "s")
        expectSound(program, shell)
        let output = try #require(program.hostOutputs.first)
        let origin = output.origin
        #expect(output.layout == .colPartition(4))
        #expect(shell.session.graph[shell.session.bindings["s"]!]!.resultLayout == .colPartition(4))
        #expect(output.pieces.map(\.pe) == (0..<4).map { PECoord(origin.x + $0, origin.y) })
        // Partials travel north only.
        #expect(program.routes.allSatisfy { !$0.tx.contains(.east) && !$0.tx.contains(.west) && !$0.tx.contains(.south) })
    }

    @Test func reductionAlongDim1EndsOnTheFirstColumn() throws {
        let shell = try session("fabric 8x8", "x = randn([16, 12], seed=3)", "s = mean(x, dim=1) on Grid(4, 3)")
        let program = try lower(shell, "s")
        expectSound(program, shell)
        let output = try #require(program.hostOutputs.first)
        #expect(output.layout == .rowPartition(4))
        #expect(output.pieces.map(\.pe) == (0..<4).map { PECoord(output.origin.x, output.origin.y + $0) })
        #expect(program.routes.allSatisfy { !$0.tx.contains(.east) && !$0.tx.contains(.north) && !$0.tx.contains(.south) })
    }

    @Test(arguments: ["max(x) on Grid(3, 4)", "sum(x, dim=0) on RowPartition(4)", "min(x, dim=1) on ColPartition(4)", "mean(x) on RowPartition(3)"])
    func reductionOverEveryPEEndsOnTheBlocksFirstPE(_ expression: String) throws {
        let shell = try session("fabric 8x8", "x = randn([12, 12], seed=5)", "s = \(expression)")
        let program = try lower(shell, "s")
        expectSound(program, shell)
        let output = try #require(program.hostOutputs.first)
        let op = try #require(program.ops.last)
        #expect(output.layout == .singlePE)
        #expect(output.pieces.map(\.pe) == [op.origin])
    }

    @Test func unevenTilesReduceWithTheirOwnCounts() throws {
        // 7 rows over 4 PE rows: tiles of 2, 2, 2 and 1 row; each row's chain carries its own count.
        let shell = try session(
            "fabric 8x8", "x = full([7, 10], 3, dtype=i32)", "s = sum(x, dim=1) on Grid(4, 5)",
            "y = randn([13, 11], seed=1, dtype=f16)", "m = mean(y, dim=1, keepdim=true) on RowPartition(7)")
        for name in ["s", "m"] {
            let program = try lower(shell, name)
            expectSound(program, shell)
        }
    }

    // MARK: - Host tensors read twice on one block

    /// A host tensor moved (reshape, transpose) on a block where an elementwise op also took a
    /// broadcast piece of it: the second movement must read the tile copies, not the broadcast piece.
    @Test func hostTensorMovedAfterABroadcastReadsItsOwnTiles() throws {
        let shell = try session(
            "fabric 8x8", "x = arange(8)", "y = ones([2, 8])",
            "r1 = reshape(x, [2, 4]) on RowPartition(2)", "z = y + x on RowPartition(2)",
            "r2 = transpose(x) on RowPartition(2)", "k = reshape(r1, [8]) + r2 on RowPartition(2)",
            "f = matmul(reshape(k, [1, 8]), reshape(z, [8, 2])) on SinglePE")
        for name in ["r2", "k", "f"] {
            expectSound(try lower(shell, name), shell)
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
        let shell = Shell()
        for line in lines { try #require(!shell.execute(line).failed, "\(line)") }
        let cone = shell.session.graph.cone(of: try #require(shell.session.bindings["z"]))
        #expect(cone.count >= 100)
        // PE (0,0) touches 14 colors: WSE-2 rebinds its queues per step; WSE-3 cannot and refuses it when
        // lowering (never later, when emitting).
        do {
            _ = try lower(shell, "z", architecture: .wse3)
            Issue.record("WSE-3 took a PE with 14 colors")
        } catch {
            #expect("\(error)".contains("sends or receives on 14 colors; WSE-3 binds each queue"), "\(error)")
        }
        let program = try lower(shell, "z", architecture: .wse2)
        expectSound(program, shell, architecture: .wse2)
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
    func sample() throws -> (FabricProgram, Shell) {
        let shell = try session(
            "fabric 8x8", "p = randn([4, 6], seed=1)", "q = randn([6, 4], seed=2)", "m = p @ q on Grid(2, 2)",
            "s = sum(m, dim=1) on Grid(2, 2)")
        let program = try lower(shell, "s")
        expectSound(program, shell)
        return (program, shell)
    }

    func violations(_ program: FabricProgram, _ shell: Shell) -> [String] {
        ProgramChecker.violations(program, graph: shell.session.graph, options: options(shell))
    }

    @Test func checkerCatchesBrokenRoutes() throws {
        let (good, shell) = try sample()
        let hop = try #require(good.routes.firstIndex { $0.tx.contains(.east) || $0.tx.contains(.west) || $0.tx.contains(.south) })
        var missing = good
        missing.routes.remove(at: hop)
        #expect(violations(missing, shell).contains { $0.contains("does not send") || $0.contains("no RAMP") || $0.contains("deliver") })
        var doubled = good
        doubled.routes.append(good.routes[0])
        #expect(violations(doubled, shell).contains { $0.contains("two route configs") })
        var reserved = good
        reserved.routes[0].color = 22
        #expect(violations(reserved, shell).contains { $0.contains("outside 0...20") })
        var offFabric = good
        offFabric.routes[0].tx.insert(.north)
        offFabric.routes[0].pe = PECoord(offFabric.routes[0].pe.x, 0)
        #expect(violations(offFabric, shell).contains { $0.contains("off fabric") })
    }

    @Test func checkerCatchesCountsMemoryQueuesRolesAndTiles() throws {
        let (good, shell) = try sample()
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
        #expect(violations(short, shell).contains { $0.contains("routes deliver") })
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
        #expect(violations(overrun, shell).contains { $0.contains("reaches offsets") })
        var heavy = good
        heavy.pes[0].buffers[0].count = 20000
        heavy.pes[0].buffers[0].shape = [20000]
        #expect(violations(heavy, shell).contains { $0.contains("over the budget") })
        // Too many operations in one step (one microthread each), and a color twice in one step.
        var crowded = good
        let send = FabricOperation.send(BufferAccess(buffer: 0, extents: [1]), color: 0)
        crowded.pes[0].steps.append(.fabric([FabricOperation](repeating: send, count: 8)))
        crowded.pes[0].stepNodes.append(0)
        let queueViolations = ProgramChecker.queueViolations(crowded, options: options(shell))
        #expect(queueViolations.contains { $0.contains("runs 8 fabric operations at once") } && queueViolations.contains { $0.contains("color twice") })
        // A PE in no role, and a result piece missing.
        var roleless = good
        roleless.roles[0].pes.removeFirst()
        #expect(violations(roleless, shell).contains { $0.contains("in 0 roles") })
        var partial = good
        partial.hostOutputs[0].pieces.removeLast()
        #expect(violations(partial, shell).contains { $0.contains("miss") })
    }

    @Test func interpreterCatchesDataInTheWrongPlace() throws {
        let (good, shell) = try sample()
        var swapped = good
        try #require(swapped.hostOutputs[0].pieces.count >= 2)
        let tile = swapped.hostOutputs[0].pieces[0].tile
        swapped.hostOutputs[0].pieces[0].tile = swapped.hostOutputs[0].pieces[1].tile
        swapped.hostOutputs[0].pieces[1].tile = tile
        #expect(!FabricInterpreter.valueViolations(swapped, graph: shell.session.graph).isEmpty)
        var lost = good
        let route = try #require(lost.routes.firstIndex { $0.tx.contains(.ramp) && !$0.rx.contains(.ramp) })
        lost.routes[route].tx = DirectionSet([])
        #expect(FabricInterpreter.valueViolations(lost, graph: shell.session.graph).contains { $0.contains("deadlock") })
    }
}
