import Foundation
import Testing

@testable import PyFlameShell

/// `:check` on the CSL front end: an emitted project passes; four hand-edits of it each fail with one
/// error at the exact `file:line:col` of the offending declaration (the line is found in the edited text,
/// so the assertion is the line, not a guess).
@Suite("Hand-edited projects fail :check at the offending line")
struct OpenCheckHandEditTests {
    /// The checkerboard sum of examples/08 emitted to `out/s` in a fresh folder; (shell, folder).
    func emitted() throws -> (Shell, String) {
        let root = try temporaryFolder()
        let shell = Shell(baseDirectory: root)
        for s in ["fabric 8x8", "x = randn([8, 8], seed=1)", "s = sum(x, dim=1) on ColPartition(4)", ":emit s"] {
            let r = shell.execute(s)
            #expect(!r.failed, "\(s): \(r.text)")
        }
        return (shell, root)
    }

    /// Replaces `old` with `new` in `file` of the project and returns the 1-based line where `marker`
    /// stands after the edit.
    func edit(_ root: String, _ file: String, _ old: String, _ new: String, marker: String) throws -> Int {
        let path = root + "/out/s/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(old), "\(file) lacks \(old)")
        let edited = text.replacingOccurrences(of: old, with: new)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let lines = edited.split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.contains(marker) }) + 1
    }

    @Test func theEmittedProjectPasses() throws {
        let (shell, root) = try emitted()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let checked = shell.execute(":check out/s")
        #expect(!checked.failed)
        #expect(checked.text == "out/s: the checks pass", "\(checked.text)")
    }

    @Test func aFabricDSDOnAColorWithNoRouteAtItsPE() throws {
        let (shell, root) = try emitted()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // PE (1,0) receives on its Q0_COLOR: make that color 5, which nothing routes.
        _ = try edit(
            root, "layout.csl", "memcpy.get_params(1), .Q0_COLOR = @get_color(1)", "memcpy.get_params(1), .Q0_COLOR = @get_color(5)",
            marker: "get_params(1)")
        let pe = try String(contentsOfFile: root + "/out/s/pe_program_1.csl", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(pe.firstIndex { $0.contains("const s1_0_in = @get_dsd(fabin_dsd") }) + 1
        let checked = shell.execute(":check out/s")
        #expect(checked.failed)
        #expect(
            checked.lines.first?.text
                == "pe_program_1.csl:\(line):19: error: fabin_dsd `s1_0_in` receives on color 5, but PE (1,0) running pe_program_1.csl has no route for color 5",
            "\(checked.text)")
        #expect(checked.lines.last?.text == "out/s: 1 error")
    }

    @Test func aDSDExtentLargerThanItsBuffer() throws {
        let (shell, root) = try emitted()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let line = try edit(root, "pe_program_1.csl", "|i|{8} -> b1[i]", "|i|{16} -> b1[i]", marker: "const s1_0_mem")
        let checked = shell.execute(":check out/s")
        #expect(checked.failed)
        #expect(
            checked.lines.first?.text
                == "pe_program_1.csl:\(line):20: error: mem1d_dsd `s1_0_mem` (extent 16) reaches b1[15], beyond the 8 elements of `b1`: the buffer is too small for the DSD or the DSD too long for the buffer",
            "\(checked.text)")
    }

    @Test func aBufferTooSmallForItsDSDs() throws {
        let (shell, root) = try emitted()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let buffer = try edit(root, "pe_program_1.csl", "var b1: [8]f32 = @zeros([8]f32)", "var b1: [4]f32 = @zeros([4]f32)", marker: "var b1:")
        let pe = try String(contentsOfFile: root + "/out/s/pe_program_1.csl", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let dsd = try #require(pe.firstIndex { $0.contains("const s1_0_mem") }) + 1
        let checked = shell.execute(":check out/s")
        #expect(checked.failed)
        let text = checked.lines.map(\.text)
        #expect(
            text.first?.hasPrefix("pe_program_1.csl:\(dsd):20: error: mem1d_dsd `s1_0_mem` (extent 8) reaches b1[7], beyond the 4 elements of `b1`") == true,
            "\(text)")
        #expect(text.contains("pe_program_1.csl:\(buffer):5: note: `b1` is declared here as [4]f32, 4 elements"), "\(text)")
    }

    @Test func aFabricDSDExtentLongerThanTheMemoryItsOperationMoves() throws {
        let (shell, root) = try emitted()
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try edit(root, "pe_program_1.csl", ".fabric_color = Q0_COLOR, .extent = 8", ".fabric_color = Q0_COLOR, .extent = 16", marker: "const s1_0_in")
        let pe = try String(contentsOfFile: root + "/out/s/pe_program_1.csl", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(pe.firstIndex { $0.contains("@fadds(s1_0_out, s1_0_in, s1_0_mem") }) + 1
        let checked = shell.execute(":check out/s")
        #expect(!checked.failed)
        #expect(
            checked.lines.first?.text
                == "pe_program_1.csl:\(line):3: warning: @fadds(s1_0_out, s1_0_in, s1_0_mem) in step_1: its DSDs differ in length (`s1_0_out` 8, `s1_0_in` 16, `s1_0_mem` 8)",
            "\(checked.text)")
    }

    @Test func aTaskBoundToATaskIDMemcpyReserves() throws {
        let (shell, root) = try emitted()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let line = try edit(root, "pe_program_1.csl", "@get_local_task_id(8)", "@get_local_task_id(22)", marker: "const resume_task_id")
        let checked = shell.execute(":check out/s")
        #expect(checked.failed)
        #expect(
            checked.lines.first?.text
                == "pe_program_1.csl:\(line):39: error: local task ID 22 (task `resume_task`) is reserved by memcpy (it takes 21–23 in a project that imports it); the free local task IDs are 8–20 and 24–26",
            "\(checked.text)")
        #expect(checked.lines.contains { $0.text.hasSuffix(": note: `resume_task` is bound to local task ID 22 here") })
    }

    @Test func checkTakesParamsArchAndSDKAndRefusesBadOnes() throws {
        let (shell, root) = try emitted()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(!shell.execute(":check out/s --arch wse3 --sdk 1.4").failed)
        #expect(shell.execute(":check out/s --arch wse9").lines.first?.text == "error: --arch is wse2 or wse3, not wse9")
        #expect(shell.execute(":check out/s --sdk 2.10").failed)
        #expect(shell.execute(":check out/nothing").lines.first?.text == "error: no such folder: out/nothing")
    }
}
