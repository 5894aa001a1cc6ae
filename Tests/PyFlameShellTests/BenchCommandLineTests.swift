import Testing

@testable import PyFlameShell

/// `pyflame-bench`'s command line (BenchCommandLine): help is usage, not a folder named `--help`; an
/// `--only` naming no program is refused with the names; an unknown benchmark is refused.
@Suite struct BenchCommandLineTests {
    func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try BenchCommandLine.parse(arguments)
            return nil
        } catch { return error.message }
    }

    @Test func helpWordsAskForTheUsage() throws {
        for word in ["help", "--help", "-h"] { #expect(try BenchCommandLine.parse([word]) == .help) }
        #expect(try BenchCommandLine.parse(["workloads", "--help"]) == .workloadsHelp)
        #expect(try BenchCommandLine.parse(["workloads", "--only", "gemm", "-h"]) == .workloadsHelp)
        #expect(BenchCommandLine.usage.first == "usage: pyflame-bench [BENCHMARK]")
        for b in BenchCommandLine.benchmarks { #expect(BenchCommandLine.usage.contains { $0.hasPrefix("  \(b.name) ") }, "\(b.name)") }
        #expect(BenchCommandLine.workloadsUsage.first == "usage: pyflame-bench workloads [DIR] [--heavy] [--only NAME]")
    }

    @Test func theWorkloadOptionsAreRead() throws {
        #expect(try BenchCommandLine.parse(["workloads"]) == .workloads(WorkloadArguments()))
        #expect(
            try BenchCommandLine.parse(["workloads", "dir", "--heavy", "--only", "gemm"])
                == .workloads(WorkloadArguments(folder: "dir", heavy: true, only: "gemm")))
        #expect(try BenchCommandLine.parse([]) == .run(["startup", "script", "lower", "sim", "view", "emit"]))
        #expect(try BenchCommandLine.parse(["wafer"]) == .run(["wafer"]))
    }

    @Test func mistakesAreRefusedWithWhatIsAccepted() {
        #expect(
            refusal(["workloads", "--bogus"])
                == "workloads: unknown option '--bogus'; the options are --heavy and --only NAME (pyflame-bench workloads --help)")
        #expect(refusal(["workloads", "--only"]) == "workloads: --only takes a NAME (pyflame-bench workloads --only gemm)")
        #expect(refusal(["workloads", "a", "b"]) == "workloads: one folder, not 'a' and 'b'")
        #expect(refusal(["nonsense"])?.hasPrefix("unknown benchmark 'nonsense'; the benchmarks are startup, script, lower") == true)
        #expect(refusal(["sim", "x"]) == "sim takes no arguments, not 'x' (pyflame-bench --help)")
    }

    @Test func anOnlyThatNamesNoProgramListsTheNames() throws {
        let workloads = [
            Workload(name: "01-axpy", source: "# axpy\n"), Workload(name: "02-gemm", source: "# gemm\n"),
            Workload(name: "03-gemm-big", source: "# big gemm\n# heavy\n"),
        ]
        do {
            _ = try WorkloadSuite.select(workloads, WorkloadArguments(only: "nonexistent"))
            Issue.record("--only nonexistent was accepted")
        } catch {
            #expect(error.message == "workloads: no program's name contains 'nonexistent'; the programs are 01-axpy, 02-gemm, 03-gemm-big")
        }
        let gemm = try WorkloadSuite.select(workloads, WorkloadArguments(only: "gemm"))
        #expect(gemm.chosen.map(\.name) == ["02-gemm"] && gemm.skippedHeavy == 1)
        #expect(try WorkloadSuite.select(workloads, WorkloadArguments(heavy: true)).chosen.count == 3)
    }
}
