import Foundation

/// The number format of docs/language.md: shortest digits that round-trip in the value's dtype, no
/// trailing `.0`, positional for 1e-4 ≤ |x| < 1e16 and otherwise `1e-07` / `1.5e+20`; `inf`, `-inf`,
/// `nan`, `-0`. In the IR so that messages about values (the front end's) and the views spell numbers alike.
public enum NumberFormat {
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
    public static func shortestDigits(_ x: Double, _ dtype: DType?) -> (negative: Bool, digits: String, exponent: Int) {
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
    public static func decompose(_ text: String) -> (negative: Bool, digits: String, exponent: Int) {
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
}
