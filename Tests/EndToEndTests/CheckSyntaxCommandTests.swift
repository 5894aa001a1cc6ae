import Foundation
import Testing

/// `pyflame-shell check --syntax PATH...`: parses CSL files and folders, exit 1 when any file has an error.
@Suite struct CheckSyntaxCommandTests {
    @Test func syntaxErrorsPrintWithACaretAndExitOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-syntax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.csl")
        let bad = folder.appendingPathComponent("bad.csl")
        try "param N: i16;\nconst a: [N]f32 = @zeros([N]f32);\n".write(to: good, atomically: true, encoding: .utf8)
        try "layout {\n  @set_rectangle(2, 1)\n}\n".write(to: bad, atomically: true, encoding: .utf8)

        let clean = try runShell(["check", "--syntax", good.path])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output == "parsed 1 file: 1 clean, 0 with errors\n")

        let both = try runShell(["check", "--syntax", folder.path])
        #expect(both.status == 1)
        #expect(
            both.output == """
                \(bad.path):2:23: error: expected ';' after the expression
                    @set_rectangle(2, 1)
                                        ^
                parsed 2 files: 1 clean, 1 with errors

                """)

        // Without --syntax, check still takes one project folder.
        let two = try runShell(["check", good.path, bad.path])
        #expect(two.status != 0 && two.status != 1)
    }
}
