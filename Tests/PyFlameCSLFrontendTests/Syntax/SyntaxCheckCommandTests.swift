import Foundation
import PyFlameCSLFrontend
import Testing

/// `pyflame-shell check --syntax`: the report over files and folders.
@Suite struct SyntaxCheckCommandTests {
    @Test func aFolderIsSearchedForCSLFilesAndTheReportCountsThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("csl-syntax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "const a = 1;\n".write(to: folder.appendingPathComponent("good.csl"), atomically: true, encoding: .utf8)
        try "const b = ;\n".write(to: folder.appendingPathComponent("sub/bad.csl"), atomically: true, encoding: .utf8)
        try "not csl".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let report = CSLSyntaxCheck.run(paths: [folder.path])
        let bad = folder.path + "/sub/bad.csl"
        #expect(
            report.lines == [
                "\(bad):1:11: error: expected an expression, found ';'\n  const b = ;\n            ^",
                "parsed 2 files: 1 clean, 1 with errors",
            ])
        #expect(report.failed)
        let good = CSLSyntaxCheck.run(paths: [folder.appendingPathComponent("good.csl").path])
        #expect(good.lines == ["parsed 1 file: 1 clean, 0 with errors"])
        #expect(!good.failed)
    }

    @Test func aMissingPathIsAnErrorAndStoppingEndsTheRun() {
        let report = CSLSyntaxCheck.run(paths: ["/no/such/place.csl"])
        #expect(report.lines == ["error: no such file or folder: /no/such/place.csl", "parsed 0 files: 0 clean, 0 with errors"])
        #expect(report.failed)
        let corpus = CSLSyntaxCheck.run(paths: [corpusFolder.path], shouldStop: { true })
        #expect(corpus.lines == ["interrupted", "parsed 0 files: 0 clean, 0 with errors"])
    }
}
