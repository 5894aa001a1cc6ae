import Foundation
import Testing

/// The built `pyflame-bench`, next to the test bundle like `pyflame-shell`.
func benchExecutable() -> String {
    Bundle.main.bundleURL.appendingPathComponent("pyflame-bench").path
}

/// `pyflame-bench`'s exit status and output for the command lines that finish at once (help and refusals).
@Suite struct BenchExecutableTests {
    func runBench(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        // timeout(1) turns a run that would start a benchmark into a failure, not a hung suite.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["60", benchExecutable()] + arguments
        process.environment = childEnvironment()
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test func helpPrintsTheUsage() throws {
        for arguments in [["--help"], ["help"], ["-h"]] {
            let r = try runBench(arguments)
            #expect(r.status == 0, "\(arguments): \(r.errors)")
            #expect(r.output.hasPrefix("usage: pyflame-bench [BENCHMARK]\n"), "\(arguments): \(r.output)")
        }
        let r = try runBench(["workloads", "--help"])
        #expect(r.status == 0)
        #expect(r.output.hasPrefix("usage: pyflame-bench workloads [DIR] [--heavy] [--only NAME]\n"), "\(r.output)")
        #expect(!r.output.contains("cannot read"))
    }

    @Test func anOnlyNamingNoProgramFailsListingTheNames() throws {
        let folder = repositoryRoot + "/Benchmarks/workloads"
        let r = try runBench(["workloads", folder, "--only", "nonexistent"])
        #expect(r.status != 0)
        #expect(r.errors.hasPrefix("pyflame-bench: workloads: no program's name contains 'nonexistent'; the programs are 01-axpy, "), "\(r.errors)")
        let unknown = try runBench(["nonsense"])
        #expect(unknown.status == 2)
        #expect(unknown.errors.hasPrefix("pyflame-bench: unknown benchmark 'nonsense'"), "\(unknown.errors)")
    }
}
