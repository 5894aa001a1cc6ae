import Foundation
import PyFlameShell

/// The workload suite (issue 15): every program of Benchmarks/workloads (or DIR) lowered, simulated,
/// compared, emitted and checked by the shell's own code, as a table. Programs marked `# heavy` (1024²
/// gemm, the whole wafer) run only with `--heavy`; `--only NAME` runs the programs whose name contains NAME.
///   swift build -c release --product pyflame-bench && .build/release/pyflame-bench workloads [DIR] [--heavy] [--only NAME]
func workloadBenchmark(_ arguments: [String]) {
    var words = arguments
    let heavy = words.contains("--heavy")
    words.removeAll { $0 == "--heavy" }
    var only: String?
    if let i = words.firstIndex(of: "--only"), i + 1 < words.count {
        only = words[i + 1]
        words.removeSubrange(i...(i + 1))
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder = words.first ?? root.appendingPathComponent("Benchmarks/workloads").path
    let workloads: [Workload]
    do { workloads = try WorkloadSuite.load(folder: folder) } catch {
        print("workloads: cannot read \(folder): \(error.localizedDescription)")
        return
    }
    let named = workloads.filter { only.map($0.name.contains) ?? true }
    let chosen = named.filter { heavy || !$0.heavy }
    let skipped = named.count - chosen.count
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
}
