import PyFlameIR
@testable import PyFlameLowering
import Testing

/// The playground's ``FabricProgram`` follows the lowering's rules for steps, task IDs and memory, and
/// says what its host transfers carry with ``TransferSource`` (no IR node stands for them).
@Suite struct PlaygroundProgramTests {
    static let fabric = FabricSize(width: 8, height: 8)

    static func make(
        _ routes: [RouteConfig], sends: [PlaygroundProgram.Stream], receives: [PlaygroundProgram.Stream] = [],
        architecture: Architecture = .wse2, budget: Int = Architecture.defaultPEDataBudget
    ) throws -> FabricProgram {
        try PlaygroundProgram.make(
            routes: routes, colorNames: ["red": 0, "blue": 3], sends: sends, receives: receives, architecture: architecture, fabric: fabric,
            peDataBudget: budget)
    }

    @Test func sendsOnSevenColorsAtOnePESplitAfterSixLikeALoweredStep() throws {
        let sends = (0..<7).map { PlaygroundProgram.Stream(pe: PECoord(1, 1), color: $0, count: 4) }
        let program = try Self.make([], sends: sends)
        let pe = try #require(program.program(at: PECoord(1, 1)))
        let sizes = pe.steps.map { step -> Int in
            if case .fabric(let ops) = step { return ops.count }
            return 0
        }
        #expect(sizes == [LoweringOptions.operationsPerStep, 7 - LoweringOptions.operationsPerStep])
        #expect(pe.stepNodes == [nil, nil])
    }

    @Test func twoSendsOnOneColorAtOnePETakeTwoSteps() throws {
        let sends = [PlaygroundProgram.Stream(pe: PECoord(0, 0), color: 0, count: 2), PlaygroundProgram.Stream(pe: PECoord(0, 0), color: 0, count: 1)]
        let program = try Self.make([RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.east])], sends: sends)
        #expect(program.program(at: PECoord(0, 0))?.steps.count == 2)
        // Both are pieces of the one host symbol of red, end to end.
        #expect(program.hostInputs.count == 1)
        #expect(program.hostInputs[0].pieces.map(\.tile) == [Tile([0..<2]), Tile([2..<3])])
        // Several sends on one color at one PE are simulated but not emitted.
        #expect(throws: LoweringError.self) { try PlaygroundProgram.checkEmittable(program, colorNames: ["red": 0]) }
    }

    @Test func transfersSayWhatTheyCarryAndNoIRNodeStandsForThem() throws {
        let program = try Self.make(
            [RouteConfig(pe: PECoord(0, 0), color: 3, rx: [.ramp], tx: [.east]), RouteConfig(pe: PECoord(1, 0), color: 3, rx: [.west], tx: [.ramp])],
            sends: [PlaygroundProgram.Stream(pe: PECoord(0, 0), color: 3, count: 5)],
            receives: [PlaygroundProgram.Stream(pe: PECoord(1, 0), color: 3, count: 5)])
        #expect(program.isPlayground && program.result == nil)
        #expect(program.hostInputs.map(\.source) == [.playgroundSends(color: 3)])
        #expect(program.hostOutputs.map(\.source) == [.playgroundReceives(color: 3)])
        #expect(program.hostInputs.map(\.name) == ["sent_blue"] && program.hostOutputs.map(\.name) == ["received_blue"])
        #expect(program.pes.allSatisfy { $0.buffers.allSatisfy { $0.node == nil } })
        #expect(program.colors.map(\.name) == ["blue"])
        try PlaygroundProgram.checkEmittable(program, colorNames: ["blue": 3])
    }

    @Test func theTaskIDAvoidsTheColorsAPERoutesOnWSE2Only() throws {
        // (0,0) routes colors 8 and 9: on WSE-2 its task takes the first free ID after them.
        let routes = [8, 9].map { RouteConfig(pe: PECoord(0, 0), color: $0, rx: [.ramp], tx: [.east]) }
        let sends = [PlaygroundProgram.Stream(pe: PECoord(0, 0), color: 8, count: 1)]
        #expect(try Self.make(routes, sends: sends).program(at: PECoord(0, 0))?.taskID == 10)
        #expect(try Self.make(routes, sends: sends, architecture: .wse3).program(at: PECoord(0, 0))?.taskID == 8)
    }

    @Test func aSendOverTheBudgetIsRefusedForEmissionWithTheLoweringsMessage() throws {
        let program = try Self.make(
            [RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.east])], sends: [PlaygroundProgram.Stream(pe: PECoord(0, 0), color: 0, count: 300)],
            budget: 1024)
        do {
            try PlaygroundProgram.checkEmittable(program, colorNames: ["red": 0])
            Issue.record("a 1200-byte send fit a 1024-byte budget")
        } catch {
            #expect(
                error.message.hasPrefix("PE (0,0) needs 1200 B of data, budget 1024 B (largest buffer sent_red, 1200 B, for the wavelets it sends)"),
                "\(error.message)")
        }
    }
}
