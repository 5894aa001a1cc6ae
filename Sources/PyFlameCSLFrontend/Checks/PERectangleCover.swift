import PyFlameIR
import PyFlameLowering

/// Sets of PEs written as a few rectangles, so a message or `:pes` names 745,000 PEs in one line:
/// `(0,0)-(3,0)`, `(1,1)-(2,5), (7,0)`. Rows are cut into runs of neighbouring PEs; a run continues the
/// rectangle above it when the row above had the same run.
public enum PERectangleCover {
    /// Rectangles covering exactly `pes` (duplicates ignored), in address order of their first PE.
    public static func cover<S: Sequence>(_ pes: S) -> [PERect] where S.Element == PECoord {
        let sorted = Set(pes).sorted()
        guard !sorted.isEmpty else { return [] }
        // Runs of one row: (y, first x, last x), in address order.
        var runs: [(y: Int, x0: Int, x1: Int)] = []
        for pe in sorted {
            if let last = runs.last, last.y == pe.y, last.x1 + 1 == pe.x {
                runs[runs.count - 1].x1 = pe.x
            } else {
                runs.append((pe.y, pe.x, pe.x))
            }
        }
        // A run extends the rectangle that ended on the row above with the same columns.
        var rects: [PERect] = []
        var open: [Span: Int] = [:]
        for run in runs {
            let span = Span(x0: run.x0, x1: run.x1)
            if let i = open[span], rects[i].y + rects[i].height == run.y {
                rects[i].height += 1
            } else {
                open[span] = rects.count
                rects.append(PERect(x: run.x0, y: run.y, width: run.x1 - run.x0 + 1, height: 1))
            }
        }
        return rects
    }

    private struct Span: Hashable {
        var x0: Int
        var x1: Int
    }

    /// `(x,y)` for one PE, `(x0,y0)-(x1,y1)` for a rectangle.
    public static func text(_ rect: PERect) -> String {
        rect.width == 1 && rect.height == 1
            ? "(\(rect.x),\(rect.y))" : "(\(rect.x),\(rect.y))-(\(rect.x + rect.width - 1),\(rect.y + rect.height - 1))"
    }

    /// The PEs as rectangles joined with commas; past `limit` rectangles, `and N more PEs`.
    public static func text<S: Sequence>(_ pes: S, limit: Int = 4) -> String where S.Element == PECoord {
        let rects = cover(pes)
        var parts = rects.prefix(limit).map(text)
        if rects.count > limit {
            let rest = rects.dropFirst(limit).reduce(0) { $0 + $1.width * $1.height }
            parts.append("and \(rest) more PE\(rest == 1 ? "" : "s")")
        }
        return parts.joined(separator: ", ")
    }

    /// `PE (1,0)` or `PEs (0,0)-(3,0)`.
    public static func named<S: Collection>(_ pes: S, limit: Int = 4) -> String where S.Element == PECoord {
        (Set(pes).count == 1 ? "PE " : "PEs ") + text(pes, limit: limit)
    }
}
