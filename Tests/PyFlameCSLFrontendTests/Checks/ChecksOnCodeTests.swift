import PyFlameCSLFrontend
import Testing

/// Checks on projects read from CSL text: patterns of real code that look wrong to a pattern and are not.
@Suite struct ChecksOnCodeTests {
    static let layout = """
        layout {
          @set_rectangle(1, 1);
          @set_tile_code(0, 0, "pe.csl", .{});
        }
        """

    static func findings(_ fixture: ProjectFixture) throws -> [String] {
        let p = try fixture.elaborate("--arch=wse2")
        return ChecksModelTests.lines(try #require(CSLProjectChecks.run(p)), p)
    }

    /// A DSD declared on a one-element placeholder and moved with `@set_dsd_base_addr` before use touches
    /// what the run-time base says: its declared extent is not an error, but a `cannot check` note. The same
    /// DSD that nothing moves is still an error at its line.
    @Test func aPlaceholderDSDMovedBeforeUseIsNotAnError() throws {
        let pe = """
            var x: [8]f32;
            const dummy = @zeros([1]f32);
            const moved = @get_dsd(mem1d_dsd, .{ .tensor_access = |i|{8} -> dummy[i] });
            fn scale() void {
              var d = @set_dsd_base_addr(moved, &x);
              @fmuls(d, d, 2.0);
            }
            // @set_dsd_base_addr(moved in a comment does not count
            """
        let moved = try Self.findings(ProjectFixture.layout(Self.layout, pe: pe))
        #expect(!moved.contains { $0.contains("error") && $0.contains("`moved`") }, "\(moved)")
        #expect(moved.contains { $0.hasPrefix("proj/pe.csl:3: cannot check") && $0.contains("`moved`") }, "\(moved)")

        let still = try Self.findings(ProjectFixture.layout(Self.layout, pe: pe.replacingOccurrences(of: "@set_dsd_base_addr(moved, &x)", with: "moved")))
        #expect(still.contains { $0.hasPrefix("proj/pe.csl:3: error:") && $0.contains("beyond the 1 element of `dummy`") }, "\(still)")
    }

    /// A layout that calls a library the front end does not model (fft's `<kernels/...>` layout helpers) may
    /// place the tile code itself: PEs without a visible `@set_tile_code` are a `cannot check`, not an error.
    @Test func aLayoutCallingAnUnmodelledLibraryMayPlaceTheCode() throws {
        let layout = """
            const helper = @import_module("<kernels/fft/helper_layout>");
            layout {
              @set_rectangle(2, 1);
              @set_tile_code(0, 0, "pe.csl", .{});
            }
            """
        let found = try Self.findings(ProjectFixture.layout(layout))
        #expect(!found.contains { $0.contains("error") }, "\(found)")
        #expect(found.contains { $0.contains("cannot check: PE (1,0) of the 2x1 rectangle") && $0.contains("<kernels/fft/helper_layout>") }, "\(found)")
        let plain = try Self.findings(
            ProjectFixture.layout(layout.replacingOccurrences(of: "const helper = @import_module(\"<kernels/fft/helper_layout>\");\n", with: "")))
        #expect(plain.contains { $0.contains("error: PE (1,0) of the 2x1 rectangle has no @set_tile_code") }, "\(plain)")
    }
}
