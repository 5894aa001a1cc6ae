/// The element types a tensor can have: the 16- and 32-bit types a PE can hold, copy with memcpy and
/// compute on with DSD operations (PyFlame's float32, float16, bfloat16, int32, int16).
public enum DType: String, Sendable, CaseIterable, Hashable {
    case f32, f16, bf16, i32, i16

    /// Parses a dtype name as the language accepts it (short or PyFlame's long name).
    /// Returns `.failure` with a message for names that exist in NumPy but cannot live on a PE.
    public static func parse(_ name: String) -> Result<DType, IRError> {
        switch name {
        case "f32", "float32": return .success(.f32)
        case "f16", "float16", "half": return .success(.f16)
        case "bf16", "bfloat16": return .success(.bf16)
        case "i32", "int32": return .success(.i32)
        case "i16", "int16": return .success(.i16)
        case "f64", "float64", "double", "i64", "int64", "i8", "int8", "u8", "uint8", "bool":
            return .failure(
                IRError("dtype \(name) cannot be used: a PE's memcpy, exports and DSD operations handle only 16- and 32-bit types (f32, f16, bf16, i32, i16)"))
        default:
            return .failure(IRError("unknown dtype '\(name)' (known: f32, f16, bf16, i32, i16)"))
        }
    }

    /// Bytes one element occupies in PE memory.
    public var byteSize: Int {
        switch self {
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        }
    }

    public var isFloat: Bool { self == .f32 || self == .f16 || self == .bf16 }
    public var isInteger: Bool { !isFloat }

    /// Machine epsilon (distance from 1 to the next value), used by the comparison tolerance.
    public var epsilon: Double {
        switch self {
        case .f32: return Double(Float.ulpOfOne)
        case .f16: return 0.0009765625  // 2^-10
        case .bf16: return 0.0078125  // 2^-7
        case .i32, .i16: return 0
        }
    }

    /// The representable integer range of an integer dtype.
    public var integerRange: ClosedRange<Int64> {
        switch self {
        case .i32: return Int64(Int32.min)...Int64(Int32.max)
        case .i16: return Int64(Int16.min)...Int64(Int16.max)
        default: return Int64.min...Int64.max
        }
    }

    /// Rounds `x` to the nearest value of this dtype, as the hardware stores it: f32 round-to-nearest-even;
    /// f16 and bf16 through f32 (as NumPy computes float16 functions), integers wrap two's-complement
    /// after truncation toward zero.
    @inline(__always)
    public func round(_ x: Double) -> Double {
        switch self {
        case .f32: return Double(Float(x))
        case .f16: return Double(Float(Float16(Float(x))))
        case .bf16: return Double(BFloat16.round(Float(x)))
        case .i32: return Double(Int32(truncatingIfNeeded: DType.toInt64(x)))
        case .i16: return Double(Int16(truncatingIfNeeded: DType.toInt64(x)))
        }
    }

    /// `value` as a constant of this dtype, or nil when it has none: an integer dtype takes only whole
    /// numbers in its range (compared as doubles: converting to Int64 would trap for |value| >= 2^63); a
    /// float dtype rounds, and has no constant for a finite value that rounds to infinity.
    public func exactValue(_ value: Double) -> Double? {
        if isInteger {
            let range = integerRange
            guard value.isFinite, value == value.rounded(.towardZero),
                value >= Double(range.lowerBound), value <= Double(range.upperBound)
            else { return nil }
            return value
        }
        let rounded = round(value)
        return rounded.isInfinite && value.isFinite ? nil : rounded
    }

    /// Truncation toward zero to Int64, saturating (NaN becomes 0) so no input can trap.
    @inline(__always)
    static func toInt64(_ x: Double) -> Int64 {
        if x.isNaN { return 0 }
        if x >= 9.2e18 { return Int64.max }
        if x <= -9.2e18 { return Int64.min }
        return Int64(x)
    }
}

/// bfloat16: the upper 16 bits of an f32, rounded to nearest even. NumPy has no such type.
public enum BFloat16 {
    /// Rounds an f32 to the nearest bf16 value (returned as the f32 it widens to exactly).
    @inline(__always)
    public static func round(_ value: Float) -> Float {
        if value.isNaN { return .nan }
        let bits = value.bitPattern
        let lsb = (bits >> 16) & 1
        let rounded = bits &+ 0x7FFF &+ lsb
        return Float(bitPattern: rounded & 0xFFFF_0000)
    }

    /// The 16-bit pattern of a value that is already a bf16.
    public static func bits(_ value: Float) -> UInt16 { UInt16(truncatingIfNeeded: round(value).bitPattern >> 16) }
}
