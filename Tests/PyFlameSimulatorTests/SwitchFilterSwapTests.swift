import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// Switches, control wavelets, filters, teardown and color swap (docs/fabric-model.md, "Switches, control
/// wavelets, filters, color swap"): the SDK tutorials' outcomes, and one test per rule. Each runs the fast
/// fabric and the reference router and expects both to give the stated outcome.
@Suite struct SwitchFilterSwapTests {
    static let advanceIgnored = WaveletValue.control(ControlWavelet([ControlItem(.switchAdvance, ceIgnore: true)]))

    /// The data payloads each PE's core received (control deliveries apart).
    static func data(_ sim: Simulation) -> [PECoord: [UInt32]] {
        sim.deliveries.mapValues { $0.filter { !$0.isControl }.map(\.payload) }.filter { !$0.value.isEmpty }
    }

    /// Runs the fast fabric and the reference on the same playground; they must agree delivery for delivery.
    static func run(
        _ width: Int, _ height: Int, _ routes: [RouteConfig], _ sends: [PlaygroundSend], model m: FabricModel = model(), limit: Int = 2_000,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> (Simulation, RunOutcome) {
        let sim = Simulation(width: width, height: height, routes: routes, sends: sends, model: m)
        let outcome = sim.run(limit: limit)
        let reference = ReferenceRouter(width: width, height: height, routes: routes, sends: sends, model: m)
        reference.run(limit: sim.cycle)
        #expect(reference.arrived == sim.deliveries.filter { !$0.value.isEmpty }, "fast and reference differ", sourceLocation: sourceLocation)
        return (sim, outcome)
    }

    /// A playground: its fabric, routes and sends.
    typealias Playground = (width: Int, height: Int, routes: [RouteConfig], sends: [PlaygroundSend])

    static func simulation(_ p: Playground, model m: FabricModel) -> Simulation {
        Simulation(width: p.width, height: p.height, routes: p.routes, sends: p.sends, model: m)
    }

    static func switchesCase(model m: FabricModel) -> Simulation { simulation(switches, model: m) }
    static func filtersCase(model m: FabricModel) -> Simulation { simulation(filters, model: m) }
    static func swapCase(model m: FabricModel) -> Simulation { simulation(swap, model: m) }

    /// `topic-06-switches`: the centre's route and its four neighbours'; four (SWITCH_ADV, data) pairs.
    static var switches: Playground {
        let positions = [SwitchPosition(tx: [.west]), SwitchPosition(tx: [.east]), SwitchPosition(tx: [.south])]
        let routes = [
            RouteConfig(
                pe: PECoord(1, 1), color: 0, rx: [.ramp], tx: [.north], switches: RouteSwitches(positions: positions, currentPosition: 1, ringMode: true)),
            route(1, 0, 0, [.south], [.ramp]), route(0, 1, 0, [.east], [.ramp]), route(2, 1, 0, [.west], [.ramp]), route(1, 2, 0, [.north], [.ramp]),
        ]
        let wavelets = [0, 2, 4, 6].flatMap { [SwitchFilterSwapTests.advanceIgnored, WaveletValue.data(UInt32($0))] }
        return (3, 3, routes, [PlaygroundSend(pe: PECoord(1, 1), color: 0, wavelets: wavelets)])
    }

    /// FABRIC_MODEL teaching case 5 (`topic-06-switches`): the centre of a 3x3 sends four (SWITCH_ADV with
    /// ce_ignore, data) pairs on one color; each control wavelet leaves by the position before it moves.
    @Test func tutorialSwitchesSendToEachNeighbourInTurn() {
        let p = SwitchFilterSwapTests.switches
        let (sim, outcome) = SwitchFilterSwapTests.run(p.width, p.height, p.routes, p.sends)
        #expect(outcome == .finished)
        #expect(SwitchFilterSwapTests.data(sim) == [PECoord(2, 1): [0], PECoord(1, 2): [2], PECoord(1, 0): [4], PECoord(0, 1): [6]])
        // ce_ignore: no core saw a control wavelet; four moves, and the switch is back at position 1.
        #expect(!sim.deliveries.values.joined().contains { $0.isControl })
        #expect(sim.fabric.switchPosition(pe: PECoord(1, 1), color: 0) == 1)
        #expect(sim.fabric.totalSwitchMoves == 4)
    }

    /// `topic-08-filters`: a row of four, range filters [3p, 3p+2], twelve indexed wavelets.
    static var filters: Playground {
        var routes = [route(0, 0, 1, [.ramp], [.east])]
        for p in 1...3 {
            let filter = RouteFilter(minIndex: UInt16(3 * p), maxIndex: UInt16(3 * p + 2))
            routes.append(RouteConfig(pe: PECoord(p, 0), color: 1, rx: [.west], tx: p == 3 ? [.ramp] : [.ramp, .east], filter: filter))
        }
        let wavelets = (0..<12).map { WaveletValue.indexed(index: UInt16($0), data: UInt16(100 + $0)) }
        return (4, 1, routes, [PlaygroundSend(pe: PECoord(0, 0), color: 1, wavelets: wavelets)])
    }

    /// FABRIC_MODEL teaching case 6 (`topic-08-filters`): PE p of a 1x4 row takes indices 3p to 3p+2 into its
    /// core and forwards every wavelet east.
    @Test func tutorialFiltersGiveEachCoreItsThree() {
        let f = SwitchFilterSwapTests.filters
        let (sim, outcome) = SwitchFilterSwapTests.run(f.width, f.height, f.routes, f.sends)
        #expect(outcome == .finished)
        for p in 1...3 {
            let expected: [UInt32] = (3 * p...3 * p + 2).map { (i: Int) -> UInt32 in UInt32(i) << 16 | UInt32(100 + i) }
            #expect(SwitchFilterSwapTests.data(sim)[PECoord(p, 0)] == expected)
            // Every other wavelet reached the router and was kept from the core (a drop), not lost.
            #expect(sim.fabric.filterDrops(pe: PECoord(p, 0), color: 1) == 9)
        }
        #expect(sim.fabric.totalFilterDrops == 27)
    }

    /// A filtered wavelet still goes on to the route's other outputs.
    @Test func filteredWaveletStillForwards() {
        let routes = [
            route(0, 0, 0, [.ramp], [.east]),
            RouteConfig(pe: PECoord(1, 0), color: 0, rx: [.west], tx: [.ramp, .east], filter: RouteFilter(minIndex: 0, maxIndex: 0)),
            route(2, 0, 0, [.west], [.ramp]),
        ]
        let sends = [PlaygroundSend(pe: PECoord(0, 0), color: 0, wavelets: [.indexed(index: 5, data: 1), .indexed(index: 0, data: 2)])]
        let (sim, outcome) = SwitchFilterSwapTests.run(3, 1, routes, sends)
        #expect(outcome == .finished)
        #expect(SwitchFilterSwapTests.data(sim) == [PECoord(1, 0): [2], PECoord(2, 0): [5 << 16 | 1, 2]])
        #expect(sim.fabric.filterDrops(pe: PECoord(1, 0), color: 0) == 1)
    }

    /// A control wavelet is routed by the position before its SWITCH_ADV moves the switch; a core it reaches
    /// without ce_ignore receives it as control, with its entry point and argument.
    @Test func controlWaveletTakesTheOldPosition() {
        let routes = [
            RouteConfig(pe: PECoord(1, 0), color: 2, rx: [.ramp], tx: [.east], switches: RouteSwitches(positions: [SwitchPosition(tx: [.west])])),
            route(0, 0, 2, [.east], [.ramp]), route(2, 0, 2, [.west], [.ramp]),
        ]
        let control = ControlWavelet([ControlItem(.switchAdvance)], entryPoint: 9, argument: 0xBEEF)
        let (sim, outcome) = SwitchFilterSwapTests.run(3, 1, routes, [PlaygroundSend(pe: PECoord(1, 0), color: 2, wavelets: [.control(control), .data(5)])])
        #expect(outcome == .finished)
        let east = sim.deliveries[PECoord(2, 0)] ?? []
        #expect(east.count == 1 && east.first?.isControl == true && east.first?.entryPoint == 9 && east.first?.argument == 0xBEEF)
        #expect(SwitchFilterSwapTests.data(sim) == [PECoord(0, 0): [5]])
    }

    /// SWITCH_ADV at the last position wraps to the base in ring mode and stays there without it.
    @Test(arguments: [true, false])
    func ringModeWrapsOtherwiseTheSwitchStays(_ ring: Bool) {
        let switches = RouteSwitches(positions: [SwitchPosition(tx: [.west])], currentPosition: 1, ringMode: ring)
        let routes = [
            RouteConfig(pe: PECoord(1, 0), color: 0, rx: [.ramp], tx: [.east], switches: switches),
            route(0, 0, 0, [.east], [.ramp]), route(2, 0, 0, [.west], [.ramp]),
        ]
        let a = SwitchFilterSwapTests.advanceIgnored
        let (sim, outcome) = SwitchFilterSwapTests.run(3, 1, routes, [PlaygroundSend(pe: PECoord(1, 0), color: 0, wavelets: [a, .data(1), a, .data(2)])])
        #expect(outcome == .finished)
        if ring {
            #expect(SwitchFilterSwapTests.data(sim) == [PECoord(2, 0): [1], PECoord(0, 0): [2]])
            #expect(sim.fabric.switchPosition(pe: PECoord(1, 0), color: 0) == 1)
        } else {
            #expect(SwitchFilterSwapTests.data(sim) == [PECoord(0, 0): [1, 2]])
            #expect(sim.fabric.switchPosition(pe: PECoord(1, 0), color: 0) == 1)
            #expect(sim.fabric.totalSwitchMoves == 0)
        }
    }

    /// Two routers in a row with switches (base EAST, position 1 RAMP) that one control wavelet passes:
    /// whether the second sees the command depends on the first router's pop mode.
    @Test(arguments: [
        (PopMode.noPop, [ControlCommand.switchAdvance], 1),
        (PopMode.alwaysPop, [ControlCommand.switchAdvance], 0),
        (PopMode.alwaysPop, [ControlCommand.switchAdvance, .switchAdvance], 1),
        (PopMode.popOnAdvance, [ControlCommand.switchAdvance], 0),
        (PopMode.popOnAdvance, [ControlCommand.nop, .switchAdvance], 0),
    ])
    func popModeDecidesWhatTheNextRouterSees(_ pop: PopMode, _ commands: [ControlCommand], _ secondPosition: Int) {
        func switched(_ x: Int, _ mode: PopMode) -> RouteConfig {
            RouteConfig(
                pe: PECoord(x, 0), color: 0, rx: [.west], tx: [.east], switches: RouteSwitches(positions: [SwitchPosition(tx: [.ramp])], popMode: mode))
        }
        let routes = [route(0, 0, 0, [.ramp], [.east]), switched(1, pop), switched(2, .noPop), route(3, 0, 0, [.west], [.ramp])]
        let control = ControlWavelet(commands.map { ControlItem($0, ceIgnore: true) })
        let (sim, outcome) = SwitchFilterSwapTests.run(4, 1, routes, [PlaygroundSend(pe: PECoord(0, 0), color: 0, wavelets: [.control(control)])])
        #expect(outcome == .finished)
        // The first router acts on the first command (a NOP leaves it at the base).
        #expect(sim.fabric.switchPosition(pe: PECoord(1, 0), color: 0) == (commands[0] == .switchAdvance ? 1 : 0))
        #expect(sim.fabric.switchPosition(pe: PECoord(2, 0), color: 0) == secondPosition)
    }

    /// TEARDOWN freezes the color at every router it passes (the sender's too) until that router's core
    /// reconfigures it; then the held wavelets go on.
    @Test func teardownFreezesUntilReconfigured() {
        let routes = [route(0, 0, 0, [.ramp], [.east]), route(1, 0, 0, [.west], [.ramp])]
        let teardown = WaveletValue.control(ControlWavelet([ControlItem(.teardown, ceIgnore: true)]))
        let sim = Simulation(
            width: 2, height: 1, routes: routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, wavelets: [teardown, .data(1), .data(2), .data(3)])],
            model: model(stallLimit: 10_000))
        _ = sim.run(limit: 60)
        #expect(sim.fabric.isTornDown(pe: PECoord(0, 0), color: 0) && sim.fabric.isTornDown(pe: PECoord(1, 0), color: 0))
        #expect(sim.deliveries.values.joined().isEmpty)
        #expect(sim.fabric.reconfigure(pe: PECoord(0, 0), color: 0))
        _ = sim.run(limit: 120)
        // The data crossed to (1,0), which is still torn down: held there.
        #expect(sim.deliveries.values.joined().isEmpty)
        #expect(sim.fabric.inFlight[0] == 3)
        #expect(sim.fabric.reconfigure(pe: PECoord(1, 0), color: 0))
        #expect(sim.run(limit: 200) == .finished)
        #expect(SwitchFilterSwapTests.data(sim) == [PECoord(1, 0): [1, 2, 3]])
    }

    /// `topic-14-color-swap`: red (0) and blue (1) on a row of four, swapping on every router.
    static var swap: Playground {
        var routes: [RouteConfig] = []
        for x in 0..<4 {
            let rx: DirectionSet = x == 0 ? [.ramp] : [.west]
            let tx: DirectionSet = x == 3 ? [.ramp] : [.ramp, .east]
            for c in [0, 1] { routes.append(RouteConfig(pe: PECoord(x, 0), color: c, rx: rx, tx: tx, colorSwapX: true)) }
        }
        return (4, 1, routes, [PlaygroundSend(pe: PECoord(0, 0), color: 1, values: [10, 20])])
    }

    /// `topic-14-color-swap`: a wavelet sent on blue reaches the cores blue, red, blue, red.
    @Test func colorSwapAlternates() {
        let p = SwitchFilterSwapTests.swap
        let (sim, outcome) = SwitchFilterSwapTests.run(p.width, p.height, p.routes, p.sends)
        #expect(outcome == .finished)
        for x in 0..<4 {
            #expect(sim.deliveries[PECoord(x, 0)]?.map(\.color) == [x % 2 == 0 ? 1 : 0, x % 2 == 0 ? 1 : 0], "at x = \(x)")
            #expect(sim.deliveries[PECoord(x, 0)]?.map(\.payload) == [10, 20])
        }
        #expect(sim.fabric.inFlight.allSatisfy { $0 == 0 })
    }

    /// WSE-3 takes switches only on colors 0–9, 12, 13, 16, 17, 20, 21, and no color swap; WSE-2 takes both.
    @Test func wse3RefusesSwitchesOnOtherColorsAndColorSwap() {
        let switches = RouteSwitches(positions: [SwitchPosition(tx: [.west])])
        for color in 0..<Architecture.colorCount {
            let r = RouteConfig(pe: PECoord(0, 0), color: color, rx: [.ramp], tx: [.east], switches: switches)
            #expect(r.refusal(on: .wse2) == nil)
            let refusal = r.refusal(on: .wse3)
            #expect((refusal == nil) == Architecture.wse3.switchColors.contains(color), "color \(color)")
            if let refusal {
                #expect(refusal == "the route on color \(color) at (0,0) has switches, but wse3 allows switches only on colors 0–9, 12, 13, 16, 17, 20 and 21")
            }
        }
        let swap = RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.east], colorSwapX: true)
        #expect(swap.refusal(on: .wse2) == nil)
        #expect(swap.refusal(on: .wse3) == "the route on color 0 at (0,0) swaps colors, but color swap exists only on wse2")
    }

    /// A misroute after a color swap names the color the wavelet arrives on (breaker review: the message
    /// said the next PE had no route for color 0, which it had; the wavelet arrived as color 1).
    @Test func aMisrouteAfterASwapNamesTheColorItArrivesOn() {
        let routes = [
            RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.east], colorSwapX: true),
            RouteConfig(pe: PECoord(1, 0), color: 0, rx: [.west], tx: [.ramp]),
        ]
        let sim = Simulation(width: 2, height: 1, routes: routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [1])], model: FabricModel())
        guard case .failed(let e) = sim.run(limit: 100), case .unrouted(_, let color, _, _, _, _, _, let arrivesAs) = e.kind else {
            Issue.record("expected an unrouted wavelet, got \(String(describing: sim.error))")
            return
        }
        #expect(color == 0 && arrivesAs == 1)
        #expect(e.message.contains("sends a wavelet on color 0 EAST, which leaves as color 1 (color swap at (0,0))"), "\(e.message)")
        #expect(e.message.hasSuffix("but (1,0) has no route for color 1"), "\(e.message)")
    }

    /// A deadlock behind a teardown says so (new-user review: it named only the held wavelets).
    @Test func aDeadlockBehindATeardownNamesIt() {
        let teardown = WaveletValue.control(ControlWavelet([ControlItem(.teardown, ceIgnore: true)]))
        var m = FabricModel()
        m.stallLimit = 30
        let sim = Simulation(
            width: 2, height: 1,
            routes: [RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.east]), RouteConfig(pe: PECoord(1, 0), color: 0, rx: [.west], tx: [.ramp])],
            sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, wavelets: [.data(7), teardown, .data(1), .data(2)])], model: m)
        guard case .failed(let e) = sim.run(limit: 1_000) else {
            Issue.record("expected a deadlock, got \(String(describing: sim.error))")
            return
        }
        #expect(e.message.contains("(a teardown froze color 0 there; its core has not reconfigured it)"), "\(e.message)")
    }
}
