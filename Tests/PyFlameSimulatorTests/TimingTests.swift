import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// Exact cycle counts of the fabric model (docs/fabric-model.md "Validation"), for hop latency 1 and 2.
@Suite struct TimingTests {
    @Test(arguments: [1, 2], [Direction.east, .west, .north, .south])
    func oneWaveletOverDHopsTakesTwoRampsPlusDHops(hop: Int, direction: Direction) {
        for d in [1, 3, 5] {
            let start = PECoord(direction == .west ? 6 : 1, direction == .north ? 6 : 1)
            let routes = straight(from: start, direction, hops: d)
            let (sim, outcome) = simulate(routes, sends: [PlaygroundSend(pe: start, color: 0, values: [42])], model: model(hop: hop))
            #expect(outcome == .finished)
            let (dx, dy) = direction.step
            let end = PECoord(start.x + d * dx, start.y + d * dy)
            #expect(sim.deliveries[end] == [Delivery(cycle: 2 + d * hop + 2, color: 0, payload: 42)])
        }
    }

    @Test(arguments: [1, 2])
    func aTurnCostsNothingExtra(hop: Int) {
        // X then Y: (0,0) east to (3,0), then south to (3,2).
        let routes = [
            route(0, 0, [.ramp], [.east]), route(1, 0, [.west], [.east]), route(2, 0, [.west], [.east]),
            route(3, 0, [.west], [.south]), route(3, 1, [.north], [.south]), route(3, 2, [.north], [.ramp]),
        ]
        let (sim, _) = simulate(routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [7])], model: model(hop: hop))
        #expect(sim.deliveries[PECoord(3, 2)]?.map(\.cycle) == [2 + 5 * hop + 2])
    }

    @Test(arguments: [1, 2])
    func aStreamArrivesOnePerCycle(hop: Int) {
        let b = 20
        let routes = straight(from: PECoord(0, 0), .east, hops: 4)
        let (sim, _) = simulate(routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: (0..<UInt32(b)).map { $0 })], model: model(hop: hop))
        let cycles = sim.deliveries[PECoord(4, 0)]!.map(\.cycle)
        #expect(cycles.count == b)
        #expect(cycles.last! == cycles.first! + (b - 1))
        #expect(sim.deliveries[PECoord(4, 0)]!.map(\.payload) == (0..<UInt32(b)).map { $0 })
    }

    @Test(arguments: [1, 2])
    func rowBroadcastReachesEachReceiverHCyclesLater(hop: Int) {
        // Teaching case 2 (topic-12): (0,0) RAMP→EAST; (1,0),(2,0) WEST→{RAMP,EAST}; (3,0) WEST→RAMP.
        let routes = [
            route(0, 0, [.ramp], [.east]), route(1, 0, [.west], [.ramp, .east]), route(2, 0, [.west], [.ramp, .east]),
            route(3, 0, [.west], [.ramp]),
        ]
        let (sim, outcome) = simulate(routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [0, 1, 2, 3, 4])], model: model(hop: hop))
        #expect(outcome == .finished)
        let t = sim.deliveries[PECoord(1, 0)]!.map(\.cycle)
        #expect(t.first == 2 + hop + 2)
        #expect(sim.deliveries[PECoord(2, 0)]!.map(\.cycle) == t.map { $0 + hop })
        #expect(sim.deliveries[PECoord(3, 0)]!.map(\.cycle) == t.map { $0 + 2 * hop })
        for x in 1...3 { #expect(sim.deliveries[PECoord(x, 0)]!.map(\.payload) == [0, 1, 2, 3, 4]) }
        // Copies count once per branch.
        #expect(sim.fabric.deliveredCount == 15)
    }

    @Test func twoStreamsSharingALinkTakeTurns() {
        // (0,0) and (0,1) both send to (2,1) through the link (1,1)→(2,1).
        let b = 16
        let routes = [
            route(0, 0, 0, [.ramp], [.east]), route(1, 0, 0, [.west], [.south]), route(1, 1, 0, [.north], [.east]),
            route(0, 1, 1, [.ramp], [.east]), route(1, 1, 1, [.west], [.east]),
            route(2, 1, 0, [.west], [.ramp]), route(2, 1, 1, [.west], [.ramp]),
        ]
        let values = (0..<UInt32(b)).map { $0 }
        let (sim, outcome) = simulate(
            routes,
            sends: [
                PlaygroundSend(pe: PECoord(0, 0), color: 0, values: values),
                PlaygroundSend(pe: PECoord(0, 1), color: 1, values: values),
            ])
        #expect(outcome == .finished)
        let cycles = sim.deliveries[PECoord(2, 1)]!.map(\.cycle)
        #expect(cycles.count == 2 * b)
        #expect(cycles.max()! - cycles.min()! >= 2 * b - 1)
        // One wavelet per link direction per cycle: no two arrivals in one cycle.
        #expect(Set(cycles).count == cycles.count)
        let east = sim.fabric.linkStatistics().first { $0.pe == PECoord(1, 1) && $0.direction == .east }!
        #expect(east.active == 2 * b)
        #expect(east.delayed > 0)
    }

    @Test(arguments: [1, 2])
    func backpressureFillsThePathThenTheSourceStalls(hop: Int) {
        // A sink that never consumes: the path holds exactly its capacity, then the source stalls.
        let d = 3
        let m = model(hop: hop, sinkRate: 0, stallLimit: 50)
        let routes = straight(from: PECoord(0, 0), .east, hops: d)
        let sim = Simulation(width: 8, height: 8, routes: routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<100))], model: m)
        _ = sim.run(limit: 400)
        let queueDepth = m.queueDepths[m.freeQueues[0]]
        // Injection FIFO (ramp stages + buffer), each hop (link stages + buffer), the core queue (ramp + queue).
        let capacity = (m.rampLatency + m.bufferDepth) + d * (hop + m.bufferDepth) + (m.rampLatency + queueDepth)
        #expect(sim.sends[0].next == capacity)
        #expect(sim.error?.category == .deadlock)
    }
}

@Suite struct FabricErrorTests {
    @Test func aWaveletWhereItsColorHasNoRouteIsAnError() {
        let routes = [route(0, 0, [.ramp], [.east]), route(1, 0, [.west], [.east])]
        let (sim, outcome) = simulate(routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [1])])
        guard case .failed(let e) = outcome else { Issue.record("expected an error"); return }
        #expect(
            e.kind == .unrouted(pe: PECoord(1, 0), color: 0, direction: .east, cycle: 5, next: PECoord(2, 0), from: .west, arrival: 6), "\(e.kind)")
        #expect(e.category == .unrouted)
        // The message says the cycle the simulation stopped at (what :status and the view then say) and when
        // the wavelet would have arrived.
        #expect(
            e.message == "at cycle 5, (1,0) sends a wavelet on color 0 EAST; it would arrive at (2,0) from WEST at cycle 6, but (2,0) has no route for color 0")
        #expect(sim.error == e)
        #expect(e.cycle == sim.cycle)
    }

    @Test func aWaveletFromADirectionNotInRxIsAnError() {
        let routes = [route(0, 0, [.ramp], [.east]), route(1, 0, [.north], [.ramp])]
        let (_, outcome) = simulate(routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [1])])
        guard case .failed(let e) = outcome else { Issue.record("expected an error"); return }
        guard case .wrongDirection(let pe, let color, let direction, _, let next, let from, let arrival, _) = e.kind else {
            Issue.record("expected a wrong direction, got \(e.kind)")
            return
        }
        #expect(pe == PECoord(0, 0) && color == 0 && direction == .east && next == PECoord(1, 0) && from == .west && arrival == 4)
    }

    @Test func twoWaveletsOnOneColorArrivingTogetherIsARace() {
        let routes = [route(0, 1, [.ramp], [.east]), route(2, 1, [.ramp], [.west]), route(1, 1, [.east, .west], [.ramp])]
        let (_, outcome) = simulate(
            routes,
            sends: [
                PlaygroundSend(pe: PECoord(0, 1), color: 0, values: [1]),
                PlaygroundSend(pe: PECoord(2, 1), color: 0, values: [2]),
            ])
        guard case .failed(let e) = outcome else { Issue.record("expected an error"); return }
        guard case .race(let color, let pe, let cycle, let from, let and) = e.kind else {
            Issue.record("expected a race, got \(e.kind)")
            return
        }
        #expect(color == 0 && pe == PECoord(1, 1) && cycle == 4 && Set([from, and]) == [.east, .west])
    }

    @Test func aRingWithFullBuffersIsADeadlock() {
        // A ring (0,0)→(1,0)→(1,1)→(0,1)→(0,0) on color 0 that every PE also feeds from its ramp.
        let routes = [
            route(0, 0, [.ramp, .south], [.east]), route(1, 0, [.ramp, .west], [.south]),
            route(1, 1, [.ramp, .north], [.west]), route(0, 1, [.ramp, .east], [.north]),
        ]
        let sends = [PECoord(0, 0), PECoord(1, 0), PECoord(1, 1), PECoord(0, 1)].map { PlaygroundSend(pe: $0, color: 0, values: Array(0..<40)) }
        let (_, outcome) = simulate(routes, sends: sends, model: model(stallLimit: 100))
        guard case .failed(let e) = outcome else { Issue.record("expected a deadlock, got \(outcome)"); return }
        guard case .deadlock(let limit, let stuck, _) = e.kind else {
            Issue.record("expected a deadlock, got \(e.kind)")
            return
        }
        #expect(limit == 100)
        #expect(
            Array(stuck.prefix(2)) == [
                "(0,0) holds 4 on color 0 from RAMP waiting to go EAST", "(0,0) holds 4 on color 0 from SOUTH waiting to go EAST",
            ])
        #expect(
            e.message.hasPrefix(
                "deadlock: no wavelet moved and no core worked for 100 cycles; stuck: (0,0) holds 4 on color 0 from RAMP waiting to go EAST; (0,0) holds 4 on color 0 from SOUTH waiting to go EAST;"
            ))
    }

    /// A misroute stops the cycle before its decided pushes land; a delivery decided earlier in that
    /// cycle still counts as a move (so the cycle is not counted as quiet).
    @Test func theCycleAMisrouteStopsStillCountsItsEarlierMoves() {
        let routes = [
            route(0, 0, 0, [.ramp], [.east]), route(1, 0, 0, [.west], [.ramp]),
            route(3, 0, 1, [.ramp], [.east]), route(4, 0, 1, [.west], [.east]),
        ]
        let sends = [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [7]), PlaygroundSend(pe: PECoord(3, 0), color: 1, values: [8])]
        let (sim, outcome) = simulate(routes, sends: sends, width: 5, height: 1, model: model(hop: 1, ramp: 1))
        guard case .failed(let e) = outcome else { Issue.record("expected an error"); return }
        #expect(e.kind == .leavesFabric(pe: PECoord(4, 0), color: 1, direction: .east, cycle: 3, next: PECoord(5, 0)), "\(e.kind)")
        #expect(e.cycle == 3 && e.cycle == sim.cycle)
        #expect(sim.fabric.movedThisCycle == 1)
        #expect(sim.quietCycles == 0)
        #expect(sim.fabric.hops == 2)
    }

    @Test func aSendOnAColorWithoutARampRouteIsAnError() {
        let (_, outcome) = simulate([route(1, 0, [.west], [.ramp])], sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [1])])
        guard case .failed(let e) = outcome else { Issue.record("expected an error"); return }
        #expect(e.kind == .coreSendUnrouted(pe: PECoord(0, 0), color: 0, cycle: 0, hasRoute: false))
        #expect(e.message == "the core at (0,0) sends on color 0 at cycle 0, but (0,0) has no route for color 0")
    }

    /// The core→router ramp is a link like the others: one wavelet per cycle, whatever its color
    /// (docs/fabric-model.md: 1 wavelet per cycle per direction per link). Four colors sent from one core at
    /// cycle 0 reach its four neighbours one cycle apart, in four different cycles, not all at once.
    @Test(arguments: [1, 2])
    func fourColorsFromOneCoreLeaveItsRampOnePerCycle(hop: Int) {
        let centre = PECoord(1, 1)
        let ways: [Direction] = [.north, .east, .south, .west]
        var routes: [RouteConfig] = []
        for (color, way) in ways.enumerated() {
            routes.append(route(1, 1, color, [.ramp], [way]))
            let (dx, dy) = way.step
            routes.append(route(1 + dx, 1 + dy, color, [way.opposite], [.ramp]))
        }
        let sends = ways.indices.map { PlaygroundSend(pe: centre, color: $0, values: [UInt32(10 + $0)]) }
        let (sim, outcome) = simulate(routes, sends: sends, width: 3, height: 3, model: model(hop: hop))
        #expect(outcome == .finished)
        let arrivals = ways.map { way -> Int in
            let (dx, dy) = way.step
            return sim.deliveries[PECoord(1 + dx, 1 + dy)]?.first?.cycle ?? -1
        }
        let first = 2 + hop + 2
        #expect(arrivals.sorted() == [first, first + 1, first + 2, first + 3], "arrivals \(arrivals)")
        // A stream of several wavelets per color: the ramp still carries one a cycle, so the last of
        // 4 colors × 5 wavelets arrives 19 cycles after the first.
        let streams = ways.indices.map { PlaygroundSend(pe: centre, color: $0, values: (0..<5).map { UInt32($0) }) }
        let (busy, busyOutcome) = simulate(routes, sends: streams, width: 3, height: 3, model: model(hop: hop))
        #expect(busyOutcome == .finished)
        let cycles = busy.deliveries.values.flatMap { $0.map(\.cycle) }
        #expect(cycles.count == 20)
        #expect(Set(cycles).count == 20, "one wavelet a cycle leaves the ramp: no two arrive together")
        #expect(cycles.max()! - cycles.min()! == 19)
    }
}
