import PyFlameIR
/// Ranges and choices drawn from PyFlameIR's SplitMix64, here rather than through the standard library's
/// `random(in:using:)` (whose mapping is not promised stable), so a seed names the same random program on
/// every machine and every Swift version.
extension SplitMix64 {
    /// A uniform integer in `range` (modulo bias is irrelevant for ranges this small).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < p
    }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[int(0...(items.count - 1))]
    }

    /// An index drawn by weight.
    public mutating func weighted(_ weights: [Int]) -> Int {
        var r = int(0...(weights.reduce(0, +) - 1))
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }
}
