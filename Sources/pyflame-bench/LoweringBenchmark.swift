import Foundation
import PyFlameIR
import PyFlameLowering
import PyFlameShell

/// A session that has run `script` (one statement a line); statements that fail are counted.
func session(running script: String) -> (Shell, failures: Int) {
    let shell = Shell()
    var failures = 0
    for line in script.split(separator: "\n") where shell.execute(String(line)).failed { failures += 1 }
    return (shell, failures)
}

/// Every tensor the session computes on the fabric (host tensors have nothing to lower), by node.
private func fabricTensors(_ shell: Shell) -> [NodeID] {
    let graph = shell.session.graph
    return shell.session.bindings.values.filter { graph[$0].map { !$0.op.isConstructor } ?? false }.sorted()
}

/// The 100-op program: rounds of fused elementwise chains, a SUMMA matmul, a transpose and a full
/// reduction (chains along rows, then up column 0), each round on a grid of its own (the value moves
/// there through a layout transform), and a final sum of the rounds' reductions (each moved to the
/// first block), with as many rounds as it takes for the result's cone to hold `nodes` nodes.
func hundredOpScript(nodes: Int = 100, reductions: [String] = ["max", "sum", "mean", "min"]) -> (script: String, result: String) {
    // Every flow keeps its color for the whole program, so each round gets a block of its own; this
    // order stays within the 21 colors (0–20) where the routes of neighbouring blocks cross.
    let grids = ["Grid(4, 4)", "Grid(2, 2)", "Grid(1, 1)", "Grid(4, 2)", "Grid(2, 4)"]
    let head = ["fabric 64x64", "x0 = randn([32, 32], seed=1)", "w = randn([32, 32], seed=2)"]
    var rounds = 1
    while true {
        var lines = head
        var x = "x0"
        for r in 0..<rounds {
            let g = grids[r % grids.count]
            lines += [
                "a\(r) = relu(\(x) * 0.5 + 1) on \(g)",  // layout transform + fused elementwise chain
                "b\(r) = a\(r) @ w on \(g)",  // SUMMA
                "c\(r) = tanh(b\(r) / 8) * 2 - 1 on \(g)",  // fused elementwise chain
                "d\(r) = transpose(c\(r)) on \(g)",  // data movement inside the block
                "e\(r) = sigmoid(d\(r)) + d\(r) * 0.25 on \(g)",
                "f\(r) = exp(-abs(e\(r))) * e\(r) + sqrt(abs(e\(r)) + 1) on \(g)",
                "x\(r + 1) = gelu(f\(r)) - silu(e\(r)) on \(g)",
                "s\(r) = \(reductions[r % reductions.count])(x\(r + 1)) on \(g)",  // chain reductions along rows, then up column 0
            ]
            x = "x\(r + 1)"
        }
        lines.append("z = " + (0..<rounds).map { "s\($0)" }.joined(separator: " + "))  // layout transforms to one place
        let script = lines.joined(separator: "\n")
        let (shell, _) = session(running: script)
        if let id = shell.session.bindings["z"], shell.session.graph.cone(of: id).count >= nodes || rounds >= grids.count {
            return (script, "z")
        }
        rounds += 1
    }
}

func lowerBenchmark(runs: Int = 5) {
    let width = 64, height = 64
    // (a) every defined tensor of the 1,000-statement session, one cone after another.
    let (shell, failures) = session(running: thousandStatementScript())
    let options = LoweringOptions(
        architecture: shell.session.target, fabric: FabricSize(width: width, height: height),
        peDataBudget: shell.session.settings.peDataBudget)
    let graph = shell.session.graph
    let tensors = fabricTensors(shell)
    var refused = 0, routes = 0
    var samples: [Double] = []
    for _ in 0..<runs {
        refused = 0
        routes = 0
        samples.append(
            time {
                for id in tensors {
                    do { routes += try Lowering.lower(graph, result: id, options: options).routes.count } catch { refused += 1 }
                }
            })
    }
    let perCone = samples.sorted()[samples.count / 2] / Double(max(tensors.count, 1))
    print(
        "lowering every cone of the 1,000-statement session (\(tensors.count) tensors, \(graph.count) nodes, fabric \(width)x\(height)): "
            + summary(samples) + String(format: " (%.3f ms a cone", perCone * 1e3) + ", \(routes) routes in all"
            + (refused > 0 ? ", \(refused) refused" : "") + (failures > 0 ? ", \(failures) statements failed!" : "") + ")")

    // (b) one long program: a ~100-node cone on one 64x64 fabric.
    let (script, result) = hundredOpScript()
    let (long, longFailures) = session(running: script)
    guard let id = long.session.bindings[result] else {
        print("100-op program: \(result) was not defined (\(longFailures) statements failed)")
        return
    }
    let cone = long.session.graph.cone(of: id)
    let ops = cone.filter { !(long.session.graph[$0]?.op.isConstructor ?? true) }.count
    var program: FabricProgram?
    var error: String?
    var longSamples: [Double] = []
    for _ in 0..<max(runs, 10) {
        longSamples.append(
            time {
                do { program = try Lowering.lower(long.session.graph, result: id, options: options) } catch let e as LoweringError { error = e.message } catch {
                }
            })
    }
    if let error {
        print("100-op program (\(ops) ops, \(cone.count) nodes in the cone): refused: \(error)")
        return
    }
    let p = program!
    print(
        "lowering one \(ops)-op program (\(cone.count)-node cone, \(p.ops.count) lowered ops, \(p.pes.count) PEs, \(p.routes.count) routes on \(p.colors.count) colors, fabric \(width)x\(height)): "
            + summary(longSamples) + (longFailures > 0 ? " (\(longFailures) statements failed!)" : ""))
}
