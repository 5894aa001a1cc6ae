import Foundation
import Testing
@testable import PyFlameCSL

/// A copy of a fixture in a fresh temporary folder, to edit; the caller removes it.
func editableFixture(_ name: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-check-\(UUID().uuidString)").path
    try FileManager.default.copyItem(atPath: fixture(name), toPath: folder)
    return folder
}

/// Replaces `old` (which must be there) with `new` in `file` of `folder`.
func edit(_ folder: String, _ file: String, _ old: String, _ new: String) throws {
    let path = folder + "/" + file
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains(old), "\(file) has no \(old)")
    try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
}

/// What users can put in a project folder must not crash or stall the checker: deep nesting (item 7)
/// and files that are not UTF-8 text.
@Suite struct CheckerRobustnessTests {
    @Test(arguments: ["[", "(", "{"])
    func deeplyNestedBracketsAreRefusedWithTheParsersLimit(_ open: String) throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let close = ["[": "]", "(": ")", "{": "}"][open]!
        let deep = String(repeating: open, count: 50_000) + "1" + String(repeating: close, count: 50_000)
        try edit(folder, "send.csl", "const N: u32 = 16;", "const N: u32 = 16;\nconst deep = \(deep);")
        let r = CSLChecker().check(folder: folder)
        #expect(!r.passed)
        #expect(
            rendered(r).contains("send.csl:6: cannot check: brackets nested deeper than 256 levels; send.csl is not checked further"),
            "\(rendered(r).prefix(5))")
    }

    @Test func deepParenthesesInAConstAreNotEvaluatedRecursively() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 200 levels: under the limit, evaluated; the layout's nesting is unchanged.
        let nested = String(repeating: "(", count: 200) + "16" + String(repeating: ")", count: 200)
        try edit(folder, "send.csl", "const N: u32 = 16;", "const N: u32 = \(nested);")
        let r = CSLChecker().check(folder: folder)
        #expect(rendered(r) == [], "\(rendered(r))")
    }

    @Test func aLayoutNestedTooDeeplyIsNotInterpreted() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let deep = String(repeating: "{", count: 50_000) + String(repeating: "}", count: 50_000)
        try edit(folder, "layout.csl", "  @set_rectangle(4, 1);", "  @set_rectangle(4, 1);\n  \(deep)")
        let r = CSLChecker().check(folder: folder)
        #expect(!r.passed)
        #expect(
            rendered(r).contains("layout.csl:7: cannot check: brackets nested deeper than 256 levels; layout.csl is not checked further"),
            "\(rendered(r).prefix(5))")
    }

    @Test func aPEProgramThatIsNotUTF8IsSaidToBeSo() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/recv.csl")))
        bytes.insert(contentsOf: [0xFF, 0xFE, 0xC3], at: 10)
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/recv.csl"))
        let r = CSLChecker().check(folder: folder)
        #expect(!r.passed)
        #expect(rendered(r).contains("layout.csl:8: recv.csl is not UTF-8 text"), "\(rendered(r))")
        #expect(!rendered(r).contains { $0.contains("does not exist") }, "\(rendered(r))")
    }

    @Test func aLayoutThatIsNotUTF8IsSaidToBeSo() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data([0x6C, 0x61, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: folder + "/layout.csl"))
        let r = CSLChecker().check(folder: folder)
        #expect(rendered(r) == ["layout.csl:1: layout.csl is not UTF-8 text"])
    }
}
