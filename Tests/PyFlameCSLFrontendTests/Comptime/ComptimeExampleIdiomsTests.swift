import PyFlameCSLFrontend
import PyFlameIR
import PyFlameLowering
import Testing

/// Idioms of Cerebras' v1.4.0 benchmarks the evaluator must follow, each in CSL of our own.
@Suite struct ComptimeExampleIdiomsTests {
    /// `for (@zeros([W]u8)) |_, x|` walks W comptime zeros with their index (fft-1d-2d places its row so); the
    /// loop ran zero times before, silently, and the rectangle had no code.
    @Test func aLoopOverZerosRunsOncePerElementWithItsIndex() throws {
        let layout = """
            param width: i16;
            layout {
              @set_rectangle(width, 1);
              var px: i16 = 0;
              for (@zeros([width]u8)) |_, x| {
                px = x;
                @set_tile_code(px, 0, "pe.csl", .{ .p = px * 2 });
              }
            }
            """
        let p = try ProjectFixture.layout(layout).elaborate("--params=width:3")
        #expect(p.messages.isEmpty, "\(p.messages)")
        #expect(p.codeOfPE.count == 3)
        #expect(p.codes.map { $0.params.first { $0.name == "p" }?.value.intValue } == [0, 2, 4])
    }

    /// A loop over a value only the run time knows is not evaluated, and says so.
    @Test func aLoopOverARunTimeValueIsACannotCheck() throws {
        let layout = """
            layout {
              @set_rectangle(1, 1);
              @set_tile_code(0, 0, "pe.csl", .{});
            }
            """
        let pe = """
            var xs: [4]i16;
            comptime {
              for (xs) |x| { @comptime_assert(x == x); }
            }
            """
        let p = try ProjectFixture.layout(layout, pe: pe).elaborate()
        #expect(p.messages.contains { $0.hasPrefix("pe.csl:3:8: cannot check: the loop runs over a value not known at comptime") }, "\(p.messages)")
    }

    /// `.switches` with only a pop mode (no position) keeps its route and says what the model drops.
    @Test func switchesWithOnlyAPopModeKeepTheRoute() throws {
        let layout = """
            layout {
              @set_rectangle(1, 1);
              @set_tile_code(0, 0, "pe.csl", .{});
              @set_color_config(0, 0, @get_color(3), .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP } },
                .switches = .{ .pop_mode = .{ .always_pop = true } } });
            }
            """
        let p = try ProjectFixture.layout(layout).elaborate()
        #expect(p.routes == [RouteConfig(pe: PECoord(0, 0), color: 3, rx: [.west], tx: [.ramp])])
        #expect(p.messages.contains { $0.contains("cannot check: .switches sets only .pop_mode (always_pop)") }, "\(p.messages)")
    }
}
