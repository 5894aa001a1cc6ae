import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import Testing

/// Host streams at the rectangle's edges (memcpy's streaming mode) and FABRIC_MODEL's teaching case 7,
/// Cerebras' `pipeline-01-basic`: one PE; the host streams `size` wavelets in on one color from the west
/// edge, the core adds 1 to each and sends it on a second color off the west edge; memcpy runs the stream
/// out only after the stream in has finished, so the results pile up and the stream in stalls when more
/// than 14 are outstanding. The 14 is the sum of named capacities (docs/fabric-model.md, "Host edges"):
/// the link into the PE (hop_latency + buffer_depth), the core's input queue 2 (ramp_latency + its depth),
/// the ramp up (ramp_latency + buffer_depth), and memcpy's buffering at the edge (host_in_buffer +
/// host_out_buffer).
@Suite struct HostStreamTests {
    static let inColor = 0, outColor = 1

    /// pipeline-01 in the playground: the two routes, the add core, and the host streams in and out.
    static func pipeline(size: Int, architecture: Architecture = .wse2) throws -> (FabricProgram, [TransferSource: TensorValue]) {
        let routes = [
            RouteConfig(pe: PECoord(0, 0), color: inColor, rx: [.west], tx: [.ramp]),
            RouteConfig(pe: PECoord(0, 0), color: outColor, rx: [.ramp], tx: [.west]),
        ]
        let values = (0..<size).map { UInt32($0 * 3) }
        let program = try PlaygroundProgram.make(
            routes: routes, colorNames: ["h2d": inColor, "d2h": outColor], sends: [],
            reactions: [.init(pe: PECoord(0, 0), action: .chain(from: inColor, to: outColor, combine: .add, count: size), dtype: .i32)],
            hostStreams: [
                HostStream(pe: PECoord(0, 0), color: inColor, side: .west, way: .toDevice(values)),
                HostStream(pe: PECoord(0, 0), color: outColor, side: .west, way: .toHost(count: size)),
            ],
            architecture: architecture, fabric: FabricSize(width: 1, height: 1), peDataBudget: Architecture.defaultPEDataBudget)
        let inputs: [TransferSource: TensorValue] = [
            .playgroundValues(color: outColor): TensorValue(TensorType(Shape([size]), .i32), exact: Array(repeating: 1, count: size))
        ]
        return (program, inputs)
    }

    /// The largest `size` the model lets pipeline-01 finish: the capacities between the host's two streams.
    static func modelledCapacity(_ m: FabricModel, queue: Int = 2) -> Int {
        (m.hopLatency + m.bufferDepth) + (m.rampLatency + m.queueDepths[queue]) + (m.rampLatency + m.bufferDepth) + m.hostInBuffer + m.hostOutBuffer
    }

    static func outcome(size: Int, model: FabricModel, architecture: Architecture = .wse2) throws -> (RunOutcome, Simulation) {
        let (program, inputs) = try pipeline(size: size, architecture: architecture)
        var m = model
        m.architecture = architecture
        m.stallLimit = 200
        let sim = try Simulation(program: program, inputs: inputs, model: m)
        return (sim.run(limit: 100_000), sim)
    }

    @Test func pipeline01FinishesWith14AndStallsWith15OnWSE2() throws {
        #expect(Self.modelledCapacity(FabricModel()) == 14, "the defaults give the tutorial's 14")
        let (done, sim14) = try Self.outcome(size: 14, model: FabricModel())
        #expect(done == .finished)
        // Every value came back to the host plus one, in order.
        #expect(sim14.hostEdges?.received[1] == (0..<14).map { UInt32($0 * 3 + 1) })
        let (stalled, sim15) = try Self.outcome(size: 15, model: FabricModel())
        guard case .failed(let e) = stalled else {
            Issue.record("size 15 should stall, got \(stalled)")
            return
        }
        #expect(e.isStall && e.category == .stall)
        guard case .hostStreamStall(_, let pe, let color, let side, let queue, let total, let left, let outstanding, _, let after) = e.kind else {
            Issue.record("a host stream stall, got \(e.message)")
            return
        }
        #expect(pe == PECoord(0, 0) && color == Self.inColor && side == .west && queue == 2)
        #expect(total == 15 && left == 1 && outstanding == 14)
        #expect(after == ["the host stream out of (0,0) on color 1"])
        #expect(e.message.contains("14 wavelets are outstanding and 1 of its 15 still waits at the host"), "\(e.message)")
        #expect(e.message.contains("input queue 2"), "\(e.message)")
        #expect(sim15.hostEdges?.received[1] == [], "the stream out never started")
    }

    /// The 14 is a sum, not a constant: each named capacity moves the stall point by exactly its change.
    @Test(arguments: [
        ("host_in_buffer", 3), ("host_out_buffer", 2), ("buffer_depth", 1), ("ramp_latency", 1), ("hop_latency", 2),
    ])
    func eachNamedCapacityMovesTheStallPointByItsChange(setting: String, by: Int) throws {
        var m = FabricModel()
        switch setting {
        case "host_in_buffer": m.hostInBuffer += by
        case "host_out_buffer": m.hostOutBuffer += by
        case "buffer_depth": m.bufferDepth += by
        case "ramp_latency": m.rampLatency += by
        default: m.hopLatency += by
        }
        let capacity = Self.modelledCapacity(m)
        // buffer_depth and ramp_latency count twice (into the PE and up its ramp), the others once.
        let times = ["buffer_depth", "ramp_latency"].contains(setting) ? 2 : 1
        #expect(capacity == 14 + times * by)
        #expect(try Self.outcome(size: capacity, model: m).0 == .finished, "\(setting) +\(by): \(capacity) fit")
        let (over, _) = try Self.outcome(size: capacity + 1, model: m)
        guard case .failed(let e) = over, case .hostStreamStall(_, _, _, _, _, _, let left, let outstanding, _, _) = e.kind else {
            Issue.record("\(setting) +\(by): \(capacity + 1) should stall, got \(over)")
            return
        }
        // What memcpy's buffer holds is outstanding too; the rest waits at the host.
        #expect(outstanding == capacity && left == 1 + m.hostInBuffer, "\(e.message)")
    }

    /// WSE-3's queue 2 is also 4 deep: the model predicts the same 14 there.
    @Test func theModelPredicts14OnWSE3Too() throws {
        var m = FabricModel()
        m.architecture = .wse3
        #expect(Self.modelledCapacity(m) == 14)
        #expect(try Self.outcome(size: 14, model: FabricModel(), architecture: .wse3).0 == .finished)
        guard case .failed(let e) = try Self.outcome(size: 15, model: FabricModel(), architecture: .wse3).0 else {
            Issue.record("size 15 should stall on wse3")
            return
        }
        #expect(e.category == .stall)
    }

    /// gemv-09's streaming pattern in the playground: the host streams x into the row's west edge, every PE of
    /// the row takes it (WEST -> RAMP, EAST) and a chain cell adds its own value to each element and sends the
    /// result off the north edge; the host then reads each PE's results, one stream after the other.
    @Test func aStreamAlongARowFeedsEveryCoreAndTheHostReadsThemInTurn() throws {
        let x: [UInt32] = [10, 20, 30, 40], width = 3
        var routes: [RouteConfig] = []
        var reactions: [PlaygroundProgram.Reaction] = []
        var streams = [HostStream(pe: PECoord(0, 0), color: 0, side: .west, way: .toDevice(x))]
        for i in 0..<width {
            routes.append(RouteConfig(pe: PECoord(i, 0), color: 0, rx: [.west], tx: i == width - 1 ? [.ramp] : [.ramp, .east]))
            routes.append(RouteConfig(pe: PECoord(i, 0), color: 1, rx: [.ramp], tx: [.north]))
            reactions.append(.init(pe: PECoord(i, 0), action: .chain(from: 0, to: 1, combine: .add, count: x.count), dtype: .i32))
            streams.append(HostStream(pe: PECoord(i, 0), color: 1, side: .north, way: .toHost(count: x.count)))
        }
        let program = try PlaygroundProgram.make(
            routes: routes, colorNames: [:], sends: [], reactions: reactions, hostStreams: streams, architecture: .wse2,
            fabric: FabricSize(width: width, height: 1), peDataBudget: Architecture.defaultPEDataBudget)
        // PE i adds 100 * (i + 1) to every element.
        let own = (0..<width).flatMap { i in Array(repeating: Double(100 * (i + 1)), count: x.count) }
        let inputs: [TransferSource: TensorValue] = [.playgroundValues(color: 1): TensorValue(TensorType(Shape([own.count]), .i32), exact: own)]
        let sim = try Simulation(program: program, inputs: inputs, model: FabricModel())
        // Cycle by cycle: a stream out reads nothing before the one before it has read all it reads.
        var early: [String] = []
        while !sim.isFinished && sim.error == nil && sim.cycle < 10_000 {
            sim.step()
            let e = try #require(sim.hostEdges)
            for k in 2...width where e.moved[k] > 0 && e.moved[k - 1] < x.count { early.append("stream \(k) at cycle \(sim.cycle)") }
        }
        #expect(sim.isFinished && sim.error == nil)
        #expect(early.isEmpty, "\(early)")
        let edges = try #require(sim.hostEdges)
        for i in 0..<width {
            #expect(edges.received[i + 1] == x.map { $0 + UInt32(100 * (i + 1)) }, "PE (\(i),0)")
        }
        #expect(edges.lastMoveCycle[0] == x.count - 1, "the stream in enters one a cycle from cycle 0")
        #expect(edges.current == streams.count && edges.outstanding == 0, "everything that went in came out")
    }

    /// Going back restores the host streams with the fabric: a run that goes back mid-stream and on to
    /// the end reads the same values at the same cycles and stalls at the same cycle as a straight run.
    @Test(arguments: [14, 15])
    func goingBackReplaysTheHostStreams(size: Int) throws {
        func run(rewindingAt back: Int?) throws -> (RunOutcome, [UInt32], [Int], Int) {
            let (program, inputs) = try Self.pipeline(size: size)
            var m = FabricModel()
            m.stallLimit = 50
            let sim = try Simulation(program: program, inputs: inputs, model: m)
            sim.keepCheckpoints(CheckpointPolicy(interval: 4, byteLimit: 1 << 24))
            if let back {
                _ = sim.advance(back + 9)
                #expect(sim.seek(to: back) != .noCheckpoint)
            }
            let outcome = sim.run(limit: 10_000)
            let edges = try #require(sim.hostEdges)
            return (outcome, edges.received[1], edges.lastMoveCycle, sim.cycle)
        }
        let straight = try run(rewindingAt: nil)
        for back in [3, 9, 14] {
            let rewound = try run(rewindingAt: back)
            #expect(rewound.0 == straight.0 && rewound.1 == straight.1 && rewound.2 == straight.2 && rewound.3 == straight.3, "back to \(back)")
        }
    }
}

/// Checkpoints of a long stream out: each keeps how much the edge had taken, not a copy of it (a copy per
/// checkpoint grew the memory with the square of the stream: 20,000 wavelets with a checkpoint a cycle took
/// 926 MB), and going back cuts what was taken to what it was then.
@Suite struct HostStreamCheckpointTests {
    @Test func checkpointsHoldCountsOfWhatTheEdgeTookNotCopies() throws {
        let n = 3_000
        let routes = [RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.ramp], tx: [.west])]
        let sim = Simulation(
            width: 1, height: 1, routes: routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: (0..<n).map { UInt32($0) })],
            model: FabricModel(), hostStreams: [HostStream(pe: PECoord(0, 0), color: 0, side: .west, way: .toHost(count: n))])
        sim.keepCheckpoints(CheckpointPolicy(interval: 1, byteLimit: 1 << 30))
        #expect(sim.run(limit: 100_000) == .finished)
        let store = try #require(sim.checkpoints)
        #expect(store.list.count > n / 2, "a checkpoint a cycle")
        #expect(store.list.allSatisfy { $0.hostEdges?.received.allSatisfy(\.isEmpty) ?? false })
        #expect(store.list.last.map { $0.hostReceivedCounts.reduce(0, +) > n / 2 } == true)
        // Going back restores what the edge had taken then, and running on gives every value once.
        let halfway = n / 2
        #expect(sim.seek(to: halfway) != .noCheckpoint)
        let edges = try #require(sim.hostEdges)
        #expect(edges.received[0] == (0..<UInt32(edges.moved[0])).map { $0 })
        #expect(edges.moved[0] < n)
        #expect(sim.run(limit: 100_000) == .finished)
        #expect(sim.hostEdges?.received[0] == (0..<n).map { UInt32($0) })
    }
}

/// The stall message when no wavelet of the stream got in at all (a stream behind another into the same full route).
@Suite struct HostStreamStallMessageTests {
    @Test func aStreamThatNeverEnteredSaysSo() throws {
        let routes = [
            RouteConfig(pe: PECoord(0, 0), color: 0, rx: [.west], tx: [.ramp]),
            RouteConfig(pe: PECoord(0, 0), color: 1, rx: [.ramp], tx: [.west]),
        ]
        var m = FabricModel()
        m.sinkRate = 0
        m.stallLimit = 30
        // The first stream fills the route (4) and the core queue (2 + queue 1's 6; no core reads it: sink_rate 0);
        // the second cannot enter.
        let sim = Simulation(
            width: 1, height: 1, routes: routes, sends: [], model: m,
            hostStreams: [
                HostStream(pe: PECoord(0, 0), color: 0, side: .west, way: .toDevice(Array(0..<12))),
                HostStream(pe: PECoord(0, 0), color: 0, side: .west, way: .toDevice([7])),
            ])
        guard case .failed(let e) = sim.run(limit: 1_000) else {
            Issue.record("the second stream should stall")
            return
        }
        #expect(
            e.message.contains(
                "the host stream into (0,0) on color 0 (from WEST) cannot finish, 12 wavelets are outstanding and 1 of its 1 still waits at the host; no more fit into (0,0)'s route and its input queue 1 from the start of this stream"
            ), "\(e.message)")
    }
}
