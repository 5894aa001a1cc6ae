import Foundation

/// The generator behind `randn(shape, seed=S)`: xoshiro256** seeded through SplitMix64 from S, and the
/// Box–Muller transform in double precision, cos branch then sin branch. Integer arithmetic and
/// IEEE double functions only, so every machine gives the same numbers for the same seed.
public struct NormalGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    private var spare: Double?

    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        s = (seeder.next(), seeder.next(), seeder.next(), seeder.next())
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func nextBits() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// A uniform double in (0, 1]: the top 53 bits, plus one, over 2^53.
    public mutating func nextUniform() -> Double { Double((nextBits() >> 11) + 1) * 0x1p-53 }

    /// The next standard normal value.
    public mutating func next() -> Double {
        if let value = spare {
            spare = nil
            return value
        }
        let u1 = nextUniform(), u2 = nextUniform()
        let r = (-2 * Foundation.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spare = r * Foundation.sin(theta)
        return r * Foundation.cos(theta)
    }
}

/// Sebastiano Vigna's SplitMix64: a tiny generator whose sequence is fixed by its code, so a seed means
/// the same numbers on every machine. It seeds `randn`'s xoshiro256**, and the property tests draw from it
/// so any failure is reproducible from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
