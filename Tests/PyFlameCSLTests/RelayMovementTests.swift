import Foundation
import Testing
import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
import PyFlameTestSupport

/// Re-layouts whose point-to-point flows would need more colors than a PE has (an all-to-all between a
/// column of PEs and a row, a transpose between unlike grids) lower with a constant number of colors per
/// PE (pieces relayed hop by hop through the cores), run on the simulated fabric to the reference values
/// and emit projects the shell's checker passes, on both targets.
@Suite("Re-layouts in a constant number of colors")
struct RelayMovementTests {
    /// At most this many colors at any PE for one movement, whatever its size (two per link direction).
    static let colorsPerPE = 8

    /// Each program, and whether the test emits it: the 64-way re-layout relays through 4,096 PEs, each
    /// with a program of its own, which takes minutes to emit and check in a debug build (its emission is a
    /// release figure, not a suite test).
    static let programs: [(name: String, fabric: String, statements: [String], result: String, emit: Bool)] = [
        (
            "RowPartition(16) to ColPartition(16)", "fabric 24x24",
            ["x = randn([64, 64], seed=5)", "r = x * 2 on RowPartition(16)", "c = r + 1 on ColPartition(16)"], "c", true
        ),
        (
            "RowPartition(64) to ColPartition(64)", "fabric 72x72",
            ["x = randn([64, 64], seed=6)", "r = x * 2 on RowPartition(64)", "c = r + 1 on ColPartition(64)"], "c", false
        ),
        (
            "transpose Grid(4, 2) to Grid(2, 8)", "fabric 24x24", ["x = randn([64, 64], seed=7)", "g = x * 2 on Grid(4, 2)", "t = transpose(g) on Grid(2, 8)"],
            "t", true
        ),
        (
            "transpose Grid(8, 8) to Grid(4, 16)", "fabric 32x32",
            ["x = randn([64, 64], seed=8)", "g = x * 2 on Grid(8, 8)", "t = transpose(g) on Grid(4, 16)"], "t", true
        ),
    ]

    /// The most colors routed at one PE.
    static func mostColorsAtOnePE(_ program: FabricProgram) -> Int {
        Dictionary(grouping: program.routes, by: \.pe).values.map { Set($0.map(\.color)).count }.max() ?? 0
    }

    @Test(arguments: [Architecture.wse2, .wse3], [0, 1, 2, 3])
    func relayoutLowersSimulatesAndEmitsCheckClean(architecture: Architecture, index: Int) throws {
        let (label, fabric, statements, result, emit) = Self.programs[index]
        var source = try SourceProgram([fabric] + statements)
        try source.run("target \(architecture == .wse2 ? "wse2" : "wse3")")
        let id = try #require(source.bindings[result])
        let program = try Lowering.lower(source.graph, result: id, options: source.options)
        #expect(!program.routes.isEmpty, "\(label): nothing moves through the router")
        #expect(Self.mostColorsAtOnePE(program) <= Self.colorsPerPE, "\(label): \(Self.mostColorsAtOnePE(program)) colors at one PE")

        // Simulated to the reference.
        let inputs = Simulation.hostInputValues(program, graph: source.graph)
        let simulation = try Simulation(program: program, inputs: inputs, model: FabricModel())
        let outcome = simulation.run(limit: 5_000_000)
        #expect(outcome == .finished, "\(label) on \(architecture): \(outcome)")
        let comparison = ResultComparison.compare(program: program, simulation: simulation, graph: source.graph)
        #expect(comparison.matches, "\(label) on \(architecture): \(comparison)")

        // Emitted and checked.
        guard emit else { return }
        let node = try #require(source.graph[id])
        let value = try #require(node.value)
        let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
        let project = try emitter.emit(
            program, graph: source.graph, name: result,
            data: HostData(
                inputs: inputs, outputs: [.node(id): value],
                tolerances: ResultComparison.tolerances(node, graph: source.graph).map { [.node(id): $0] } ?? [:]))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-relay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ProjectWriter.write(project, to: folder, force: false)
        let report = CSLChecker(peDataBudget: source.peDataBudget).check(folder: folder)
        let problems = report.findings.filter { $0.severity != .warning }
        #expect(problems.isEmpty, "\(label) on \(architecture): \(problems.prefix(4).map(\.rendered))")
    }

    /// Many movements on one block: each shift or concat operand is its own movement. Direct flows that
    /// would leave a PE without room for relays are relayed instead, and relays of the whole program share
    /// one color per hop, so the program lowers (ten shifts took all 21 colors at a PE and were refused).
    static let crowdedPrograms: [(name: String, statements: [String], result: String)] = [
        (
            "ten shifts on RowPartition(16)",
            [
                "fabric 16x16", "x = randn(16, seed=1)",
                "z = shift(x,1)+shift(x,2)+shift(x,3)+shift(x,4)+shift(x,5)+shift(x,6)+shift(x,7)+shift(x,-1)+shift(x,-2)+shift(x,-3) on RowPartition(16)",
            ], "z"
        ),
        (
            "concat of six operands from three layouts",
            [
                "fabric 16x16", "a = randn([16, 16], seed=1) * 1 on Grid(4, 4)", "b = randn([16, 16], seed=2) * 1 on RowPartition(4)",
                "c = randn([16, 16], seed=3) * 1 on ColPartition(4)", "d = concat([a, b, c, a, b, c], dim=1) on Grid(4, 4)",
            ], "d"
        ),
    ]

    /// (The concat is WSE-2 only: on WSE-3 the PE that receives all six operands takes 10 colors into its
    /// queues, more than the 6 queues WSE-3 binds for a whole program; a refusal the lowering names.)
    @Test(arguments: [(Architecture.wse2, 0), (.wse3, 0), (.wse2, 1)])
    func manyMovementsOnOneBlockShareTheRelayColors(architecture: Architecture, index: Int) throws {
        let (label, statements, result) = Self.crowdedPrograms[index]
        var source = try SourceProgram(statements)
        try source.run("target \(architecture == .wse2 ? "wse2" : "wse3")")
        let id = try #require(source.bindings[result])
        let program = try Lowering.lower(source.graph, result: id, options: source.options)
        let inputs = Simulation.hostInputValues(program, graph: source.graph)
        let simulation = try Simulation(program: program, inputs: inputs, model: FabricModel())
        let outcome = simulation.run(limit: 5_000_000)
        #expect(outcome == .finished, "\(label) on \(architecture): \(outcome)")
        let comparison = ResultComparison.compare(program: program, simulation: simulation, graph: source.graph)
        #expect(comparison.matches, "\(label) on \(architecture): \(comparison)")
    }
}
