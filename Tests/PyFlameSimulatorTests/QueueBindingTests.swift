import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import Testing

/// The core-side queue of each receiving operation is the input queue the lowering gave it, with that
/// queue's depth (`Architecture.inputQueueDepths`), not the free queues in route order.
@Suite struct QueueBindingTests {
    /// Every receiving operation of `program`: (PE, color, input queue ID), in step order.
    static func receives(_ program: FabricProgram) -> [(pe: PECoord, color: ColorID, queue: Int, step: Int, op: Int)] {
        var result: [(PECoord, ColorID, Int, Int, Int)] = []
        for p in program.pes {
            for (s, step) in p.steps.enumerated() {
                guard case .fabric(let ops) = step else { continue }
                for (j, op) in ops.enumerated() {
                    switch op {
                    case .send: continue
                    case .receive(_, let c, _), .forward(_, let c, _, _): result.append((p.pe, c, p.queues[s][j].input!, s, j))
                    }
                }
            }
        }
        return result
    }

    @Test(arguments: [Architecture.wse2, .wse3])
    func coreQueuesTakeTheDepthOfTheProgramsQueue(_ architecture: Architecture) throws {
        let source = makeProgram(["target \(architecture.rawValue)", "x = randn([16, 16], seed=1)", "s = sum(x, dim=0) on Grid(4, 4)"])
        var model = FabricModel()
        model.architecture = architecture
        let run = try simulateProgram(source, "s", model: model)
        #expect(run.outcome == .finished)
        #expect(run.comparison.matches)
        let receives = Self.receives(run.program)
        #expect(receives.count >= 12)
        let fabric = run.simulation.fabric
        for r in receives {
            let q = try #require(fabric.coreQueueIndex[Fabric.key(r.pe.y * fabric.width + r.pe.x, r.color)].map(Int.init))
            #expect(fabric.coreQueueID[q] == r.queue)
            #expect(Int(fabric.coreQueueCapacity[q]) == model.rampLatency + architecture.inputQueueDepths[r.queue], "PE \(r.pe) color \(r.color)")
        }
        // Queue 2 holds 4 words on WSE-2 and 4 on WSE-3; queue 1 (6 and 8) is memcpy's on WSE-3 and not
        // the program's on either.
        #expect(receives.allSatisfy { LoweringOptions.queueIDs.contains($0.queue) })
    }

    /// A step that names another input queue rebinds the core queue to it for that step: the simulator
    /// records the queue it used, and the queue takes that queue's depth.
    @Test func aStepRebindsItsCoreQueueToTheQueueItNames() throws {
        let source = makeProgram(["x = randn([16, 16], seed=1)", "s = sum(x, dim=0) on Grid(4, 4)"])
        let id = try #require(source.bindings["s"])
        var options = source.options
        options.architecture = .wse2
        var program = try Lowering.lower(source.graph, result: id, options: options)
        let r = try #require(Self.receives(program).first)
        let index = try #require(program.pes.firstIndex { $0.pe == r.pe })
        #expect(r.queue != 5)
        program.pes[index].queues[r.step][r.op].input = 5
        let inputs = Simulation.hostInputValues(program, graph: source.graph)
        let model = FabricModel()
        let simulation = try Simulation(program: program, inputs: inputs, model: model, recordResources: true)
        #expect(simulation.run(limit: 1_000_000) == .finished)
        let core = try #require(simulation.cores.first { $0.pe == r.pe })
        let used = try #require(core.resourcesUsed.first { $0.step == r.step })
        #expect(used.queues[r.op].input == 5)
        let fabric = simulation.fabric
        let q = try #require(fabric.coreQueueIndex[Fabric.key(r.pe.y * fabric.width + r.pe.x, r.color)].map(Int.init))
        #expect(fabric.coreQueueID[q] == 5)
        #expect(Int(fabric.coreQueueCapacity[q]) == model.rampLatency + Architecture.wse2.inputQueueDepths[5])
    }
}
