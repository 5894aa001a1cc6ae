import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import Testing

/// The playground's reacting cores run on the program core model: gemv-08's checkerboard chain built by hand
/// ((0,0) sends on red, (1,0) chain red -> blue add, (2,0) chain blue -> red add, (3,0) receives) adds the
/// values up along the chain, at the cycles start-up, the chain cells' add stage and the hops give.
@Suite struct ReactingCoreTests {
    static let red = 0, blue = 1
    static let routes = [
        RouteConfig(pe: PECoord(0, 0), color: red, rx: [.ramp], tx: [.east]),
        RouteConfig(pe: PECoord(1, 0), color: red, rx: [.west], tx: [.ramp]),
        RouteConfig(pe: PECoord(1, 0), color: blue, rx: [.ramp], tx: [.east]),
        RouteConfig(pe: PECoord(2, 0), color: blue, rx: [.west], tx: [.ramp]),
        RouteConfig(pe: PECoord(2, 0), color: red, rx: [.ramp], tx: [.east]),
        RouteConfig(pe: PECoord(3, 0), color: red, rx: [.west], tx: [.ramp]),
    ]

    /// The chain as the shell builds it: sent values, each cell's own values (in `dtype`), and its program.
    static func chain(
        sent: [Double], first: [Double], second: [Double], dtype: DType, combine: Combine = .add, routes: [RouteConfig] = routes
    ) throws -> (FabricProgram, [TransferSource: TensorValue]) {
        let n = sent.count
        let program = try PlaygroundProgram.make(
            routes: routes, colorNames: ["red": red, "blue": blue], sends: [PlaygroundProgram.Stream(pe: PECoord(0, 0), color: red, count: n)],
            reactions: [
                .init(pe: PECoord(1, 0), action: .chain(from: red, to: blue, combine: combine, count: n), dtype: dtype),
                .init(pe: PECoord(2, 0), action: .chain(from: blue, to: red, combine: combine, count: n), dtype: dtype),
                .init(pe: PECoord(3, 0), action: .receive(from: red, count: n, to: nil, ownValues: nil), dtype: .i32),
            ],
            architecture: .wse2, fabric: FabricSize(width: 4, height: 1), peDataBudget: Architecture.defaultPEDataBudget)
        // The sends travel as 32-bit words (f32 bit patterns for f32 values), as `send red (0,0) f32 [...]` queues them.
        let words = sent.map { dtype == .f32 ? Double(Int32(bitPattern: Float($0).bitPattern)) : $0 }
        let inputs: [TransferSource: TensorValue] = [
            .playgroundSends(color: red): TensorValue(TensorType(Shape([n]), .i32), exact: words),
            .playgroundValues(color: blue): TensorValue(TensorType(Shape([n]), dtype), exact: first),
            .playgroundValues(color: red): TensorValue(TensorType(Shape([n]), dtype), exact: second),
        ]
        return (program, inputs)
    }

    static func model(hop: Int, ramp: Int, startup: Int) -> FabricModel {
        var m = FabricModel()
        m.hopLatency = hop
        m.rampLatency = ramp
        m.sendStartup = startup
        return m
    }

    @Test(arguments: [(2, 2, 7), (3, 1, 5), (1, 3, 20)])
    func theChainAddsUpAtTheCyclesTheModelGives(hop: Int, ramp: Int, startup: Int) throws {
        let sent: [Double] = [1, 2, 3, 4, -5], first: [Double] = [10, 20, 30, 40, 50], second: [Double] = [100, 200, 300, 400, 500]
        let (program, inputs) = try Self.chain(sent: sent, first: first, second: second, dtype: .i32)
        let m = Self.model(hop: hop, ramp: ramp, startup: startup)
        let sim = try Simulation(program: program, inputs: inputs, model: m)
        #expect(sim.cores.map(\.pe) == [PECoord(1, 0), PECoord(2, 0), PECoord(3, 0)], "the sender is a playground send, the others are cores")
        #expect(sim.run(limit: 10_000) == .finished)
        // The values add up along the chain.
        let end = try #require(sim.deliveries[PECoord(3, 0)])
        let sums = (0..<sent.count).map { sent[$0] + first[$0] + second[$0] }
        #expect(end.map { Double(Int32(bitPattern: $0.payload)) } == sums)
        #expect(sim.cores.last?.buffers[0] == sums, "the last core received them into its buffer")
        // One hop of a chain: the core's ramp up, one link, the ramp down.
        let path = 2 * ramp + hop
        // Wavelet i leaves (0,0) at cycle i (a playground send, no start-up) and reaches (1,0)'s queue at i + path.
        // A chain cell takes one wavelet a cycle from send_startup on, adds it in one cycle (its add stage), and
        // puts it on the ramp the cycle after it was taken.
        var arrivals: [[Int]] = [sent.indices.map { $0 + path }]
        for _ in 0..<2 {
            var taken: [Int] = []
            for (i, a) in arrivals.last!.enumerated() { taken.append(max(a, startup, i > 0 ? taken[i - 1] + 1 : 0)) }
            arrivals.append(taken.map { $0 + 1 + path })
        }
        #expect(sim.deliveries[PECoord(1, 0)]?.map(\.cycle) == arrivals[0])
        #expect(sim.deliveries[PECoord(2, 0)]?.map(\.cycle) == arrivals[1])
        #expect(end.map(\.cycle) == arrivals[2])
        // The last core takes the last wavelet the cycle it arrives; the run ends after that cycle.
        #expect(sim.cycle == arrivals[2].last! + 1)
    }

    @Test func anF32ChainAddsInF32() throws {
        let sent: [Double] = [1.5, -2.25, 0.1], first: [Double] = [0.5, 0.25, 0.2], second: [Double] = [10, 20, 0.3]
        let (program, inputs) = try Self.chain(sent: sent, first: first, second: second, dtype: .f32)
        let sim = try Simulation(program: program, inputs: inputs, model: FabricModel())
        #expect(sim.run(limit: 10_000) == .finished)
        let expected = (0..<3).map { Float(Float(Float(sent[$0]) + Float(first[$0])) + Float(second[$0])) }
        #expect(sim.deliveries[PECoord(3, 0)]?.map { Float(bitPattern: $0.payload) } == expected)
    }

    @Test func aMaxChainKeepsTheLargest() throws {
        let (program, inputs) = try Self.chain(sent: [5, -1], first: [3, 7], second: [4, 2], dtype: .i32, combine: .max)
        let sim = try Simulation(program: program, inputs: inputs, model: FabricModel())
        #expect(sim.run(limit: 10_000) == .finished)
        #expect(sim.deliveries[PECoord(3, 0)]?.map { Int32(bitPattern: $0.payload) } == [5, 7])
    }

    @Test func aCoreWithoutARouteToItsRampSaysSo() throws {
        // (3,0) routes red past its core (no RAMP in tx): its receive has nothing to read.
        var routes = Self.routes
        routes[5] = RouteConfig(pe: PECoord(3, 0), color: Self.red, rx: [.west], tx: [.east])
        let (program, inputs) = try Self.chain(sent: [1], first: [1], second: [1], dtype: .i32, routes: Array(routes.prefix(5)) + [routes[5]])
        let sim = try Simulation(program: program, inputs: inputs, model: FabricModel())
        guard case .failed(let e) = sim.run(limit: 10_000) else {
            Issue.record("the run should stop")
            return
        }
        #expect(e.message.contains("the core at (3,0) receives on color 0, but no route delivers color 0 to its RAMP"), "\(e.message)")
    }

    @Test func aRelayAndAReceiveThenSendPassTheBitsOn() throws {
        // (0,0) sends on red; (1,0) relays red to blue; (2,0) receives 3 blue then sends them on red to (3,0).
        let routes = [
            RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.east]),
            RouteConfig(pe: PECoord(1, 0), color: 0, rx: [.west], tx: [.ramp]),
            RouteConfig(pe: PECoord(1, 0), color: 1, rx: [.ramp], tx: [.east]),
            RouteConfig(pe: PECoord(2, 0), color: 1, rx: [.west], tx: [.ramp]),
            RouteConfig(pe: PECoord(2, 0), color: 0, rx: [.ramp], tx: [.east]),
            RouteConfig(pe: PECoord(3, 0), color: 0, rx: [.west], tx: [.ramp]),
        ]
        let program = try PlaygroundProgram.make(
            routes: routes, colorNames: [:], sends: [PlaygroundProgram.Stream(pe: PECoord(0, 0), color: 0, count: 3)],
            reactions: [
                .init(pe: PECoord(1, 0), action: .forward(from: 0, to: 1, count: 3), dtype: .i32),
                .init(pe: PECoord(2, 0), action: .receive(from: 1, count: 3, to: 0, ownValues: nil), dtype: .i32),
            ],
            architecture: .wse2, fabric: FabricSize(width: 4, height: 1), peDataBudget: Architecture.defaultPEDataBudget)
        let bits: [UInt32] = [Float(1.5).bitPattern, 0xFFFF_FFFF, 0x7FC0_0001]
        let inputs: [TransferSource: TensorValue] = [
            .playgroundSends(color: 0): TensorValue(TensorType(Shape([3]), .i32), exact: bits.map { Double(Int32(bitPattern: $0)) })
        ]
        let m = FabricModel()
        let sim = try Simulation(program: program, inputs: inputs, model: m)
        #expect(sim.run(limit: 10_000) == .finished)
        #expect(sim.deliveries[PECoord(3, 0)]?.map(\.payload) == bits)
        // (2,0) sends only after its receive step ends (the last wavelet taken at its arrival), then start-up.
        let path = 2 * m.rampLatency + m.hopLatency
        let atTwo = try #require(sim.deliveries[PECoord(2, 0)]).map(\.cycle)
        let sendsFrom = atTwo.last! + 1 + m.sendStartup
        #expect(sim.deliveries[PECoord(3, 0)]?.map(\.cycle) == (0..<3).map { sendsFrom + $0 + path })
    }
}
