import Foundation
import PyFlameShell
import Testing

/// The workload suite (Benchmarks/workloads, `pyflame-bench workloads`): the light programs run here;
/// the heavy ones (1024² gemm, the whole wafer) are release-benchmark material.
@Suite struct WorkloadSuiteTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Benchmarks/workloads").path

    @Test func theSuiteHasThirtyProgramsEachSayingWhatItIs() throws {
        let workloads = try WorkloadSuite.load(folder: Self.folder)
        #expect(workloads.count >= 30)
        for w in workloads {
            #expect(!w.summary.isEmpty, "\(w.name) has no comment saying what it is")
            #expect(!w.summary.hasPrefix("heavy"), "\(w.name): the first comment says what it is, the heavy mark comes after")
        }
        // The heavy mark is read from a comment line, and the suite keeps light programs to run here.
        #expect(workloads.contains { $0.heavy })
        #expect(workloads.filter { !$0.heavy }.count >= 25)
    }

    /// Every light program either lowers, runs to the end and matches the reference, or is refused with a
    /// cause; the table has a row per program and a summary. A crash fails the test run; a failed run or
    /// a mismatch fails this test.
    @Test func everyLightProgramLowersAndMatchesOrIsRefusedWithACause() throws {
        let workloads = try WorkloadSuite.load(folder: Self.folder).filter { !$0.heavy }
        let outcomes = workloads.map { WorkloadSuite.run($0) }
        for o in outcomes {
            if o.lowered {
                #expect(o.runFailure == nil, "\(o.workload.name): \(o.runFailure ?? "")")
                #expect(o.cycles != nil, "\(o.workload.name) did not finish")
                #expect(o.comparison?.matches == true, "\(o.workload.name) does not match the reference")
                #expect(o.peakBytes != nil)
            } else {
                #expect(!(o.refusal ?? "").isEmpty, "\(o.workload.name) refused without a cause")
            }
        }
        let table = WorkloadSuite.table(outcomes)
        #expect(table.first?.hasPrefix("program") == true)
        #expect(table.last == WorkloadSuite.summary(outcomes))
        for o in outcomes {
            #expect(table.contains { $0.hasPrefix(o.workload.name + " ") }, "no row for \(o.workload.name)")
        }
        #expect(table.filter { $0.hasPrefix("    cause: ") }.count == outcomes.filter { !$0.lowered }.count)
    }

    @Test func aRefusedStatementGivesItsCauseAndTriesTheSuggestedLayout() {
        // A split that leaves a PE empty is refused naming the layout; the suite tries the layout a
        // refusal names in place of the statement's own.
        let w = Workload(name: "empty-tile", source: "# an empty tile\nx = arange(8)\ny = x * 2 on RowPartition(16)\n")
        let o = WorkloadSuite.run(w)
        #expect(!o.lowered)
        #expect(o.refusal?.hasPrefix("y = x * 2 on RowPartition(16): ") == true)
        #expect(o.refusal?.contains("empty tile") == true)
        let table = WorkloadSuite.table([o])
        #expect(table[1].hasPrefix("empty-tile") && table[1].contains("refused"))
        #expect(table.last?.hasPrefix("1 programs: 0 lowered, 1 refused (100%") == true)
    }

    @Test func aLoweredProgramIsSimulatedComparedEmittedAndChecked() {
        let w = Workload(name: "rowsum", source: "# a row sum\nx = randn([16, 16], seed=1)\ns = sum(x, dim=1) on ColPartition(4)\n")
        let o = WorkloadSuite.run(w)
        #expect(o.lowered)
        #expect((o.cycles ?? 0) > 0)
        #expect(o.comparison?.matches == true)
        #expect(o.emitErrors?.count == 0)
        #expect((o.peakBytes ?? 0) > 0)
        #expect(!o.broken)
    }
}
