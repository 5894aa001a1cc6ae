import Foundation
import Testing
import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
import PyFlameTestSupport

/// SUMMA with relayed panels, end to end: the simulator's result matches the reference, and the emitted
/// project passes the shell's checker, on both chips.
@Suite("SUMMA with relayed panels: simulated and emitted")
struct RelaySummaEmissionTests {
    static func lowered(rows: Int, cols: Int, m: Int, k: Int, n: Int, dtype: String, architecture: Architecture) throws -> (
        FabricProgram, SourceProgram, NodeID
    ) {
        let source = try SourceProgram([
            "fabric \(cols)x\(rows)", "p = randn([\(m), \(k)], seed=5, dtype=\(dtype))", "q = randn([\(k), \(n)], seed=6, dtype=\(dtype))",
            "m = p @ q on Grid(\(rows), \(cols))",
        ])
        let id = try #require(source.bindings["m"])
        let program = try Lowering.lower(
            source.graph, result: id, options: LoweringOptions(architecture: architecture, fabric: source.fabric, peDataBudget: 36864))
        return (program, source, id)
    }

    @Test(arguments: [
        (5, 5, 10, 10, 10, "f32"), (4, 7, 13, 20, 13, "f32"), (7, 3, 13, 13, 14, "f16"), (6, 6, 17, 17, 16, "f16"), (1, 12, 3, 23, 23, "f32"),
    ])
    func simulatedResultMatchesTheReference(rows: Int, cols: Int, m: Int, k: Int, n: Int, dtype: String) throws {
        for architecture in [Architecture.wse2, .wse3] {
            let (program, source, _) = try Self.lowered(rows: rows, cols: cols, m: m, k: k, n: n, dtype: dtype, architecture: architecture)
            var model = FabricModel()
            model.architecture = architecture
            let simulation = try Simulation(program: program, inputs: Simulation.hostInputValues(program, graph: source.graph), model: model)
            #expect(simulation.run(limit: 5_000_000) == .finished)
            let comparison = ResultComparison.compare(program: program, simulation: simulation, graph: source.graph)
            #expect(comparison.matches, "Grid(\(rows), \(cols)) \(dtype) on \(architecture): max error \(comparison.maxError)")
        }
    }

    @Test(arguments: [(5, 5, 10, 10, 10, "f32"), (4, 7, 13, 20, 13, "f16")])
    func emittedProjectChecksClean(rows: Int, cols: Int, m: Int, k: Int, n: Int, dtype: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-relay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for architecture in [Architecture.wse2, .wse3] {
            let (program, source, id) = try Self.lowered(rows: rows, cols: cols, m: m, k: k, n: n, dtype: dtype, architecture: architecture)
            let node = try #require(source.graph[id])
            let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
            let project = try emitter.emit(
                program, graph: source.graph, name: "m",
                data: HostData(
                    inputs: Simulation.hostInputValues(program, graph: source.graph), outputs: [.node(id): try #require(node.value)],
                    tolerances: ResultComparison.tolerances(node, graph: source.graph).map { [.node(id): $0] } ?? [:]))
            let folder = root + "/\(architecture)"
            try ProjectWriter.write(project, to: folder, force: false)
            let report = CSLChecker(peDataBudget: 36864).check(folder: folder)
            let problems = report.findings.filter { $0.severity != .warning }
            #expect(problems.isEmpty, "\(architecture): \(problems.prefix(4).map(\.rendered))")
        }
    }
}
