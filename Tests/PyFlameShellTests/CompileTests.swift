import Foundation
@testable import PyFlameShell
import Testing

/// `:compile` runs cslc with an argument vector (never a shell string); a fake cslc records what it got.
@Suite struct CompileTests {
    static let fakeSDK = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fake-sdk").path

    func project() throws -> String {
        let folder = try temporaryFolder() + "/my project's folder"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "const memcpy = @import_module(\"<memcpy/get_params>\", .{ .width = 4, .height = 2 });\nlayout {\n  @set_rectangle(4, 2);\n}\n"
            .write(toFile: folder + "/layout.csl", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func theExactCommandLineWithPathsWithSpaces() throws {
        let folder = try project()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path) }
        let record = folder + "/argv.txt"
        let shell = Shell()
        shell.compilerEnvironment = ["CEREBRAS_SDK_PATH": Self.fakeSDK, "PATH": "/usr/bin:/bin", "FAKE_CSLC_RECORD": record]
        _ = shell.execute("target wse3")
        let result = shell.execute(":compile \"\(folder)\"")
        #expect(!result.failed, "\(result.text)")
        let argv = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(
            argv == [
                folder, "--arch=wse3", folder + "/layout.csl", "--fabric-dims=11,4", "--fabric-offsets=4,1",
                "-o", folder + "/out", "--memcpy", "--channels=1",
            ])
        #expect(result.text.contains("fake cslc: compiled"))
        // The command line shown is one a shell would run: the path with a space and a quote is quoted.
        #expect(result.lines[0].text.contains(" '\(folder.replacingOccurrences(of: "'", with: "'\\''"))/layout.csl' "))
        #expect(result.lines[0].text.hasPrefix("$ \(Self.fakeSDK)/bin/cslc --arch=wse3 "))
        #expect(result.lines.last?.text.hasPrefix("cslc finished in") == true)
    }

    @Test func aFailingCompileIsAnErrorWithItsOutput() throws {
        let folder = try project()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path) }
        let shell = Shell()
        shell.compilerEnvironment = ["PATH": Self.fakeSDK + "/bin:/usr/bin:/bin", "FAKE_CSLC_RECORD": folder + "/argv.txt", "FAKE_CSLC_FAIL": "1"]
        let result = shell.execute(":compile \"\(folder)\"")
        #expect(result.failed)
        #expect(result.lines.contains(OutputLine("error: layout.csl:3: something the fake dislikes", .error)))
        #expect(result.lines.last?.text.hasPrefix("cslc failed in") == true)
        #expect(result.lines.last?.text.hasSuffix("(exit 3)") == true)
    }

    @Test func withoutAnSDKANoteSaysWhatToInstall() throws {
        let folder = try project()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path) }
        let shell = Shell()
        shell.compilerEnvironment = ["PATH": "/usr/bin:/bin"]
        let result = shell.execute(":compile \"\(folder)\"")
        #expect(!result.failed)
        #expect(
            result.lines == [
                OutputLine(
                    "note: cslc not found: set CEREBRAS_SDK_PATH to the Cerebras SDK folder (with bin/cslc) or put cslc on PATH; the SDK comes from Cerebras (sdk.cerebras.net). The emitted folder's commands.sh holds the same command line.",
                    .note)
            ])
        #expect(shell.execute(":compile /no/such/folder").failed)
    }

    @Test func checkReportsFindingsAsFileLineMessages() throws {
        let folder = try project()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path) }
        let shell = Shell()
        let result = shell.execute(":check \"\(folder)\"")
        // A rectangle with no @set_tile_code: every PE lacks its tile.
        #expect(result.failed)
        #expect(
            result.lines.first?.text.hasPrefix("layout.csl:3:3: error: PEs (0,0)-(3,1) of the 4x2 rectangle have no @set_tile_code") == true, "\(result.text)")
        #expect(shell.execute(":check /no/such/folder").lines[0].text == "error: no such folder: /no/such/folder")
    }
}
