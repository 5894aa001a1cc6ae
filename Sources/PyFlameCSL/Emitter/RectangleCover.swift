import PyFlameIR
import PyFlameLowering

/// Covers a set of PEs with rectangles, so `layout.csl` can write a block of PEs that get the same
/// `@set_tile_code` (or the same route) as one `for (@range(...))` loop, as Cerebras' own layouts do,
/// instead of a line per PE. Rows are cut into maximal runs, and equal runs in consecutive rows merge.
enum RectangleCover {
    static func cover(_ pes: [PECoord]) -> [PERect] {
        var rows: [Int: [Int]] = [:]
        for pe in pes { rows[pe.y, default: []].append(pe.x) }
        var open: [Range<Int>: PERect] = [:]  // runs of the previous row, by x range
        var done: [PERect] = []
        var previousRow: Int?
        for y in rows.keys.sorted() {
            let xs = rows[y]!.sorted()
            var runs: [Range<Int>] = []
            var start = xs[0], end = xs[0] + 1
            for x in xs.dropFirst() {
                if x == end { end += 1 } else { runs.append(start..<end); start = x; end = x + 1 }
            }
            runs.append(start..<end)
            var next: [Range<Int>: PERect] = [:]
            for run in runs {
                if previousRow == y - 1, var rect = open.removeValue(forKey: run) {
                    rect.height += 1
                    next[run] = rect
                } else {
                    next[run] = PERect(x: run.lowerBound, y: y, width: run.count, height: 1)
                }
            }
            done += open.values
            open = next
            previousRow = y
        }
        done += open.values
        return done.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
    }
}
