import Foundation
import Testing
@testable import PyFlameCSL

/// The class of item 7: whatever a project folder holds, the checker answers (a finding, never a crash
/// or a stall). Inputs at the extremes: deep and unbalanced nesting, long unary chains, huge literals,
/// loops and rectangles that would overflow or never end, arrays of absurd size, bytes that are not text.
@Suite struct CheckerFuzzTests {
    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let huge = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "0x7fffffffffffffff",
        "99999999999999999999999", "4611686018427387904", "0", "-1",
    ]

    /// One hostile fragment of CSL.
    static func fragment(_ r: inout Random) -> String {
        let n = [1, 300, 20_000, 60_000][r.below(4)]
        let open = ["(", "[", "{"][r.below(3)], close = [")", "]", "}"][r.below(3)]
        let big = huge[r.below(huge.count)], other = huge[r.below(huge.count)]
        switch r.below(9) {
        case 0: return "const d = " + String(repeating: open, count: n) + "1" + String(repeating: close, count: r.below(2) == 0 ? n : n / 2) + ";"
        case 1: return "const m: i64 = " + String(repeating: "- ", count: n) + "1;"
        case 2: return "const p = \(big) * \(other) + \(big) - \(other) / \(other) % \(big);"
        case 3: return "for (@range(i64, \(big), \(other), \(huge[r.below(huge.count)]))) |i| { @set_tile_code(i, i, \"pe.csl\", .{}); }"
        case 4: return "@set_rectangle(\(big), \(other));"
        case 5: return "var a: [\(big), \(other)]f32;"
        case 6: return "const x = @get_dsd(mem1d_dsd, .{ .tensor_access = |i, j|{\(big), \(other)} -> a[i * \(big) + j] });"
        case 7: return "@set_color_config(\(big), \(other), \(big), .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST } } });"
        default: return String(repeating: "@get_local_task_id(\(big)) ", count: min(n, 500))
        }
    }

    @Test func hostileProjectsGetFindingsNeverACrashOrAStall() throws {
        var r = Random(state: 0x7E57_C0DE)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-checker-fuzz-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        for round in 0..<40 {
            let folder = base + "/\(round)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var layout = "const memcpy = @import_module(\"<memcpy/get_params>\", .{ .width = 2, .height = 1 });\nlayout {\n  @set_rectangle(2, 1);\n"
            layout += "  @set_tile_code(0, 0, \"pe.csl\", .{ .memcpy_params = memcpy.get_params(0) });\n"
            for _ in 0..<(1 + r.below(3)) where r.below(2) == 0 { layout += "  " + Self.fragment(&r) + "\n" }
            layout += "}\n"
            var pe = "param memcpy_params: comptime_struct;\nconst sys_mod = @import_module(\"<memcpy/memcpy>\", memcpy_params);\nvar a: [4]f32;\n"
            for _ in 0..<(1 + r.below(3)) { pe += Self.fragment(&r) + "\n" }
            var peBytes = Array(pe.utf8)
            if r.below(5) == 0 { peBytes.insert(contentsOf: [0xFF, 0xC0, 0x80], at: r.below(peBytes.count)) }
            try layout.write(toFile: folder + "/layout.csl", atomically: true, encoding: .utf8)
            try Data(peBytes).write(to: URL(fileURLWithPath: folder + "/pe.csl"))
            let report = CSLChecker().check(folder: folder)
            // Every hostile project is flagged one way or another: the rectangle misses (1, 0).
            #expect(!report.passed, "round \(round): \(report.findings.prefix(3).map(\.rendered))")
            #expect(report.findings.contains { $0.file == "layout.csl" }, "round \(round)")
        }
    }
}
