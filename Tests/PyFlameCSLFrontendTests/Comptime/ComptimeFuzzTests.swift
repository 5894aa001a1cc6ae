import Foundation
import PyFlameCSLFrontend
import Testing

/// Random mutations of CSL projects through the evaluator: no crash, no hang, and every diagnostic points
/// into a file it read.
@Suite struct ComptimeFuzzTests {
    /// SplitMix64: a small seeded generator (the same mutations every run).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Int(z % UInt64(max(1, bound)))
        }
    }

    static let fragments = [
        "{", "}", "(", ")", "[", "]", ";", ",", ".", "@", "0", "7", "-1", "300", "99999999999999999999", "x", "width", "@range(u16, 5)",
        ".{ .a = 1 }", "@set_tile_code(0, 0, \"pe.csl\", .{})", "while (true) {}", "for (@range(i16, 3)) |k| {}", "fn f() void {}", "@get_color(",
        "u8", "[2, 3]f32", "&", ".*", "|i|{4} -> buf[i]", "@import_module(\"pe.csl\", .{})", "comptime {", "layout {", "param q: i16;",
    ]

    static func mutate(_ text: String, _ g: inout Generator) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<(1 + g.next(3)) {
            let at = g.next(bytes.count + 1)
            switch g.next(4) {
            case 0:
                let length = min(g.next(12) + 1, bytes.count - min(at, bytes.count))
                bytes.removeSubrange(min(at, bytes.count)..<(min(at, bytes.count) + length))
            case 1:
                bytes.insert(contentsOf: Array(fragments[g.next(fragments.count)].utf8), at: min(at, bytes.count))
            case 2:
                let from = g.next(bytes.count + 1), length = min(g.next(40), bytes.count - from)
                let piece = Array(bytes[from..<(from + length)])
                bytes.insert(contentsOf: piece, at: min(at, bytes.count))
            default:
                if at < bytes.count { bytes[at] = Array(fragments[g.next(fragments.count)].utf8).first ?? 0x20 }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func mutatedProjectsEvaluateWithoutCrashing() throws {
        var base: [String: String] = ["proj/layout.csl": twoByTwoLayout, "proj/pe.csl": twoByTwoPE]
        for name in ["ring_layout.csl", "ring_pe.csl", "idle.csl"] {
            base["ring/" + name] = try String(contentsOf: corpusFolder.appendingPathComponent(name), encoding: .utf8)
        }
        let projects = [("proj/layout.csl", "--params=width:2"), ("ring/ring_layout.csl", "--params=chunk:4")]
        var g = Generator(state: 16)
        var runs = 0
        for round in 0..<240 {
            let (layout, arguments) = projects[round % projects.count]
            let folder = String(layout.split(separator: "/")[0])
            var files = base
            let names = files.keys.filter { $0.hasPrefix(folder + "/") }.sorted()
            let victim = names[g.next(names.count)]
            files[victim] = Self.mutate(files[victim]!, &g)
            var polls = 0
            let p = try ProjectFixture(files: files, layout: layout).elaborate(
                arguments,
                shouldStop: {
                    polls += 1
                    return polls > 50
                })
            runs += 1
            for d in p.diagnostics {
                guard let range = d.range else { continue }
                let text = try #require(files[d.path], "a diagnostic names \(d.path), which was not read")
                #expect(range.start >= 0 && range.end <= text.utf8.count, "\(d.message) at \(range) outside \(d.path)")
            }
        }
        #expect(runs == 240)
    }

    @Test func deepNestingIsReportedNotOverflowed() throws {
        // 230 negations: within the parser's bound (256 levels), beyond the evaluator's (200).
        let nested = String(repeating: "- ", count: 230) + "1"
        let p = try ProjectFixture.layout("const x = \(nested);\nlayout { @set_rectangle(1, 1); @comptime_assert(x == 1); }").elaborate()
        #expect(p.messages.contains { $0.contains("nesting too deep") })
    }
}
