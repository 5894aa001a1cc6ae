import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// Operands computed on the fabric and broadcast to a larger shape: each PE's piece travels through the
/// router, and the simulated result equals the reference.
@Suite struct FabricBroadcastTests {
    static let cases: [(String, [String])] = [
        (
            "row vector on one PE to a grid",
            ["x = randn([8, 8], seed=1) * 1 on Grid(2, 2)", "v = randn([8], seed=2) * 1 on SinglePE", "r = x + v on Grid(2, 2)"]
        ),
        (
            "column sums back onto the grid",
            ["x = randn([8, 12], seed=3) * 1 on Grid(2, 4)", "c = sum(x, dim=1, keepdim=true) on Grid(2, 4)", "r = x - c on Grid(2, 4)"]
        ),
        ("a full sum scaling every element", ["x = randn([6, 8], seed=4) * 1 on Grid(2, 2)", "r = x * sum(x) on Grid(2, 2)"]),
        (
            "a row partition's vector to a column partition's matrix",
            ["x = randn([4, 16], seed=5) * 1 on ColPartition(4)", "v = randn([16], seed=6) * 2 on RowPartition(4)", "r = x / v on ColPartition(4)"]
        ),
        ("f16 mean subtracted", ["x = randn([8, 8], seed=7, dtype=f16) * 1 on Grid(4, 2)", "m = mean(x, dim=0) on Grid(4, 2)", "r = x - m on Grid(4, 2)"]),
        (
            "i32 row added",
            [
                "x = tensor([[1, 2, 3, 4], [5, 6, 7, 8]], dtype=i32) * 1 on Grid(2, 2)", "v = tensor([10, 20, 30, 40], dtype=i32) * 1 on SinglePE",
                "r = x + v on Grid(2, 2)",
            ]
        ),
    ]

    @Test(arguments: cases.map(\.0))
    func broadcastOperandsComputedOnTheFabric(name: String) throws {
        let statements = Self.cases.first { $0.0 == name }!.1
        let source = makeProgram(statements)
        let run = try simulateProgram(source, "r")
        #expect(run.outcome == .finished)
        #expect(run.comparison.matches, "\(name): \(String(describing: run.comparison.mismatch))")
        // The broadcast is a fabric transfer: the program routes at least one color.
        #expect(!run.program.routes.isEmpty)
    }
}
