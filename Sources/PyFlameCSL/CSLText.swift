import PyFlameIR
import PyFlameLowering

/// CSL spellings of our dtypes and of the DSD operations that move and combine them (docs/csl.md and the
/// SDK 1.4 examples; what the examples never show is refused, not guessed).
enum CSLType {
    static func element(_ t: DType) throws(EmitError) -> String {
        switch t {
        case .f32: return "f32"
        case .f16: return "f16"
        case .i32: return "i32"
        case .i16: return "i16"
        case .bf16: throw EmitError(.bf16)
        }
    }

    /// What kernels compute and accumulate in: f32 for floats (f16 rounds after each op), i32 for integers.
    static func accumulator(_ t: DType) -> String { t.isFloat ? "f32" : "i32" }

    /// A loaded element in the accumulator type.
    static func widen(_ expression: String, _ t: DType) -> String {
        switch t {
        case .f16, .bf16: return "@as(f32, \(expression))"
        case .i16: return "@as(i32, \(expression))"
        case .f32, .i32: return expression
        }
    }

    /// An accumulator value stored back in the element type.
    static func narrow(_ expression: String, _ t: DType) -> String {
        switch t {
        case .f16, .bf16: return "@as(f16, \(expression))"
        case .i16: return "@as(i16, \(expression))"
        case .f32, .i32: return expression
        }
    }

    /// A value of type `from` converted to `to` (a cast): widened to its accumulator type, converted
    /// between the float and integer accumulators with `@as` when they differ (f32 <-> i32 is a real
    /// conversion, not a copy of bits), then narrowed to the element type.
    static func convert(_ expression: String, from: DType, to: DType) -> String {
        guard from != to else { return expression }
        var value = widen(expression, from)
        if from.isFloat != to.isFloat { value = "@as(\(accumulator(to)), \(value))" }
        return narrow(value, to)
    }

    /// The DSD move between memory and the fabric: 16-bit data moves as raw 16-bit words.
    static func move(_ t: DType) throws(EmitError) -> String {
        switch t {
        case .f32: return "@fmovs"
        case .f16, .i16: return "@mov16"
        case .i32: return "@mov32"
        case .bf16: throw EmitError(.bf16)
        }
    }

    /// The DSD operation that combines received wavelets with memory (destination first).
    static func combine(_ c: Combine, _ t: DType) throws(EmitError) -> String {
        switch (c, t) {
        case (.store, _): return try move(t)
        case (.add, .f32): return "@fadds"
        case (.add, .f16): return "@faddh"
        case (.add, .i16): return "@add16"
        case (.max, .f32): return "@fmaxs"
        case (.min, _):
            throw EmitError(.fabricMin)
        case (.add, .i32):
            throw EmitError(.fabricI32Sum)
        default:
            throw EmitError(.fabricCombine(c, t))
        }
    }
}

/// Small text pieces of emitted CSL: comments, loop nests, folded index arithmetic, literals.
enum CSLText {
    /// Text safe inside a `//` comment (one line).
    static func comment(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    /// `(0,0), (1,0), (2,0)` in rectangle coordinates; long lists end with `… and N more`.
    static func peList(_ pes: [PECoord], origin rect: PERect) -> String {
        let shown = pes.prefix(8).map { "(\($0.x - rect.x),\($0.y - rect.y))" }.joined(separator: ", ")
        return pes.count > 8 ? shown + " and \(pes.count - 8) more (\(pes.count) PEs)" : shown
    }

    /// A loop nest over `extents` with `vars`: opening lines, closing lines, and the body's indentation.
    static func loops(_ vars: [String], _ extents: [String]) -> (open: String, close: String, indent: String) {
        var open: [String] = [], close: [String] = []
        for (d, v) in vars.enumerated() {
            let pad = String(repeating: "  ", count: d + 1)
            open.append("\(pad)for (@range(u16, \(extents[d]))) |\(v)| {")
            close.insert("\(pad)}", at: 0)
        }
        return (open.joined(separator: "\n"), close.joined(separator: "\n"), String(repeating: "  ", count: vars.count + 1))
    }

    /// `a + b + c`, leaving out zeros; `0` when nothing is left.
    static func sum(_ terms: [String]) -> String {
        let kept = terms.filter { !$0.isEmpty && $0 != "0" }
        return kept.isEmpty ? "0" : kept.joined(separator: " + ")
    }

    /// `a * b`, folding literals, ones and zeros.
    static func product(_ a: String, _ b: String) -> String {
        if a == "0" || b == "0" { return "0" }
        if a == "1" { return b }
        if b == "1" { return a }
        if let x = Int(a), let y = Int(b) { return String(x * y) }
        return "\(a) * \(b)"
    }

    /// A float literal that reads back as the same f32, always positional (`0.0000001`, never `1e-07`:
    /// no SDK 1.4 example writes an exponent).
    static func float(_ v: Double) throws(EmitError) -> String {
        guard v.isFinite else { throw EmitError(.nonFiniteConstant(v)) }
        let text = positional("\(Swift.abs(Float(v)))")
        return v < 0 ? "(-\(text))" : text
    }

    /// Swift's shortest digits (`1.5e-07`, `3.0`, `2e+20`) written out without an exponent.
    static func positional(_ shortest: String) -> String {
        let parts = shortest.lowercased().split(separator: "e")
        let mantissa = String(parts[0])
        let exponent = parts.count == 2 ? Int(parts[1].replacingOccurrences(of: "+", with: ""))! : 0
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(pieces[0]) + (pieces.count == 2 ? String(pieces[1]) : "")
        var point = pieces[0].count + exponent  // digits before the point
        if point <= 0 {
            digits = String(repeating: "0", count: 1 - point) + digits
            point = 1
        }
        if digits.count < point { digits += String(repeating: "0", count: point - digits.count) }
        var whole = String(digits.prefix(point)), fraction = String(digits.dropFirst(point))
        while whole.count > 1 && whole.hasPrefix("0") { whole.removeFirst() }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return whole + "." + (fraction.isEmpty ? "0" : fraction)
    }

    /// Groups of dimensions that fold into one on every access given (row-major contiguous runs);
    /// dimensions of extent 1 everywhere drop out.
    static func foldableDimensions(_ accesses: [BufferAccess]) -> [[Int]] {
        let rank = accesses[0].extents.count
        var kept = (0..<rank).filter { d in !accesses.allSatisfy { $0.extents[d] == 1 } }
        if kept.isEmpty { kept = [rank - 1] }
        var groups: [[Int]] = []
        for d in kept {
            if let last = groups.last?.last,
                accesses.allSatisfy({ a in a.strides[last] == a.extents[d] * a.strides[d] && (last + 1..<d).allSatisfy { a.extents[$0] == 1 } })
            {
                groups[groups.count - 1].append(d)
            } else {
                groups.append([d])
            }
        }
        return groups
    }

    /// The access with each group of dimensions folded into one.
    static func fold(_ a: BufferAccess, _ groups: [[Int]]) -> BufferAccess {
        BufferAccess(
            buffer: a.buffer, offset: a.offset,
            extents: groups.map { g in g.reduce(1) { $0 * a.extents[$1] } },
            strides: groups.map { a.strides[$0.last!] })
    }
}

/// The CSL text of fused elementwise expressions, and the scalar helper functions they call (collected
/// once per file, dependencies first). Transcendental functions are plain arithmetic here: the SDK 1.4
/// examples show only `math.sqrt_f32` from `<math>`.
struct KernelText {
    private(set) var helpers: [String] = []
    private(set) var usesMath = false
    private var helperNames: Set<String> = []

    /// `out = expression` over `loads` (one element of each kernel input, already in the accumulator type)
    /// for a result of dtype `t`: f16 computes in f32 and rounds to f16 after every op, as the reference
    /// evaluator does.
    mutating func expression(_ e: KernelExpression, loads: [String], dtype t: DType) throws(EmitError) -> String {
        let body = try text(e, loads, t)
        return CSLType.narrow(body, t)
    }

    private mutating func text(_ e: KernelExpression, _ loads: [String], _ t: DType) throws(EmitError) -> String {
        switch e {
        case .input(let i): return loads[i]
        case .constant(let v):
            if t.isFloat { return try CSLText.float(t.round(v)) }
            let n = Int64(t.round(v))
            return n < 0 ? "(\(n))" : String(n)
        case .unary(let f, let a):
            let x = try text(a, loads, t)
            return round(try unary(f, x, t), t)
        case .binary(let f, let a, let b):
            if t.isInteger && f == .div {
                throw EmitError(.integerDivision)
            }
            return round("(\(try text(a, loads, t)) \(f.symbol) \(try text(b, loads, t)))", t)
        }
    }

    private mutating func round(_ x: String, _ t: DType) -> String {
        guard t == .f16 else { return x }
        need("round_f16", "fn round_f16(x: f32) f32 { return @as(f32, @as(f16, x)); }")
        return "round_f16(\(x))"
    }

    private mutating func unary(_ f: UnaryFunction, _ x: String, _ t: DType) throws(EmitError) -> String {
        if t.isInteger {
            let it = "i32"
            switch f {
            case .neg: return "(-\(x))"
            case .relu:
                need("relu_i32", "fn relu_i32(x: \(it)) \(it) { if (x < 0) { return 0; } return x; }")
                return "relu_i32(\(x))"
            case .abs:
                need("abs_i32", "fn abs_i32(x: \(it)) \(it) { if (x < 0) { return -x; } return x; }")
                return "abs_i32(\(x))"
            default: throw EmitError(.needsFloat(f))
            }
        }
        switch f {
        case .neg: return "(-\(x))"
        case .relu:
            need("relu_f32", "fn relu_f32(x: f32) f32 { if (x < 0.0) { return 0.0; } return x; }")
            return "relu_f32(\(x))"
        case .abs:
            need("abs_f32", "fn abs_f32(x: f32) f32 { if (x < 0.0) { return -x; } return x; }")
            return "abs_f32(\(x))"
        case .sqrt:
            usesMath = true
            return "math.sqrt_f32(\(x))"
        case .exp:
            needExp()
            return "exp_f32(\(x))"
        case .sigmoid:
            needExp()
            need("sigmoid_f32", "fn sigmoid_f32(x: f32) f32 { return 1.0 / (1.0 + exp_f32(-x)); }")
            return "sigmoid_f32(\(x))"
        case .silu:
            needExp()
            need("silu_f32", "fn silu_f32(x: f32) f32 { return x / (1.0 + exp_f32(-x)); }")
            return "silu_f32(\(x))"
        case .tanh:
            needTanh()
            return "tanh_f32(\(x))"
        case .gelu:
            needTanh()
            need(
                "gelu_f32",
                """
                // gelu by the tanh form the reference evaluator uses.
                fn gelu_f32(x: f32) f32 {
                  return 0.5 * x * (1.0 + tanh_f32(0.7978846 * (x + 0.044715 * x * x * x)));
                }
                """)
            return "gelu_f32(\(x))"
        }
    }

    private mutating func needExp() {
        need(
            "exp_f32",
            """
            // e^x: x = k ln 2 + r with |r| <= ln 2 / 2; e^r by its Taylor series to r^8; then k doublings
            // or halvings. Plain arithmetic: the SDK 1.4 examples show no exp in <math>.
            fn exp_f32(x: f32) f32 {
              if (x != x) { return x; }
              if (x > 88.8) { return @bitcast(f32, @as(u32, 0x7f800000)); } // +inf
              if (x < -104.0) { return 0.0; }
              var t: f32 = x * 1.442695;
              if (t < 0.0) { t -= 0.5; } else { t += 0.5; }
              var k: i16 = @as(i16, t);
              const r: f32 = x - @as(f32, k) * 0.6931472;
              var p: f32 = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666667 + r * (0.041666668 + r * (0.008333334
                + r * (0.0013888889 + r * (0.0001984127 + r * 0.0000248016)))))));
              while (k > 0) { p = p * 2.0; k -= 1; }
              while (k < 0) { p = p * 0.5; k += 1; }
              return p;
            }
            """)
    }

    private mutating func needTanh() {
        needExp()
        need(
            "tanh_f32",
            """
            // tanh from e^(2x); beyond |x| = 10 it is +-1 in f32.
            fn tanh_f32(x: f32) f32 {
              if (x > 10.0) { return 1.0; }
              if (x < -10.0) { return -1.0; }
              const e: f32 = exp_f32(2.0 * x);
              return (e - 1.0) / (e + 1.0);
            }
            """)
    }

    private mutating func need(_ name: String, _ code: String) {
        if helperNames.insert(name).inserted { helpers.append(code) }
    }
}
