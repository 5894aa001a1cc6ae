import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
@testable import PyFlameViews
import Testing

/// What the fabric view, `:routes` and `:pe` show of switches, filters, color swap, teardown and control
/// wavelets (docs/language.md, `:view`): the glyphs, legend entries and panel lines, on the SDK tutorials'
/// routes.
@Suite struct RouteDynamicsFrameTests {
    /// A playground: its routes and sends, simulated on a `width` x `height` fabric.
    struct Playground {
        var width: Int
        var height: Int
        var routes: [RouteConfig]
        var sends: [PlaygroundSend]

        /// The playground's program as the shell builds it (routes, colors, sends).
        var program: FabricProgram? {
            try? PlaygroundProgram.make(
                routes: routes, colorNames: [:],
                sends: sends.map { PlaygroundProgram.Stream(pe: $0.pe, color: $0.color, count: $0.values.count) },
                architecture: .wse2, fabric: FabricSize(width: width, height: height), peDataBudget: Architecture.defaultPEDataBudget)
        }

        func simulation(stepped cycles: Int) -> Simulation {
            let sim = Simulation(width: width, height: height, routes: routes, sends: sends, model: FabricModel())
            _ = sim.advance(cycles)
            return sim
        }

        /// The snapshot before simulation (nil cycles) or after `cycles`.
        func snapshot(stepped cycles: Int?) -> FabricSnapshot? {
            guard let program else { return nil }
            return FabricSnapshot.make(playground: program, simulation: cycles.map { simulation(stepped: $0) })
        }
    }

    static let advanceIgnored = WaveletValue.control(ControlWavelet([ControlItem(.switchAdvance, ceIgnore: true)]))

    /// `topic-06-switches`: the centre of a 3x3 starts at pos1 (tx WEST) and advances at every control wavelet.
    static let switches: Playground = {
        let positions = [SwitchPosition(tx: [.west]), SwitchPosition(tx: [.east]), SwitchPosition(tx: [.south])]
        let routes = [
            RouteConfig(
                pe: PECoord(1, 1), color: 0, rx: [.ramp], tx: [.north], switches: RouteSwitches(positions: positions, currentPosition: 1, ringMode: true)),
            RouteConfig(pe: PECoord(1, 0), color: 0, rx: [.south], tx: [.ramp]), RouteConfig(pe: PECoord(0, 1), color: 0, rx: [.east], tx: [.ramp]),
            RouteConfig(pe: PECoord(2, 1), color: 0, rx: [.west], tx: [.ramp]), RouteConfig(pe: PECoord(1, 2), color: 0, rx: [.north], tx: [.ramp]),
        ]
        let wavelets = [0, 2, 4, 6].flatMap { [advanceIgnored, WaveletValue.data(UInt32($0))] }
        return Playground(width: 3, height: 3, routes: routes, sends: [PlaygroundSend(pe: PECoord(1, 1), color: 0, wavelets: wavelets)])
    }()

    /// `topic-08-filters`: a row of four; PE p takes indices 3p..3p+2 and forwards every wavelet.
    static let filters: Playground = {
        var routes = [RouteConfig(pe: PECoord(0, 0), color: 1, rx: [.ramp], tx: [.east])]
        for p in 1...3 {
            let filter = RouteFilter(minIndex: UInt16(3 * p), maxIndex: UInt16(3 * p + 2))
            routes.append(RouteConfig(pe: PECoord(p, 0), color: 1, rx: [.west], tx: p == 3 ? [.ramp] : [.ramp, .east], filter: filter))
        }
        // (index, f16 data) as the playground's `send blue (0,0) [(0, 100), ...]` makes them.
        let wavelets = (0..<12).map { WaveletValue.data(WaveletPayload.f16(Double(100 + $0), index: UInt16($0)) ?? 0) }
        return Playground(width: 4, height: 1, routes: routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 1, wavelets: wavelets)])
    }()

    /// A row of three whose sender puts a teardown between two data wavelets (no pop: every router sees it).
    static let teardown: Playground = {
        let routes = [
            RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.east]),
            RouteConfig(pe: PECoord(1, 0), color: 0, rx: [.west], tx: [.east], switches: RouteSwitches(positions: [SwitchPosition(tx: [.ramp])])),
            RouteConfig(pe: PECoord(2, 0), color: 0, rx: [.west], tx: [.ramp]),
        ]
        let wavelets = [WaveletValue.data(1), .control(ControlWavelet([ControlItem(.teardown, ceIgnore: true)])), .data(2)]
        return Playground(width: 3, height: 1, routes: routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, wavelets: wavelets)])
    }()

    /// Color swap: (0,0) sends east on color 2 with swap x; (1,0) receives on color 3.
    static let swap = Playground(
        width: 2, height: 1,
        routes: [
            RouteConfig(pe: PECoord(0, 0), color: 2, rx: [.ramp], tx: [.east], colorSwapX: true),
            RouteConfig(pe: PECoord(1, 0), color: 3, rx: [.west], tx: [.ramp]),
        ],
        sends: [PlaygroundSend(pe: PECoord(0, 0), color: 2, values: [5, 6])])

    static let ascii = ViewStyle(color: false, unicode: false)

    static func frame(_ snapshot: FabricSnapshot, style: ViewStyle = ascii, columns: Int = 80, rows: Int = 16) -> [String] {
        FabricView.render(snapshot, FabricViewState(cursor: PECoord(0, 0)), rows: rows, columns: columns, style: style, panel: [])
            .plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    // MARK: - Glyphs and legend

    /// A switch shows as the digit of its position, with that position's arrow: pos1 (WEST) before the
    /// run, pos2 (EAST) once the first control wavelet moved it.
    @Test func aSwitchShowsItsPositionAndThatPositionsArrow() throws {
        let before = try #require(Self.switches.snapshot(stepped: nil))
        let rows = Self.frame(before)
        #expect(rows.contains { $0.hasPrefix("R<----1     R") }, "\(rows.joined(separator: "\n"))")
        #expect(rows.contains("0-3 \(PEGlyph.switchPositionMeaning)"))
        let after = try #require(Self.switches.snapshot(stepped: 4))
        let moved = Self.frame(after)
        #expect(moved.contains { $0.contains("2-a>R") }, "\(moved.joined(separator: "\n"))")
        #expect(!moved.contains { $0.contains("1     R") })
    }

    /// A control wavelet at a router input has its own glyph (and a legend entry), data wavelets their color's.
    @Test func aControlWaveletHasItsOwnGlyph() throws {
        let snapshot = try #require(Self.switches.snapshot(stepped: 4))
        #expect(snapshot.controlHeads.contains { $0.pe == PECoord(0, 1) && $0.from == .east })
        let ascii = Self.frame(snapshot)
        #expect(ascii.contains { $0.hasPrefix("R & 2") }, "\(ascii.joined(separator: "\n"))")
        #expect(ascii.contains { $0.contains("& a control wavelet") })
        let unicode = Self.frame(snapshot, style: ViewStyle(color: false, unicode: true))
        #expect(unicode.contains { $0.contains("¤ 2") }, "\(unicode.joined(separator: "\n"))")
        // Before the run nothing is held: no control glyph, no legend entry.
        let before = Self.frame(try #require(Self.switches.snapshot(stepped: nil)))
        #expect(!before.joined().contains("&"))
    }

    /// A router whose filter dropped wavelets shows `%` (in its own color when colors are on).
    @Test func aFilterThatDroppedShowsPercent() throws {
        let before = Self.frame(try #require(Self.filters.snapshot(stepped: nil)))
        #expect(!before.joined().contains("%"))
        let snapshot = try #require(Self.filters.snapshot(stepped: 9))
        let rows = Self.frame(snapshot)
        // The PEs and the wavelets on the links between them (the links' lengths depend on the size).
        #expect(rows[1].filter { $0 != "-" && $0 != ">" } == "Sb%b%b%", "\(rows.joined(separator: "\n"))")
        #expect(rows.contains("% \(PEGlyph.filterDroppedMeaning)"), "\(rows.joined(separator: "\n"))")
        let colored = FabricView.render(
            snapshot, FabricViewState(cursor: PECoord(3, 0)), rows: 16, columns: 80, style: ViewStyle(color: true, unicode: true), panel: [])
        let column = try #require(rows[1].firstIndex(of: "%")).utf16Offset(in: rows[1])
        #expect(colored[1, column].character == "%" && colored[1, column].foreground == 208)
    }

    /// A torn-down router shows `#`: the teardown froze every router it passed.
    @Test func aTornDownRouterShowsHash() throws {
        let snapshot = try #require(Self.teardown.snapshot(stepped: 30))
        let rows = Self.frame(snapshot)
        #expect(rows[1].filter { $0 != "-" && $0 != ">" } == "###", "\(rows.joined(separator: "\n"))")
        #expect(rows.contains { $0.contains("# \(PEGlyph.tornDownMeaning)") })
        let before = Self.frame(try #require(Self.teardown.snapshot(stepped: nil)))
        #expect(before[1].filter { $0 != "-" && $0 != ">" } == "S0R", "\(before.joined(separator: "\n"))")
    }

    /// The legend says where the color shown swaps and which color it leaves as.
    @Test func theLegendNamesTheSwaps() throws {
        let rows = Self.frame(try #require(Self.swap.snapshot(stepped: nil)))
        #expect(rows.contains { $0.contains("swap at (0,0): color 2 leaves as 3") }, "\(rows.joined(separator: "\n"))")
    }

    /// A program without switches, filters or swap builds no dynamic state in its snapshot.
    @Test func aStaticProgramHasNoDynamicState() {
        let snapshot = rowBroadcast(stepped: 4)
        #expect(snapshot.dynamicRoutes.isEmpty && snapshot.controlHeads.isEmpty)
        #expect(FabricView.dynamicLegend(snapshot, color: 0, style: Self.ascii).isEmpty)
    }

    // MARK: - :routes, :pe and the panel

    @Test func aSwitchsLinesMarkThePositionItStartsAtThenTheOneItIsAt() throws {
        let route = Self.switches.routes[0]
        #expect(
            RouteText.detailLines(route, live: nil) == [
                "switch starts at pos1; ring; pop none", "    pos0 rx {RAMP} tx {NORTH} (base)", "  > pos1 rx {RAMP} tx {WEST}",
                "    pos2 rx {RAMP} tx {EAST}", "    pos3 rx {RAMP} tx {SOUTH}",
            ])
        let sim = Self.switches.simulation(stepped: 4)
        let live = RouteLiveState.of(route, in: sim.fabric)
        #expect(live == RouteLiveState(position: 2))
        #expect(
            RouteText.detailLines(route, live: live).prefix(4) == [
                "switch now at pos2; ring; pop none", "    pos0 rx {RAMP} tx {NORTH} (base)", "    pos1 rx {RAMP} tx {WEST}", "  > pos2 rx {RAMP} tx {EAST}",
            ])
        var other = route
        other.switches?.ringMode = false
        other.switches?.popMode = .popOnAdvance
        #expect(RouteText.detailLines(other, live: nil).first == "switch starts at pos1; no ring; pop advance")
    }

    @Test func filterSwapAndTeardownLines() {
        let filtered = Self.filters.routes[1]
        #expect(RouteText.detailLines(filtered, live: nil) == ["filter indices 3..5 reach the core"])
        let sim = Self.filters.simulation(stepped: 200)
        #expect(RouteText.detailLines(filtered, live: RouteLiveState.of(filtered, in: sim.fabric)) == ["filter indices 3..5 reach the core; 9 dropped"])
        #expect(RouteText.detailLines(Self.swap.routes[0], live: nil) == ["swap x: a wavelet leaving east or west takes color 3"])
        let torn = Self.teardown.simulation(stepped: 30)
        let plain = Self.teardown.routes[2]
        #expect(RouteText.detailLines(plain, live: nil).isEmpty)
        #expect(
            RouteText.detailLines(plain, live: RouteLiveState.of(plain, in: torn.fabric)) == [
                "torn down: color 0 moves nothing here until the core reconfigures it"
            ])
        #expect(RouteText.detailLines(Self.filters.routes[0], live: nil).isEmpty)
    }

    @Test func routesListsEachRoutesDetailsBeneathIt() throws {
        let program = try #require(Self.filters.program)
        let report = ProgramReport(program: program, graph: Graph(), name: "the playground")
        #expect(
            report.routeLines(color: nil, limit: 100, simulation: Self.filters.simulation(stepped: 200)) == [
                "(0,0) color 1: rx {RAMP} tx {EAST}",
                "(1,0) color 1: rx {WEST} tx {RAMP, EAST}", "  filter indices 3..5 reach the core; 9 dropped",
                "(2,0) color 1: rx {WEST} tx {RAMP, EAST}", "  filter indices 6..8 reach the core; 9 dropped",
                "(3,0) color 1: rx {WEST} tx {RAMP}", "  filter indices 9..11 reach the core; 9 dropped",
            ])
    }

    @Test func peListsADynamicPEsRoutesOneALine() throws {
        let program = try #require(Self.switches.program)
        let lines = SimulationReport.peLines(PECoord(1, 1), program: program, simulation: (Self.switches.simulation(stepped: 4), PayloadKinds()))
        #expect(
            Array(lines.prefix(8)) == [
                "PE (1,1)", "role     playground sender of 8 wavelets", "routes   color 0: rx {RAMP} tx {NORTH}",
                "           switch now at pos2; ring; pop none", "               pos0 rx {RAMP} tx {NORTH} (base)",
                "               pos1 rx {RAMP} tx {WEST}", "             > pos2 rx {RAMP} tx {EAST}", "               pos3 rx {RAMP} tx {SOUTH}",
            ])
    }

    /// The panel's payloads: a router input's (control wavelets as their commands) and a core queue's, as
    /// their color's kind reads.
    @Test func thePanelListsThePayloadsHeldAtAPE() {
        let sim = Self.switches.simulation(stepped: 4)
        #expect(
            SimulationReport.heldLines(PECoord(1, 1), simulation: sim, kinds: PayloadKinds()) == ["wavelets color 0 from the core: control advance ignore, 2"])
        #expect(SimulationReport.heldLines(PECoord(0, 1), simulation: sim, kinds: PayloadKinds()) == ["wavelets color 0 from EAST: control advance ignore"])
        let filtered = Self.filters.simulation(stepped: 9)
        #expect(
            SimulationReport.heldLines(PECoord(1, 0), simulation: filtered, kinds: PayloadKinds(byColor: [1: .indexed])) == [
                "wavelets color 1 from WEST: (5, 105), (6, 106)", "wavelets color 1 to the core: (3, 103)",
            ])
        #expect(SimulationReport.heldLines(PECoord(0, 0), simulation: Self.filters.simulation(stepped: 200), kinds: PayloadKinds()).isEmpty)
    }

    @Test func controlWaveletsReadAsThePlaygroundWritesThem() {
        let word = ControlWavelet([ControlItem(.switchAdvance, ceIgnore: true), ControlItem(.teardown)], entryPoint: 40, argument: 2)
        #expect(RouteText.control(commandWord: word.commandWord, payload: word.payload) == "control advance ignore teardown task 40 arg 2")
        #expect(RouteText.control(commandWord: ControlWavelet([ControlItem(.nop)]).commandWord, payload: 0) == "control nop")
        #expect(RouteText.control(commandWord: ControlWavelet([ControlItem(.switchReset)]).commandWord, payload: 0) == "control reset")
    }
}
