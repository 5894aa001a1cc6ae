import Foundation
import PyFlameIR
import PyFlameLanguage
@testable import PyFlameShell
import Testing

/// Generators for the inputs that found issue 12's crashes: numbers at the extremes in every constructor
/// and op with every dtype (item 1), long flat operator chains (item 4), high ranks (item 5) and `.npy`
/// headers with zero and huge dimensions (item 6). Each statement must give output or an `error:`, never a
/// trap or a stack overflow (which would end the test process). Seeds are fixed.
@Suite struct ShellExtremesFuzzTests {
    static let dtypes = ["f32", "f16", "bf16", "i32", "i16"]

    /// Numbers as a user might type them at the edges of every type.
    static let extremes = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551616", "99999999999999999999",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "32767", "32768", "-32769", "65504", "65520",
        "1e19", "-1e19", "-9.3e18", "9.2e18", "1e300", "-1e300", "1e308", "1.8e308", "1e999999", "3.4028235e38", "3.5e38",
        "inf", "-inf", "nan", "-nan", "-0.0", "0.0", "0", "4.9e-324", "1e-320", "1e-45", "1e-999999", "0.5", "-1", "1",
    ]

    /// Statements with a hole `V` for a number (and `D` for a dtype); `xD` names a tensor of that dtype.
    static let templates = [
        "full([2], V, dtype=D)", "full(V, 1, dtype=D)", "full([V, 2], 0)", "tensor([V, 1], dtype=D)", "tensor([[V], [V]], dtype=D)",
        "arange(V, dtype=D)", "arange(0, V, dtype=D)", "arange(0, V, V, dtype=D)", "arange(V, 0, -1, dtype=D)", "arange(-V, V, V, dtype=D)",
        "arange(0, 10, V, dtype=D)", "ones(V, dtype=D)", "zeros([2, V], dtype=D)", "randn([2], seed=V, dtype=D)", "randn(V)",
        "xD + V", "xD - V", "xD * V", "xD / V", "V + xD", "V - xD", "V * xD", "V / xD", "-xD * V", "(xD + V) * V",
        "xD @ V", "reshape(xD, [V, -1])", "reshape(xD, [V])", "sum(xD, dim=V)", "max(xD, dim=V, keepdim=true)",
        "transpose(xD, V, 0)", "transpose(mD, 0, V)", "mD * V on Grid(2, 2)", "xD + V on RowPartition(2)",
        "xD on RowPartition(V)", "mD on Grid(V, 1)", "fabric Vx1", "fabric 8xV", "set host_limit V", "set pe_data_budget V",
        "V + V", "V * V * V", "-V", "V / 0", "V - V",
    ]

    static func setUp(_ shell: Shell) {
        for d in dtypes {
            _ = shell.execute("x\(d) = arange(4, dtype=\(d))")
            _ = shell.execute("m\(d) = ones([4, 4], dtype=\(d))")
        }
    }

    /// Output or an error, never a mangled number.
    static func check(_ line: String, _ result: StatementResult, sourceLocation: SourceLocation = #_sourceLocation) {
        if result.failed {
            #expect(result.lines.first?.text.hasPrefix("error:") == true, "\(line.prefix(200).debugDescription)", sourceLocation: sourceLocation)
        }
        for text in result.lines.prefix(1).map(\.text) {
            #expect(
                !text.contains("i.nf") && !text.contains("n.an"), "\(line.prefix(200).debugDescription) -> \(text.prefix(200))", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: 0..<2)
    func numbersAtTheExtremesInEveryConstructorAndOp(chunk: Int) {
        let shell = Shell(baseDirectory: NSTemporaryDirectory())
        Self.setUp(shell)
        var rng = SplitMix64(seed: 0xE7_0000 + UInt64(chunk))
        // Every template with every dtype once, then random mixes (two holes may take different numbers).
        var lines: [String] = []
        for template in Self.templates {
            for (k, d) in Self.dtypes.enumerated() where k % 2 == chunk || !template.contains("D") {
                for v in Self.extremes where rng.below(3) == 0 {
                    lines.append(template.replacingOccurrences(of: "D", with: d).replacingOccurrences(of: "V", with: v))
                }
            }
        }
        for _ in 0..<400 {
            var line = Self.templates[rng.below(Self.templates.count)].replacingOccurrences(of: "D", with: Self.dtypes[rng.below(Self.dtypes.count)])
            while let hole = line.firstIndex(of: "V") { line.replaceSubrange(hole...hole, with: Self.extremes[rng.below(Self.extremes.count)]) }
            lines.append(line)
        }
        for line in lines {
            Self.check(line, shell.execute(line))
            if line.hasPrefix("fabric") || line.hasPrefix("set") {
                for restore in ["fabric wse2", "set host_limit 268435456", "set pe_data_budget 36864"] { _ = shell.execute(restore) }
            }
        }
        // The integer refusals (item 1) are the clean "not exact" ones.
        #expect(shell.execute("xi32 + 1e19").lines.first?.text == "error: the scalar 1e+19 is not exact in i32 (no promotion: make the tensor with dtype=f32)")
    }

    @Test func longFlatChainsOfEveryOperator() {
        let shell = Shell(baseDirectory: NSTemporaryDirectory())
        _ = shell.execute("a = ones(2)")
        _ = shell.execute("m = ones([2, 2])")
        var rng = SplitMix64(seed: 0xC4A1)
        let operands = ["1", "2.5", "a", "-a", "(a)", "m", "inf", "0"]
        for op in ["+", "-", "*", "/", "@", "mixed"] {
            for terms in [2_000, Parser.maxOperators + 1, Parser.maxOperators + 2, 30_000 + rng.below(20_000)] {
                var line = "c = a"
                for _ in 1..<terms {
                    let symbol = op == "mixed" ? ["+", "-", "*", "/", "@"][rng.below(5)] : op
                    let operand = op == "@" ? "m" : operands[rng.below(operands.count)]
                    line += (rng.below(2) == 0 ? symbol : " \(symbol) ") + operand
                }
                let result = shell.execute(line)
                Self.check(line, result)
                if terms > Parser.maxOperators + 1 {
                    #expect(result.lines.first?.text == "error: more than \(Parser.maxOperators) operators in one statement: split it over several statements")
                }
            }
        }
        // Unary chains meet the depth limit, brackets too.
        for repeats in [100, 200, 300, 10_000] {
            for (unary, levels) in [("-", 1), ("- ", 1), ("+", 1), ("-(", 2), ("relu(", 1)] {
                let close = unary.hasSuffix("(") ? String(repeating: ")", count: repeats) : ""
                let line = String(repeating: unary, count: repeats) + "a" + close
                let result = shell.execute(line)
                Self.check(line, result)
                let tooDeep = repeats * levels > Parser.maxDepth
                #expect(result.failed == tooDeep, "\(repeats) x \(unary)")
                if tooDeep { #expect(result.lines.first?.text == "error: expression nested too deeply (over \(Parser.maxDepth) levels)") }
            }
        }
        // A chain built over many statements is a deep graph: every walk over it is iterative.
        for _ in 0..<50 { _ = shell.execute("a = a" + String(repeating: " + 1", count: 200)) }
        #expect(shell.execute("a").text == "a = tensor<2xf32> SinglePE [10001, 10001]")
        for line in [":graph", "b = a * 2 on RowPartition(2)", "s = sum(a)", ":tiles b"] { Self.check(line, shell.execute(line)) }
    }

    @Test func highRanksEverywhere() throws {
        let shell = Shell(baseDirectory: NSTemporaryDirectory())
        var rng = SplitMix64(seed: 0x4A4E)
        let ranks = [1, 2, 63, 64, 65, 100, 1_000, 60_000] + (0..<6).map { _ in 60 + rng.below(10) }
        for rank in ranks {
            let ones = Array(repeating: "1", count: rank).joined(separator: ", ")
            let withTwo = Array(repeating: "1", count: rank - 1).joined(separator: ", ") + (rank > 1 ? ", 2" : "2")
            let lines = [
                "ones([\(ones)])", "zeros([\(ones)], dtype=i16)", "full([\(ones)], 7)", "randn([\(ones)], seed=1)",
                "reshape(ones([2]), [\(withTwo)])", "reshape(ones([2]), [\(ones), -1])",
                "tensor(" + String(repeating: "[", count: rank) + "1" + String(repeating: "]", count: rank) + ")",
            ]
            for line in lines {
                let result = shell.execute("h = " + line)
                Self.check(line, result)
                let resultRank = line.contains("-1") ? rank + 1 : rank
                #expect(result.failed == (resultRank > Shape.maxRank), "rank \(rank): \(line.prefix(60)) -> \(result.lines.first?.text.prefix(100) ?? "")")
                if !result.failed {
                    for follow in ["h + 1", "sum(h)", "max(h, dim=-1)", "h on SinglePE", "transpose(h)", ":tiles h"] {
                        Self.check(follow, shell.execute(follow))
                    }
                }
            }
        }
    }

    /// A format-1.0 `.npy` (format 2.0 when the header needs more than 16 bits of length).
    static func npy(descr: String, shape: String, data: [UInt8]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        let major: UInt8 = header.utf8.count > 60_000 ? 2 : 1
        let prefix = major == 1 ? 10 : 12
        header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
        let n = header.utf8.count
        let length: [UInt8] = major == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), 0]
        return [0x93] + Array("NUMPY".utf8) + [major, 0] + length + Array(header.utf8) + data
    }

    @Test func npyHeadersWithZeroHugeAndManyDimensions() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Shell(baseDirectory: folder)
        var rng = SplitMix64(seed: 0x0E9F)
        let dims = [
            "0", "1", "2", "3", "7", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "-1", "4611686018427387904",
        ]
        let descrs = ["<f4", "<f2", "<i4", "<i2", ">f4", "|i1", "<f8"]
        var files: [(String, [UInt8])] = []
        for k in 0..<120 {
            let rank = [0, 1, 2, 3, 65, 50_000][rng.below(k < 100 ? 4 : 6)]
            var shape: [String] = (0..<rank).map { _ in rng.below(3) == 0 ? dims[rng.below(dims.count)] : String(1 + rng.below(4)) }
            if k % 7 == 0 && rank > 0 { shape[0] = "0" }
            let text = shape.isEmpty ? "()" : shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.joined(separator: ", ") + ")"
            let descr = descrs[rng.below(descrs.count)]
            // Data for the product of the small dims (right for small shapes, wrong for huge ones).
            let count = shape.compactMap { Int($0) }.reduce(1) { $0 &* Swift.max(Swift.min($1, 64), 0) }
            let size = descr.hasSuffix("4") ? 4 : descr.hasSuffix("8") ? 8 : descr.hasSuffix("1") ? 1 : 2
            let data = [UInt8]((0..<(Swift.min(count, 4096) * size)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            files.append(("f\(k).npy", Self.npy(descr: descr, shape: text, data: data)))
        }
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name)) }
        var loaded = 0
        for (name, _) in files {
            let result = shell.execute("t = load(\"\(name)\")")
            Self.check(name, result)
            guard !result.failed else { continue }
            loaded += 1
            let node = try #require(
                shell.session.bindings["t"].flatMap { shell.session.graph[$0] },
                "\(name): \(result.text.prefix(300)) \(shell.session.bindings["t"].map(String.init) ?? "unbound")")
            #expect(node.type.shape.dims.allSatisfy { $0 >= 1 } && node.type.shape.rank <= Shape.maxRank, "\(name): \(node.type)")
            for follow in [
                "t + 1", "t * t", "sum(t)", "mean(t)", "max(t, dim=0)", "reshape(t, [-1])", "t on RowPartition(2)",
                "u = t * 2 on Grid(2, 2)", "t on ColPartition(3)", "transpose(t)", ":tiles u", ":lower u",
            ] {
                Self.check(follow, shell.execute(follow))
            }
        }
        #expect(loaded > 5)
        // The language's shape rules hold for load (item 6).
        try Data(Self.npy(descr: "<f4", shape: "(0, 9223372036854775807, 9223372036854775807)", data: [])).write(to: URL(fileURLWithPath: folder + "/zero.npy"))
        #expect(shell.execute("z = load(\"zero.npy\")").lines.first?.text == "error: zero.npy: shape dimensions must be at least 1, not 0")
    }
}
