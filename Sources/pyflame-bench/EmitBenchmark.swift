import Foundation
import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import PyFlameShell
import PyFlameSimulator

/// Emission of the 100-op program (the lowering benchmark's, with max in place of min, which CSL
/// cannot combine over the fabric): rendering every file from the templates, and the whole `:emit`
/// (render, write the folder atomically, run the structural checker on it).
func emitBenchmark(runs: Int = 10) {
    let (script, result) = hundredOpScript(reductions: ["max", "sum", "mean", "max"])
    let (shell, failures) = session(running: script)
    guard let id = shell.session.bindings[result] else {
        print("emit: \(result) was not defined (\(failures) statements failed)")
        return
    }
    let graph = shell.session.graph
    let options = LoweringOptions(architecture: shell.session.target, fabric: shell.session.fabric, peDataBudget: shell.session.settings.peDataBudget)
    guard let program = try? Lowering.lower(graph, result: id, options: options) else {
        print("emit: the 100-op program does not lower")
        return
    }
    let ops = graph.cone(of: id).filter { !(graph[$0]?.op.isConstructor ?? true) }.count
    let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: PyFlameShellVersion.string)
    let inputs = Simulation.hostInputValues(program, graph: graph)
    let data = HostData(inputs: inputs, outputs: [.node(id): graph[id]!.value!])
    var project: CSLProject?
    var render: [Double] = []
    do {
        for _ in 0..<runs { render.append(try time { project = try emitter.emit(program, graph: graph, name: result, data: data) }) }
    } catch {
        print("emit: refused: \(error)")
        return
    }
    let p = project!
    let bytes = p.files.reduce(0) { $0 + $1.bytes.count }
    print(
        "emitting one \(ops)-op program (\(p.files.count) files, \(bytes / 1024) KiB, \(program.roles.count) PE roles, \(program.pes.count) PEs, \(program.routes.count) routes): render "
            + summary(render))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-bench-emit-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var whole: [Double] = []
    var outcome = ""
    for _ in 0..<runs {
        whole.append(time { outcome = shell.execute(":emit \(result) \(folder)").lines.last?.text ?? "" })
    }
    print(":emit of it (render, atomic write, structural check): " + summary(whole) + " — \(outcome)")
}
