import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
@testable import PyFlameShell
import PyFlameTestSupport
import Testing

/// Each fabric-model parameter's effect, with exact numbers, set through the shell (`set NAME VALUE`, then
/// `:sim` and `:run`), so the settings → FabricModel wiring is tested with the model.
@Suite struct ParameterTests {
    /// A playground path east from (0,0) over `hops` links; (0,0) sends `count` wavelets.
    static func path(hops: Int, count: Int, settings: [String]) -> Shell {
        var statements = settings + ["color c = 0", "route c (0,0): RAMP -> EAST"]
        if hops > 1 { statements.append("route c (1,0)..(\(hops - 1),0): WEST -> EAST") }
        statements += ["route c (\(hops),0): WEST -> RAMP", "send c (0,0) [" + (0..<count).map(String.init).joined(separator: ", ") + "]", ":sim"]
        return makeShell(statements)
    }

    /// `:run` on a fresh shell that ran `statements`; returns the finishing cycle (nil if it did not finish).
    static func finish(_ statements: [String]) -> Int? {
        let shell = makeShell(statements)
        let run = shell.execute(":run")
        #expect(!run.failed, "\(run.text)")
        return finishedCycle(run.text)
    }

    // MARK: Link and ramp latency

    /// One wavelet over d hops reaches the far core at 2·ramp + d·hop_latency; the playground core takes it in
    /// that cycle, so `:run` finishes one cycle later.
    @Test(arguments: [1, 2, 3, 5], [1, 4])
    func hopLatencyIsPaidOncePerLink(hop: Int, hops: Int) throws {
        let shell = Self.path(hops: hops, count: 1, settings: ["set hop_latency \(hop)"])
        let run = shell.execute(":run")
        let arrival = 2 * 2 + hops * hop
        #expect(finishedCycle(run.text) == arrival + 1)
        #expect(shell.loaded?.simulation.deliveries[PECoord(hops, 0)] == [Delivery(cycle: arrival, color: 0, payload: 0)])
        #expect(shell.loaded?.simulation.model.hopLatency == hop)
    }

    @Test(arguments: [0, 1, 2, 4, 7])
    func rampLatencyIsPaidOnTheWayUpAndOnTheWayDown(ramp: Int) throws {
        let hops = 3
        let shell = Self.path(hops: hops, count: 1, settings: ["set ramp_latency \(ramp)"])
        let run = shell.execute(":run")
        #expect(finishedCycle(run.text) == 2 * ramp + hops * 2 + 1)
        #expect(shell.loaded?.simulation.deliveries[PECoord(hops, 0)]?.first?.cycle == 2 * ramp + hops * 2)
    }

    // MARK: Buffers, sinks and stalls

    /// With `sink_rate 0` nothing is consumed: the path holds exactly its capacity — the injection FIFO
    /// (ramp stages + buffer_depth), each link (hop stages + buffer_depth), the far core's queue (ramp stages +
    /// the queue's depth, WSE-2 q1 = 6) — and then the source stalls. One more wavelet of buffer_depth adds
    /// one wavelet per router input on the path (d + 1).
    @Test(arguments: [1, 2, 3, 8])
    func bufferDepthSetsTheCapacityOfEveryRouterInput(depth: Int) throws {
        let hops = 3
        let shell = Self.path(hops: hops, count: 100, settings: ["set buffer_depth \(depth)", "set sink_rate 0", "set stall_limit 40"])
        let run = shell.execute(":run")
        #expect(run.failed)
        #expect(run.text.contains("error: deadlock: no wavelet moved and no core worked for 40 cycles"))
        let sim = try #require(shell.loaded?.simulation)
        let capacity = (2 + depth) + hops * (2 + depth) + (2 + 6)
        #expect(sim.sends[0].next == capacity)
        #expect(sim.deliveries[PECoord(hops, 0)]?.count == 2 + 6)
        #expect(sim.fabric.linkStatistics().contains { $0.backpressure > 0 })
    }

    /// sink_rate 1: every playground core takes one wavelet per cycle, so a stream drains at one per cycle and
    /// never backs up; sink_rate 0: nothing drains and backpressure reaches the source.
    @Test func sinkRateOneDrainsAndZeroBacksUp() throws {
        let n = 40, hops = 2
        let draining = Self.path(hops: hops, count: n, settings: ["set sink_rate 1"])
        let run = draining.execute(":run")
        let first = 2 * 2 + hops * 2
        #expect(finishedCycle(run.text) == first + n)
        let sim = try #require(draining.loaded?.simulation)
        #expect(sim.deliveries[PECoord(hops, 0)]?.map(\.cycle) == Array(first..<(first + n)))
        #expect(sim.fabric.linkStatistics().allSatisfy { $0.backpressure == 0 })
        #expect(sim.fabric.queuedAtCores == 0)

        let blocked = Self.path(hops: hops, count: n, settings: ["set sink_rate 0", "set stall_limit 25"])
        let stopped = blocked.execute(":run")
        #expect(stopped.text.contains("error: deadlock"))
        let held = try #require(blocked.loaded?.simulation)
        #expect(held.fabric.queuedAtCores == 2 + 6)
        #expect(held.sends[0].next == (2 + 2) + hops * (2 + 2) + (2 + 6))
        let ramp = held.fabric.linkStatistics().first { $0.pe == PECoord(hops, 0) && $0.direction == .ramp }
        #expect((ramp?.backpressure ?? 0) > 0)
    }

    /// The deadlock is reported exactly stall_limit quiet cycles after the last cycle with progress.
    @Test(arguments: [1, 10, 37, 300])
    func stallLimitCountsQuietCyclesAfterTheLastProgress(limit: Int) throws {
        let hops = 2, n = 50
        // The last progress of this backpressure case, found by stepping a twin cycle by cycle.
        let twin = Simulation(
            width: 8, height: 8, routes: straight(from: PECoord(0, 0), .east, hops: hops),
            sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<UInt32(n)))],
            model: {
                var m = FabricModel(); m.sinkRate = 0; return m
            }())
        var lastProgress = -1
        while twin.cycle < 500 {
            twin.step()
            if twin.quietCycles == 0 { lastProgress = twin.cycle - 1 }
        }
        #expect(lastProgress > 0 && lastProgress < 100)

        let shell = Self.path(hops: hops, count: n, settings: ["set sink_rate 0", "set stall_limit \(limit)"])
        let run = shell.execute(":run")
        #expect(run.text.contains("error: deadlock: no wavelet moved and no core worked for \(limit) cycles"))
        let sim = try #require(shell.loaded?.simulation)
        #expect(sim.error?.category == .deadlock)
        #expect(sim.error?.cycle == lastProgress + 1 + limit)
        #expect(sim.cycle == lastProgress + 1 + limit)
        #expect(sim.quietCycles == limit)
    }

    // MARK: Core costs

    /// One elementwise op on SinglePE is one compute step: it finishes at dsd_setup + elements, so the
    /// finishing cycle moves by exactly the change of dsd_setup.
    @Test(arguments: [0, 1, 16, 50])
    func dsdSetupIsPaidOncePerComputeStep(setup: Int) throws {
        let program = ["x = randn([4, 8], seed=1)", "y = x * 2 on SinglePE", ":sim y"]
        #expect(Self.finish(["set dsd_setup \(setup)"] + program) == setup + 32)
        // A mean on ColPartition(2) has two compute steps on its critical path (the local partial and the
        // final division at the head): it moves by twice the change.
        let mean = ["x = randn([8, 8], seed=2)", "m = mean(x, dim=1) on ColPartition(2)", ":sim m"]
        let base = try #require(Self.finish(mean))
        #expect(Self.finish(["set dsd_setup \(setup)"] + mean) == base + 2 * (setup - 16))
    }

    /// The tail's async send (and each forwarder's) starts send_startup cycles after its fabric step begins: a
    /// two-PE chain moves by exactly the change.
    @Test(arguments: [0, 3, 7, 40])
    func sendStartupDelaysTheFirstWavelet(startup: Int) throws {
        let program = ["set hop_latency 1", "x = randn([8, 8], seed=2)", "s = sum(x, dim=1) on ColPartition(2)", ":sim s"]
        // Local partial (16 + 8·4), start-up, 8 wavelets one hop (2 + 1 + 2), the head takes the last: +1.
        #expect(Self.finish(["set send_startup \(startup)"] + program) == 16 + 32 + startup + 7 + 5 + 1)
    }

    /// A function's cost: dsd_setup + elements · cost_NAME; a fused chain adds its ops' costs per element.
    @Test(arguments: ["exp", "tanh", "sigmoid", "gelu", "silu", "sqrt", "div"])
    func perFunctionCostIsPaidPerElement(function: String) throws {
        let n = 32
        let op = function == "div" ? "x / w" : "\(function)(x)"
        let program = ["x = randn([4, 8], seed=1)", "w = randn([4, 8], seed=2)", "r = \(op) on SinglePE", ":sim r"]
        let defaultCost = try #require(FabricModel.CostedFunction(rawValue: function)).defaultCycles
        #expect(Self.finish(program) == 16 + n * defaultCost)
        #expect(Self.finish(["set cost_\(function) 3"] + program) == 16 + n * 3)
        #expect(Self.finish(["set cost_\(function) 100"] + program) == 16 + n * 100)
        // In a fused chain with one add and one multiply (1 cycle each).
        let fused = ["x = randn([4, 8], seed=1)", "w = randn([4, 8], seed=2)", "r = (\(op)) * 2 + 1 on SinglePE", ":sim r"]
        #expect(Self.finish(["set cost_\(function) 9"] + fused) == 16 + n * (9 + 2))
    }

    /// host_transfer_cost: a PE starts after its host inputs are copied in, cost × elements it receives.
    @Test(arguments: [0, 1, 3, 10])
    func hostTransferCostDelaysTheStartByTheElementsCopiedIn(cost: Int) throws {
        // One input of 32 elements on one PE.
        let one = ["x = randn([4, 8], seed=1)", "y = x * 2 on SinglePE", ":sim y"]
        #expect(Self.finish(["set host_transfer_cost \(cost)"] + one) == cost * 32 + 16 + 32)
        // Two inputs: 64 elements copied in.
        let two = ["x = randn([4, 8], seed=1)", "w = randn([4, 8], seed=2)", "y = x + w on SinglePE", ":sim y"]
        #expect(Self.finish(["set host_transfer_cost \(cost)"] + two) == cost * 64 + 16 + 32)
        // RowPartition(4) of [8, 8]: each PE gets its 16-element tile, and they copy in parallel.
        let split = ["x = randn([8, 8], seed=1)", "y = x * 2 on RowPartition(4)", ":sim y"]
        #expect(Self.finish(["set host_transfer_cost \(cost)"] + split) == cost * 16 + 16 + 16)
    }

    /// The settings reach the model `:sim` builds.
    @Test func everySettingReachesTheModel() throws {
        let shell = makeShell([
            "set hop_latency 3", "set ramp_latency 4", "set buffer_depth 5", "set send_startup 6", "set dsd_setup 7",
            "set host_transfer_cost 8", "set stall_limit 9", "set sink_rate 0", "set cost_exp 10", "set cost_tanh 11",
            "set cost_sigmoid 12", "set cost_gelu 13", "set cost_silu 14", "set cost_sqrt 15", "set cost_div 16",
            "set mac_cost_f32 3", "set mac_cost_16bit 0.5", "set mac_cost_integer 4",
            "color c = 0", "route c (0,0): RAMP -> RAMP", ":sim",
        ])
        let m = try #require(shell.loaded?.simulation.model)
        #expect(
            [m.hopLatency, m.rampLatency, m.bufferDepth, m.sendStartup, m.dsdSetup, m.hostTransferCost, m.stallLimit, m.sinkRate]
                == [3, 4, 5, 6, 7, 8, 9, 0])
        #expect(m.functionCosts == [.exp: 10, .tanh: 11, .sigmoid: 12, .gelu: 13, .silu: 14, .sqrt: 15, .div: 16])
        #expect([m.macCyclesF32, m.macCycles16Bit, m.macCyclesInteger] == [3, 0.5, 4])
    }

    /// Every setting of the fabric model takes its default from FabricModel itself (one number, one place),
    /// and a fresh session's model is the default model.
    @Test func modelSettingsDefaultToTheModelsOwnValues() throws {
        let settings = Settings()
        #expect(settings.fabricModel(architecture: .wse2) == FabricModel())
        for d in Settings.definitions {
            guard let field = d.modelField else { continue }
            #expect(d.defaultValue == String(Int(field.read(FabricModel()))) || d.defaultValue == String(field.read(FabricModel())), "\(d.name)")
        }
        #expect(Settings.definitions.map(\.name) == SettingName.allCases)
    }
}
