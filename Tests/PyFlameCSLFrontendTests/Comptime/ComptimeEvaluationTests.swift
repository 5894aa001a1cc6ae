import PyFlameCSLFrontend
import PyFlameIR
import Testing

/// Comptime values as the layout computes them, seen through the parameters it passes to a PE.
@Suite struct ComptimeEvaluationTests {
    /// The parameters of PE (0, 0) when the layout passes `.{ fields }` to pe.csl (which declares them).
    private func values(_ declarations: String, _ fields: [String], pe: String? = nil) throws -> ([String: CSLValue], [String]) {
        let paramsOfPE = fields.map { "param \($0): comptime_struct;" }.joined(separator: "\n")
        let layout = """
            \(declarations)
            layout {
              @set_rectangle(1, 1);
              @set_tile_code(0, 0, "pe.csl", .{ \(fields.map { ".\($0) = \($0)" }.joined(separator: ", ")) });
            }
            """
        let p = try ProjectFixture.layout(layout, pe: pe ?? paramsOfPE).elaborate()
        return (p.params(at: PECoord(0, 0)), p.messages)
    }

    @Test func widthsWrapAndComptimeIntsStayExact() throws {
        let (v, messages) = try values(
            """
            const a: u8 = 250;
            const b = a + 10;
            const c: i16 = -32768;
            const d = c - 1;
            const e = 1 << 40;
            const f = @as(u16, 7) * 3;
            const g = 7 / 2 + 7 % 2;
            """, ["b", "d", "e", "f", "g"], pe: "param b: u8; param d: i16; param e: comptime_int; param f: u16; param g: comptime_int;")
        #expect(messages == [])
        #expect(v["b"] == .int(4, .int(signed: false, bits: 8)))
        #expect(v["d"] == .int(32_767, .int(signed: true, bits: 16)))
        #expect(v["e"] == .int(1 << 40, .comptimeInt))
        #expect(v["f"] == .int(21, .int(signed: false, bits: 16)))
        #expect(v["g"] == .int(4, .comptimeInt))
    }

    @Test func functionsLoopsSwitchesStructsAndEnumsRunAtComptime() throws {
        let (v, messages) = try values(
            """
            const Mode = enum { slow, fast };
            const config = .{ .size = 6, .inner = .{ .mode = Mode.fast } };
            fn triangle(n: i32) i32 {
              var total: i32 = 0;
              var i: i32 = 1;
              while (i <= n) : (i += 1) { total += i; }
              return total;
            }
            const t = triangle(config.size);
            const s = switch (t) { 0...10 => 1, 21 => 2, else => 3 };
            const fast = config.inner.mode == Mode.fast;
            const picked = if (@is_arch("wse2")) 2 else 3;
            """, ["t", "s", "fast", "picked"], pe: "param t: i32; param s: u16; param fast: bool; param picked: u16;")
        #expect(messages == [])
        #expect(v["t"] == .int(21, .int(signed: true, bits: 32)))
        // The layout passes comptime_ints; the PE's params give them their types.
        #expect(v["s"] == .int(2, .comptimeInt))
        #expect(v["fast"] == .bool(true))
        #expect(v["picked"] == .int(2, .comptimeInt))
    }

    @Test func errorsPointAtTheirRange() throws {
        let layout = """
            const small: u8 = 300;
            const cfg = .{ .a = 1 };
            layout {
              @set_rectangle(1, 1, 1);
              @set_rectangle(1, 1);
              const x = missing + 1;
              const y = cfg.b;
              const z = small;
              const w = @as(i16, 40000);
              @set_tile_code(0, 0, "pe.csl", .{});
            }
            """
        let p = try ProjectFixture.layout(layout).elaborate()
        #expect(
            p.messages == [
                "layout.csl:4:3: error: @set_rectangle takes 2 arguments, not 3: @set_rectangle(width, height)",
                "layout.csl:6:13: error: unknown name 'missing'",
                "layout.csl:7:17: error: the struct has no field .b (it has .a)",
                "layout.csl:1:19: error: integer overflow: 300 does not fit u8 (0 to 255)",
                "layout.csl:9:22: error: integer overflow: @as(i16, 40000): 40000 does not fit i16",
            ])
    }

    @Test func anArrayBoundMustBeKnownAtComptime() throws {
        let pe = "var n: u16 = 3;\nfn size() u16 { return n; }\nvar buf: [size()]f32;\nvar ok: [4]f32;\n"
        let p = try ProjectFixture.layout("layout { @set_rectangle(1, 1); @set_tile_code(0, 0, \"pe.csl\", .{}); }", pe: pe).elaborate()
        // buf is never used: like cslc, its error is not reported; using it reports it.
        #expect(p.messages == [])
        let used = pe + "comptime { @export_symbol(buf); }\n"
        let q = try ProjectFixture.layout("layout { @set_rectangle(1, 1); @set_tile_code(0, 0, \"pe.csl\", .{}); }", pe: used).elaborate()
        #expect(q.messages == ["pe.csl:3:11: error: the array bound is not known at comptime (runtime u16)"])
    }

    @Test func missingParamsAndUnknownParamsNameTheFiles() throws {
        let layout = "layout { @set_rectangle(1, 1); @set_tile_code(0, 0, \"pe.csl\", .{ .extra = 1 }); }"
        let p = try ProjectFixture.layout(layout, pe: "param size: u16;\nvar buf: [size]f32;\n").elaborate()
        #expect(
            p.messages == [
                "layout.csl:1:32: error: pe.csl has no param 'extra', but @set_tile_code gives .extra",
                "pe.csl:1:7: error: param 'size' has no value: the parameters given to pe.csl have no .size",
            ])
        let q = try ProjectFixture.layout("param M: i16;\nlayout { @set_rectangle(M, 1); }").elaborate()
        #expect(q.messages.first == "layout.csl:1:7: error: param 'M' has no value: give it on the command line (--params=M:VALUE)")
    }

    @Test func deepRecursionIsAnErrorNotACrash() throws {
        let layout = "fn down(n: i32) i32 { return down(n + 1); }\nconst x = down(0);\nlayout { @set_rectangle(1, 1); @comptime_assert(x == 0); }"
        let p = try ProjectFixture.layout(layout).elaborate()
        #expect(p.messages.contains { $0.contains("error: nesting too deep") })
    }

    @Test func anEndlessLoopStopsWhenAskedAndAtTheGuard() throws {
        let layout = "layout { @set_rectangle(1, 1); var i: u32 = 0; while (true) { i +%= 1; } }"
        var polls = 0
        let p = try ProjectFixture.layout(layout).elaborate(shouldStop: {
            polls += 1
            return polls > 3
        })
        #expect(p.messages.contains("error: evaluation interrupted"))
        #expect(polls == 4)
    }
}
