import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
import PyFlameViews
import Testing

/// The texts of `:status`, `:pe` and `:stats` as pure functions of a simulation (the golden transcripts show
/// them through the shell).
@Suite struct SimulationReportTests {
    let routes = [
        RouteConfig(pe: PECoord(0, 0), color: 3, rx: [.ramp], tx: [.east]),
        RouteConfig(pe: PECoord(1, 0), color: 3, rx: [.west], tx: [.ramp]),
    ]
    var sends: [PlaygroundSend] { [PlaygroundSend(pe: PECoord(0, 0), color: 3, values: [7, UInt32(bitPattern: -2)])] }

    func finishedPlayground() -> Simulation {
        let sim = Simulation(width: 2, height: 1, routes: routes, sends: sends, model: FabricModel())
        _ = sim.run(limit: 1_000)
        return sim
    }

    @Test func timeReadsAtBothClocks() {
        #expect(SimulationReport.time(850) == "1.000 µs at 0.85 GHz, 0.773 µs at 1.1 GHz")
    }

    @Test func statusWithoutAndWithASimulation() {
        #expect(SimulationReport.statusLines(nil, name: nil) == ["sim      none loaded"])
        let sim = finishedPlayground()
        #expect(
            SimulationReport.statusLines(sim, name: nil) == [
                "sim      the playground at cycle \(sim.cycle), finished", "flight   no wavelets in flight", "sends    0 of 1 still sending",
                "links    0 router inputs holding wavelets",
            ])
        let status = SessionStatus(
            target: .wse3, fabric: "8x8", names: ["a", "b"], graphNodes: 1, changedSettings: ["hop_latency=2"], simulation: ["sim      none loaded"])
        #expect(
            status.lines == [
                "target   wse3", "fabric   8x8", "tensors  2: a, b", "graph    1 node", "settings hop_latency=2", "sim      none loaded",
            ])
    }

    @Test func aPlaygroundPEBeforeAndAfterARun() {
        #expect(
            SimulationReport.peLines(PECoord(0, 0), program: nil, playgroundRoutes: routes, playgroundSends: sends, simulation: nil) == [
                "PE (0,0)", "role     playground sender of 2 wavelets", "routes   color 3: rx {RAMP} tx {EAST}", "sim      none loaded (:sim)",
            ])
        let sim = finishedPlayground()
        let lines = SimulationReport.peLines(
            PECoord(1, 0), program: nil, playgroundRoutes: routes, playgroundSends: sends, simulation: (sim, PayloadKinds()))
        #expect(Array(lines.prefix(4)) == ["PE (1,0)", "role     playground router", "routes   color 3: rx {WEST} tx {RAMP}", "queues   color 3: 0 waiting"])
        // Playground payloads read as signed integers.
        #expect(lines.dropFirst(4).first == "received 2 wavelets:")
        #expect(lines.last?.hasSuffix(": -2 on color 3") == true, "\(lines)")
        #expect(SimulationReport.payload(UInt32(bitPattern: -2), color: 3, kinds: PayloadKinds()) == "-2")
        #expect(SimulationReport.payload(Float(1.5).bitPattern, color: 3, kinds: .program) == "1.5")
    }

    @Test func statsOfAPlaygroundRun() {
        let sim = finishedPlayground()
        let lines = SimulationReport.statsLines(sim, program: nil, graph: Graph())
        #expect(lines.first == "cycles   \(sim.cycle) (\(SimulationReport.time(sim.cycle)))")
        #expect(lines.contains("hops     2 link hops, 2 wavelets delivered to cores"), "\(lines)")
        #expect(lines.last == "totals   2 link outputs used, Delayed 0, Backpressure 0", "\(lines)")
    }
}
