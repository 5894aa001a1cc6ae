import Foundation
import PyFlameShell

/// The workload suite (issue 15): every program of Benchmarks/workloads (or DIR) lowered, simulated,
/// compared, emitted and checked by the shell's own code, as a table. Programs marked `# heavy` (1024²
/// gemm, the whole wafer) run only with `--heavy`; `--only NAME` runs the programs whose name contains NAME.
///   swift build -c release --product pyflame-bench && .build/release/pyflame-bench workloads [DIR] [--heavy] [--only NAME]
/// Returns false when the folder cannot be read or `--only` names no program (the message is printed).
func workloadBenchmark(_ arguments: WorkloadArguments) -> Bool {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder = arguments.folder ?? root.appendingPathComponent("Benchmarks/workloads").path
    let workloads: [Workload]
    do { workloads = try WorkloadSuite.load(folder: folder) } catch {
        FileHandle.standardError.write(Data("pyflame-bench: workloads: cannot read \(folder): \(error.localizedDescription)\n".utf8))
        return false
    }
    let chosen: [Workload], skipped: Int
    do { (chosen, skipped) = try WorkloadSuite.select(workloads, arguments) } catch {
        FileHandle.standardError.write(Data("pyflame-bench: \(error.message)\n".utf8))
        return false
    }
    print("workloads in \(folder): running \(chosen.count)" + (skipped > 0 ? " (\(skipped) heavy skipped: --heavy runs them)" : ""))
    fflush(nil)
    var outcomes: [WorkloadOutcome] = []
    for workload in chosen {
        let outcome = WorkloadSuite.run(workload)
        outcomes.append(outcome)
        // One line per program as it finishes (a heavy one takes minutes).
        print("  \(workload.name): \(outcome.lowered ? "lowered" : "refused") in \(String(format: "%.2f s", outcome.seconds))")
        fflush(nil)
    }
    for line in WorkloadSuite.table(outcomes) { print(line) }
    return true
}
