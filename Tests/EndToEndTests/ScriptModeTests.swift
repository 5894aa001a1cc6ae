import Foundation
import PyFlameShell
import Testing

/// The examples are regression tests: each replays to exactly its `.out` transcript (through `--check`,
/// the tool a code-generator developer uses).
@Suite struct ExampleTranscriptTests {
    static let examples: [String] = {
        let folder = repositoryRoot + "/examples"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".pfs") }.sorted()
    }()

    @Test func thereAreExamples() {
        #expect(Self.examples.count >= 3)
    }

    @Test(arguments: examples)
    func exampleReplaysToItsTranscript(name: String) throws {
        let path = repositoryRoot + "/examples/" + name
        // PFS_RECORD=1 rewrites the transcripts (as it does the golden files): review the diff.
        if ProcessInfo.processInfo.environment["PFS_RECORD"] == "1" {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try Transcript.replayInScratchCopy(text, base: repositoryRoot + "/examples")
                .write(toFile: String(path.dropLast(4)) + ".out", atomically: true, encoding: .utf8)
        }
        #expect(FileManager.default.fileExists(atPath: String(path.dropLast(4)) + ".out"), "every example needs a transcript")
        let result = try runShell(["--check", path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.hasSuffix("transcript matches \(String(path.dropLast(4))).out\n"))
    }

    /// `--check` replays in a scratch copy: the emission tour's `:emit` and `:export` leave the folder as it was.
    @Test func checkingAnExampleWritesNothingBesideIt() throws {
        let files = FileManager.default
        let folder = files.temporaryDirectory.appendingPathComponent("pfs-check-\(UUID().uuidString)")
        defer { try? files.removeItem(at: folder) }
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["08-emission-tour.pfs", "08-emission-tour.out"] {
            try files.copyItem(atPath: repositoryRoot + "/examples/" + name, toPath: folder.appendingPathComponent(name).path)
        }
        let result = try runShell(["--check", folder.appendingPathComponent("08-emission-tour.pfs").path])
        #expect(result.status == 0, "\(result.output)")
        #expect(try files.contentsOfDirectory(atPath: folder.path).sorted() == ["08-emission-tour.out", "08-emission-tour.pfs"])
    }
}

@Suite struct ScriptModeTests {
    @Test func stdinThatIsNotATerminalReplaysWithEchoAndFailsOnError() throws {
        let result = try runShell([], input: "a = ones(2)\nb = a +\nc = a\n")
        #expect(
            result.output == """
                pyflame> a = ones(2)
                a = tensor<2xf32> host [1, 1]
                pyflame> b = a +
                error: expected an expression
                  b = a +
                         ^

                """)
        #expect(result.status == 1)
        #expect(result.errors.isEmpty)
    }

    @Test func keepGoingRunsEveryStatement() throws {
        let result = try runShell(["--keep-going"], input: "b = nope\nc = ones(1)\n")
        #expect(result.output.hasSuffix("pyflame> c = ones(1)\nc = tensor<1xf32> host [1]\n"))
        #expect(result.status == 1)
    }

    @Test func aCleanScriptExitsZeroAndRelativeFilesResolveBesideIt() throws {
        let folder = NSTemporaryDirectory() + "pfs-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "x = arange(3, dtype=i16)\n:export x x.npy\ny = load(\"x.npy\")\n".write(toFile: folder + "/s.pfs", atomically: true, encoding: .utf8)
        let result = try runShell([folder + "/s.pfs"])
        #expect(result.status == 0)
        #expect(result.output.hasSuffix("y = tensor<3xi16> host [0, 1, 2]\n"))
        #expect(FileManager.default.fileExists(atPath: folder + "/x.npy"))
    }

    @Test func checkPrintsADiffAndFailsWhenTheTranscriptDiffers() throws {
        let folder = NSTemporaryDirectory() + "pfs-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a = ones(2)\n".write(toFile: folder + "/t.pfs", atomically: true, encoding: .utf8)
        try "pyflame> a = ones(2)\na = tensor<2xf32> host [1, 2]\n".write(toFile: folder + "/t.out", atomically: true, encoding: .utf8)
        let result = try runShell(["--check", folder + "/t.pfs"])
        #expect(result.status == 1)
        #expect(result.output.contains("-a = tensor<2xf32> host [1, 2]\n+a = tensor<2xf32> host [1, 1]"))
        #expect(try runShell(["--check", folder + "/missing.pfs"]).status == 2)
    }

    @Test func theCommandLineHasHelpAndVersion() throws {
        let help = try runShell(["--help"])
        #expect(help.status == 0)
        for option in ["--keep-going", "--no-color", "--check", "--version"] { #expect(help.output.contains(option)) }
        #expect(try runShell(["--version"]).output == "0.1.0\n")
        #expect(try runShell(["--bogus"]).status != 0)
    }
}

/// `--check` copies the script's folder to replay in: a FIFO there (which would block a copy) is skipped.
@Suite struct CheckScratchCopyTests {
    @Test func aFIFOBesideTheScriptDoesNotHangTheCheck() throws {
        let files = FileManager.default
        let folder = files.temporaryDirectory.appendingPathComponent("pfs-fifo-\(UUID().uuidString)")
        defer { try? files.removeItem(at: folder) }
        try files.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "x = arange(4)\n".write(to: folder.appendingPathComponent("s.pfs"), atomically: true, encoding: .utf8)
        try "pyflame> x = arange(4)\nx = tensor<4xf32> host [0, 1, 2, 3]\n".write(
            to: folder.appendingPathComponent("s.out"), atomically: true, encoding: .utf8)
        #expect(mkfifo(folder.appendingPathComponent("p").path, 0o600) == 0)
        #expect(mkfifo(folder.appendingPathComponent("sub/q").path, 0o600) == 0)
        // Through timeout(1), so a regression fails instead of hanging the suite.
        let result = try runShell(["--check", folder.appendingPathComponent("s.pfs").path], viaTimeout: 30)
        #expect(result.status == 0, "\(result.output)")
    }
}
