import Foundation
@testable import PyFlameShell
import PyFlameCSL
import PyFlameIR
import Testing

/// `:emit`, `:csl`, the templates override and `:compile` of what was emitted, through a live shell.
@Suite struct EmitTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates").path

    func chain(_ shell: Shell) {
        run(shell, "fabric 8x8", "x = randn([8, 8], seed=1)", "s = sum(x, dim=1) on ColPartition(4)")
    }

    @Test func emitWritesACheckedProjectWithTheReferenceData() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        chain(shell)
        let result = shell.execute(":emit s")
        #expect(!result.failed, "\(result.text)")
        #expect(
            result.lines.map(\.text) == [
                "wrote out/s: layout.csl, 3 PE programs, run.py, commands.sh and 3 .npy files",
                "checked: the checks pass",
            ])
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/out/s").sorted()
        #expect(
            files == [
                CSLProject.markerName, "commands.sh", "layout.csl", "pe_program_0.csl", "pe_program_1.csl", "pe_program_2.csl",
                "run.py", "s.expected.npy", "s.tolerance.npy", "x.npy",
            ])
        // The .npy files hold the session's values: the input, and the reference result run.py compares with.
        let x = try NPY.decode(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/out/s/x.npy"))))
        #expect(x == shell.session.graph[shell.session.bindings["x"]!]!.value)
        let expected = try NPY.decode(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/out/s/s.expected.npy"))))
        #expect(expected == shell.session.graph[shell.session.bindings["s"]!]!.value)
        let tolerance = try NPY.decode(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/out/s/s.tolerance.npy"))))
        #expect(tolerance.elements.allSatisfy { $0 > 0 }, "a sum is compared within n·ε·Σ|terms|")
        // What :emit wrote is what :csl prints.
        let layout = try String(contentsOfFile: root + "/out/s/layout.csl", encoding: .utf8)
        #expect(shell.execute(":csl s layout.csl").text + "\n" == layout)
        // Emitting again replaces the folder; a folder that is not ours needs --force.
        #expect(!shell.execute(":emit s").failed)
        try FileManager.default.createDirectory(atPath: root + "/theirs", withIntermediateDirectories: true)
        try "x".write(toFile: root + "/theirs/keep.txt", atomically: true, encoding: .utf8)
        let refused = shell.execute(":emit s theirs")
        #expect(refused.failed)
        #expect(refused.lines[0].text.contains("is not empty and was not written by :emit"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/theirs") == ["keep.txt"])
        #expect(!shell.execute(":emit s theirs --force").failed)
        #expect(FileManager.default.fileExists(atPath: root + "/theirs/layout.csl"))
    }

    @Test func anEditedTemplateCopyIsWhatGetsRendered() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let copy = root + "/my templates"
        try FileManager.default.copyItem(atPath: Self.templates, toPath: copy)
        let layout = copy + "/layout.csl.template"
        try (try String(contentsOfFile: layout, encoding: .utf8)).replacingOccurrences(of: "// ---- Routes:", with: "// ---- Routes (edited):")
            .write(toFile: layout, atomically: true, encoding: .utf8)
        let shell = Shell(baseDirectory: root)
        chain(shell)
        #expect(!shell.execute(":csl s layout.csl").text.contains("(edited)"))
        #expect(!shell.execute("set templates \"my templates\"").failed)
        #expect(shell.execute(":csl s layout.csl").text.contains("// ---- Routes (edited): one color config"))
        // --templates DIR (the shell's templatesFolder) applies when the setting is empty.
        let other = Shell(baseDirectory: root)
        other.templatesFolder = copy
        chain(other)
        #expect(other.execute(":csl s layout.csl").text.contains("(edited)"))
        // A template that drops a placeholder's value is caught by name, not rendered as empty text.
        let pe = copy + "/fabric_step.csl.template"
        try (try String(contentsOfFile: pe, encoding: .utf8)).replacingOccurrences(of: "{{NUM_WAVELETS}}", with: "{{NUM_WAVELET}}")
            .write(toFile: pe, atomically: true, encoding: .utf8)
        let broken = shell.execute(":csl s")
        #expect(broken.failed)
        #expect(broken.lines[0].text.contains("placeholder {{NUM_WAVELET}} was not supplied"), "\(broken.text)")
    }

    @Test func compileWithoutAFolderCompilesTheLastEmit() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        let record = root + "/argv.txt"
        shell.compilerEnvironment = ["CEREBRAS_SDK_PATH": CompileTests.fakeSDK, "PATH": "/usr/bin:/bin", "FAKE_CSLC_RECORD": record]
        #expect(shell.execute(":compile").lines[0].text == "error: :compile needs a folder: nothing was emitted yet (:emit NAME DIR)")
        chain(shell)
        #expect(!shell.execute(":emit s \"emitted here\"").failed)
        let result = shell.execute(":compile")
        #expect(!result.failed, "\(result.text)")
        let argv = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(argv.contains("--fabric-dims=11,3"), "the 4x1 chain with the memcpy border: \(argv)")
        #expect(argv.contains(root + "/emitted here/layout.csl"))
    }

    @Test func thePlaygroundEmitsAsACheckedProjectWithWhatTheFabricDelivered() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        #expect(shell.execute(":emit --playground").lines[0].text.hasPrefix("error: the playground sends nothing"))
        run(
            shell, "fabric 4x2", "color red = 0", "color blue = 5", "route red (0,0): RAMP -> EAST", "route red (1,0)..(2,0): WEST -> RAMP, EAST",
            "route red (3,0): WEST -> RAMP, SOUTH", "route red (3,1): NORTH -> RAMP", "route blue (0,1): RAMP -> EAST", "route blue (1,1): WEST -> RAMP",
            "send red (0,0) [7, 8, 9]", "send blue (0,1) [-1, 2]")
        let result = shell.execute(":emit --playground pg")
        #expect(!result.failed, "\(result.text)")
        #expect(result.lines.last?.text == "checked: the checks pass")
        let received = try NPY.decode(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/pg/received_red.expected.npy"))))
        #expect(received.elements == [7, 8, 9, 7, 8, 9, 7, 8, 9, 7, 8, 9], "(1,0), (2,0), (3,0) and (3,1) each get the three wavelets")
        let blue = try NPY.decode(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/pg/received_blue.expected.npy"))))
        #expect(blue.elements == [-1, 2])
        let sent = try NPY.decode(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/pg/sent_red.npy"))))
        #expect(sent.elements == [7, 8, 9])
        let report = CSLChecker().check(folder: root + "/pg")
        #expect(Set(report.routes.map { "\($0.x),\($0.y) \($0.color)" }) == Set(shell.session.playground.routes.map { "\($0.pe.x),\($0.pe.y) \($0.color)" }))
    }
}
