import Foundation
import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import PyFlameShell
import PyFlameSimulator
import PyFlameViews

/// The whole wafer (issue 12, item 8): `b = randn([994, 3000]) * 2 on Grid(994, 750)`, 745,500 PEs.
/// Times the lowering, the `:lower` report, the emitter (render only), writing the project and the
/// front end's check, each once (a few seconds each). Run on its own: `pyflame-bench wafer`.
func waferBenchmark() {
    let shell = Shell()
    let wafer = Architecture.wse2.usableFabric
    let statement = "b = randn([\(wafer.height), \(wafer.width * 4)], seed=1) * 2 on Grid(\(wafer.height), \(wafer.width))"
    guard !shell.execute(statement).failed, let id = shell.session.bindings["b"] else {
        print("wafer: \(statement) failed")
        return
    }
    let graph = shell.session.graph
    let options = LoweringOptions(architecture: shell.session.target, fabric: shell.session.fabric, peDataBudget: shell.session.settings.peDataBudget)
    var program: FabricProgram?
    let lowering = time { program = try? Lowering.lower(graph, result: id, options: options) }
    guard let program else {
        print("wafer: the program does not lower")
        return
    }
    var lines = 0
    let report = time { lines = ProgramReport(program: program, graph: graph, name: "b").lowerLines().count }
    let inputs = Simulation.hostInputValues(program, graph: graph)
    let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: PyFlameShellVersion.string)
    var project: CSLProject?
    let render = time { project = try? emitter.emit(program, graph: graph, name: "b", data: HostData(inputs: inputs, outputs: [.node(id): graph[id]!.value!])) }
    guard let project else {
        print("wafer: the program is not emitted")
        return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-bench-wafer-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var written = true
    let write = time { do { try ProjectWriter.write(project, to: folder, force: true) } catch { written = false } }
    var passed = false
    // The CSL front end's check, as :check and :emit run it (parse, evaluate, check).
    let check = time { passed = !shell.checkFolder(folder).failed }
    print(
        String(
            format: "whole wafer (%d PEs, %d roles): lowering %.2f s, :lower report %.2f s (%d lines), emit (render) %.2f s, write %.2f s%@, check %.2f s (%@)",
            program.pes.count, program.roles.count, lowering, report, lines, render, write, written ? "" : " (failed)", check,
            passed ? "passes" : "does not pass"))
}

/// The whole-wafer sum (issue 15, item 8): `s = sum(x) on Grid(994, 750)` of randn([1988, 1500]) through
/// the shell as a user runs it — the statement, `:sim s` (lowering and loading) and `:run` (to the end,
/// with the comparison line) — each timed once, with the simulator's cycle count.
///   .build/release/pyflame-bench wafer-sum
func waferSumBenchmark() {
    let shell = Shell()
    let wafer = Architecture.wse2.usableFabric
    let statements = [
        "x = randn([\(wafer.height * 2), \(wafer.width * 2)], seed=55)", "s = sum(x) on Grid(\(wafer.height), \(wafer.width))",
    ]
    var failed = false
    let build = time { for s in statements where shell.execute(s).failed { failed = true } }
    guard !failed else {
        print("wafer-sum: the statements failed")
        return
    }
    var load = StatementResult()
    let sim = time { load = shell.execute(":sim s") }
    print(String(format: "wafer sum: statements %.2f s; :sim s %.2f s: %@", build, sim, load.lines.map(\.text).joined(separator: " / ")))
    fflush(nil)
    var run = StatementResult()
    let ran = time { run = shell.execute(":run") }
    print(String(format: "wafer sum: :run %.2f s: %@", ran, run.lines.map(\.text).joined(separator: " / ")))
    print(String(format: "wafer sum: :sim + :run %.2f s", sim + ran))
}
