import PyFlameCSLFrontend
import PyFlameIR
import PyFlameLowering
import Testing

@Suite struct ProjectElaborationTests {
    private let fixture = ProjectFixture.layout(twoByTwoLayout, pe: twoByTwoPE)

    @Test func aTwoByTwoRectangleGivesEachPEItsCodeAndParameters() throws {
        let p = try fixture.elaborate("--params=width:2 --arch=wse2")
        #expect(p.messages == [])
        #expect(p.rectangle == PERect(x: 0, y: 0, width: 2, height: 2))
        #expect(p.codeOfPE.count == 4)
        // Every PE's parameters differ (column for memcpy, first, row): four codes.
        #expect(p.codes.count == 4)
        #expect(p.params(at: PECoord(0, 1))["first"] == .bool(true))
        #expect(p.params(at: PECoord(1, 1))["row"] == .int(1, .int(signed: false, bits: 16)))
        #expect(p.params(at: PECoord(1, 0))["data"] == .color(2))
        let io = p.params(at: PECoord(1, 0))["io"]?.structValue
        #expect(io?["x"] == .int(1, .comptimeInt) && io?["width"] == .int(2, .comptimeInt))
        #expect(p.exportNames.map(\.name) == ["buf", "go"])
        #expect(p.exportNames.map(\.isMutable) == [true, nil])
    }

    @Test func routesWithSwitchesFilterAndColorSwapAreTheFabricModelsRoutes() throws {
        let p = try fixture.elaborate("--params=width:2 --arch=wse2")
        let expected = [
            RouteConfig(pe: PECoord(0, 0), color: 2, rx: [.ramp], tx: [.east]),
            RouteConfig(pe: PECoord(1, 0), color: 2, rx: [.west], tx: [.ramp, .south], filter: RouteFilter(minIndex: 2, maxIndex: 7)),
            RouteConfig(
                pe: PECoord(1, 1), color: 2, rx: [.north], tx: [.ramp],
                switches: RouteSwitches(
                    positions: [SwitchPosition(rx: [.east]), SwitchPosition(tx: [.west, .ramp])], currentPosition: 0, ringMode: true, popMode: .popOnAdvance)),
            RouteConfig(pe: PECoord(0, 1), color: 5, rx: [.ramp], tx: [.east], colorSwapX: true),
        ]
        #expect(p.routes == expected)
        #expect(p.routeSites.allSatisfy { $0.path == "proj/layout.csl" })
    }

    @Test func colorSwapOnWse3IsRefusedAtTheConfiguration() throws {
        let p = try fixture.elaborate("--params=width:2 --arch=wse3")
        #expect(p.messages == ["layout.csl:20:33: error: the route on color 5 at (0,1) swaps colors, but color swap exists only on wse2"])
    }

    @Test func aPEProgramsGlobalsDSDsTasksAndBindings() throws {
        let p = try fixture.elaborate("--params=width:2 --arch=wse2")
        let first = try #require(p.code(at: PECoord(0, 0))).program
        let other = try #require(p.code(at: PECoord(1, 0))).program
        #expect(first.globals.map(\.name) == ["buf", "grid", "buf_ptr"])
        #expect(first.globals.map(\.byteSize) == [32, 64, 2])
        #expect(other.globals.map(\.byteSize) == [16, 32, 2])
        let odd = try #require(first.dsds.first { $0.name == "odd" }).value
        #expect(odd.kind == .mem1d && odd.baseBuffer == "buf" && odd.dimensions == [4] && odd.offset == 1 && odd.strides == [2] && odd.lastElementIndex == 7)
        let column = try #require(first.dsds.first { $0.name == "column" }).value
        #expect(column.kind == .mem4d && column.dimensions == [2, 8] && column.strides == [8, 1] && column.extent == 16)
        let fabric = try #require(first.dsds.first { $0.name == "in" })
        #expect(fabric.inFunction == "recv" && fabric.value.fabricColor == 2 && fabric.value.queue == 2 && fabric.value.extent == 8)
        #expect(first.tasks.map(\.name) == ["recv", "done"])
        #expect(first.taskBindings.map { "\($0.task) \($0.kind) \($0.id)" } == ["recv data 2", "done local 9"])
        #expect(first.exports.map { "\($0.symbol)->\($0.name)" } == ["buf_ptr->buf", "go->go"])
        #expect(first.importedModules == ["<memcpy/memcpy>"])
        #expect(first.queues.map(\.name) == ["q"])
    }

    @Test func memcpysReservationsAreRecordedOnlyWhenImported() throws {
        let p = try fixture.elaborate("--params=width:2 --arch=wse3")
        #expect(p.importsMemcpy)
        #expect(p.memcpyReservations == CSLMemcpyReservations(architecture: .wse3))
        let plain = ProjectFixture.layout("layout { @set_rectangle(1, 1); @set_tile_code(0, 0, \"pe.csl\", .{}); }")
        let q = try plain.elaborate()
        #expect(q.messages == [])
        #expect(!q.importsMemcpy && q.memcpyReservations == nil)
    }

    @Test func importsWithParametersAreEvaluatedOncePerDistinctParameters() throws {
        let pe = """
            const a = @import_module("util.csl", .{ .K = 3 });
            const b = @import_module("util.csl", .{ .K = 3 });
            const c = @import_module("util.csl", .{ .K = 5 });
            const total = a.twice + b.twice + c.twice;
            var out: [total]u16;
            """
        let util = "param K: u16;\nconst twice = 2 * K;\nvar scratch: [K]f32;\n"
        let p = try ProjectFixture.layout("layout { @set_rectangle(1, 1); @set_tile_code(0, 0, \"pe.csl\", .{}); }", pe: pe, more: ["util.csl": util])
            .elaborate()
        #expect(p.messages == [])
        let program = try #require(p.code(at: PECoord(0, 0))).program
        #expect(program.globals.map { "\($0.name) \($0.byteSize ?? -1)" } == ["scratch 12", "scratch 20", "out 44"])
        #expect(program.globals.map(\.site.path) == ["proj/util.csl", "proj/util.csl", "proj/pe.csl"])
    }

    @Test func onlyUsedFunctionsAreAnalysedAsCslcDoes() throws {
        let pe = """
            param c: color;
            fn unused() void { return missing_name + 1; }
            fn helper() void { const d = @get_dsd(fabout_dsd, .{ .extent = 1, .fabric_color = c, .output_queue = @get_output_queue(2) }); }
            fn used() void { helper(); also_missing(); }
            comptime { @export_symbol(used); }
            """
        let layout = "layout { @set_rectangle(1, 1); @set_tile_code(0, 0, \"pe.csl\", .{ .c = @get_color(4) }); }"
        let p = try ProjectFixture.layout(layout, pe: pe).elaborate()
        #expect(p.messages == ["pe.csl:4:28: error: unknown name 'also_missing'"])
        let dsds = try #require(p.code(at: PECoord(0, 0))).program.dsds
        #expect(dsds.map { "\($0.inFunction ?? "-") \($0.value.fabricColor ?? -1)" } == ["helper 4"])
    }

    @Test func routesALibraryComputesOrInvalidPositionsCannotBeChecked() throws {
        let layout = """
            const dirs = @import_module("<directions>");
            layout {
              @set_rectangle(2, 1);
              @set_color_config(0, 0, @get_color(1), .{ .routes = .{ .rx = .{ dirs.flip(EAST) }, .tx = .{ RAMP } } });
              @set_color_config(1, 0, @get_color(1), .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP } },
                                                      .switches = .{ .pos1 = .{ .invalid = true } } });
            }
            """
        let p = try ProjectFixture.layout(layout).elaborate()
        #expect(p.diagnostics.allSatisfy { !$0.isError })
        #expect(
            p.messages == [
                "layout.csl:1:29: cannot check: <directions> is a library this shell does not model: what it configures (routes, tasks, queues) is not checked",
                "layout.csl:4:42: cannot check: .routes.rx: the directions (<directions>.flip) come from a library this shell does not model",
                "layout.csl:5:42: cannot check: .switches.pos1 is marked .invalid: the fabric model has no invalid switch position",
            ])
        #expect(p.routes.isEmpty)
    }

    @Test func aLocalColorConfigRoutesEveryPEThatRunsTheFile() throws {
        let layout = """
            const c: color = @get_color(6);
            layout {
              @set_rectangle(3, 1);
              @set_tile_code(0, 0, "pe.csl", .{ .c = c });
              @set_tile_code(1, 0, "pe.csl", .{ .c = c });
              @set_tile_code(2, 0, "other.csl", .{});
              @set_color_config(1, 0, c, .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP } } });
            }
            """
        let pe = "param c: color;\ncomptime { @set_local_color_config(c, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST } } }); }\n"
        let p = try ProjectFixture.layout(layout, pe: pe, more: ["other.csl": "const x: i16 = 1;\n"]).elaborate()
        #expect(
            p.routes == [
                RouteConfig(pe: PECoord(0, 0), color: 6, rx: [.ramp], tx: [.east]), RouteConfig(pe: PECoord(1, 0), color: 6, rx: [.west], tx: [.ramp]),
            ])
        #expect(p.messages == ["pe.csl:2:12: error: color 6 at PE (1,0) is configured by the layout and by @set_local_color_config in pe.csl"])
        #expect(p.localColorConfigs.map(\.color) == [6])
    }

    @Test func theCorpusRingProjectEvaluatesClean() throws {
        var files: [String: String] = [:]
        for name in ["ring_layout.csl", "ring_pe.csl", "idle.csl"] {
            files["ring/" + name] = try String(contentsOf: corpusFolder.appendingPathComponent(name), encoding: .utf8)
        }
        let p = try ProjectFixture(files: files, layout: "ring/ring_layout.csl").elaborate("--params=chunk:4 --arch=wse3")
        #expect(p.messages == [])
        #expect(p.rectangle.width == 4 && p.codeOfPE.count == 8)
        #expect(p.routes.count == 6)
    }
}
