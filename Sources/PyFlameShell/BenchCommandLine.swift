/// `pyflame-bench`'s command line: which benchmark to run and the workload suite's options, read here so
/// that what a person sees (usage, refusals) is made by testable code; the executable only wires it.
public enum BenchCommandLine {
    /// The benchmarks by name, with what each measures (the usage lists them in this order).
    public static let benchmarks: [(name: String, summary: String)] = [
        ("startup", "start to prompt on a pseudo-terminal"),
        ("script", "a 1,000-statement script, in process and as a whole process"),
        ("lower", ":lower of programs of growing size"),
        ("sim", "the simulator against the lean kernel"),
        ("view", "drawing :view frames"),
        ("emit", ":emit of a large program"),
        ("wafer", "the whole wafer (only when named: about a minute)"),
        ("wafer-sum", ":sim + :run of the whole-wafer sum (only when named: minutes)"),
        ("rewind", "rewinding a simulation (only when named)"),
        ("trace", "writing a trace (only when named)"),
        ("workloads", "the workload suite's table (only when named; `pyflame-bench workloads --help`)"),
    ]

    /// Run with no name: these (the others only when named).
    public static let runByDefault: Set<String> = ["startup", "script", "lower", "sim", "view", "emit"]

    public static var usage: [String] {
        let width = benchmarks.map(\.name.count).max() ?? 0
        return [
            "usage: pyflame-bench [BENCHMARK]",
            "Figures for the README and closing notes (never pass/fail thresholds). With no BENCHMARK it runs",
            runByDefault.sorted().joined(separator: ", ") + "; the others run only when named.",
            "",
            "benchmarks:",
        ] + benchmarks.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.summary }
            + ["", "  pyflame-bench help | --help | -h    this text"]
    }

    public static let workloadsUsage = [
        "usage: pyflame-bench workloads [DIR] [--heavy] [--only NAME]",
        "Lowers, simulates, compares, emits and checks every program of DIR (Benchmarks/workloads by default)",
        "and prints the table.",
        "  DIR          a folder of .pfs programs",
        "  --heavy      also run the programs marked `# heavy` (1024² gemm, the whole wafer: minutes)",
        "  --only NAME  run only the programs whose name contains NAME",
        "  --help, -h   this text",
    ]

    /// What the command line asks for.
    public enum Request: Equatable, Sendable {
        /// Print ``usage``.
        case help
        /// Run these benchmarks, in ``benchmarks`` order.
        case run([String])
        /// `workloads` with its options.
        case workloads(WorkloadArguments)
        /// Print ``workloadsUsage``.
        case workloadsHelp
    }

    static let helpWords: Set<String> = ["help", "--help", "-h"]

    /// Reads the arguments after the program name; a refusal is the message to print (then exit non-zero).
    public static func parse(_ arguments: [String]) throws(BenchArgumentError) -> Request {
        guard let first = arguments.first else { return .run(benchmarks.map(\.name).filter(runByDefault.contains)) }
        if helpWords.contains(first) { return .help }
        if first == "workloads" {
            let rest = Array(arguments.dropFirst())
            if rest.contains(where: { $0 == "--help" || $0 == "-h" }) { return .workloadsHelp }
            return .workloads(try WorkloadArguments.parse(rest))
        }
        guard benchmarks.contains(where: { $0.name == first }) else {
            throw BenchArgumentError(
                "unknown benchmark '\(first)'; the benchmarks are \(benchmarks.map(\.name).joined(separator: ", ")) (pyflame-bench --help)")
        }
        guard arguments.count == 1 else {
            throw BenchArgumentError("\(first) takes no arguments, not '\(arguments[1])' (pyflame-bench --help)")
        }
        return .run([first])
    }
}

/// A command line `pyflame-bench` refuses: the message to print.
public struct BenchArgumentError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// `pyflame-bench workloads [DIR] [--heavy] [--only NAME]`.
public struct WorkloadArguments: Equatable, Sendable {
    /// nil: the repository's Benchmarks/workloads.
    public var folder: String?
    public var heavy = false
    /// Run only the programs whose name contains it.
    public var only: String?

    public init(folder: String? = nil, heavy: Bool = false, only: String? = nil) {
        self.folder = folder
        self.heavy = heavy
        self.only = only
    }

    public static func parse(_ words: [String]) throws(BenchArgumentError) -> WorkloadArguments {
        var arguments = WorkloadArguments()
        var i = 0
        while i < words.count {
            let word = words[i]
            switch word {
            case "--heavy":
                arguments.heavy = true
            case "--only":
                guard i + 1 < words.count, !words[i + 1].hasPrefix("-") else {
                    throw BenchArgumentError("workloads: --only takes a NAME (pyflame-bench workloads --only gemm)")
                }
                guard arguments.only == nil else { throw BenchArgumentError("workloads: --only is given twice") }
                arguments.only = words[i + 1]
                i += 1
            default:
                if word.hasPrefix("-") {
                    throw BenchArgumentError("workloads: unknown option '\(word)'; the options are --heavy and --only NAME (pyflame-bench workloads --help)")
                }
                guard arguments.folder == nil else {
                    throw BenchArgumentError("workloads: one folder, not '\(arguments.folder!)' and '\(word)'")
                }
                arguments.folder = word
            }
            i += 1
        }
        return arguments
    }
}

extension WorkloadSuite {
    /// The programs `arguments` asks for (`--only`, heavy ones only with `--heavy`) and how many heavy ones
    /// were left out. An `--only` that names no program is refused, listing the names.
    public static func select(_ workloads: [Workload], _ arguments: WorkloadArguments) throws(BenchArgumentError) -> (
        chosen: [Workload], skippedHeavy: Int
    ) {
        let named = workloads.filter { arguments.only.map($0.name.contains) ?? true }
        if let only = arguments.only, named.isEmpty {
            throw BenchArgumentError(
                "workloads: no program's name contains '\(only)'; the programs are \(workloads.map(\.name).joined(separator: ", "))")
        }
        let chosen = named.filter { arguments.heavy || !$0.heavy }
        return (chosen, named.count - chosen.count)
    }
}
