import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// A small deterministic random source for the generated playgrounds (SplitMix64).
struct RewindRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
}

/// A random playground: a few colors, each with paths that start at a core's ramp, wander across the
/// fabric (sometimes dropping copies into cores on the way, sometimes off a route's end), and end in a
/// core; sends of random lengths; a random fabric model. Some deadlock, misroute or race: those end
/// the same way every time too.
struct RandomPlayground: CustomTestStringConvertible, Sendable {
    var seed: UInt64
    var width = 0, height = 0
    var routes: [RouteConfig] = []
    var sends: [PlaygroundSend] = []
    var model = FabricModel()
    var hostStreams: [HostStream] = []

    init(seed: UInt64) {
        self.seed = seed
        var r = RewindRandom(state: seed)
        width = r.int(2...8)
        height = r.int(1...6)
        model.hopLatency = r.int(1...3)
        model.rampLatency = r.int(0...3)
        model.bufferDepth = r.int(1...4)
        model.sinkRate = r.chance(85) ? 1 : 0
        model.stallLimit = 300
        var used = Set<Int>()  // (pe, color) keys
        let steps: [Direction] = [.north, .east, .south, .west]
        for color in 0..<r.int(1...4) {
            if r.chance(40) { join(color: color, &r, &used) }
            if r.chance(8) { ring(color: color, &r, &used) }
            for _ in 0..<r.int(1...3) {
                var at = PECoord(r.int(0...(width - 1)), r.int(0...(height - 1)))
                guard !used.contains((at.y * width + at.x) * 32 + color) else { continue }
                var rx: Direction = .ramp
                var path: [(PECoord, Direction, [Direction])] = []
                for _ in 0..<r.int(1...8) {
                    let d = steps[r.int(0...3)]
                    let (dx, dy) = d.step
                    let next = PECoord(at.x + dx, at.y + dy)
                    let inside = next.x >= 0 && next.x < width && next.y >= 0 && next.y < height
                    // Mostly stay on the fabric and off PEs this color already routes through.
                    if (!inside && !r.chance(5)) || (inside && used.contains((next.y * width + next.x) * 32 + color)) || path.contains(where: { $0.0 == next })
                    {
                        continue
                    }
                    var tx = [d]
                    if r.chance(25) { tx.append(.ramp) }
                    path.append((at, rx, tx))
                    used.insert((at.y * width + at.x) * 32 + color)
                    if !inside { break }
                    at = next
                    rx = d.opposite
                }
                if at.x >= 0 && at.x < width && at.y >= 0 && at.y < height && !used.contains((at.y * width + at.x) * 32 + color) {
                    path.append((at, rx, [.ramp]))
                    used.insert((at.y * width + at.x) * 32 + color)
                }
                guard let start = path.first else { continue }
                for (pe, rx, tx) in path { routes.append(RouteConfig(pe: pe, color: color, rx: [rx], tx: DirectionSet(tx))) }
                let values = (0..<r.int(1...24)).map { _ in UInt32(truncatingIfNeeded: r.next()) }
                sends.append(PlaygroundSend(pe: start.0, color: color, values: values))
                if r.chance(20) { sends.append(PlaygroundSend(pe: start.0, color: color, values: [7, 8, 9])) }
            }
        }
        decorate(&routes, &sends, architecture: model.architecture, seed: seed)
        if r.chance(30) { hostEdges(&r) }
    }

    /// Host streams (colors 18 and 19, which nothing else uses): one in from the west edge to a core, one
    /// out that a send feeds, in either order (memcpy runs them one at a time), sometimes reading one more
    /// than comes (a stall), with random memcpy buffering.
    mutating func hostEdges(_ r: inout RewindRandom) {
        let y = r.int(0...(height - 1)), y2 = r.int(0...(height - 1))
        if width >= 2 {
            routes.append(RouteConfig(pe: PECoord(0, y), color: 18, rx: [.west], tx: [.east]))
            routes.append(RouteConfig(pe: PECoord(1, y), color: 18, rx: [.west], tx: [.ramp]))
        } else {
            routes.append(RouteConfig(pe: PECoord(0, y), color: 18, rx: [.west], tx: [.ramp]))
        }
        routes.append(RouteConfig(pe: PECoord(0, y2), color: 19, rx: [.ramp], tx: [.west]))
        let values = (0..<r.int(1...20)).map { UInt32($0 * 5) }
        let sent = (0..<r.int(1...12)).map { UInt32($0 + 1000) }
        sends.append(PlaygroundSend(pe: PECoord(0, y2), color: 19, values: sent))
        var streams = [
            HostStream(pe: PECoord(0, y), color: 18, side: .west, way: .toDevice(values)),
            HostStream(pe: PECoord(0, y2), color: 19, side: .west, way: .toHost(count: sent.count + (r.chance(20) ? 1 : 0))),
        ]
        if r.chance(50) { streams.swapAt(0, 1) }
        hostStreams = streams
        model.hostInBuffer = r.int(0...2)
        model.hostOutBuffer = r.int(0...2)
    }

    /// Two senders, west and north of a PE, into one route with both in its rx (round robin, Delayed
    /// outputs, and now and then two arrivals in one cycle: a race).
    mutating func join(color: Int, _ r: inout RewindRandom, _ used: inout Set<Int>) {
        guard width >= 2, height >= 2 else { return }
        let t = PECoord(r.int(1...(width - 1)), r.int(1...(height - 1)))
        let west = PECoord(t.x - 1, t.y), north = PECoord(t.x, t.y - 1)
        let keys = [t, west, north].map { ($0.y * width + $0.x) * 32 + color }
        guard !keys.contains(where: used.contains) else { return }
        used.formUnion(keys)
        routes.append(RouteConfig(pe: west, color: color, rx: [.ramp], tx: [.east]))
        routes.append(RouteConfig(pe: north, color: color, rx: [.ramp], tx: [.south]))
        routes.append(RouteConfig(pe: t, color: color, rx: r.chance(30) ? [.west, .north, .ramp] : [.west, .north], tx: [.ramp]))
        for pe in [west, north] { sends.append(PlaygroundSend(pe: pe, color: color, values: (0..<r.int(1...12)).map { UInt32($0 + 100 * pe.x) })) }
        if r.chance(30) { sends.append(PlaygroundSend(pe: t, color: color, values: [1, 2])) }
    }

    /// A ring of four PEs that a sender feeds and no core leaves: the wavelets circle (a livelock).
    mutating func ring(color: Int, _ r: inout RewindRandom, _ used: inout Set<Int>) {
        guard width >= 2, height >= 2 else { return }
        let corner = PECoord(r.int(0...(width - 2)), r.int(0...(height - 2)))
        let pes = [corner, PECoord(corner.x + 1, corner.y), PECoord(corner.x + 1, corner.y + 1), PECoord(corner.x, corner.y + 1)]
        let keys = pes.map { ($0.y * width + $0.x) * 32 + color }
        guard !keys.contains(where: used.contains) else { return }
        used.formUnion(keys)
        routes.append(RouteConfig(pe: pes[0], color: color, rx: [.ramp, .south], tx: [.east]))
        routes.append(RouteConfig(pe: pes[1], color: color, rx: [.west], tx: [.south]))
        routes.append(RouteConfig(pe: pes[2], color: color, rx: [.north], tx: [.west]))
        routes.append(RouteConfig(pe: pes[3], color: color, rx: [.east], tx: [.north]))
        sends.append(PlaygroundSend(pe: pes[0], color: color, values: (0..<r.int(1...6)).map { UInt32($0) }))
    }

    func make() -> Simulation { Simulation(width: width, height: height, routes: routes, sends: sends, model: model, hostStreams: hostStreams) }

    var testDescription: String { "seed \(seed): \(width)x\(height), \(routes.count) routes, \(sends.count) sends, \(hostStreams.count) host streams" }
}

/// What a run to the end leaves: how it ended and every delivery with its cycle, the link and busy counts.
struct RunRecord: Equatable {
    var outcome: String
    var cycle: Int
    var deliveries: [PECoord: [Delivery]]
    var hops: [Int]
    var links: [String]
    var busy: [PECoord: Int]
    /// Switch moves and filter drops.
    var events: [Int]
    /// What each host stream moved and read, and the cycle of its last move.
    var host: [[Int]]

    init(_ sim: Simulation, _ outcome: RunOutcome) {
        self.outcome = "\(outcome)"
        cycle = sim.cycle
        deliveries = sim.deliveries
        hops = sim.fabric.hopsByColor
        links = sim.fabric.linkStatistics().map { "\($0.pe) \($0.direction) \($0.active) \($0.delayed) \($0.backpressure)" }
        busy = sim.busyCycles
        events = [sim.fabric.totalSwitchMoves, sim.fabric.totalFilterDrops]
        let edges = sim.hostEdges
        host = edges.map { e in [e.moved, e.lastMoveCycle, [e.current]] + e.received.map { $0.map(Int.init) } } ?? []
    }
}

/// Rewinding (`seek(to:)` back through checkpoints) then running to the end gives the run a straight
/// run gives, delivery for delivery and cycle for cycle, over random playgrounds and lowered programs.
@Suite struct RewindPropertyTests {
    static let seeds: [UInt64] = Array(1...240)

    /// Runs `make()` straight to the end, then a second copy with checkpoints to the end, back to
    /// random cycles (thinning the checkpoints on the way when the byte limit is small), and to the end
    /// again: each time the record must be the straight run's.
    static func check(_ make: () throws -> Simulation, seed: UInt64, limit: Int = 20_000) rethrows {
        var r = RewindRandom(state: seed &* 7919)
        let straight = try make()
        let expected = RunRecord(straight, straight.run(limit: limit))
        let sim = try make()
        let policy = CheckpointPolicy(interval: r.int(1...40), byteLimit: r.chance(30) ? r.int(0...20_000) : 1 << 30)
        sim.keepCheckpoints(policy)
        // Part of the way first, sometimes in steps, then to the end.
        if r.chance(50) { _ = sim.advance(r.int(0...max(1, straight.cycle))) }
        var outcome = sim.run(limit: limit)
        #expect(RunRecord(sim, outcome) == expected, "run with checkpoints")
        for round in 0..<3 {
            let end = sim.cycle
            let target = r.int(0...max(0, end))
            let seek = sim.seek(to: target)
            #expect(sim.cycle == target, "round \(round): seek to \(target) from \(end) gave \(seek) at cycle \(sim.cycle)")
            outcome = sim.run(limit: limit)
            let again = RunRecord(sim, outcome)
            #expect(again == expected, "round \(round): back to cycle \(target) of \(end), then to the end")
            if again != expected { return }
        }
    }

    @Test(arguments: seeds)
    func goToThenRunGivesTheStraightRun(_ seed: UInt64) {
        let playground = RandomPlayground(seed: seed)
        RewindPropertyTests.check({ playground.make() }, seed: seed)
    }

    @Test(arguments: [
        (["x = randn([16, 16], seed=4)", "s = sum(x, dim=1) on ColPartition(4)"], "s"),
        (["a = randn([8, 8], seed=5)", "b = randn([8, 8], seed=6)", "m = a @ b on Grid(2, 4)"], "m"),
        (["x = randn([8, 8], seed=3)", "u = relu(x) on RowPartition(4)", "t = mean(u, dim=0) on Grid(2, 4)"], "t"),
    ])
    func goToThenRunGivesTheStraightRunOfAProgram(_ statements: [String], _ name: String) throws {
        let make = InvariantTests.program(statements, name, hop: 2)
        _ = try make()
        for seed in UInt64(1)...4 {
            try RewindPropertyTests.check(make, seed: seed)
        }
    }

    /// A program's read-back after a rewind and a run to the end is the reference's.
    @Test func aPlaygroundWithReactingCoresRewindsCycleForCycle() throws {
        let make: () throws -> Simulation = {
            let (program, inputs) = try ReactingCoreTests.chain(
                sent: [1, 2, 3, 4, 5, 6, 7, 8], first: [10, 20, 30, 40, 50, 60, 70, 80], second: [5, 5, 5, 5, 5, 5, 5, 5], dtype: .i32)
            return try Simulation(program: program, inputs: inputs, model: model())
        }
        #expect(try make().cores.count == 3)
        for seed in UInt64(1)...4 {
            try RewindPropertyTests.check(make, seed: seed)
        }
    }

    @Test func programResultAfterRewindMatches() throws {
        let make = InvariantTests.program(["a = randn([8, 8], seed=5)", "b = randn([8, 8], seed=6)", "m = a @ b on Grid(2, 4)"], "m", hop: 2)
        let sim = try make()
        sim.keepCheckpoints(CheckpointPolicy(interval: 16, byteLimit: 1 << 30))
        #expect(sim.run(limit: 100_000) == .finished)
        let end = sim.cycle
        #expect(sim.seek(to: end / 2) == .arrived(from: (end / 2) / 16 * 16, ran: end / 2 - (end / 2) / 16 * 16))
        #expect(sim.run(limit: 100_000) == .finished)
        #expect(sim.cycle == end)
    }

    @Test func seekBeforeAnyCheckpointSaysSo() {
        let sim = Simulation(
            width: 4, height: 1, routes: straight(from: PECoord(0, 0), .east, hops: 2),
            sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [1, 2, 3])], model: model())
        _ = sim.advance(5)
        #expect(sim.seek(to: 2) == .noCheckpoint)
        #expect(sim.cycle == 5)
    }

    @Test func checkpointsStayWithinTheirMemoryByThinning() {
        let sim = Simulation(
            width: 8, height: 1, routes: straight(from: PECoord(0, 0), .east, hops: 7),
            sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<400))], model: model())
        sim.keepCheckpoints(CheckpointPolicy(interval: 1, byteLimit: 40_000))
        #expect(sim.run(limit: 10_000) == .finished)
        guard let store = sim.checkpoints else { Issue.record("no checkpoints"); return }
        #expect(store.byteCount <= 40_000)
        #expect(store.interval > 1)
        #expect(store.list.first?.cycle == 0)
        // Still rewinds anywhere, the same.
        let end = sim.cycle
        let deliveries = sim.deliveries
        #expect(sim.seek(to: 3) != .noCheckpoint)
        #expect(sim.run(limit: 10_000) == .finished)
        #expect(sim.cycle == end && sim.deliveries == deliveries)
    }
}
