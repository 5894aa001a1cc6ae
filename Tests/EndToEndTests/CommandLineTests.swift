import Foundation
import Testing

/// The command line's grammar: the shell by default, `--check FILE.pfs`, and `check DIR` for CI.
@Suite struct CommandLineTests {
    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func checkDIRExitsZeroOnAGoodProjectOneOnErrorsTwoOnNoFolder() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let project = folder.appendingPathComponent("y").path
        let emitted = try runShell([], input: "x = randn([8, 8], seed=1)\ny = x * 2 on Grid(2, 2)\n:emit y \(project)\n")
        #expect(emitted.status == 0, "\(emitted.output)")
        let good = try runShell(["check", project])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.hasSuffix("\(project): the checks pass\n"))
        // A PE program the layout names is gone: an error, exit 1.
        let programs = try FileManager.default.contentsOfDirectory(atPath: project).filter { $0.hasPrefix("pe_program") }
        try FileManager.default.removeItem(atPath: project + "/" + programs[0])
        let broken = try runShell(["check", project])
        #expect(broken.status == 1)
        #expect(broken.output.contains("error: "))
        let missing = try runShell(["check", folder.appendingPathComponent("nothing").path])
        #expect(missing.status == 2)
        #expect(missing.errors.contains("no such folder"))
    }

    @Test func aScriptNamedLikeASubcommandRunsAfterDoubleDashOrWithItsPath() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("check")
        try "a = ones(2)\n".write(to: script, atomically: true, encoding: .utf8)
        for arguments in [["--", script.path], [script.path]] {
            let result = try runShell(arguments)
            #expect(result.status == 0)
            #expect(result.output == "pyflame> a = ones(2)\na = tensor<2xf32> host [1, 1]\n")
        }
    }

    @Test func helpNamesTheSubcommandsAndTheShellsOptions() throws {
        let root = try runShell(["--help"])
        #expect(root.output.contains("pyflame-shell check DIR"))
        #expect(root.output.contains("check "))
        let shell = try runShell(["help", "shell"])
        #expect(shell.output.contains("--keep-going"))
        let check = try runShell(["check", "--help"])
        #expect(check.output.contains("--pe-data-budget"))
    }
}
