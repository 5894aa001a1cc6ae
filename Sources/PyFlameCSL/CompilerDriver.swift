import Foundation
import PyFlameIR

/// How `cslc` is invoked for a project folder (seed §7, done safely): an argument vector, never a shell
/// string, with the memcpy fabric border of docs/csl.md (`--fabric-dims` W+7,H+2, offsets 4,1).
public struct CompilerInvocation: Equatable, Sendable {
    public var executable: String
    public var arguments: [String]
    /// The folder cslc runs in (the project folder).
    public var workingDirectory: String

    /// The command line for a project whose program rectangle is `width` × `height`.
    public static func make(cslc: String, project: String, architecture: Architecture, width: Int, height: Int) -> CompilerInvocation {
        let folder = URL(fileURLWithPath: project).standardizedFileURL.path
        return CompilerInvocation(
            executable: cslc,
            arguments: [
                "--arch=\(architecture.rawValue)", folder + "/layout.csl",
                "--fabric-dims=\(width + Architecture.memcpyBorder.extraWidth),\(height + Architecture.memcpyBorder.extraHeight)",
                "--fabric-offsets=\(Architecture.memcpyBorder.offsetX),\(Architecture.memcpyBorder.offsetY)",
                "-o", folder + "/out", "--memcpy", "--channels=1",
            ],
            workingDirectory: folder)
    }

    /// The rectangle a layout sets: the first `@set_rectangle(W, H)` with literal numbers.
    public static func rectangle(inLayout text: String) -> (width: Int, height: Int)? {
        guard let range = text.range(of: "@set_rectangle(") else { return nil }
        let rest = text[range.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return nil }
        let parts = rest[..<close].split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let w = parts[0], let h = parts[1], w > 0, h > 0 else { return nil }
        return (w, h)
    }
}

/// Finds and runs `cslc`: `$CEREBRAS_SDK_PATH/bin/cslc` (or `$CEREBRAS_SDK_PATH/cslc`), else `cslc` on
/// `$PATH`. Both output streams are captured, the run is timed, and the exit status reported.
public struct CompilerDriver {
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
        public var seconds: Double
    }

    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The cslc to run, or nil when no Cerebras SDK is present.
    public var cslc: String? {
        let fm = FileManager.default
        if let sdk = environment["CEREBRAS_SDK_PATH"], !sdk.isEmpty {
            for candidate in [sdk + "/bin/cslc", sdk + "/cslc"] where fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = String(folder) + "/cslc"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// What to tell a user without an SDK.
    public static let missingNote =
        "cslc not found: set CEREBRAS_SDK_PATH to the Cerebras SDK folder (with bin/cslc) or put cslc on PATH; the SDK comes from Cerebras (sdk.cerebras.net). The emitted folder's commands.sh holds the same command line."

    /// Runs the invocation to completion.
    public func run(_ invocation: CompilerInvocation) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: invocation.executable)
        process.arguments = invocation.arguments
        process.currentDirectoryURL = URL(fileURLWithPath: invocation.workingDirectory)
        process.environment = environment
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-cslc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        guard FileManager.default.createFile(atPath: out.path, contents: nil),
            FileManager.default.createFile(atPath: err.path, contents: nil)
        else {
            throw CocoaError(.fileWriteUnknown)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(
            status: process.terminationStatus,
            output: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
            seconds: seconds)
    }
}
