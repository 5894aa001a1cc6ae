import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// A simulation to watch cycle by cycle.
struct Workload: Sendable, CustomTestStringConvertible {
    var name: String
    var make: @Sendable () throws -> Simulation
    /// How it must end.
    var ends: Ending

    enum Ending: Sendable { case finished, deadlock, hostStreamStall }

    var testDescription: String { name }
}

/// Conservation, capacities and link bandwidth checked after every cycle of teaching cases, contention,
/// backpressure and lowered programs (docs/fabric-model.md rules).
@Suite struct InvariantTests {
    static func program(_ statements: [String], _ name: String, hop: Int) -> @Sendable () throws -> Simulation {
        {
            let source = makeProgram(statements)
            let id = try #require(source.bindings[name])
            let options = source.options
            let program = try Lowering.lower(source.graph, result: id, options: options)
            let inputs = Simulation.hostInputValues(program, graph: source.graph)
            return try Simulation(program: program, inputs: inputs, model: model(hop: hop, stallLimit: 10_000))
        }
    }

    static var workloads: [Workload] {
        var list: [Workload] = []
        for hop in [1, 2] {
            // 1. Two-PE send (gemv-06-routes-1).
            list.append(
                Workload(
                    name: "two-PE send, hop \(hop)",
                    make: {
                        Simulation(
                            width: 4, height: 4, routes: [route(0, 0, [.ramp], [.east]), route(1, 0, [.west], [.ramp])],
                            sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [10, 11, 12, 13])], model: model(hop: hop))
                    }, ends: .finished))
            // 2. Row broadcast (topic-12/13): multicast to RAMP and EAST.
            list.append(
                Workload(
                    name: "row broadcast, hop \(hop)",
                    make: {
                        Simulation(
                            width: 4, height: 1,
                            routes: [
                                route(0, 0, [.ramp], [.east]), route(1, 0, [.west], [.ramp, .east]),
                                route(2, 0, [.west], [.ramp, .east]), route(3, 0, [.west], [.ramp]),
                            ],
                            sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [0, 1, 2, 3, 4])], model: model(hop: hop))
                    }, ends: .finished))
            // 3. Column multicast (gemv-07-routes-2): the top core also receives its own wavelets.
            list.append(
                Workload(
                    name: "column multicast, hop \(hop)",
                    make: {
                        Simulation(
                            width: 2, height: 4,
                            routes: [
                                route(0, 0, [.ramp], [.ramp, .south]), route(0, 1, [.north], [.ramp, .south]),
                                route(0, 2, [.north], [.ramp, .south]), route(0, 3, [.north], [.ramp]),
                            ],
                            sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<12))], model: model(hop: hop))
                    }, ends: .finished))
            // 4. Checkerboard chain (gemv-08-routes-3) as the source lowers it.
            list.append(
                Workload(
                    name: "checkerboard chain sum(x, dim=1) on ColPartition(4), hop \(hop)",
                    make: program(["x = randn([16, 16], seed=4)", "s = sum(x, dim=1) on ColPartition(4)"], "s", hop: hop),
                    ends: .finished))
        }
        // The playground's reacting cores: gemv-08's chain built by hand (chain cells add and forward), and a
        // relay then a receive-then-send.
        for hop in [1, 2] {
            list.append(
                Workload(
                    name: "hand-built chain of reacting cores, hop \(hop)",
                    make: {
                        let (program, inputs) = try ReactingCoreTests.chain(
                            sent: [1, 2, 3, 4, 5, 6], first: [10, 20, 30, 40, 50, 60], second: [1, 1, 1, 1, 1, 1], dtype: .i32)
                        return try Simulation(program: program, inputs: inputs, model: model(hop: hop))
                    }, ends: .finished))
        }
        // A reacting core whose own values hold an advance that moves a switch downstream.
        list.append(
            Workload(
                name: "reacting core sending a control wavelet",
                make: {
                    let (program, inputs) = try ReactingCoreControlTests.program(advance: true)
                    return try Simulation(program: program, inputs: inputs, model: model())
                }, ends: .finished))
        // Two streams sharing the link (1,1)→(2,1).
        list.append(
            Workload(
                name: "shared link",
                make: {
                    let routes = [
                        route(0, 0, 0, [.ramp], [.east]), route(1, 0, 0, [.west], [.south]), route(1, 1, 0, [.north], [.east]),
                        route(0, 1, 1, [.ramp], [.east]), route(1, 1, 1, [.west], [.east]),
                        route(2, 1, 0, [.west], [.ramp]), route(2, 1, 1, [.west], [.ramp]),
                    ]
                    let values = Array(UInt32(0)..<20)
                    return Simulation(
                        width: 4, height: 4, routes: routes,
                        sends: [
                            PlaygroundSend(pe: PECoord(0, 0), color: 0, values: values),
                            PlaygroundSend(pe: PECoord(0, 1), color: 1, values: values),
                        ], model: model())
                }, ends: .finished))
        // Backpressure: a sink that never consumes, behind a multicast (all-or-nothing) and a straight path.
        list.append(
            Workload(
                name: "backpressure (sink_rate 0) through a multicast",
                make: {
                    let routes = [
                        route(0, 0, [.ramp], [.east]), route(1, 0, [.west], [.ramp, .east]), route(2, 0, [.west], [.east]),
                        route(3, 0, [.west], [.ramp]),
                    ]
                    return Simulation(
                        width: 4, height: 1, routes: routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<60))],
                        model: model(sinkRate: 0, stallLimit: 30))
                }, ends: .deadlock))
        // Lowered programs: SUMMA on a non-square grid, a grid reduction (rows then up column 0), a mean
        // with layout transforms feeding it.
        list.append(
            Workload(
                name: "matmul on Grid(2, 4)",
                make: program(["a = randn([8, 8], seed=5)", "b = randn([8, 8], seed=6)", "m = a @ b on Grid(2, 4)"], "m", hop: 2),
                ends: .finished))
        list.append(
            Workload(
                name: "sum(x) on Grid(4, 4)",
                make: program(["x = randn([16, 16], seed=3)", "t = sum(x) on Grid(4, 4)"], "t", hop: 1), ends: .finished))
        list.append(
            Workload(
                name: "mean of a transformed value on Grid(2, 4)",
                make: program(["x = randn([8, 8], seed=3)", "u = relu(x) on RowPartition(4)", "t = mean(u, dim=0) on Grid(2, 4)"], "t", hop: 2),
                ends: .finished))
        // Switches (teaching case 5), filters (case 6), color swap (topic-14), and a teardown that freezes its color.
        for hop in [1, 2] {
            list.append(
                Workload(name: "switches (topic-06), hop \(hop)", make: { SwitchFilterSwapTests.switchesCase(model: model(hop: hop)) }, ends: .finished))
            list.append(Workload(name: "filters (topic-08), hop \(hop)", make: { SwitchFilterSwapTests.filtersCase(model: model(hop: hop)) }, ends: .finished))
            list.append(Workload(name: "color swap (topic-14), hop \(hop)", make: { SwitchFilterSwapTests.swapCase(model: model(hop: hop)) }, ends: .finished))
        }
        // Host streams at the west edge: pipeline-01 at its capacity (finishes) and one past it (memcpy's
        // stream in stalls), the second with memcpy's buffers on.
        for (size, buffers) in [(14, 0), (15, 0), (17, 1)] {
            list.append(
                Workload(
                    name: "host streams (pipeline-01), \(size) wavelets, host buffers \(buffers)",
                    make: {
                        var m = model()
                        m.hostInBuffer = buffers
                        m.hostOutBuffer = buffers
                        m.stallLimit = 60
                        let (program, inputs) = try HostStreamTests.pipeline(size: size)
                        return try Simulation(program: program, inputs: inputs, model: m)
                    }, ends: size == 14 ? .finished : .hostStreamStall))
        }
        list.append(
            Workload(
                name: "teardown",
                make: {
                    let teardown = WaveletValue.control(ControlWavelet([ControlItem(.teardown, ceIgnore: true)]))
                    return Simulation(
                        width: 2, height: 1, routes: [route(0, 0, 0, [.ramp], [.east]), route(1, 0, 0, [.west], [.ramp])],
                        sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, wavelets: [.data(7), teardown, .data(1), .data(2)])], model: model())
                }, ends: .deadlock))
        return list
    }

    /// Wavelets cores (or playground sends) have put on the fabric so far, counted from their progress.
    static func injected(_ sim: Simulation) -> Int {
        var n = sim.sends.reduce(0) { $0 + $1.next }
        // Host streams to the device: what entered the fabric at the edge.
        if let edges = sim.hostEdges { for k in edges.streams.indices where edges.streams[k].isToDevice { n += edges.moved[k] } }
        for core in sim.cores {
            for (i, step) in core.program.steps.enumerated() where i < core.stepIndex {
                guard case .fabric(let ops) = step else { continue }
                for op in ops { if case .receive = op { continue }; n += op.count }
            }
            guard !core.isFinished, core.stepStarted, case .fabric = core.program.steps[core.stepIndex] else { continue }
            for o in core.operations {
                switch o.op {
                case .send: n += o.next
                case .forward: n += o.next - (o.held == nil ? 0 : 1)  // the sum in the add stage is not sent yet
                case .receive: break
                }
            }
        }
        return n
    }

    @Test(arguments: workloads)
    func everyCycleConservesWaveletsAndRespectsCapacitiesAndBandwidth(_ w: Workload) throws {
        let sim = try w.make()
        let f = sim.fabric
        func outputActivity() -> [Int] { (0..<f.routerCount).flatMap { f.outputActivity(router: $0) } }
        var previousActive = outputActivity()
        var moved = 0
        var cycles = 0
        var maxInFlight = 0
        while !sim.isFinished && sim.error == nil && cycles < 5_000 {
            sim.step()
            cycles += 1
            if sim.quietCycles >= sim.model.stallLimit { break }
            moved += f.movedThisCycle
            // Capacities: no FIFO (link stages + buffer, or ramp stages + buffer) and no core queue over its size.
            var onFabric = 0
            var byColor = [Int](repeating: 0, count: 24)
            for q in 0..<f.fifoCount {
                #expect(f.fifoSize(q) <= f.fifoCapacity(q), "cycle \(sim.cycle): FIFO \(q) holds \(f.fifoSize(q)) of \(f.fifoCapacity(q))")
                onFabric += f.fifoSize(q)
                byColor[Int(f.slotColor[Int(f.fifoSlot[q])])] += f.fifoSize(q)
            }
            var atCores = 0
            for q in 0..<f.coreQueueCount {
                #expect(f.coreQueueSize[q] <= f.coreQueueCapacity[q], "cycle \(sim.cycle): core queue \(q) holds \(f.coreQueueSize[q])")
                atCores += Int(f.coreQueueSize[q])
            }
            #expect(atCores == f.queuedAtCores)
            // Bandwidth: every router output (four links and the ramp) moves at most one wavelet per cycle.
            var copies = 0
            let active = outputActivity()
            for i in active.indices {
                #expect(active[i] - previousActive[i] <= 1, "cycle \(sim.cycle): router \(i / 5) port \(i % 5) moved \(active[i] - previousActive[i])")
                copies += active[i]
            }
            previousActive = active
            // Host streams to the host: what the edge took off the fabric (an active output, not a hop).
            let leftAtEdges = sim.hostEdges.map { e in e.streams.indices.filter { !e.streams[$0].isToDevice }.reduce(0) { $0 + e.moved[$1] } } ?? 0
            copies -= moved + leftAtEdges  // a move to k outputs makes k − 1 copies
            // Conservation: what was injected, plus multicast copies, is on the fabric or in a core queue.
            #expect(byColor == f.inFlight, "cycle \(sim.cycle): in flight by color \(f.inFlight), FIFOs hold \(byColor)")
            #expect(
                Self.injected(sim) + copies == onFabric + f.deliveredCount + f.totalEnded + leftAtEdges,
                "cycle \(sim.cycle): injected \(Self.injected(sim)) + copies \(copies) != in flight \(onFabric) + delivered \(f.deliveredCount)")
            #expect(f.deliveredCount == sim.deliveries.values.reduce(0) { $0 + $1.count } + sim.pendingDeliveryCount)
            maxInFlight = max(maxInFlight, onFabric)
        }
        #expect(maxInFlight > 0)
        switch w.ends {
        case .finished:
            #expect(sim.isFinished && sim.error == nil)
            #expect(f.inFlight.allSatisfy { $0 == 0 })
        case .deadlock:
            #expect(sim.error == nil && sim.quietCycles >= sim.model.stallLimit)
            #expect(f.heldWavelets().count > 0)
        case .hostStreamStall:
            // Quiet for stall_limit cycles with memcpy's stream in unfinished: the run names the stall.
            #expect(sim.error == nil && sim.quietCycles >= sim.model.stallLimit)
            #expect(f.heldWavelets().count > 0)
            guard case .failed(let e) = sim.run(limit: 10), case .hostStreamStall = e.kind else {
                Issue.record("\(w.name): expected memcpy's stream in to stall, got \(String(describing: sim.error))")
                return
            }
        }
    }
}
