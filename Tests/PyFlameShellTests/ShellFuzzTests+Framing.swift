import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// Generators for two classes the first fuzzer never produced: cycle counts at the extremes (in `:step`,
/// `:run` and `:trace --cycles`, after the clock has moved) and the framing of scripts and `:load` files
/// (CR LF, lone CR, a byte-order mark, NUL bytes).
@Suite struct ShellFramingFuzzTests {
    static let extremes = [
        "9223372036854775807", "9223372036854775806", "9223372036854775808", "4611686018427387904",
        "2147483648", "4294967296", "1", "0", "-1", "-9223372036854775808", "99999999999999999999999",
    ]

    /// A fresh shell with a loaded playground (or a program) that has run `k` cycles.
    static func steppedShell(_ rng: inout SplitMix64) -> Shell {
        let shell = Shell(baseDirectory: NSTemporaryDirectory())
        let setup =
            rng.below(2) == 0
            ? [
                "fabric 4x1", "color c = 0", "route c (0,0): RAMP -> EAST", "route c (1,0)..(2,0): WEST -> RAMP, EAST",
                "route c (3,0): WEST -> RAMP", "send c (0,0) [1, 2, 3, 4]", ":sim",
            ]
            : ["fabric 8x8", "m = randn([8, 8], seed=3)", "s = sum(m, dim=1) on Grid(2, 4)", ":sim s"]
        for line in setup { _ = shell.execute(line) }
        _ = shell.execute(":step \(1 + rng.below(5))")
        return shell
    }

    @Test(arguments: 0..<2)
    func cycleCountsAtTheExtremesNeverTrap(chunk: Int) throws {
        var rng = SplitMix64(seed: 0xC1C1_E000 + UInt64(chunk))
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for _ in 0..<40 {
            let shell = Self.steppedShell(&rng)
            for _ in 0..<4 {
                let n = Self.extremes[rng.below(Self.extremes.count)], m = Self.extremes[rng.below(Self.extremes.count)]
                let line =
                    switch rng.below(5) {
                    case 0: ":step \(n)"
                    case 1: ":run \(n)"
                    case 2: ":trace \(folder)/t.json --cycles \(n)..\(m)"
                    case 3: ":view --frame --size \(n)x\(m)"
                    default: ":step 1"
                    }
                let result = shell.execute(line)
                if result.failed { #expect(result.lines.contains { $0.text.hasPrefix("error:") }, "\(line)") }
            }
        }
    }

    /// The same script framed with CR LF, lone CR or a leading byte-order mark gives the transcript it gives
    /// with LF; NUL bytes never reach the output.
    @Test(arguments: 0..<3)
    func framingDoesNotChangeTheTranscript(chunk: Int) throws {
        var rng = SplitMix64(seed: 0xF4A3_0000 + UInt64(chunk))
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let corpus = ShellFuzzTests.corpus.filter { !$0.contains("pfs-fuzz-") && !$0.hasPrefix(":view") }
        for _ in 0..<6 {
            var lines = ["# pfs: keep-going"]
            for _ in 0..<(4 + rng.below(8)) {
                let base = corpus[rng.below(corpus.count)]
                lines.append(
                    rng.below(3) == 0
                        ? ShellFuzzTests.mutate(base, &rng).replacingOccurrences(of: "\u{0}", with: "")
                            .replacingOccurrences(of: "\\", with: "") : base)
            }
            let plain = lines.map { $0 + "\n" }.joined()
            let expected = Transcript.replay(plain, base: folder, keepGoing: false)
            let separators = ["\r\n", "\r", "\n"]
            let separator = separators[rng.below(separators.count)]
            let bom = rng.below(2) == 0 ? "\u{FEFF}" : ""
            let framed = bom + lines.joined(separator: separator) + (rng.below(2) == 0 ? separator : "")
            #expect(Transcript.replay(framed, base: folder) == expected, "\(framed.debugDescription)")
            // The same file through :load (its folder is the base, like the script's).
            try Data(framed.utf8).write(to: URL(fileURLWithPath: folder + "/framed.pfs"))
            let loaded = Shell(baseDirectory: folder).execute(":load framed.pfs")
            #expect(!loaded.text.contains("\r"))
            // NUL bytes anywhere: never in the output, and the run goes on.
            var withNul = Array(plain.unicodeScalars)
            for _ in 0..<(1 + rng.below(3)) { withNul.insert("\u{0}", at: rng.below(withNul.count + 1)) }
            var text = ""
            text.unicodeScalars.append(contentsOf: withNul)
            let transcript = Transcript.replay(text, base: folder)
            #expect(!transcript.contains("\u{0}"))
        }
    }
}
