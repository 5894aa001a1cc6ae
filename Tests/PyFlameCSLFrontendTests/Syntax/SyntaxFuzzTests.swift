import PyFlameCSLFrontend
import PyFlameIR
import Testing

extension SplitMix64 {
    /// Uniform in 0..<n (n > 0).
    fileprivate mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    fileprivate mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    fileprivate mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Tokens, near-tokens and characters the mutator inserts.
private let fuzzTokens: [String] = [
    "(", ")", "{", "}", "[", "]", ",", ";", ":", ".", "..", "...", ".*", ".{", "=", "==", "=>", "->", "|", "||", "&", "*",
    "**", "[*]", "?", "!", "~", "-%", "+%=", "<<=", "@", "@get_dsd(", "@range(i16, 4)", "|i|{4} -> a[i]", "|i, j|{2, 3} -> A[i, j]",
    ".{ RAMP, EAST }", ".{ .a = 1 }", "[_]u16{1}", "const", "var", "param", "fn", "task", "comptime", "layout", "export", "extern",
    "if", "else", "while", "for", "switch", "return", "break", "continue", "struct", "packed", "enum(u16)", "union", "align(16)",
    "\"", "\"s\"", "'", "'c'", "\\", "0x", "0b2", "1_", "1e", "1.", "9223372036854775808", "0xFFFFFFFFFFFFFFFFFF", "//", "\n",
    "\r\n", "\t", " ", "é", "🙂", "\u{0}", "\u{FEFF}",
]

/// Words for token soups.
private let soupWords: [String] = [
    "const", "var", "param", "fn", "task", "layout", "comptime", "if", "else", "while", "for", "switch", "return", "x", "N", "i16",
    "f32", "@get_color", "@range", "(", ")", "{", "}", "[", "]", ",", ";", ":", ".", "=", "+", "-", "*", "|", "->", "=>", "1", "0x2",
    "2.5", "\"s\"", ".{", "struct", "enum", "&", ".*", "[*]", "?",
]

/// Parses `text` and checks that the result is well formed: every range inside the file, every diagnostic
/// renderable with a location. Returns what is wrong, or nil.
private func fuzzCheck(_ text: String) -> String? {
    let file = CSLSourceFile(path: "fuzz.csl", text: text)
    let (tree, diagnostics) = CSLParser.parse(file)
    let count = file.bytes.count
    func inside(_ r: CSLSourceRange) -> Bool { 0 <= r.start && r.start <= r.end && r.end <= count }
    for d in diagnostics {
        guard let r = d.range, inside(r) else { return "diagnostic without a range inside the file: \(d.message)" }
        guard d.rendered(in: file).hasPrefix("fuzz.csl:") else { return "bad rendering" }
    }
    for decl in tree.declarations {
        guard inside(decl.range) else { return "declaration range \(decl.range) outside \(count) bytes" }
        if case .variable(let v) = decl.kind, let value = v.value {
            guard inside(value.range) else { return "value range outside the file" }
            _ = SyntaxDump.expr(value)
        }
    }
    // A file with a declaration that did not parse has an error.
    if tree.declarations.isEmpty && diagnostics.isEmpty && text.contains(";") && !text.contains("//") {
        let trimmed = text.filter { !$0.isWhitespace && $0 != ";" }
        if !trimmed.isEmpty { return "nothing parsed and no error" }
    }
    return nil
}

/// The parser returns on any input (it never crashes or hangs), and what it returns is well formed.
@Suite struct SyntaxFuzzTests {
    @Test func randomBytesAndTokenSoups() {
        var rng = SplitMix64(seed: 16)
        for index in 0..<1500 {
            let text: String
            if index % 2 == 0 {
                let bytes = (0..<rng.below(200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                text = String(decoding: bytes, as: UTF8.self)
            } else {
                text = (0..<rng.below(60)).map { _ in rng.pick(soupWords) }.joined(separator: rng.chance(70) ? " " : "")
            }
            if let problem = fuzzCheck(text) {
                Issue.record("seed 16, input \(index): \(problem)\n\(text.debugDescription)")
                return
            }
        }
    }

    @Test func mutationsOfTheCorpus() throws {
        let files = try corpusFileNames().map { try corpusFile($0).text }.filter { !$0.isEmpty }
        var rng = SplitMix64(seed: 1604)
        for index in 0..<240 {
            var scalars = Array(rng.pick(files).unicodeScalars)
            for _ in 0..<(1 + rng.below(6)) {
                let n = scalars.count
                switch rng.below(5) {
                case 0: if n > 0 { scalars.remove(at: rng.below(n)) }
                case 1: scalars.insert(contentsOf: rng.pick(fuzzTokens).unicodeScalars, at: rng.below(n + 1))
                case 2:
                    if n > 0 {
                        let i = rng.below(n)
                        scalars.removeSubrange(i..<min(n, i + 1 + rng.below(40)))
                    }
                case 3:
                    if n > 0 {
                        let i = rng.below(n)
                        scalars.replaceSubrange(i..<i + 1, with: rng.pick(fuzzTokens).unicodeScalars)
                    }
                default:
                    if n > 0 {
                        let i = rng.below(n)
                        let j = min(n, i + 1 + rng.below(80))
                        scalars.insert(contentsOf: scalars[i..<j], at: rng.below(n + 1))
                    }
                }
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            let text = String(view)
            if let problem = fuzzCheck(text) {
                Issue.record("seed 1604, mutation \(index): \(problem)")
                return
            }
        }
    }

    @Test func deepAndUnbalancedNesting() {
        var rng = SplitMix64(seed: 7)
        let openers: [(String, String)] = [
            ("(", ")"), ("[", "]"), ("f(", ")"), (".{", "}"), ("{", "}"), ("-", ""), ("*", ""), ("[4]", ""), ("if (a) ", " else b"),
            ("switch (a) { else => ", " }"), ("|i|{4} -> ", ""),
        ]
        for index in 0..<60 {
            let depth = CSLParser.maxDepth - 30 + rng.below(60) + (rng.chance(10) ? rng.below(3000) : 0)
            var open = ""
            var close = ""
            for _ in 0..<depth {
                let (o, c) = rng.pick(openers)
                open += o
                close = c + close
            }
            let body = open + "x" + (rng.chance(70) ? close : String(close.prefix(rng.below(close.count + 1))))
            let text = rng.chance(50) ? "const v = \(body);" : "fn f() void { \(body); }"
            if let problem = fuzzCheck(text) {
                Issue.record("seed 7, nesting \(index) (depth \(depth)): \(problem)")
                return
            }
        }
    }
}
