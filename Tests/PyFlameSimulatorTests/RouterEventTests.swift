import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// What a ``RouterWatch`` finds (the events `:trace` records and switch and drop breakpoints fire on)
/// agrees with the fabric's own counts, and the breakpoints on switch moves and filter drops stop a run
/// where the tutorials' routes say.
@Suite struct RouterEventTests {
    /// Runs `sim` to its end with a watch of every router event, returning the events by cycle.
    static func watched(_ sim: Simulation, kinds: RouterEventKinds = [.hops, .links, .switches, .drops], limit: Int = 20_000) -> [(Int, RouterEvent)] {
        let watch = RouterWatch(kinds: kinds)
        var seen: [(Int, RouterEvent)] = []
        watch.onCycle = { cycle, events in seen += events.map { (cycle, $0) } }
        sim.addRouterWatch(watch)
        _ = sim.run(limit: limit)
        sim.removeRouterWatch(watch)
        return seen
    }

    /// Over random playgrounds with switches, filters, color swap and control wavelets: one hop event per
    /// link a wavelet crossed (per color, as the fabric counts them), one drop per filter drop, one switch
    /// event per switch move (and the moves lead to each switch's final position), and a Backpressure or
    /// Delayed event only in a cycle whose counts grew.
    @Test(arguments: 1...60 as ClosedRange<UInt64>)
    func eventsAgreeWithTheFabricsCounts(_ seed: UInt64) {
        let playground = RandomPlayground(seed: seed)
        let sim = playground.make()
        var positions: [PECoord: [Int: Int]] = [:]
        for r in playground.routes {
            if let p = sim.fabric.switchPosition(pe: r.pe, color: r.color) { positions[r.pe, default: [:]][r.color] = p }
        }
        let events = RouterEventTests.watched(sim)
        var hops = [Int](repeating: 0, count: Architecture.colorCount)
        var drops = 0, moves = 0
        var linkEvents: [String: Int] = [:]
        for (_, e) in events {
            switch e {
            case .hop(_, _, let color, _, _, _): hops[color] += 1
            case .drop: drops += 1
            case .switchMove(let pe, let color, let from, let to, let by):
                #expect(positions[pe]?[color] == from, "seed \(seed): a move from the position the switch was at")
                positions[pe, default: [:]][color] = to
                if by != nil { moves += 1 }
            case .link(let pe, let d, let state, _): linkEvents["\(pe) \(d) \(state)", default: 0] += 1
            case .teardown, .reconfigure: break
            }
        }
        #expect(Array(hops.prefix(sim.fabric.hopsByColor.count)) == sim.fabric.hopsByColor, "seed \(seed)")
        #expect(drops == sim.fabric.totalFilterDrops, "seed \(seed)")
        #expect(moves == sim.fabric.totalSwitchMoves, "seed \(seed)")
        for (pe, colors) in positions {
            for (color, p) in colors { #expect(sim.fabric.switchPosition(pe: pe, color: color) == p, "seed \(seed): \(pe) color \(color)") }
        }
        // Each output's events: never more than its count grew, and some whenever it grew (Backpressure).
        for r in 0..<sim.fabric.routerCount {
            let pe = sim.fabric.coordinate(Int(sim.fabric.routerPE[r]))
            for p in 0..<5 {
                let d = Port.direction(p)
                let backpressure = Int(sim.fabric.outBackpressure[r * 5 + p]), delayed = Int(sim.fabric.outDelayed[r * 5 + p])
                let b = linkEvents["\(pe) \(d) \(LinkState.backpressure)"] ?? 0, l = linkEvents["\(pe) \(d) \(LinkState.delayed)"] ?? 0
                #expect(b <= backpressure && (b > 0) == (backpressure > 0), "seed \(seed): \(pe) \(d) backpressure \(b) of \(backpressure)")
                #expect(l <= delayed, "seed \(seed): \(pe) \(d) delayed \(l) of \(delayed)")
            }
        }
    }

    /// topic-06: the centre's switch moves four times (1 → 2 → 3 → 0 → 1, ring mode), each by SWITCH_ADV,
    /// and every data wavelet's hop goes the way the switch pointed; a rectangle sees only its PEs.
    @Test func switchEventsFollowTheTutorial() {
        let sim = SwitchFilterSwapTests.switchesCase(model: model())
        let events = RouterEventTests.watched(sim)
        let moves = events.compactMap { e -> [Int]? in
            if case .switchMove(PECoord(1, 1), 0, let from, let to, .switchAdvance?) = e.1 { [from, to] } else { nil }
        }
        #expect(moves == [[1, 2], [2, 3], [3, 0], [0, 1]])
        let dataHops = events.compactMap { e -> Direction? in
            if case .hop(PECoord(1, 1), let d, 0, 0, _, false) = e.1 { d } else { nil }
        }
        #expect(dataHops == [.east, .south, .north, .west])
        let corner = Simulation(width: 3, height: 3, routes: SwitchFilterSwapTests.switches.routes, sends: SwitchFilterSwapTests.switches.sends, model: model())
        let watch = RouterWatch(kinds: [.hops, .switches], area: (PECoord(0, 0), PECoord(0, 2)))
        var seen: [RouterEvent] = []
        watch.onCycle = { _, events in seen += events }
        corner.addRouterWatch(watch)
        _ = corner.run(limit: 2_000)
        #expect(seen.isEmpty, "column 0 has routes into cores only: no hop, no switch")
    }

    /// topic-08: each PE's filter drops the nine wavelets outside its range; the events carry them.
    @Test func dropEventsCarryTheDroppedWavelets() {
        let sim = SwitchFilterSwapTests.filtersCase(model: model())
        let events = RouterEventTests.watched(sim, kinds: .drops)
        for p in 1...3 {
            let indices = events.compactMap { e -> UInt32? in
                if case .drop(PECoord(p, 0), 1, let payload) = e.1 { payload >> 16 } else { nil }
            }
            #expect(indices == (0..<12).filter { !(3 * p...3 * p + 2).contains($0) }.map(UInt32.init))
        }
    }

    /// A breakpoint on a switch move stops the run after the cycle the switch moved in, and says from which
    /// position to which, by which command; `:run` again stops at the next move.
    @Test func aSwitchBreakpointStopsAtEachMove() throws {
        let sim = SwitchFilterSwapTests.switchesCase(model: model())
        let watch = BreakpointWatch([Breakpoint(number: 1, condition: .switchMove(PECoord(1, 1), color: 0))])
        var moves: [String] = []
        while case .breakpoint(let hits) = sim.advance(2_000, breakpoints: watch) {
            let hit = try #require(hits.first)
            #expect(hit.cycle == sim.cycle - 1 && hit.pe == PECoord(1, 1) && hit.color == 0)
            moves.append(hit.what)
            // Stopped right after the move: the switch is at the new position.
            #expect(hit.what.contains("to \(try #require(sim.fabric.switchPosition(pe: PECoord(1, 1), color: 0)))"))
        }
        #expect(sim.isFinished)
        #expect(moves.count == 4)
        #expect(moves.first?.hasPrefix("the switch at (1,1) on color 0 moved from position 1 to 2 (SWITCH_ADV) in cycle ") == true, "\(moves)")
        #expect(sim.routerWatches.isEmpty, "the run's watch left the simulation")
        // A switch breakpoint on another color, or a PE without a switch, never fires.
        let other = SwitchFilterSwapTests.switchesCase(model: model())
        let never = BreakpointWatch([
            Breakpoint(number: 1, condition: .switchMove(PECoord(1, 1), color: 1)), Breakpoint(number: 2, condition: .switchMove(PECoord(2, 1), color: nil)),
        ])
        #expect(other.advance(2_000, breakpoints: never) == .finished)
    }

    /// A breakpoint on a filter drop stops the run after the first wavelet its filter kept from the core,
    /// with that wavelet (index 0 at (1,0), whose filter takes 3 to 5).
    @Test func aDropBreakpointStopsAtTheFirstDroppedWavelet() throws {
        let sim = SwitchFilterSwapTests.filtersCase(model: model())
        let watch = BreakpointWatch([Breakpoint(number: 3, condition: .drop(PECoord(2, 0), color: 1))])
        guard case .breakpoint(let hits) = sim.advance(2_000, breakpoints: watch) else {
            Issue.record("no drop breakpoint fired")
            return
        }
        let hit = try #require(hits.first)
        #expect(hit.pe == PECoord(2, 0) && hit.color == 1 && hit.payload == UInt32(100))
        #expect(hit.what == "the filter at (2,0) on color 1 kept a wavelet with index 0 from the core in cycle \(hit.cycle)")
        #expect(sim.fabric.filterDrops(pe: PECoord(2, 0), color: 1) == 1)
        #expect(sim.cycle == hit.cycle + 1)
        // The next :run stops at the next drop there: index 1.
        guard case .breakpoint(let next) = sim.advance(2_000, breakpoints: watch) else {
            Issue.record("no second drop")
            return
        }
        let second: UInt32 = 1 << 16 | 101
        #expect(next.first?.payload == second)
    }
}

extension RouterEventTests {
    /// The seeds above do exercise what they check: switch moves, drops, hops with color swap, teardowns and
    /// link states all occur among them.
    @Test func theRandomPlaygroundsHaveEveryKindOfEvent() {
        var kinds: Set<String> = []
        for seed in 1...60 as ClosedRange<UInt64> {
            for (_, e) in RouterEventTests.watched(RandomPlayground(seed: seed).make()) {
                switch e {
                case .hop(_, _, let c, let on, _, let control): kinds.insert(c != on ? "swap" : control ? "control hop" : "hop")
                case .drop: kinds.insert("drop")
                case .switchMove: kinds.insert("switch")
                case .teardown: kinds.insert("teardown")
                case .reconfigure: kinds.insert("reconfigure")
                case .link(_, _, let state, _): kinds.insert(state.rawValue)
                }
            }
        }
        #expect(kinds.isSuperset(of: ["hop", "swap", "control hop", "drop", "switch", "teardown", "Backpressure", "Delayed"]), "\(kinds.sorted())")
    }
}
