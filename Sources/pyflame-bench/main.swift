import CPTYSupport
import Foundation
import PyFlameShell

// The benchmark harness: figures for the README and closing notes, never pass/fail thresholds.
//   swift run -c release pyflame-bench            all benchmarks
//   swift run -c release pyflame-bench startup    one of: startup, script, lower, sim, view, emit
//   swift run -c release pyflame-bench wafer      the whole wafer (only when asked: about a minute)
//   swift run -c release pyflame-bench wafer-sum  :sim + :run of the whole-wafer sum (minutes)
//   swift run -c release pyflame-bench workloads [DIR] [--heavy] [--only NAME]   the workload suite's table
//   swift run -c release pyflame-bench --help     the usage (BenchCommandLine)

/// Wall-clock seconds of `body`.
func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func summary(_ samples: [Double]) -> String {
    let sorted = samples.sorted()
    let median = sorted[sorted.count / 2]
    return String(format: "median %.1f ms, min %.1f ms, max %.1f ms over %d runs", median * 1e3, sorted[0] * 1e3, sorted.last! * 1e3, samples.count)
}

let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pyflame-shell").path

/// Start-to-prompt: the shell on a pseudo-terminal, timed until `pyflame> ` appears.
func startupBenchmark(runs: Int = 20) {
    var samples: [Double] = []
    let folder = NSTemporaryDirectory() + "pfs-bench-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for _ in 0..<runs {
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(binary), nil]
        let environment: [String] = ["TERM=xterm", "LANG=C.UTF-8", "HOME=\(folder)", "PYFLAME_HISTORY=\(folder)/history"]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var master: Int32 = -1
        let start = DispatchTime.now().uptimeNanoseconds
        let pid = pfs_pty_spawn(argv, envp, 24, 80, &master)
        guard pid > 0 else { print("startup: cannot spawn \(binary)"); return }
        var seen = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !seen.contains("pyflame> ") {
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 5000) > 0 else { break }
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            seen += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }
    print("start to prompt (\(binary)): " + summary(samples))
}

/// A 1,000-statement script: constructors, elementwise chains, layouts, reductions, matmul, settings.
func thousandStatementScript() -> String {
    var lines = ["fabric 64x64"]
    for i in 0..<999 {
        switch i % 10 {
        case 0: lines.append("a\(i) = arange(1024)")
        case 1: lines.append("b\(i) = randn([32, 32], seed=\(i))")
        case 2: lines.append("c\(i) = relu(a\(i - 2) - 512) * 2 on RowPartition(4)")
        case 3: lines.append("d\(i) = sum(b\(i - 2), dim=0) on Grid(4, 4)")
        case 4: lines.append("e\(i) = b\(i - 3) @ transpose(b\(i - 3))")
        case 5: lines.append("f\(i) = mean(c\(i - 3), dim=0)")
        case 6: lines.append("g\(i) = gelu(b\(i - 5) + 1) on Grid(2, 2)")
        case 7: lines.append("set hop_latency \(1 + i % 3)")
        case 8: lines.append("h\(i) = reshape(a\(i - 8), [32, -1]) + b\(i - 7)")
        default: lines.append("full([4, 4], \(i)) / 3")
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

func scriptBenchmark(runs: Int = 5) {
    let script = thousandStatementScript()
    let path = NSTemporaryDirectory() + "pfs-bench-\(getpid()).pfs"
    try? script.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var inProcess: [Double] = []
    var transcript = ""
    for _ in 0..<runs { inProcess.append(time { transcript = Transcript.replay(script, base: "") }) }
    let failures = transcript.components(separatedBy: "\nerror:").count - 1
    print("1,000-statement script, in process: " + summary(inProcess) + (failures > 0 ? " (\(failures) errors!)" : ""))
    var whole: [Double] = []
    for _ in 0..<runs {
        whole.append(
            time {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = [path]
                process.standardOutput = FileHandle.nullDevice
                try? process.run()
                process.waitUntilExit()
            })
    }
    print("1,000-statement script, whole process (pyflame-shell FILE): " + summary(whole))
}

let request: BenchCommandLine.Request
do { request = try BenchCommandLine.parse(Array(CommandLine.arguments.dropFirst())) } catch {
    FileHandle.standardError.write(Data(("pyflame-bench: " + error.message + "\n").utf8))
    exit(2)
}
switch request {
case .help: for line in BenchCommandLine.usage { print(line) }
case .workloadsHelp: for line in BenchCommandLine.workloadsUsage { print(line) }
case .workloads(let arguments): if !workloadBenchmark(arguments) { exit(1) }
case .run(let names):
    for name in names {
        switch name {
        case "startup": startupBenchmark()
        case "script": scriptBenchmark()
        case "lower": lowerBenchmark()
        case "sim": simulatorBenchmark()
        case "view": viewBenchmark()
        case "emit": emitBenchmark()
        case "wafer": waferBenchmark()
        case "wafer-sum": waferSumBenchmark()
        case "rewind": rewindBenchmark()
        case "trace": traceBenchmark()
        default: break
        }
    }
}
