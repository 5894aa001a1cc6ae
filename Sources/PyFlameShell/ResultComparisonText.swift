import PyFlameSimulator
import PyFlameViews

/// How a comparison that matched reads in `:run`'s line: the observed error beside the bound it had to
/// stay within (`max |err| 1.2e-6, bound 3.1e-5 at depth 121, 64 elements`).
enum ResultComparisonText {
    static func detail(_ c: ResultComparison) -> String {
        var text = "max |err| \(ValueFormat.number(c.maxError, .f32))"
        if let t = c.maxTolerance, t > 0 {
            text += ", bound \(ValueFormat.number(t, .f32))"
            if let depth = c.depth { text += " at depth \(depth)" }
        }
        return text + ", \(c.count) element\(c.count == 1 ? "" : "s")"
    }
}
