import Foundation
import PyFlameIR

/// The number and tensor formats of docs/language.md: shortest digits that round-trip in the value's
/// dtype, no trailing `.0`, positional for 1e-4 ≤ |x| < 1e16 and otherwise `1e-07` / `1.5e+20`;
/// `inf`, `-inf`, `nan`, `-0`. Up to 16 elements per dimension in full, otherwise the first and last 3.
public enum ValueFormat {
    /// Elements per dimension printed in full.
    public static let fullLimit = 16
    /// Elements printed at each end of a longer dimension.
    public static let edgeCount = 3

    /// One element of `dtype`.
    public static func number(_ x: Double, _ dtype: DType) -> String {
        // Integer values are whole and in range; anything else (never stored, but never trapping either)
        // prints as a double.
        if dtype.isInteger { return Int64(exactly: x).map { String($0) } ?? format(x, nil) }
        return format(x, dtype)
    }

    /// A plain number of the calculator (double precision, shortest digits).
    public static func double(_ x: Double) -> String { format(x, nil) }

    private static func format(_ x: Double, _ dtype: DType?) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return x.sign == .minus ? "-0" : "0" }
        // A value too large for the dtype prints as the infinity it rounds to (not mangled digits of "inf").
        if let dtype, dtype.round(x).isInfinite { return x < 0 ? "-inf" : "inf" }
        let (negative, digits, exponent) = shortestDigits(x, dtype)
        let sign = negative ? "-" : ""
        let magnitude = Swift.abs(x)
        if magnitude >= 1e-4 && magnitude < 1e16 {
            if exponent >= 0 {
                if digits.count <= exponent + 1 {
                    return sign + digits + String(repeating: "0", count: exponent + 1 - digits.count)
                }
                let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
                return sign + digits[..<split] + "." + digits[split...]
            }
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
        }
        let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + digits.dropFirst()
        let e = Swift.abs(exponent)
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
    }

    /// The shortest decimal digits that read back as `x` in `dtype`, and the decimal exponent of the
    /// first digit (x = d.ddd × 10^exponent).
    static func shortestDigits(_ x: Double, _ dtype: DType?) -> (negative: Bool, digits: String, exponent: Int) {
        let text: String
        switch dtype {
        case nil: text = x.description
        case .f32: text = Float(x).description
        case .f16: text = Float16(Float(x)).description
        case .bf16:
            let target = BFloat16.round(Float(x))
            var found = String(format: "%.8e", Double(target))
            for precision in 0..<8 {
                let candidate = String(format: "%.\(precision)e", Double(target))
                if let parsed = Double(candidate), BFloat16.round(Float(parsed)) == target {
                    found = candidate
                    break
                }
            }
            text = found
        default: text = x.description
        }
        return decompose(text)
    }

    /// Splits a decimal text (`-1.25e+20`, `0.001`, `123.5`) into sign, significant digits and exponent.
    static func decompose(_ text: String) -> (negative: Bool, digits: String, exponent: Int) {
        var s = Substring(text)
        let negative = s.hasPrefix("-")
        if negative { s = s.dropFirst() }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(s[s.index(after: e)...]) ?? 0
            s = s[..<e]
        }
        let point = s.firstIndex(of: ".")
        let integerDigits = point.map { s.distance(from: s.startIndex, to: $0) } ?? s.count
        var digits = s.filter { $0 != "." }
        var leading = 0
        while digits.first == "0" && digits.count > 1 { digits.removeFirst(); leading += 1 }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        return (negative, String(digits), exponent + integerDigits - 1 - leading)
    }

    /// `[0, 1, 2, ..., 1021, 1022, 1023]`, nested for 2-D and beyond; a scalar prints bare. Walks the
    /// dimensions with an explicit stack, so a value of any rank prints without recursion.
    public static func elements(_ value: TensorValue) -> String {
        let dims = value.shape.dims
        guard !dims.isEmpty else { return value.elements.first.map { number($0, value.dtype) } ?? "" }
        if value.shape.elementCount == 0 { return String(repeating: "[", count: dims.count) + String(repeating: "]", count: dims.count) }
        let strides = value.shape.strides
        /// The indices shown along a dimension of `n` elements; nil stands for the `...`.
        func shown(_ n: Int) -> [Int?] {
            n <= fullLimit ? Array(0..<n) : Array(0..<edgeCount) + [nil] + Array((n - edgeCount)..<n)
        }
        /// One open bracket: its dimension, the flat offset of its first element, what it shows and how far it got.
        struct Level {
            var dim: Int
            var offset: Int
            var indices: [Int?]
            var next = 0
        }
        var text = "["
        var stack = [Level(dim: 0, offset: 0, indices: shown(dims[0]))]
        while let level = stack.last {
            guard level.next < level.indices.count else {
                text += "]"
                stack.removeLast()
                continue
            }
            if level.next > 0 { text += ", " }
            stack[stack.count - 1].next += 1
            guard let i = level.indices[level.next] else { text += "..."; continue }
            let at = level.offset + i * strides[level.dim]
            if level.dim == dims.count - 1 {
                text += number(value.elements[at], value.dtype)
            } else {
                text += "["
                stack.append(Level(dim: level.dim + 1, offset: at, indices: shown(dims[level.dim + 1])))
            }
        }
        return text
    }

    /// `tensor<1024xf32> RowPartition(4) [0, 1, ...]`, with `name = ` in front when there is a name.
    public static func tensor(_ value: TensorValue, layout: Layout, name: String?) -> String {
        (name.map { "\($0) = " } ?? "") + "\(value.type) \(layout) " + elements(value)
    }
}
