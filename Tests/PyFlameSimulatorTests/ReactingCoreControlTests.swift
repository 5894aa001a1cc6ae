import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import Testing

/// A reacting core that sends control wavelets among its own values: (0,0) sends two wavelets on red to the
/// core at (1,0), which then sends [advance ignore, 5, 6] on blue; blue's route at (2,0) goes down to its
/// core at the base and south to (2,1) at position 1.
@Suite struct ReactingCoreControlTests {
    static let red = 0, blue = 1

    /// The playground program and its inputs; `advance: false` sends a plain 0 instead of the advance.
    /// `mirror`: the same program mirrored east-west or north-south on the 3x2 fabric.
    static func program(advance: Bool, mirror: SymmetryTests.Mirror? = nil) throws -> (FabricProgram, [TransferSource: TensorValue]) {
        let fabric = SymmetryTests.Pattern(name: "core control", width: 3, height: 2, routes: [], sends: [], deliveries: 0)
        func pe(_ x: Int, _ y: Int) -> PECoord { mirror.map { SymmetryTests.mirrored(PECoord(x, y), $0, in: fabric) } ?? PECoord(x, y) }
        func d(_ list: [Direction]) -> DirectionSet { DirectionSet(list.map { d in mirror.map { SymmetryTests.mirrored(d, $0) } ?? d }) }
        var switched = RouteConfig(pe: pe(2, 0), color: blue, rx: d([.west]), tx: d([.ramp]))
        switched.switches = RouteSwitches(positions: [SwitchPosition(rx: nil, tx: d([.south]))], currentPosition: 0, ringMode: false, popMode: .noPop)
        let routes = [
            RouteConfig(pe: pe(0, 0), color: red, rx: d([.ramp]), tx: d([.east])),
            RouteConfig(pe: pe(1, 0), color: red, rx: d([.west]), tx: d([.ramp])),
            RouteConfig(pe: pe(1, 0), color: blue, rx: d([.ramp]), tx: d([.east])),
            switched,
            RouteConfig(pe: pe(2, 1), color: blue, rx: d([.north]), tx: d([.ramp])),
        ]
        let control = ControlWavelet([ControlItem(.switchAdvance, ceIgnore: true)])
        let words: [UInt32] = advance ? [control.commandWord, 0, 0] : []
        let program = try PlaygroundProgram.make(
            routes: routes, colorNames: ["red": red, "blue": blue], sends: [PlaygroundProgram.Stream(pe: pe(0, 0), color: red, count: 2)],
            reactions: [
                .init(pe: pe(1, 0), action: .receive(from: red, count: 2, to: blue, ownValues: 3), dtype: .i32, commandWords: words)
            ],
            architecture: .wse2, fabric: FabricSize(width: 3, height: 2), peDataBudget: Architecture.defaultPEDataBudget)
        let inputs: [TransferSource: TensorValue] = [
            .playgroundSends(color: red): TensorValue(TensorType(Shape([2]), .i32), exact: [1, 2]),
            .playgroundValues(color: blue): TensorValue(TensorType(Shape([3]), .i32), exact: [Double(control.payload), 5, 6]),
        ]
        return (program, inputs)
    }

    @Test func theCoresAdvanceMovesTheSwitchSoItsDataGoesSouthAtTheCyclesTheModelGives() throws {
        let (program, inputs) = try Self.program(advance: true)
        #expect(program.playgroundCoreCommandWords[RouteKey(PECoord(1, 0), Self.blue)]?.count == 3)
        let m = FabricModel()
        let sim = try Simulation(program: program, inputs: inputs, model: m)
        #expect(sim.run(limit: 10_000) == .finished)
        #expect(sim.deliveries[PECoord(2, 0)] ?? [] == [], "the advance is ignored by (2,0)'s core, and the data goes south")
        #expect(sim.deliveries[PECoord(2, 1)]?.map(\.payload) == [5, 6])
        // The core sends from a cycle after its last wavelet arrived, plus its start-up: the advance, then 5
        // and 6 one a cycle, each over two hops (east, then south) and two ramps.
        let atCore = try #require(sim.deliveries[PECoord(1, 0)]).map(\.cycle)
        let sendsFrom = atCore.last! + 1 + m.sendStartup
        let path = 2 * m.rampLatency + 2 * m.hopLatency
        #expect(sim.deliveries[PECoord(2, 1)]?.map(\.cycle) == [sendsFrom + 1 + path, sendsFrom + 2 + path])
    }

    @Test func withoutTheAdvanceTheDataStaysAtTheBase() throws {
        let (program, inputs) = try Self.program(advance: false)
        #expect(program.playgroundCoreCommandWords.isEmpty)
        let sim = try Simulation(program: program, inputs: inputs, model: FabricModel())
        #expect(sim.run(limit: 10_000) == .finished)
        #expect(sim.deliveries[PECoord(2, 0)]?.map(\.payload) == [control0Payload, 5, 6])
        #expect(sim.deliveries[PECoord(2, 1)] ?? [] == [])
    }

    @Test func itsMirrorImagesDeliverAlike() throws {
        let fabric = SymmetryTests.Pattern(name: "core control", width: 3, height: 2, routes: [], sends: [], deliveries: 0)
        let (program, inputs) = try Self.program(advance: true)
        let original = try Simulation(program: program, inputs: inputs, model: FabricModel())
        #expect(original.run(limit: 10_000) == .finished)
        for m in SymmetryTests.Mirror.allCases {
            let (mirrored, mirroredInputs) = try Self.program(advance: true, mirror: m)
            let image = try Simulation(program: mirrored, inputs: mirroredInputs, model: FabricModel())
            #expect(image.run(limit: 10_000) == .finished)
            #expect(
                SymmetryTests.deliveries(image, unmirroring: m, in: fabric) == SymmetryTests.deliveries(original, unmirroring: nil, in: fabric), "\(m)")
            #expect(SymmetryTests.outputs(image, unmirroring: m, in: fabric) == SymmetryTests.outputs(original, unmirroring: nil, in: fabric), "\(m)")
            #expect(image.cycle == original.cycle)
        }
    }

    /// The value the plain run sends in the advance's place (its payload, as data).
    let control0Payload = ControlWavelet([ControlItem(.switchAdvance, ceIgnore: true)]).payload
}
