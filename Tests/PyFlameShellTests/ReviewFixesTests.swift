import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// What the end-of-round reviews found: a shrunk fabric under the playground, `:emit --force` on the
/// folder a session works in, files added to an emitted folder, the view's panel before `:sim`.
@Suite struct ReviewFixesTests {
    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-review-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aPlaygroundOutsideAShrunkFabricIsRefusedNotATrap() {
        let shell = Shell()
        for line in ["fabric 4x1", "color c = 0", "route c (3,0): WEST -> RAMP", "send c (0,0) [1]", "fabric 3x1"] {
            #expect(!shell.execute(line).failed, "\(line)")
        }
        for command in [":sim", ":csl --playground", ":emit --playground"] {
            let result = shell.execute(command)
            #expect(result.failed)
            #expect(
                result.lines.first?.text == "error: the route of color 0 at (3,0) lies outside fabric 3x1: make the fabric larger again (:reset starts over)")
        }
    }

    @Test func emitNeverReplacesTheSessionsFolderEvenWithForce() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "keep".write(to: folder.appendingPathComponent("precious.txt"), atomically: true, encoding: .utf8)
        let shell = Shell(baseDirectory: folder.path)
        #expect(!shell.execute("a = arange(16) * 2 on RowPartition(4)").failed)
        let result = shell.execute(":emit a . --force")
        #expect(result.failed)
        #expect(result.lines.first?.text.contains("never replaces it, even with --force") == true)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("precious.txt").path))
    }

    @Test func filesAddedToAnEmittedFolderAreNotReplacedWithoutForce() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shell = Shell(baseDirectory: folder.path)
        #expect(!shell.execute("a = arange(16) * 2 on RowPartition(4)").failed)
        #expect(!shell.execute(":emit a proj").failed)
        let notes = folder.appendingPathComponent("proj/NOTES.md")
        try "mine".write(to: notes, atomically: true, encoding: .utf8)
        let again = shell.execute(":emit a proj")
        #expect(again.failed)
        #expect(again.lines.first?.text.contains("holds files :emit did not write (NOTES.md); --force replaces them") == true)
        #expect(FileManager.default.fileExists(atPath: notes.path))
        #expect(!shell.execute(":emit a proj --force").failed)
        #expect(!FileManager.default.fileExists(atPath: notes.path))
    }

    @Test func theViewsPanelDescribesTheProgramItShowsBeforeAnySim() {
        let shell = Shell()
        #expect(!shell.execute("a = arange(8)").failed)
        #expect(!shell.execute("b = a * 2 on RowPartition(2)").failed)
        let panel = shell.currentViewPanel(PECoord(0, 0)).joined(separator: "\n")
        #expect(panel.contains("role pe_program_0"))
        #expect(!panel.contains("playground"))
    }
}
