import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import Testing

/// The shell simulates the playground through its ``FabricProgram`` (`Simulation(program:inputs:model:)`):
/// the program's host input pieces are its sends. Run side by side with the hand-written routes and sends
/// given to the simulator directly, it delivers the same wavelets at the same cycles.
@Suite struct PlaygroundProgramSimulationTests {
    /// Random row and column streams on a small fabric: several sends per PE and color, interleaved colors,
    /// payloads over the whole 32-bit range.
    static func randomPlayground(_ rng: inout SplitMix64) -> (routes: [RouteConfig], sends: [PlaygroundSend], width: Int, height: Int) {
        let width = Int.random(in: 2...6, using: &rng), height = Int.random(in: 2...6, using: &rng)
        var routes: [RouteConfig] = []
        var sends: [PlaygroundSend] = []
        var color = 0
        for y in 0..<height where Bool.random(using: &rng) {
            color = (color + Int.random(in: 1...5, using: &rng)) % 21
            routes.append(RouteConfig(pe: PECoord(0, y), color: color, rx: [.ramp], tx: [.east]))
            for x in 1..<(width - 1) { routes.append(RouteConfig(pe: PECoord(x, y), color: color, rx: [.west], tx: [.ramp, .east])) }
            routes.append(RouteConfig(pe: PECoord(width - 1, y), color: color, rx: [.west], tx: [.ramp]))
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let values = (0..<Int.random(in: 1...12, using: &rng)).map { _ in UInt32.random(in: 0...UInt32.max, using: &rng) }
                sends.append(PlaygroundSend(pe: PECoord(0, y), color: color, values: values))
            }
        }
        // A column stream down the last column, on its own color, sent between the row streams' sends.
        let column = 22
        routes.removeAll { $0.pe.x == width - 1 && $0.color == column }
        routes.append(RouteConfig(pe: PECoord(width - 1, 0), color: column, rx: [.ramp], tx: [.south]))
        for y in 1..<height {
            routes.append(RouteConfig(pe: PECoord(width - 1, y), color: column, rx: [.north], tx: y == height - 1 ? [.ramp] : [.ramp, .south]))
        }
        sends.insert(PlaygroundSend(pe: PECoord(width - 1, 0), color: column, values: [0, UInt32.max, 1 << 31]), at: sends.count / 2)
        return (routes, sends, width, height)
    }

    /// The playground's program and the values it sends, as the shell makes them.
    static func program(_ routes: [RouteConfig], _ sends: [PlaygroundSend], width: Int, height: Int) throws -> (FabricProgram, [TransferSource: TensorValue]) {
        let program = try PlaygroundProgram.make(
            routes: routes, colorNames: [:], sends: sends.map { PlaygroundProgram.Stream(pe: $0.pe, color: $0.color, count: $0.values.count) },
            architecture: .wse2, fabric: FabricSize(width: width, height: height), peDataBudget: Architecture.defaultPEDataBudget)
        var words: [ColorID: [Double]] = [:]
        for s in sends { words[s.color, default: []] += s.values.map { Double(Int32(bitPattern: $0)) } }
        let inputs = Dictionary(
            uniqueKeysWithValues: words.map {
                (TransferSource.playgroundSends(color: $0.key), TensorValue(TensorType(Shape([$0.value.count]), .i32), exact: $0.value))
            })
        return (program, inputs)
    }

    @Test(arguments: 0..<40)
    func theProgramDeliversWhatTheRoutesAndSendsDeliver(seed: Int) throws {
        var rng = SplitMix64(seed: 0x9A7E_0000 + UInt64(seed))
        let p = Self.randomPlayground(&rng)
        let (direct, directOutcome) = simulate(p.routes, sends: p.sends, width: p.width, height: p.height)
        let (program, inputs) = try Self.program(p.routes, p.sends, width: p.width, height: p.height)
        #expect(program.isPlayground)
        let viaProgram = try Simulation(program: program, inputs: inputs, model: model())
        let outcome = viaProgram.run(limit: 10_000)
        #expect(outcome == directOutcome)
        #expect(viaProgram.cycle == direct.cycle)
        #expect(viaProgram.deliveries == direct.deliveries)
        #expect(viaProgram.fabric.hops == direct.fabric.hops)
        #expect(viaProgram.sends.map(\.values).sorted { $0.lexicographicallyPrecedes($1) } == p.sends.map(\.values).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func valuesThatAreNoThirtyTwoBitWaveletAreRefused() throws {
        let routes = [RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.ramp])]
        let sends = [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [1, 2])]
        let (program, _) = try Self.program(routes, sends, width: 1, height: 1)
        let bad: [TransferSource: TensorValue] = [.playgroundSends(color: 0): TensorValue(TensorType(Shape([2]), .i32), exact: [1, 1e10])]
        #expect(throws: SimulationError.self) { try Simulation(program: program, inputs: bad, model: model()) }
        #expect(throws: SimulationError.self) { try Simulation(program: program, inputs: [:], model: model()) }
    }
}
