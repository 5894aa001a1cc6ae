import PyFlameCSLFrontend
import PyFlameIR
import Testing

/// SDK 1.4 is the dialect read (`--sdk 1.4`, the default); spellings of a later SDK are errors naming it.
@Suite struct ComptimeDialectTests {
    /// `param io;` (no type, no default) is SDK 1.4 too: the v1.4.0 examples' WSE-3 stencil library writes it.
    @Test func laterSDKSpellingsAreErrorsThatNameTheDialect() throws {
        let pe = """
            param io;
            const q: output_queue = @get_output_queue(2);
            const out = @get_dsd(fabout_dsd, .{ .extent = 4, .output_queue = q });
            comptime { @export_symbol(out); }
            """
        let layout = "layout { @set_rectangle(1, 1); @set_tile_code(0, 0, \"pe.csl\", .{ .io = 1 }); }"
        let p = try ProjectFixture.layout(layout, pe: pe).elaborate("--sdk 1.4")
        #expect(
            p.messages == [
                "pe.csl:3:13: error: a fabout_dsd needs .fabric_color in SDK 1.4 CSL (it names the color it moves on)"
            ])
    }

    @Test func aLibraryTheDialectLacksIsAnErrorNamingIt() throws {
        let p = try ProjectFixture.layout("const m = @import_module(\"<memcpy_multi/memcpy>\");\nlayout { @set_rectangle(1, 1); @comptime_assert(m == m); }")
            .elaborate()
        #expect(p.messages.first == "layout.csl:1:26: error: <memcpy_multi/memcpy> is not a library of SDK 1.4 CSL")
    }
}
