import Foundation
import Testing
@testable import PyFlameCSL
import PyFlameIR
import PyFlameLowering

/// Issue 14 in the checker: `@set_color_config` with `.switches`, `.filter` and color swap. What the
/// checker can follow it checks (every switch position's rx and tx, the color a swap makes a wavelet
/// arrive on, WSE-3's limits); what depends on run time (which position is current, which indices pass)
/// is a `cannot check:` finding, never a pass or a failure.
@Suite struct DynamicRouteCheckTests {
    /// The row broadcast fixture with `old` replaced by `new` in layout.csl, compiled for `arch`.
    func project(_ old: String, _ new: String, arch: String? = nil) throws -> String {
        let folder = try editableFixture("row_broadcast")
        try edit(folder, "layout.csl", old, new)
        if let arch {
            try "cslc --arch=\(arch) ./layout.csl --fabric-dims=11,3 --fabric-offsets=4,1 -o out --memcpy --channels=1\n"
                .write(toFile: folder + "/commands.sh", atomically: true, encoding: .utf8)
        }
        return folder
    }

    static let second = "@set_color_config(1, 0, bcast, .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP, EAST } } });"

    @Test func aRangeFilterIsCannotCheckNotAnError() throws {
        let folder = try project(
            Self.second,
            "@set_color_config(1, 0, bcast, .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP, EAST } }, .filter = .{ .kind = .{ .range = true }, .min_idx = 3, .max_idx = 5 } });"
        )
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = CSLChecker().check(folder: folder)
        #expect(r.findings.allSatisfy { $0.severity == .cannotCheck }, "\(rendered(r))")
        #expect(
            rendered(r) == [
                "layout.csl:13: cannot check: filter: which wavelets the filter of (1, 0) color 0 lets into the core depends on the wavelets sent at run time; it is not checked"
            ], "\(rendered(r))")
    }

    @Test func aSwitchPositionThatReachesTheCoreServesTheReceiversDSD() throws {
        // The base sends only east; position 1 also gives the wavelets to the core, where recv.csl reads them.
        let folder = try project(
            Self.second,
            "@set_color_config(1, 0, bcast, .{ .routes = .{ .rx = .{ WEST }, .tx = .{ EAST } }, .switches = .{ .pos1 = .{ .tx = .{ RAMP, EAST } }, .current_switch_pos = 1 } });"
        )
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = CSLChecker().check(folder: folder)
        #expect(!r.findings.contains { $0.severity == .error }, "\(rendered(r))")
        #expect(
            rendered(r).contains(
                "layout.csl:13: cannot check: switches: which position of (1, 0) color 0 routes each wavelet depends on the control wavelets sent at run time; its routes are checked with every position's rx and tx at once"
            ), "\(rendered(r))")
    }

    @Test func aSwitchPositionThatSendsOffTheRectangleIsAnError() throws {
        let folder = try project(
            "@set_color_config(0, 0, bcast, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST } } });",
            "@set_color_config(0, 0, bcast, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST } }, .switches = .{ .pos1 = .{ .tx = SOUTH }, .ring_mode = true } });"
        )
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = CSLChecker().check(folder: folder)
        #expect(rendered(r).contains("layout.csl:12: (0, 0) sends color 0 SOUTH, off the 4x1 rectangle"), "\(rendered(r))")
    }

    @Test func colorSwapMakesTheNeighbourReceiveTheOtherColorOfThePair() throws {
        let folder = try project(
            "@set_color_config(0, 0, bcast, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST } } });",
            "@set_color_config(0, 0, bcast, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST }, .color_swap_x = true } });", arch: "wse2")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = CSLChecker().check(folder: folder)
        #expect(
            rendered(r).contains(
                "layout.csl:12: (0, 0) sends color 0 EAST (arriving as color 1: color swap) but (1, 0) has no config on color 1 receiving from WEST"
            ), "\(rendered(r))")
        // A swap on the other axis leaves an east-going wavelet its color.
        let y = try project(
            "@set_color_config(0, 0, bcast, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST } } });",
            "@set_color_config(0, 0, bcast, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST }, .color_swap_y = true } });", arch: "wse2")
        defer { try? FileManager.default.removeItem(atPath: y) }
        #expect(rendered(CSLChecker().check(folder: y)) == [])
    }

    @Test func onWSE3ColorSwapAndSwitchesOnOtherColorsAreErrors() throws {
        let swap = try project(
            "@set_color_config(0, 0, bcast, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST } } });",
            "@set_color_config(0, 0, bcast, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST }, .color_swap_y = true } });", arch: "wse3")
        defer { try? FileManager.default.removeItem(atPath: swap) }
        #expect(
            rendered(CSLChecker().check(folder: swap)).contains(
                "layout.csl:12: (0, 0) color 0 swaps colors, but color swap exists only on wse2 (commands.sh compiles for wse3)"))
        let folder = try editableFixture("row_broadcast")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try edit(folder, "layout.csl", "const bcast: color = @get_color(0);", "const bcast: color = @get_color(10);")
        try edit(folder, "layout.csl", Self.second, Self.second.replacingOccurrences(of: " } });", with: " }, .switches = .{ .pos1 = .{ .tx = EAST } } });"))
        try "cslc --arch=wse3 ./layout.csl --fabric-dims=11,3 --fabric-offsets=4,1 -o out --memcpy --channels=1\n"
            .write(toFile: folder + "/commands.sh", atomically: true, encoding: .utf8)
        #expect(
            rendered(CSLChecker().check(folder: folder)).contains(
                "layout.csl:13: (1, 0) color 10 has switches, but wse3 allows switches only on colors 0–9, 12, 13, 16, 17, 20 and 21"),
            "\(rendered(CSLChecker().check(folder: folder)))")
    }
}

/// The emitter itself refuses a route its program's target cannot configure (the playground refuses it
/// earlier; a program built for another target must not reach layout.csl).
@Suite struct DynamicRouteEmitRefusalTests {
    @Test func colorSwapOnWSE3IsRefusedWithTheModelsReason() throws {
        let routes = [
            RouteConfig(pe: PECoord(0, 0), color: 0, rx: DirectionSet([.ramp]), tx: DirectionSet([.east]), colorSwapX: true),
            RouteConfig(pe: PECoord(1, 0), color: 1, rx: DirectionSet([.west]), tx: DirectionSet([.ramp])),
        ]
        let program = try PlaygroundProgram.make(
            routes: routes, colorNames: ["red": 0, "blue": 1], sends: [PlaygroundProgram.Stream(pe: PECoord(0, 0), color: 0, count: 2)],
            architecture: .wse3, fabric: FabricSize(width: 2, height: 1), peDataBudget: 36864)
        let data = HostData(inputs: [.playgroundSends(color: 0): TensorValue(TensorType(Shape([2]), .i32), exact: [1, 2])], outputs: [:])
        #expect(throws: EmitError(.route(reason: "the route on color 0 at (0,0) swaps colors, but color swap exists only on wse2"))) {
            _ = try CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test").emit(program, graph: Graph(), name: "playground", data: data)
        }
    }
}
