/// Integer arithmetic with CSL's widths: `comptime_int` is exact (an overflow of the 64 bits we hold is an
/// error), a fixed-width type wraps to its width (two's complement), and an operation between a typed value
/// and a `comptime_int` takes the typed value's type (the constant must fit it). Operands of two different
/// fixed widths take the wider (signed when either is); cslc would ask for an `@as`, which the checks report.
public enum CSLIntArithmetic {
    /// A binary integer operator.
    public enum Operator: String, Sendable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
        case shiftLeft = "<<", shiftRight = ">>", and = "&", or = "|", xor = "^"
        case wrappingAdd = "+%", wrappingSubtract = "-%", wrappingMultiply = "*%"
    }

    /// Why an integer operation has no value.
    public enum Failure: Error, Equatable, Sendable {
        case overflow(String)
        case divisionByZero
        case doesNotFit(Int, CSLType)
        case negativeShift
    }

    /// `v` wrapped to `type`'s width (unchanged for `comptime_int` and 64-bit types).
    public static func wrap(_ v: Int, to type: CSLType) -> Int {
        guard case .int(let signed, let bits) = type, bits < 64 else { return v }
        let mask = (1 << bits) - 1
        let low = v & mask
        if signed && low >> (bits - 1) & 1 == 1 { return low - (1 << bits) }
        return low
    }

    /// Whether `v` is a value of `type` (every Int is a `comptime_int`).
    public static func fits(_ v: Int, _ type: CSLType) -> Bool {
        guard let range = type.integerRange else { return true }
        return range.contains(v)
    }

    /// The type two integer operands combine to.
    public static func resultType(_ a: CSLType, _ b: CSLType) -> CSLType {
        switch (a, b) {
        case (.comptimeInt, _): return b
        case (_, .comptimeInt): return a
        case (.int(let sa, let ba), .int(let sb, let bb)):
            return .int(signed: sa || sb, bits: max(ba, bb))
        default: return a
        }
    }

    /// `a op b` with CSL's width rules.
    public static func apply(_ op: Operator, _ a: Int, _ aType: CSLType, _ b: Int, _ bType: CSLType) -> Result<CSLValue, Failure> {
        let type = resultType(aType, bType)
        if aType == .comptimeInt && type != .comptimeInt && !fits(a, type) { return .failure(.doesNotFit(a, type)) }
        if bType == .comptimeInt && type != .comptimeInt && !fits(b, type) { return .failure(.doesNotFit(b, type)) }
        let exact = type == .comptimeInt || type.integerRange.map { $0.upperBound == Int.max } == true
        let raw: (Int, Bool)
        switch op {
        case .add, .wrappingAdd: raw = a.addingReportingOverflow(b)
        case .subtract, .wrappingSubtract: raw = a.subtractingReportingOverflow(b)
        case .multiply, .wrappingMultiply: raw = a.multipliedReportingOverflow(by: b)
        case .divide:
            if b == 0 { return .failure(.divisionByZero) }
            raw = a.dividedReportingOverflow(by: b)
        case .remainder:
            if b == 0 { return .failure(.divisionByZero) }
            raw = a.remainderReportingOverflow(dividingBy: b)
        case .shiftLeft:
            if b < 0 { return .failure(.negativeShift) }
            if b >= 64 {
                raw = (0, a != 0)
            } else {
                let shifted = a << b
                raw = (shifted, shifted >> b != a)
            }
        case .shiftRight:
            if b < 0 { return .failure(.negativeShift) }
            raw = (b >= 64 ? (a < 0 ? -1 : 0) : a >> b, false)
        case .and: raw = (a & b, false)
        case .or: raw = (a | b, false)
        case .xor: raw = (a ^ b, false)
        }
        if raw.1 && (exact || b >= 64) {
            return .failure(.overflow("\(a) \(op.rawValue) \(b)"))
        }
        return .success(.int(wrap(raw.0, to: type), type))
    }

    /// `a cmp b` for `==`, `!=`, `<`, `<=`, `>`, `>=`.
    public static func compare(_ op: String, _ a: Int, _ b: Int) -> Bool? {
        switch op {
        case "==": return a == b
        case "!=": return a != b
        case "<": return a < b
        case "<=": return a <= b
        case ">": return a > b
        case ">=": return a >= b
        default: return nil
        }
    }
}
