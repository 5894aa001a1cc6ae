/// How a wavelet's 32 bits are read: the way its sender typed them (`send red (0,0) f32 [1.5]`). A wavelet
/// is one 32-bit value, or 16-bit data in the lower half with a 16-bit index in the upper half.
public enum PayloadKind: String, Sendable, Equatable, CaseIterable {
    /// Whole numbers, −2^31 to 2^32−1, shown signed (`-1`): `send red (0,0) [1, -1]`.
    case integer
    /// Hex literals, shown as 8 hex digits: `send red (0,0) [0x3f800000]`.
    case hex
    /// f32 values: `send red (0,0) f32 [1.5, -2]`.
    case f32
    /// One f16 value in the lower half, index 0: `send red (0,0) f16 [1.5, 2]`.
    case f16
    /// (index, f16 data) pairs, index in the upper half: `send red (0,0) [(0, 10.0), (1, 11.0)]`.
    case indexed

    /// How the kind reads in messages: `integer`, `hex`, `f32`, `f16`, `(index, f16 data)`.
    public var description: String {
        switch self {
        case .integer: return "integer"
        case .hex: return "hex"
        case .f32: return "f32"
        case .f16: return "f16"
        case .indexed: return "(index, f16 data)"
        }
    }
}

/// The one formatter of wavelet payloads: `:pe`, `:step`, breakpoints, the fabric view and `:trace` all
/// print a payload through ``text(_:_:)``, so one wavelet reads the same everywhere. Also the encoders
/// `send` uses, with the range errors that name the value and the kind.
public enum WaveletPayload {
    /// The payload as its kind reads: `-1`, `0x3f800000`, `1.5`, `(1, 11)`.
    public static func text(_ bits: UInt32, _ kind: PayloadKind) -> String {
        switch kind {
        case .integer: return String(Int32(bitPattern: bits))
        case .hex:
            let digits = String(bits, radix: 16)
            return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
        case .f32: return NumberFormat.number(Double(Float(bitPattern: bits)), .f32)
        case .f16: return half(bits)
        case .indexed: return "(\(bits >> 16), \(half(bits)))"
        }
    }

    /// The payload as a JSON value with the same text: a number for integers and finite f32 values, the text
    /// in quotes for the other kinds (hex, pairs, and `nan`, `inf`, which JSON has no number for).
    public static func json(_ bits: UInt32, _ kind: PayloadKind) -> String {
        let shown = text(bits, kind)
        switch kind {
        case .integer: return shown
        case .f32 where Float(bitPattern: bits).isFinite: return shown
        default: return "\"" + shown + "\""
        }
    }

    private static func half(_ bits: UInt32) -> String {
        NumberFormat.number(Double(Float(Float16(bitPattern: UInt16(truncatingIfNeeded: bits)))), .f16)
    }

    /// A whole number as a 32-bit payload (−2^31 to 2^32−1), or nil when it does not fit.
    public static func integer(_ value: Int64) -> UInt32? {
        if let signed = Int32(exactly: value) { return UInt32(bitPattern: signed) }
        return UInt32(exactly: value)
    }

    /// An f32 payload, or nil when the value overflows f32.
    public static func f32(_ value: Double) -> UInt32? {
        let f = Float(value)
        guard f.isFinite || !value.isFinite else { return nil }
        return f.bitPattern
    }

    /// An f16 payload in the lower half with `index` in the upper half, or nil when the value overflows f16.
    public static func f16(_ value: Double, index: UInt16 = 0) -> UInt32? {
        let h = Float16(Float(value))
        guard h.isFinite || !value.isFinite else { return nil }
        return UInt32(index) << 16 | UInt32(h.bitPattern)
    }

    /// The range of a kind's values, for messages: `from -2147483648 to 4294967295`.
    public static func rangeText(_ kind: PayloadKind) -> String {
        switch kind {
        case .integer: return "whole numbers from -2147483648 to 4294967295"
        case .hex: return "0x0 to 0xffffffff"
        case .f32: return "f32 values up to ±3.4028235e+38"
        case .f16, .indexed: return "f16 values up to ±65504"
        }
    }
}

/// The payload kind of each color, for reading what arrives: a color carries what its senders typed
/// (a reacting core passes on its input color's kind); colors nobody typed read as `fallback`.
public struct PayloadKinds: Sendable, Equatable {
    public var byColor: [Int: PayloadKind]
    public var fallback: PayloadKind

    public init(byColor: [Int: PayloadKind] = [:], fallback: PayloadKind = .integer) {
        self.byColor = byColor
        self.fallback = fallback
    }

    /// A lowered program's wavelets: f32 values.
    public static let program = PayloadKinds(fallback: .f32)

    public func kind(of color: Int) -> PayloadKind { byColor[color] ?? fallback }

    /// The payload as the kind of `color` reads.
    public func text(_ bits: UInt32, color: Int) -> String { WaveletPayload.text(bits, kind(of: color)) }

    /// The payload as a JSON value (``WaveletPayload/json(_:_:)``).
    public func json(_ bits: UInt32, color: Int) -> String { WaveletPayload.json(bits, kind(of: color)) }
}
