/// How SUMMA cuts the shared dimension K of `A [M,K] @ B [K,N]` on Grid(rows, cols): A's columns are split
/// in `cols` blocks and B's rows in `rows` blocks, and K is cut at every boundary of either, so each
/// segment has one owner column for its A piece and one owner row for its B piece. The one rule the
/// placement's memory estimate and the lowering both read.
public struct SummaSegments: Sendable, Equatable {
    /// Elements of K per A column-block and per B row-block.
    public let aBlock: Int
    public let bBlock: Int
    /// The segments `[start, end)` of K, in order; none is empty.
    public let bounds: [(start: Int, end: Int)]

    public init(k: Int, rows: Int, cols: Int) {
        aBlock = Tiling.ceilingDivision(k, Swift.max(cols, 1))
        bBlock = Tiling.ceilingDivision(k, Swift.max(rows, 1))
        var cuts = Set([0, k])
        for j in 0...Swift.max(cols, 1) { cuts.insert(Swift.min(j * aBlock, k)) }
        for i in 0...Swift.max(rows, 1) { cuts.insert(Swift.min(i * bBlock, k)) }
        let sorted = cuts.sorted()
        bounds = zip(sorted, sorted.dropFirst()).filter { $0.0 < $0.1 }.map { (start: $0.0, end: $0.1) }
    }

    /// The longest segment: the width of the panels a PE receives.
    public var longest: Int { bounds.map { $0.end - $0.start }.max() ?? 0 }

    public static func == (l: SummaSegments, r: SummaSegments) -> Bool {
        l.aBlock == r.aBlock && l.bBlock == r.bBlock && l.bounds.elementsEqual(r.bounds) { $0 == $1 }
    }
}
