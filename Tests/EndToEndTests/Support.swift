import CPTYSupport
import Foundation

/// The repository root (this file is Tests/EndToEndTests/Support.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The built `pyflame-shell`, next to the test bundle (SwiftPM puts both in .build/<config>);
/// `PYFLAME_SHELL_BIN` overrides it to test an installed binary.
func shellExecutable() -> String {
    if let override = ProcessInfo.processInfo.environment["PYFLAME_SHELL_BIN"] { return override }
    return Bundle.main.bundleURL.appendingPathComponent("pyflame-shell").path
}

/// A clean environment for children: `swift test` exports NO_COLOR=1 and the caller's HOME would
/// receive history files, so children get an explicit one.
func childEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    var env = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8",
        "HOME": NSTemporaryDirectory(), "PYFLAME_HISTORY": "none",
    ]
    env.merge(extra) { $1 }
    return env
}

/// Runs the shell with arguments and `input` on a pipe (no terminal): script mode.
func runShell(_ arguments: [String], input: String = "", environment: [String: String] = childEnvironment(), viaTimeout seconds: Int? = nil) throws
    -> (status: Int32, output: String, errors: String)
{
    let process = Process()
    if let seconds {
        // timeout(1) kills a run that hangs: the test then fails with status 124 instead of hanging the suite.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = [String(seconds), shellExecutable()] + arguments
    } else {
        process.executableURL = URL(fileURLWithPath: shellExecutable())
        process.arguments = arguments
    }
    process.environment = environment
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

/// tmux on a private socket: a real terminal whose screen the test reads back as text.
struct Tmux {
    let socket = "pfs-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    static var isAvailable: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tmux client command through fork/exec with every other descriptor closed (Foundation's
    /// Process would hang: the forked tmux server keeps its socketpair open).
    @discardableResult
    func run(_ arguments: [String], captureOutput: Bool = false) throws -> String {
        let outputPath = captureOutput ? NSTemporaryDirectory() + "/\(socket)-\(UUID().uuidString)" : nil
        let argv = (["tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let status = pfs_run_closing_fds(argv, outputPath)
        guard status == 0 else { throw TmuxError(arguments: arguments, status: status) }
        guard let outputPath else { return "" }
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        return try String(contentsOfFile: outputPath, encoding: .utf8)
    }

    func capture() throws -> String { try run(["capture-pane", "-p", "-t", "t"], captureOutput: true) }

    func send(_ keys: String...) throws { try run(["send-keys", "-t", "t"] + keys) }

    /// Starts the shell in a `columns` x `rows` window with a clean environment (no history file); `extra`
    /// adds environment assignments (`PAGER='cat > F'`).
    func startShell(columns: Int, rows: Int, term: String = "xterm", extra: String = "") throws {
        let environment = "PATH=/usr/bin:/bin TERM=\(term) LANG=C.UTF-8 PYFLAME_HISTORY=none" + (extra.isEmpty ? "" : " " + extra)
        try run(["new-session", "-d", "-s", "t", "-x", String(columns), "-y", String(rows), "env -i \(environment) \(shellExecutable())"])
    }

    /// Polls the screen until `predicate` holds or the timeout passes; returns the last screen.
    func screen(timeout: Double = 10, until predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        repeat {
            text = (try? capture()) ?? ""
            if predicate(text) { return text }
            usleep(50_000)
        } while Date() < deadline
        return text
    }

    func screen(containing needle: String, timeout: Double = 10) throws -> String {
        try screen(timeout: timeout) { $0.contains(needle) }
    }

    var sessionExists: Bool { (try? run(["has-session", "-t", "t"])) != nil }
}

struct TmuxError: Error {
    let arguments: [String]
    let status: Int32
}

/// Starts the shell with `arguments`, its stdout and stderr into the file at `outputPath` (created), stdin
/// empty; for tests that signal a running child.
func launchShell(_ arguments: [String], outputPath: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: shellExecutable())
    process.arguments = arguments
    process.environment = childEnvironment()
    guard FileManager.default.createFile(atPath: outputPath, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    process.standardError = process.standardOutput
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}
