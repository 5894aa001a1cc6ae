import Foundation
import Testing
@testable import PyFlameCSL

/// Item 29: `:check` used to pass hand-edited projects whose DSDs are broken. Every DSD's fabric color
/// is checked against the routes of `layout.csl` at each PE, every memory DSD against its array, and
/// operations against the lengths of their DSDs; what the checker cannot evaluate is `cannot check`.
@Suite struct DSDCheckTests {
    @Test func theRowBroadcastsDSDsAreVerified() {
        let r = check("row_broadcast")
        #expect(rendered(r) == [])
        #expect(r.passed)
    }

    @Test func aFabricDSDOnAColorWithNoRouteAtThePEIsAnError() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try edit(folder, "send.csl", ".fabric_color = c,", ".fabric_color = @get_color(5),")
        let r = CSLChecker().check(folder: folder)
        #expect(!r.passed)
        #expect(rendered(r).contains("send.csl:13: `out_dsd` sends on color 5, which has no route at PE (0, 0) in layout.csl"), "\(rendered(r))")
    }

    @Test func aFabricDSDWhoseRouteDoesNotReachTheCoreIsAnError() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try edit(
            folder, "layout.csl", "@set_color_config(3, 0, bcast, .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP } } });",
            "@set_color_config(3, 0, bcast, .{ .routes = .{ .rx = .{ WEST }, .tx = .{ SOUTH } } });")
        let r = CSLChecker().check(folder: folder)
        #expect(
            rendered(r).contains("recv.csl:13: `in_dsd` receives on color 0, but its route at PE (3, 0) does not send to RAMP (.tx has no RAMP)"),
            "\(rendered(r))")
    }

    @Test func aDSDExtentLargerThanItsBufferIsAnError() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try edit(folder, "recv.csl", "|i|{N} -> y[i]", "|i|{N + 4} -> y[i]")
        let r = CSLChecker().check(folder: folder)
        #expect(!r.passed)
        #expect(rendered(r).contains("recv.csl:12: `y_dsd` reaches y[19] at PE (1, 0), (2, 0), (3, 0), outside `y` (16 elements)"), "\(rendered(r))")
        // And the operation now moves 20 elements into a 16-wavelet fabric DSD.
        #expect(
            rendered(r).contains("recv.csl:16: @fmovs(y_dsd, in_dsd) at PE (1, 0), (2, 0), (3, 0): the DSDs differ in length (y_dsd has 20, in_dsd has 16)"),
            "\(rendered(r))")
    }

    @Test func aBufferTooSmallForItsDSDsIsAnError() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try edit(folder, "send.csl", "var x: [N]f32;", "var x: [8]f32;")
        let r = CSLChecker().check(folder: folder)
        #expect(!r.passed)
        #expect(rendered(r).contains("send.csl:12: `x_dsd` reaches x[15] at PE (0, 0), outside `x` (8 elements)"), "\(rendered(r))")
    }

    @Test func aFabricExtentThatDisagreesWithTheMemoryIsAnError() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try edit(folder, "send.csl", ".extent = N,", ".extent = 2 * N,")
        let r = CSLChecker().check(folder: folder)
        #expect(
            rendered(r).contains("send.csl:16: @fmovs(out_dsd, x_dsd) at PE (0, 0): the DSDs differ in length (out_dsd has 32, x_dsd has 16)"), "\(rendered(r))"
        )
    }

    @Test func aDSDTheCheckerCannotEvaluateIsCannotCheckNotAPass() throws {
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try edit(folder, "recv.csl", "|i|{N} -> y[i]", "|i|{N} -> y[i * i]")
        try edit(folder, "send.csl", ".fabric_color = c,", ".fabric_color = pick(c),")
        let r = CSLChecker().check(folder: folder)
        #expect(!r.passed)
        #expect(!r.findings.contains { $0.severity == .error }, "\(rendered(r))")
        #expect(
            rendered(r).contains(
                "recv.csl:12: cannot check: the elements `y_dsd` visits in `y` do not resolve at PE (1, 0), (2, 0), (3, 0); its extent and memory are not checked"
            ), "\(rendered(r))")
        #expect(
            rendered(r).contains(
                "send.csl:13: cannot check: the color of `out_dsd` is not a literal or a resolvable const at PE (0, 0); its route is not checked"),
            "\(rendered(r))")
    }
}
