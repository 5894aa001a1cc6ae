import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// The shell never traps on bad input: random and mutated statements and commands run against a live
/// session (tensors, a lowered program, a simulation, the playground) and each gives output or an error.
@Suite struct ShellFuzzTests {
    static let corpus = [
        "a = arange(64)", "b = a * 2 on RowPartition(4)", "c = b + 1 on ColPartition(4)", "m = randn([8, 8], seed=3)",
        "g = m @ m on Grid(2, 2)", "s = sum(m, dim=1) on Grid(2, 4)", "t = transpose(m) on Grid(2, 2)", "r = reshape(a, [8, 8])",
        ":lower s", ":pes s --limit 3", ":colors g", ":routes s 0 --limit 2", ":routes", ":tiles b", ":graph", ":status",
        ":sim s", ":step 5", ":run 100", ":pe 1,0", ":pe (0,0)", ":stats", ":view s --frame --size 60x12", ":view --frame --color 1",
        ":trace pfs-fuzz-trace.json --colors 0 --cycles 0..50", ":trace off", ":export s pfs-fuzz-s.npy --sim",
        "fabric 8x8", "target wse3", "set hop_latency 1", "set sink_rate 0", "color red = 0", "route red (0,0): RAMP -> EAST",
        "route red (1,0)..(2,0): WEST -> RAMP, EAST", "send red (0,0) [1, 2, 3]", ":sim", ":help view", ":tiles m --limit 1",
        "color blue = 1", "route blue (1,0): RAMP -> EAST", "on (1,0) chain red -> blue add [1, 2, 3]", "on (2,0) receive 3 red",
        "on (1,0) forward red -> blue", "send blue (0,1) f32 [1.5]", "send red (0,0) [0x3f800000]", "on (2,0) receive 2 blue then send red [7]",
        ":help playground", ":csl --playground layout.csl",
    ]

    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
        var chars = Array(text)
        let pieces = Array(" ,.:()[]-0123456789xX_=#@*/+abcdefghijklmnopqrstuvwxyz~\"'\\\u{0}\u{7f}é")
        for _ in 0..<(1 + rng.below(3)) {
            switch rng.below(5) {
            case 0 where !chars.isEmpty: chars.remove(at: rng.below(chars.count))
            case 1: chars.insert(pieces[rng.below(pieces.count)], at: rng.below(chars.count + 1))
            case 2 where !chars.isEmpty: chars[rng.below(chars.count)] = pieces[rng.below(pieces.count)]
            case 3: chars.append(contentsOf: String(rng.below(100_000)))
            default: chars.insert(contentsOf: " -1", at: rng.below(chars.count + 1))
            }
        }
        return String(chars)
    }

    @Test(arguments: 0..<4)
    func randomStatementsNeverTrapTheShell(chunk: Int) {
        var rng = SplitMix64(seed: 0xF00D_0000 + UInt64(chunk))
        // Files the corpus writes (and mutations of their names) land in a scratch folder, removed after.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-fuzz-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let shell = Shell(baseDirectory: scratch.path)
        for line in Self.corpus.prefix(8) { _ = shell.execute(line) }
        var outputs = 0
        for i in 0..<2_500 {
            if i % 300 == 0 { _ = shell.execute("fabric 8x8"); _ = shell.execute("set sink_rate 1") }
            let base = Self.corpus[rng.below(Self.corpus.count)]
            let line = rng.below(4) == 0 ? base : Self.mutate(base, &rng)
            let result = shell.execute(line)
            outputs += result.lines.count
            if result.failed { #expect(result.lines.contains { $0.text.hasPrefix("error:") }, "\(line.debugDescription)") }
        }
        #expect(outputs > 0)
    }
}

extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}
