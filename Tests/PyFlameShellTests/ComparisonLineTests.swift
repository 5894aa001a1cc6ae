@testable import PyFlameShell
import Testing

/// `:run`'s comparison line shows the observed error beside the bound it had to stay within (issue 15,
/// item 7): the accumulation depth of a sum, the n·ε rule for results derived from reductions.
@Suite struct ComparisonLineTests {
    @Test func aSumShowsItsErrorBesideItsDepthBound() {
        let shell = makeShell(["a = randn([472], seed=3)", "b = randn([472], seed=4)", "d = sum(a * b) on RowPartition(4)", ":sim d"])
        let r = shell.execute(":run")
        #expect(!r.failed, "\(r.text)")
        let line = r.lines.last?.text ?? ""
        #expect(line.hasPrefix("d: simulated result matches reference (max |err| "), "\(line)")
        #expect(line.contains(", bound ") && line.contains(" at depth 121, 1 element)"), "\(line)")
    }

    @Test func anElementwiseResultShowsNoBound() {
        let shell = makeShell(["a = arange(64)", "b = a * 2 on RowPartition(4)", ":sim b"])
        let line = shell.execute(":run").lines.last?.text ?? ""
        #expect(line == "b: simulated result matches reference (max |err| 0, 64 elements)", "\(line)")
    }

    @Test func aResultDerivedFromAReductionShowsTheTermCountBound() {
        let shell = makeShell(["x = randn([16, 16], seed=1)", "s = sum(x, dim=1, keepdim=true) on Grid(2, 2)", "y = x - s on Grid(2, 2)", ":sim y"])
        let line = shell.execute(":run").lines.last?.text ?? ""
        #expect(line.contains(", bound ") && !line.contains("depth"), "\(line)")
    }
}
