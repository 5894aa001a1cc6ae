import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// Issue 14: `:emit --playground` writes switches, range filters and color swap in `@set_color_config`
/// the way the SDK 1.4 tutorials write them (topic-06, topic-08, topic-14), and the checker it runs says
/// `cannot check:` for what depends on run time.
@Suite struct PlaygroundRouteEmitTests {
    func layout(_ statements: String...) throws -> (text: String, emit: String) {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        for s in statements { #expect(!shell.execute(s).failed, "\(s): \(shell.execute(":status").text)") }
        let result = shell.execute(":emit --playground pg")
        #expect(!result.failed, "\(result.text)")
        let text = (try? String(contentsOfFile: root + "/pg/layout.csl", encoding: .utf8)) ?? ""
        return (text, result.text)
    }

    /// A route of the user's own that leads nowhere is the playground's, not the emitter's (new-user review:
    /// the checker's verdict blamed the emitter for an unused swap route the user wrote).
    @Test func aCheckerErrorInThePlaygroundPointsAtItsRoutes() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        for s in [
            "fabric 3x1", "color red = 0", "color blue = 1", "route blue (0,0): RAMP -> EAST swap x",
            "route red (1,0): WEST -> RAMP, EAST swap x", "route blue (1,0): WEST -> RAMP, EAST swap x", "route blue (2,0): WEST -> RAMP",
            "send blue (0,0) [1, 2]",
        ] { #expect(!shell.execute(s).failed, "\(s)") }
        let result = shell.execute(":emit --playground pg")
        #expect(result.failed)
        #expect(result.lines.contains { $0.text.hasPrefix("layout.csl:") && $0.text.contains(": error: ") }, "\(result.text)")
        #expect(
            result.text.hasSuffix(
                "checked: 1 error (the playground's routes are written as they are: check them with :routes, then :sim; else a bug in the emitter)"),
            "\(result.text)")
    }

    @Test func theSwitchOfTopic06sCentrePEIsWrittenWithItsPositions() throws {
        let (text, emit) = try layout(
            "fabric 3x3", "color red = 0", "route red (1,1): RAMP -> NORTH switch tx WEST, tx EAST, tx SOUTH at 1 ring",
            "route red (0,1): EAST -> RAMP", "route red (2,1): WEST -> RAMP", "route red (1,0): SOUTH -> RAMP", "route red (1,2): NORTH -> RAMP",
            "send red (1,1) [0, 2, 4, 6]")
        #expect(
            text.contains(
                "  @set_color_config(1, 1, @get_color(0), .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ NORTH } }, .switches = .{ .pos1 = .{ .tx = WEST }, .pos2 = .{ .tx = EAST }, .pos3 = .{ .tx = SOUTH }, .current_switch_pos = 1, .ring_mode = true } });"
            ), "\(text)")
        #expect(text.contains("  // switch: pos1 tx {WEST}, pos2 tx {EAST}, pos3 tx {SOUTH}; starts at pos1;"), "\(text)")
        // The routes without switches read as before.
        #expect(text.contains("  @set_color_config(0, 1, @get_color(0), .{ .routes = .{ .rx = .{ EAST }, .tx = .{ RAMP } } });"))
        #expect(emit.contains("cannot check: switches: which position of (1,1) color 0 routes each wavelet"), "\(emit)")
        #expect(emit.contains("checked: the checks pass"), "\(emit)")
    }

    @Test func popModeAndRxPositionsAreWrittenAsTheBenchmarksWriteThem() throws {
        let (text, _) = try layout(
            "fabric 3x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP, EAST switch rx RAMP tx EAST pop always",
            "route red (2,0): WEST -> RAMP", "send red (0,0) [1, 2]")
        #expect(
            text.contains(
                ".{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP, EAST } }, .switches = .{ .pos1 = .{ .rx = RAMP, .tx = EAST }, .pop_mode = .{ .always_pop = true } } });"
            ), "\(text)")
        #expect(text.contains("starts at the base route"), "\(text)")
        #expect(text.contains("this router pops each command (always_pop)"), "\(text)")
    }

    @Test func rangeFiltersKeepTheirBoundsPerPE() throws {
        let (text, emit) = try layout(
            "fabric 4x1", "color blue = 1", "route blue (0,0): RAMP -> EAST", "route blue (1,0): WEST -> RAMP, EAST filter 3..5",
            "route blue (2,0): WEST -> RAMP, EAST filter 6..8", "route blue (3,0): WEST -> RAMP filter 9..11",
            "send blue (0,0) [(0, 100), (1, 101), (2, 102), (3, 103), (4, 104), (5, 105), (6, 106), (7, 107), (8, 108), (9, 109), (10, 110), (11, 111)]")
        for (x, lo, hi, tx) in [(1, 3, 5, "RAMP, EAST"), (2, 6, 8, "RAMP, EAST"), (3, 9, 11, "RAMP")] {
            #expect(
                text.contains(
                    "  @set_color_config(\(x), 0, @get_color(1), .{ .routes = .{ .rx = .{ WEST }, .tx = .{ \(tx) } }, .filter = .{ .kind = .{ .range = true }, .min_idx = \(lo), .max_idx = \(hi) } });"
                ), "\(text)")
            #expect(text.contains("  // range filter: the core takes only wavelets whose index (upper 16 bits) is \(lo) to \(hi);"))
        }
        #expect(emit.contains("cannot check: filter: which wavelets the filter of (1,0) color 1 lets into the core"), "\(emit)")
        #expect(emit.contains("checked: the checks pass"), "\(emit)")
    }

    @Test func colorSwapIsWrittenInsideRoutesAsTopic14WritesIt() throws {
        // topic-14: both colors of the pair swap along the row.
        let (text, emit) = try layout(
            "fabric 4x1", "color red = 0", "color blue = 1", "route blue (0,0): RAMP -> EAST swap x",
            "route red (1,0)..(2,0): WEST -> RAMP, EAST swap x", "route blue (1,0)..(2,0): WEST -> RAMP, EAST swap x",
            "route red (3,0): WEST -> RAMP swap x", "route blue (3,0): WEST -> RAMP swap x", "send blue (0,0) [1, 2]")
        #expect(
            text.contains(
                "  @set_color_config(0, 0, @get_color(1), .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST }, .color_swap_x = true } });"),
            "\(text)")
        #expect(text.contains("color swap (WSE-2): a wavelet leaving east or west arrives as color 0"), "\(text)")
        #expect(emit.contains("checked: the checks pass"), "\(emit)")
    }
}
