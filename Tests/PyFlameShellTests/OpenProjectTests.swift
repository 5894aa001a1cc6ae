import Foundation
import PyFlameCSLFrontend
import PyFlameIR
import Testing

@testable import PyFlameShell

/// `:open DIR`: a CSL project's routes become the session's program for `:routes`, `:colors`, `:pes`,
/// `:view` and `:sim`; `:pes` names the file and parameters of each rectangle of PEs.
@Suite("Opening a CSL project")
struct OpenProjectTests {
    /// The hand-written project of the open-project transcript (Golden/open-project).
    static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/open-project").path

    @Test func itsRoutesAreTheLayoutsRoutesForEachWidth() {
        let shell = Shell()
        let opened = shell.execute(":open \"\(Self.project)\" --params width:4")
        #expect(!opened.failed, "\(opened.text)")
        #expect(opened.text.contains("4x2 PEs running 3 files, 4 routes on 1 color"), "\(opened.text)")
        #expect(
            shell.execute(":routes").lines.map(\.text) == [
                "(0,0) color 4: rx {RAMP} tx {EAST}", "(1,0) color 4: rx {WEST} tx {RAMP, EAST}", "(2,0) color 4: rx {WEST} tx {RAMP, EAST}",
                "(3,0) color 4: rx {WEST} tx {RAMP}",
            ])
        #expect(
            shell.execute(":pes").lines.map(\.text) == [
                "open-project: 4x2 PEs, 8 with code, 4 distinct (file, parameters) in 4 rectangles",
                "  (0,0)        send.csl     .{}",
                "  (1,0)-(2,0)  receive.csl  .{ .is_last = false }",
                "  (3,0)        receive.csl  .{ .is_last = true }",
                "  (0,1)-(3,1)  idle.csl     .{}",
            ])
        #expect(shell.execute(":pes --limit 2").lines.last?.text == "  ... 2 more rectangles (--limit N shows more)")
    }

    @Test func simLoadsItsRoutesAndATensorDefinedLaterTakesOverCommandsWithoutAName() {
        let shell = Shell()
        #expect(!shell.execute(":open \"\(Self.project)\"").failed)
        #expect(shell.execute(":sim").text.hasPrefix("loaded open-project's program at cycle 0: 0 PEs, 3 routes on 1 color"))
        #expect(!shell.execute(":run").failed)
        _ = shell.execute("fabric 8x8")
        _ = shell.execute("x = ones([4, 4])")
        _ = shell.execute("y = x + x on RowPartition(2)")
        // Without NAME: the tensor now; by name: still the project.
        #expect(!shell.execute(":routes").text.contains("color 4"))
        #expect(shell.execute(":routes open-project").lines.count == 3)
        #expect(shell.execute(":colors open-project").text.hasPrefix("1 color routed in open-project"))
    }

    /// cslc's `--colors` gives a layout's color params (gemv-checkerboard-pattern's commands pass them so):
    /// `:open` and `:check` take it, with the fabric flags, as cslc does.
    @Test func colorParamsComeFromColorsAsCslcTakesThem() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
        param c: color;
        layout {
          @set_rectangle(1, 1);
          @set_tile_code(0, 0, "pe.csl", .{});
          @set_color_config(0, 0, c, .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP } } });
        }

        """.write(toFile: folder + "/layout.csl", atomically: true, encoding: .utf8)
        try "var x: i16 = 0;\n".write(toFile: folder + "/pe.csl", atomically: true, encoding: .utf8)
        let shell = Shell()
        let opened = shell.execute(":open \"\(folder)\" --colors c:5 --fabric-dims 8,3 --fabric-offsets 4,1")
        #expect(!opened.failed, "\(opened.text)")
        #expect(shell.execute(":routes").lines.map(\.text) == ["(0,0) color 5: rx {WEST} tx {RAMP}"])
        let missing = shell.execute(":check \"\(folder)\"")
        #expect(missing.failed && missing.text.contains("param 'c'"), "\(missing.text)")
        #expect(shell.execute(":check \"\(folder)\" --colors").text.contains("--colors needs a value"))
    }

    @Test func aProjectThatDoesNotEvaluateIsNotOpened() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "layout {\n  @set_rectangle(2, 1);\n  @set_tile_code(0, 0, \"missing.csl\", .{});\n}\n".write(
            toFile: folder + "/layout.csl", atomically: true, encoding: .utf8)
        let shell = Shell()
        let opened = shell.execute(":open \"\(folder)\"")
        #expect(opened.failed)
        #expect(opened.lines.last?.text.hasSuffix("was not opened: 1 error (:check \(folder) lists every finding)") == true, "\(opened.text)")
        #expect(shell.session.opened == nil)
        #expect(shell.execute(":open /no/such/folder").lines.first?.text == "error: no such folder: /no/such/folder")
        #expect(shell.execute(":open").failed)
    }

    @Test func aBudgetTheUserSetAppliesToAHandWrittenProject() {
        let shell = Shell()
        #expect(!shell.execute(":check \"\(Self.project)\"").failed)
        _ = shell.execute("set pe_data_budget 8")
        let checked = shell.execute(":check \"\(Self.project)\"")
        #expect(checked.failed)
        #expect(
            checked.lines.contains {
                $0.text
                    == "send.csl:3:5: error: send.csl declares 16 bytes of data at PE (0,0), over the data budget of 8 bytes (the largest is `buf`, 16 bytes)"
            }, "\(checked.text)")
    }

    @Test func theRectanglesOfAWholeWaferAreAFewRows() {
        // 745,500 PEs running one file with two parameter values by column: two rectangles.
        let pes = (0..<994).flatMap { y in (0..<750).map { PECoord($0, y) } }
        let left = pes.filter { $0.x < 375 }
        let rects = PERectangleCover.cover(left)
        #expect(rects.count == 1)
        #expect(PERectangleCover.text(left) == "(0,0)-(374,993)")
    }
}
