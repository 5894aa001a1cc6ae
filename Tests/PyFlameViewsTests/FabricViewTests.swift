import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
@testable import PyFlameViews
import Testing

/// The row broadcast of teaching case 2 as a playground snapshot.
func rowBroadcast(stepped cycles: Int = 0) -> FabricSnapshot {
    let routes = [
        RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.east]),
        RouteConfig(pe: PECoord(1, 0), color: 0, rx: [.west], tx: [.ramp, .east]),
        RouteConfig(pe: PECoord(2, 0), color: 0, rx: [.west], tx: [.ramp, .east]),
        RouteConfig(pe: PECoord(3, 0), color: 0, rx: [.west], tx: [.ramp]),
        RouteConfig(pe: PECoord(0, 1), color: 4, rx: [.ramp], tx: [.east]),
        RouteConfig(pe: PECoord(1, 1), color: 4, rx: [.west], tx: [.ramp]),
    ]
    // The playground's program, as the shell builds it, and its simulation.
    let program = try? PlaygroundProgram.make(
        routes: routes, colorNames: ["red": 0, "blue": 4], sends: [PlaygroundProgram.Stream(pe: PECoord(0, 0), color: 0, count: 5)],
        architecture: .wse2, fabric: FabricSize(width: 4, height: 2), peDataBudget: Architecture.defaultPEDataBudget)
    let sent: [TransferSource: TensorValue] = [.playgroundSends(color: 0): TensorValue(TensorType(Shape([5]), .i32), exact: [0, 1, 2, 3, 4])]
    guard let program, let sim = try? Simulation(program: program, inputs: sent, model: FabricModel()) else {
        Issue.record("the playground's program does not build or load")
        let none = FabricProgram(
            architecture: .wse2, fabric: FabricSize(width: 4, height: 2), rectangle: PERect(bounding: []), peDataBudget: 0, result: nil,
            ops: [], pes: [], roles: [], colors: [], routes: [], hostInputs: [], hostOutputs: [])
        return FabricSnapshot.make(playground: none, simulation: nil)
    }
    _ = sim.advance(cycles)
    return FabricSnapshot.make(playground: program, simulation: sim)
}

@Suite struct FabricViewKeyTests {
    let snapshot = rowBroadcast()
    let start = FabricViewState(cursor: PECoord(0, 0))

    @Test func spaceAndNStepOneCycleAndCapitalNStepsTen() {
        #expect(FabricView.handle(.character(" "), start, snapshot).1 == .step(1))
        #expect(FabricView.handle(.character("n"), start, snapshot).1 == .step(1))
        #expect(FabricView.handle(.character("N"), start, snapshot).1 == .step(10))
    }

    @Test func rRunsAndPausesAndTheSpeedIsInCyclesPerSecond() {
        var (s, action) = FabricView.handle(.character("r"), FabricViewState(cursor: PECoord(0, 0), cyclesPerSecond: 100), snapshot)
        #expect(s.running && action == .none)
        // 100 cycles/s over 50 ms ticks: 5 cycles a tick.
        #expect(FabricView.tickMilliseconds == 50)
        #expect(FabricView.handle(.timeout, s, snapshot).1 == .step(5))
        (s, _) = FabricView.handle(.character("+"), s, snapshot)
        (s, _) = FabricView.handle(.character("+"), s, snapshot)
        #expect(s.cyclesPerSecond == 500)
        #expect(FabricView.handle(.timeout, s, snapshot).1 == .step(25))
        (s, _) = FabricView.handle(.character("-"), s, snapshot)
        #expect(s.cyclesPerSecond == 200)
        (s, _) = FabricView.handle(.character("r"), s, snapshot)
        #expect(!s.running)
        #expect(FabricView.handle(.timeout, s, snapshot).1 == .none)
        // Stepping by hand pauses a run.
        s.running = true
        #expect(!FabricView.handle(.character(" "), s, snapshot).0.running)
    }

    @Test func slowSpeedsCarryPartCyclesFromTickToTick() {
        var s = FabricViewState(cursor: PECoord(0, 0), cyclesPerSecond: 2)
        s.running = true
        var cycles = 0
        // 40 ticks of 50 ms are two seconds: four cycles at 2 cycles/s.
        for _ in 0..<40 {
            let (next, action) = FabricView.handle(.timeout, s, snapshot)
            s = next
            if case .step(let n) = action { cycles += n }
        }
        #expect(cycles == 4)
    }

    @Test func theStartingSpeedShowsAWholeRunInAboutTenSeconds() {
        #expect(FabricView.initialSpeed(forRunOf: 4_560) == 500)
        #expect(FabricView.initialSpeed(forRunOf: 123) == 10)
        #expect(FabricView.initialSpeed(forRunOf: 9) == 1)
        #expect(FabricView.initialSpeed(forRunOf: 50_000_000) == 1_000_000)
        #expect(FabricView.initialSpeed(forRunOf: nil) == 100)
    }

    @Test func aFinishedRunDoesNotRunAgainAndItsTitleSaysNoSpeed() {
        let finished = rowBroadcast(stepped: 100)
        #expect(finished.hasEnded)
        var s = FabricViewState(cursor: PECoord(0, 0))
        s.running = true
        let (next, action) = FabricView.handle(.timeout, s, finished)
        #expect(!next.running && action == .none)
        #expect(!FabricView.handle(.character("r"), start, finished).0.running)
        let title = FabricView.title(finished, s, ViewStyle(color: false, unicode: true))
        #expect(title == "the routing playground · cycle 15 · finished")
        let running = FabricView.title(rowBroadcast(stepped: 3), s, ViewStyle(color: false, unicode: false))
        #expect(running == "the routing playground | cycle 3 | in progress | running (100 cycles/s)")
    }

    @Test func theCursorMovesWithArrowsAndHjklAndStaysOnTheRectangle() {
        var s = start
        for key in [ViewKey.right, .character("l"), .character("l"), .character("l"), .character("l")] { s = FabricView.handle(key, s, snapshot).0 }
        #expect(s.cursor == PECoord(3, 0))
        for key in [ViewKey.down, .character("j"), .character("j")] { s = FabricView.handle(key, s, snapshot).0 }
        #expect(s.cursor == PECoord(3, 1))
        for key in [ViewKey.left, .character("h"), .up, .character("k")] { s = FabricView.handle(key, s, snapshot).0 }
        #expect(s.cursor == PECoord(1, 0))
    }

    @Test func tabCyclesTheColorShown() {
        #expect(snapshot.colors == [0, 4])
        var s = FabricView.handle(.tab, start, snapshot).0
        #expect(s.colorIndex == 1)
        s = FabricView.handle(.tab, s, snapshot).0
        #expect(s.colorIndex == 0)
    }

    @Test func zoomGoesFromFitDownToOnePEPerCellAndBack() {
        var s = start
        var seen: [Int] = []
        for _ in 0..<6 {
            s = FabricView.handle(.character("z"), s, snapshot).0
            seen.append(s.zoom)
        }
        #expect(seen.contains(1))
        #expect(seen.contains(0))
    }

    @Test func qAndCtrlCLeaveAndHelpIsDismissedByAnyKey() {
        #expect(FabricView.handle(.character("q"), start, snapshot).1 == .quit)
        #expect(FabricView.handle(.interrupt, start, snapshot).1 == .quit)
        let help = FabricView.handle(.character("?"), start, snapshot).0
        #expect(help.showHelp)
        let closed = FabricView.handle(.character("x"), help, snapshot)
        #expect(!closed.0.showHelp && closed.1 == .none)
    }
}

@Suite struct FabricFrameTests {
    @Test func wavelentsAdvanceAlongTheRowFromFrameToFrame() {
        let style = ViewStyle(color: false, unicode: false)
        func row(_ cycles: Int) -> String {
            let grid = FabricView.render(
                rowBroadcast(stepped: cycles), FabricViewState(cursor: PECoord(0, 0)), rows: 12, columns: 60,
                style: style, panel: [])
            return String(grid.plainText().split(separator: "\n")[1])
        }
        // Four PEs in a 60x12 frame: the footer leaves five rows, two a PE, so four columns a PE (its glyph
        // and a link of three); `:` a PE that only routes.
        #expect(row(0) == "S-->R-->R-->R")
        #expect(row(4) == "S-a>R-->R-->R")  // the first wavelet crosses the first link
        #expect(row(6) == "S-a>R-a>R-->R")
        #expect(row(8) == "S-a>R-a>R-a>R")
    }

    @Test func colorsAreAStyleAndGlyphsStayWithoutThem() {
        let snapshot = rowBroadcast(stepped: 6)
        let state = FabricViewState(cursor: PECoord(3, 1))
        let colored = FabricView.render(snapshot, state, rows: 12, columns: 60, style: ViewStyle(color: true, unicode: true), panel: [])
        let plain = FabricView.render(snapshot, state, rows: 12, columns: 60, style: ViewStyle(color: false, unicode: true), panel: [])
        // The picture is the same; only the legend of link states names colors instead of glyphs.
        #expect(colored.plainText().split(separator: "\n").prefix(4) == plain.plainText().split(separator: "\n").prefix(4))
        #expect(colored.plainText().contains("Delayed (yellow),") && colored.plainText().contains("Backpressure (red)"))
        #expect(plain.plainText().contains("Delayed (?),") && plain.plainText().contains("Backpressure (!)"))
        #expect(String(plain.plainText().split(separator: "\n")[1]) == "S─●→R─●→R──→R")
        // Color 0 is palette entry 196 (red): its last hex digit shows in the mask; without color, none.
        let coloredRow = String(colored.styleMask().split(separator: "\n")[1])
        #expect(coloredRow.contains("4"))  // 196 % 16 == 4
        #expect(!String(plain.styleMask().split(separator: "\n")[1]).contains("4"))
        // The cursor is inverse video in both.
        let cursorRow = Array(plain.styleMask().split(separator: "\n")[3])
        #expect(cursorRow.firstIndex(of: "r") == 12)
    }

    @Test func aTerminalTooSmallGetsAMessage() {
        let grid = FabricView.render(
            rowBroadcast(), FabricViewState(cursor: PECoord(0, 0)), rows: 5, columns: 39,
            style: ViewStyle(color: false, unicode: false), panel: [])
        #expect(grid.plainText().hasPrefix("terminal too small: 39x5"))
    }

    @Test func everyColorHasItsOwnGlyphInBothAlphabets() {
        for unicode in [true, false] {
            let glyphs = (0..<24).map { FabricView.glyph($0, ViewStyle(color: false, unicode: unicode)) }
            #expect(Set(glyphs).count == 24)
        }
    }
}
