import Foundation
import Testing

/// The real binary on generated keep-going scripts: statements from a corpus, mutated, with extremes
/// (cycle counts, numbers, framing) mixed in. Any exit by a signal or with a status >= 128 (a trap, a stack
/// overflow) or a run past a generous timeout (a hang) fails, with the script kept and printed.
@Suite(.serialized) struct SubprocessFuzzTests {
    static let corpus = [
        "a = arange(64)", "b = a * 2 on RowPartition(4)", "c = b + 1 on ColPartition(4)", "m = randn([8, 8], seed=3)",
        "g = m @ m on Grid(2, 2)", "s = sum(m, dim=1) on Grid(2, 4)", "t = transpose(m) on Grid(2, 2)", "r = reshape(a, [8, 8])",
        ":lower s", ":pes s --limit 3", ":colors g", ":routes s 0 --limit 2", ":tiles b", ":graph", ":status",
        ":sim s", ":step 5", ":run 100", ":run", ":pe 1,0", ":stats", ":view s --frame --size 60x12",
        "fabric 8x8", "set hop_latency 1", "set sink_rate 0", "color red = 0", "route red (0,0): RAMP -> EAST",
        "route red (1,0)..(2,0): WEST -> RAMP, EAST", "send red (0,0) [1, 2, 3]", ":sim", ":help view",
    ]
    static let extremes = [
        ":step 9223372036854775807", ":run 9223372036854775807", ":step 9223372036854775806", ":run -1", ":pe -1,0",
        ":pe 9223372036854775807,0", ":trace TRACE --cycles 0..9223372036854775807", ":trace off", ":routes 9223372036854775807",
        "fabric 9223372036854775807x1", "RowPartition(9223372036854775807)", "x = arange(4) + 9223372036854775807",
        "w = " + String(repeating: "1+", count: 400) + "1",
        "v = " + String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300), ":load LOADED", "set stall_limit 1",
        "route red (0,0): RAMP, SOUTH -> EAST", "route red (1,0): WEST -> SOUTH", "route red (1,1): NORTH -> WEST",
        "route red (0,1): EAST -> NORTH", "\u{FEFF}a = ones(2)", "b = ones(2)\u{0}", ":sim", ":run",
    ]
    // Integer-dtype scalars at the extremes (issue 12 item 1) have their own generators in the shell fuzzer.

    static func mutate(_ text: String, _ rng: inout FuzzRandom) -> String {
        var chars = Array(text)
        let pieces = Array(" ,.:()[]-0123456789xX_=#@*/+abcdefghijklmnopqrstuvwxyz~\"'é")
        switch Int(rng.next() % 4) {
        case 0 where !chars.isEmpty: chars.remove(at: Int(rng.next() % UInt64(chars.count)))
        case 1: chars.insert(pieces[Int(rng.next() % UInt64(pieces.count))], at: Int(rng.next() % UInt64(chars.count + 1)))
        case 2: chars.append(contentsOf: String(rng.next() % 1_000_000_000_000))
        default: chars.insert(contentsOf: " -9223372036854775808", at: Int(rng.next() % UInt64(chars.count + 1)))
        }
        return String(chars)
    }

    /// A keep-going script of `count` statements, framed with LF, CR LF or CR.
    static func script(_ rng: inout FuzzRandom, folder: String, count: Int) -> String {
        // A loaded simulation that has run a cycle, so cycle counts meet a clock that has moved.
        var lines =
            ["# pfs: keep-going"]
            + (rng.next() % 2 == 0
                ? [
                    "fabric 4x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0)..(3,0): WEST -> RAMP, EAST",
                    "send red (0,0) [1, 2]", ":sim", ":step 1",
                ]
                : ["m = randn([8, 8], seed=3)", "s = sum(m, dim=1) on Grid(2, 4)", ":sim s", ":step 1"])
        for _ in 0..<count {
            var line: String
            switch rng.next() % 6 {
            case 0: line = extremes[Int(rng.next() % UInt64(extremes.count))]
            case 1: line = mutate(corpus[Int(rng.next() % UInt64(corpus.count))], &rng)
            case 2: line = [":step", ":run"][Int(rng.next() % 2)] + " " + String(Int.max - Int(rng.next() % 3))
            default: line = corpus[Int(rng.next() % UInt64(corpus.count))]
            }
            line = line.replacingOccurrences(of: "TRACE", with: folder + "/trace.json")
                .replacingOccurrences(of: "LOADED", with: folder + "/loaded.pfs")
            lines.append(line)
        }
        let separator = ["\n", "\r\n", "\r"][Int(rng.next() % 3)]
        return lines.joined(separator: separator) + separator
    }

    /// Runs the binary on `path` with stdout and stderr to files; nil when it did not end within `timeout`.
    static func run(_ path: String, folder: String, timeout: Double) throws -> (status: Int32, signaled: Bool)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shellExecutable())
        process.arguments = [path]
        process.environment = childEnvironment()
        #expect(FileManager.default.createFile(atPath: folder + "/out.txt", contents: nil))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out.txt"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out.txt"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.isRunning else {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    @Test func generatedScriptsNeverCrashOrHangTheBinary() throws {
        let folder = NSTemporaryDirectory() + "pfs-subprocess-fuzz-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var failed = false
        defer { if !failed { try? FileManager.default.removeItem(atPath: folder) } }
        var rng = FuzzRandom(seed: 0x5EED_F022)
        try "c = ones(3)\n:step 9223372036854775807\n".write(toFile: folder + "/loaded.pfs", atomically: true, encoding: .utf8)
        for k in 0..<10 {
            let text = Self.script(&rng, folder: folder, count: 40)
            let path = folder + "/script-\(k).pfs"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let outcome = try Self.run(path, folder: folder, timeout: 60)
            let problem: String? =
                switch outcome {
                case nil: "did not finish in 60 s (a hang)"
                case let (status, signaled)? where signaled || status >= 128: "ended with \(signaled ? "signal" : "status") \(status)"
                default: nil
                }
            if let problem {
                failed = true
                Issue.record("pyflame-shell \(path) \(problem); the script is kept there:\n\(text)")
            }
        }
    }
}

/// SplitMix64, here so the test target needs no library module: a seed names the same scripts everywhere.
struct FuzzRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
