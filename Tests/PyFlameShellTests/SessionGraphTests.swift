import Foundation
import PyFlameIR
import PyFlameViews
@testable import PyFlameShell
import Testing

/// Statements change the session's graph in place (a long session stays linear): a failed or interrupted
/// statement and a bare expression leave it as it was, and rebinding frees what nothing uses.
@Suite struct SessionGraphTests {
    @Test func aFailedStatementLeavesTheGraphAsItWas() {
        let shell = Shell()
        run(shell, "a = arange(8)", "b = a * 2")
        let before = GraphPrinter.lines(shell.session.graph)
        let nextID = shell.session.graph.nextID
        // Fails after adding nodes (a * 2 is built before the shape error).
        #expect(run(shell, "c = (a * 2) + ones(3)").failed)
        #expect(run(shell, "c = a * 2 on Grid(5, 5)").failed)
        #expect(run(shell, "(a + 1) * ones(5)").failed)
        #expect(GraphPrinter.lines(shell.session.graph) == before)
        #expect(shell.session.graph.nextID == nextID)
        #expect(shell.session.names == ["a", "b"])
        // A bare expression shows its value and adds nothing.
        #expect(run(shell, "a + b").text.hasPrefix("tensor<8xf32>"))
        #expect(GraphPrinter.lines(shell.session.graph) == before)
        #expect(run(shell, "c = a + b").text.hasPrefix("c = tensor<8xf32>"))
        #expect(shell.session.graph.count == 3)
    }

    @Test func anInterruptedStatementLeavesTheGraphAsItWas() {
        var stop = false
        let shell = Shell(shouldStop: { stop })
        run(shell, "a = arange(8)")
        let before = GraphPrinter.lines(shell.session.graph)
        stop = true
        #expect(run(shell, "b = randn([100000], seed=1) + 1").failed)
        #expect(GraphPrinter.lines(shell.session.graph) == before)
        stop = false
        #expect(!run(shell, "b = a + 1").failed)
    }

    @Test func rebindingFreesWhatNothingUses() {
        let shell = Shell()
        run(shell, "x = arange(4)")
        for _ in 0..<50 { run(shell, "x = x + 1") }
        // Each old x is read by the next one: the chain stays.
        #expect(shell.session.graph.count == 51)
        run(shell, "x = ones(2)")
        #expect(shell.session.graph.count == 1)
        run(shell, "y = x", "x = ones(3)")
        // The old x is still y.
        #expect(shell.session.graph.count == 2)
        #expect(run(shell, "y").text == "y = tensor<2xf32> host [1, 1]")
    }
}
