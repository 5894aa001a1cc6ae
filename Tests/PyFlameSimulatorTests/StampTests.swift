import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// FIFOs and core queues keep the low 32 bits of cycles (`Stamp`): a run must not change when the
/// clock crosses 2^32, nor when wavelets wait longer than 2^31 cycles.
@Suite struct StampTests {
    /// Two streams sharing a link (arbitration, waiting heads) into a multicast row whose last sink
    /// takes one wavelet a cycle.
    static func contended() -> Simulation {
        let routes = [
            route(0, 0, 0, [.ramp], [.east]), route(1, 0, 0, [.west], [.south]), route(1, 1, 0, [.north], [.east]),
            route(0, 1, 1, [.ramp], [.east]), route(1, 1, 1, [.west], [.east]),
            route(2, 1, 0, [.west], [.ramp, .east]), route(3, 1, 0, [.west], [.ramp]), route(2, 1, 1, [.west], [.ramp]),
        ]
        let values = Array(UInt32(0)..<40)
        return Simulation(
            width: 4, height: 4, routes: routes,
            sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: values), PlaygroundSend(pe: PECoord(0, 1), color: 1, values: values)],
            model: model(hop: 2, ramp: 2, depth: 1))
    }

    /// Every delivery, with its cycle counted from `origin`, in a fixed order.
    static func deliveries(_ sim: Simulation, from origin: Int) -> [String] {
        sim.deliveries.flatMap { pe, list in list.map { "\(pe) c\($0.color) \($0.payload) @\($0.cycle - origin)" } }.sorted()
    }

    @Test(arguments: [(1 << 32) - 37, (1 << 31) - 5, 3 << 32])
    func aRunAcrossTheStampWrapMatchesARunFromZero(start: Int) {
        let reference = Self.contended()
        #expect(reference.run(limit: 10_000) == .finished)
        let shifted = Self.contended()
        shifted.advanceClock(to: start)
        #expect(shifted.run(limit: 10_000) == .finished)
        #expect(shifted.cycle - start == reference.cycle)
        #expect(Self.deliveries(shifted, from: start) == Self.deliveries(reference, from: 0))
        #expect(shifted.fabric.linkStatistics().map { "\($0)" } == reference.fabric.linkStatistics().map { "\($0)" })
    }

    /// The clock jumps (as it does over idle cycles) while wavelets wait in FIFOs and core queues:
    /// what follows the jump is the same for a short jump and for jumps past 2^31 and 2^32 cycles.
    @Test func waveletsWaitingLongerThan2To31CyclesAreStillReady() {
        func afterJump(_ distance: Int) -> (cycles: Int, deliveries: [String]) {
            let sim = Self.contended()
            for _ in 0..<15 { sim.step() }
            #expect(sim.waveletsInFlight > 0)
            let target = sim.cycle + distance
            sim.advanceClock(to: target)
            #expect(sim.run(limit: 10_000) == .finished)
            return (sim.cycle - target, Self.deliveries(sim, from: target).filter { !$0.contains("@-") })
        }
        let short = afterJump(1 << 10)
        #expect(short.deliveries.count > 20)
        for distance in [(1 << 31) + 7, (1 << 32) + 3, (3 << 31) + 1, (1 << 28) - 1] {
            let long = afterJump(distance)
            #expect(long.cycles == short.cycles, "jump of \(distance)")
            #expect(long.deliveries == short.deliveries, "jump of \(distance)")
        }
    }

    /// A lowered program (cores computing, sending, receiving and forwarding) started just before the
    /// wrap takes the same cycles and gives the same values.
    @Test func aLoweredProgramAcrossTheWrapTakesTheSameCycles() throws {
        let source = makeProgram(["a = randn([8, 8], seed=5)", "b = randn([8, 8], seed=6)", "m = a @ b on Grid(2, 4)"])
        let id = try #require(source.bindings["m"])
        let options = source.options
        let program = try Lowering.lower(source.graph, result: id, options: options)
        let inputs = Simulation.hostInputValues(program, graph: source.graph)
        let reference = try Simulation(program: program, inputs: inputs, model: model(stallLimit: 10_000))
        #expect(reference.run(limit: 100_000) == .finished)
        let start = (1 << 32) - 300
        let shifted = try Simulation(program: program, inputs: inputs, model: model(stallLimit: 10_000))
        shifted.advanceClock(to: start)
        #expect(shifted.run(limit: 100_000) == .finished)
        #expect(shifted.cycle - start == reference.cycle)
        #expect(Self.deliveries(shifted, from: start) == Self.deliveries(reference, from: 0))
    }
}

/// The same, for a `Fabric` driven directly (no `Simulation` to rebase its stamps).
@Suite struct FabricStampTests {
    /// A core queue at (1,0) fed from (0,0): hop and ramp latency 1, depth 1.
    static func twoPEs() -> Fabric {
        Fabric(width: 2, height: 1, routes: [route(0, 0, [.ramp], [.east]), route(1, 0, [.west], [.ramp])], model: model(hop: 1, ramp: 1, depth: 1))
    }

    @Test(arguments: [1 << 10, (1 << 31) + 5, (1 << 32) + 7, 3 << 31])
    func aWaveletWaitingAcrossAJumpLeavesAtOnce(jump: Int) throws {
        let fabric = Self.twoPEs()
        #expect(fabric.canInject(pe: PECoord(0, 0), color: 0, now: 0))
        fabric.inject(pe: PECoord(0, 0), color: 0, value: 42, now: 0)
        fabric.step(now: 0)
        fabric.step(now: 1)  // crosses to (1,0), ready there at cycle 2
        let later = 1 + jump
        fabric.step(now: later)
        let q = try #require(fabric.coreQueueIndex[Fabric.key(1, 0)].map(Int.init))
        #expect(fabric.peekCore(q, now: later) == nil)  // on the ramp until the next cycle
        #expect(fabric.peekCore(q, now: later + 1) == 42)
    }

    @Test func aFreshFabricTakesAWaveletAtAnyCycle() {
        for now in [0, (1 << 32) - 1, 1 << 32, (1 << 33) + 3] {
            let fabric = Fabric(
                width: 2, height: 1, routes: [route(0, 0, [.ramp], [.east]), route(1, 0, [.west], [.ramp])],
                model: model(hop: 1, ramp: 0, depth: 1))
            #expect(fabric.canInject(pe: PECoord(0, 0), color: 0, now: now), "cycle \(now)")
        }
    }
}
