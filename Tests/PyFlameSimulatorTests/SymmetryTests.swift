import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// The router loop walks PEs in address order, so a push east or south lands in a PE the scan has yet
/// to reach and a push west or north in one it has passed, but what it simulates must not depend on
/// that order: a pattern and its mirror image (east and west swapped, or north and south) deliver the
/// same wavelets at the same cycles, and every router output counts the same Active, Delayed and
/// Backpressure cycles.
@Suite struct SymmetryTests {
    /// A playground pattern on a `width` x `height` fabric.
    struct Pattern: CustomTestStringConvertible, Sendable {
        let name: String
        let width: Int, height: Int
        let routes: [RouteConfig]
        let sends: [PlaygroundSend]
        /// Deliveries to cores (a multicast's copies counted once per branch).
        let deliveries: Int
        var testDescription: String { name }
    }

    static let patterns = [
        // Two streams sharing the link (1,1)→(2,1), one into a multicast on to (3,1), the other ending
        // early; payloads tell the streams apart.
        Pattern(
            name: "contention and multicast", width: 4, height: 4,
            routes: [
                route(0, 0, 0, [.ramp], [.east]), route(1, 0, 0, [.west], [.south]), route(1, 1, 0, [.north], [.east]),
                route(0, 1, 1, [.ramp], [.east]), route(1, 1, 1, [.west], [.east]),
                route(2, 1, 0, [.west], [.ramp, .east]), route(3, 1, 0, [.west], [.ramp]), route(2, 1, 1, [.west], [.ramp]),
            ],
            sends: [
                PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<30)),
                PlaygroundSend(pe: PECoord(0, 1), color: 1, values: Array(100..<110)),
            ],
            deliveries: 70),
        // A row stream backed up behind a short stream on the link (2,0)→(3,0), then released: full
        // FIFOs pop on consecutive cycles while their senders push into them. A slot popped in a cycle
        // is free only in the next, whether the scan reaches the receiver before its sender or after;
        // with a slot free at once, a sender the scan reaches after its receiver would push a cycle
        // sooner and meet less Backpressure than its mirror image (its deliveries do not change: the
        // receiver's buffer covers the bubble).
        Pattern(
            name: "released backlog", width: 5, height: 2,
            routes: straight(from: PECoord(0, 0), .east, hops: 4, color: 0)
                + [route(2, 1, 1, [.ramp], [.north]), route(2, 0, 1, [.south], [.east]), route(3, 0, 1, [.west], [.ramp])],
            sends: [
                PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<40)),
                PlaygroundSend(pe: PECoord(2, 1), color: 1, values: Array(100..<108)),
            ],
            deliveries: 48),
        // The contention above beside a switch sending to its four neighbours in turn (topic-06), a range
        // filter that keeps two of four wavelets from a core while forwarding all (topic-08), and a color
        // pair swapping on a row (topic-14).
        Pattern(
            name: "switches, filter and color swap beside contention", width: 4, height: 4,
            routes: [
                route(0, 0, 0, [.ramp], [.east]), route(1, 0, 0, [.west], [.south]), route(1, 1, 0, [.north], [.east]),
                route(0, 1, 1, [.ramp], [.east]), route(1, 1, 1, [.west], [.east]),
                route(2, 1, 0, [.west], [.ramp, .east]), route(3, 1, 0, [.west], [.ramp]), route(2, 1, 1, [.west], [.ramp]),
                RouteConfig(
                    pe: PECoord(2, 2), color: 2, rx: [.ramp], tx: [.north],
                    switches: RouteSwitches(
                        positions: [SwitchPosition(tx: [.west]), SwitchPosition(tx: [.east]), SwitchPosition(tx: [.south])], currentPosition: 1, ringMode: true)
                ),
                route(2, 1, 2, [.south], [.ramp]), route(1, 2, 2, [.east], [.ramp]), route(3, 2, 2, [.west], [.ramp]), route(2, 3, 2, [.north], [.ramp]),
                route(0, 3, 3, [.ramp], [.east]),
                RouteConfig(pe: PECoord(1, 3), color: 3, rx: [.west], tx: [.ramp, .east], filter: RouteFilter(minIndex: 1, maxIndex: 1)),
                route(2, 3, 3, [.west], [.ramp]),
                RouteConfig(pe: PECoord(0, 2), color: 4, rx: [.ramp], tx: [.ramp, .south], colorSwapY: true),
                RouteConfig(pe: PECoord(0, 3), color: 5, rx: [.north], tx: [.ramp], colorSwapY: true),
            ],
            sends: [
                PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<30)),
                PlaygroundSend(pe: PECoord(0, 1), color: 1, values: Array(100..<110)),
                PlaygroundSend(
                    pe: PECoord(2, 2), color: 2,
                    wavelets: [10, 11, 12, 13].flatMap { [.control(ControlWavelet([ControlItem(.switchAdvance, ceIgnore: true)])), WaveletValue.data($0)] }),
                PlaygroundSend(pe: PECoord(0, 3), color: 3, wavelets: [0, 1, 2, 1].map { WaveletValue.indexed(index: $0, data: 7) }),
                PlaygroundSend(pe: PECoord(0, 2), color: 4, values: [40, 41]),
            ],
            deliveries: 70 + 4 + 2 + 4 + 4),
    ]

    enum Mirror: CaseIterable { case eastWest, northSouth }

    static func mirrored(_ d: Direction, _ m: Mirror) -> Direction {
        switch (m, d) {
        case (.eastWest, .east): return .west
        case (.eastWest, .west): return .east
        case (.northSouth, .north): return .south
        case (.northSouth, .south): return .north
        default: return d
        }
    }

    static func mirrored(_ pe: PECoord, _ m: Mirror, in p: Pattern) -> PECoord {
        m == .eastWest ? PECoord(p.width - 1 - pe.x, pe.y) : PECoord(pe.x, p.height - 1 - pe.y)
    }

    /// Every delivery as "PE color payload @cycle", with PEs mapped back through `m` when given.
    static func deliveries(_ sim: Simulation, unmirroring m: Mirror?, in p: Pattern) -> [String] {
        sim.deliveries.flatMap { pe, list in
            list.map { "\(m.map { mirrored(pe, $0, in: p) } ?? pe) c\($0.color) \($0.payload) @\($0.cycle)" }
        }.sorted()
    }

    /// Every router output's Active, Delayed and Backpressure counts, mapped back through `m` when given.
    static func outputs(_ sim: Simulation, unmirroring m: Mirror?, in p: Pattern) -> [String] {
        sim.fabric.linkStatistics().map { s in
            let pe = m.map { mirrored(s.pe, $0, in: p) } ?? s.pe
            let direction = m.map { mirrored(s.direction, $0) } ?? s.direction
            return "\(pe) \(direction) active \(s.active) delayed \(s.delayed) backpressure \(s.backpressure)"
        }.sorted()
    }

    @Test(arguments: patterns, [1, 2])
    func aPatternAndItsMirrorImagesDeliverAndCountAlike(_ p: Pattern, hop: Int) {
        for depth in [1, 2] {
            let model = model(hop: hop, ramp: 1, depth: depth)
            let (original, outcome) = simulate(p.routes, sends: p.sends, width: p.width, height: p.height, model: model)
            #expect(outcome == .finished)
            #expect(Self.deliveries(original, unmirroring: nil, in: p).count == p.deliveries)
            // The pattern waits somewhere, or it would pin nothing.
            #expect(original.fabric.linkStatistics().contains { $0.backpressure > 0 })
            for m in Mirror.allCases {
                func flip(_ set: DirectionSet) -> DirectionSet { DirectionSet(set.sorted.map { Self.mirrored($0, m) }) }
                let flipped = p.routes.map { r in
                    var image = r
                    image.pe = Self.mirrored(r.pe, m, in: p)
                    image.rx = flip(r.rx)
                    image.tx = flip(r.tx)
                    image.switches?.positions = r.switches?.positions.map { SwitchPosition(rx: $0.rx.map(flip), tx: $0.tx.map(flip)) } ?? []
                    return image
                }
                let flippedSends = p.sends.map {
                    var image = $0
                    image.pe = Self.mirrored($0.pe, m, in: p)
                    return image
                }
                let (image, imageOutcome) = simulate(flipped, sends: flippedSends, width: p.width, height: p.height, model: model)
                #expect(imageOutcome == .finished)
                #expect(Self.deliveries(image, unmirroring: m, in: p) == Self.deliveries(original, unmirroring: nil, in: p), "\(m), depth \(depth)")
                #expect(Self.outputs(image, unmirroring: m, in: p) == Self.outputs(original, unmirroring: nil, in: p), "\(m), depth \(depth)")
                #expect(image.cycle == original.cycle)
            }
        }
    }

    /// The playground's reacting cores in the scan's both directions: gemv-08's hand-built chain along row 0
    /// of a 4x2 fabric, and its mirror images (running west; on row 1), deliver the same sums at the same
    /// cycles and count the same link states. A second stream shares the chain's last link so cores wait.
    @Test(arguments: [1, 2])
    func aChainOfReactingCoresAndItsMirrorImagesDeliverAlike(hop: Int) throws {
        let p = Pattern(name: "reacting chain", width: 4, height: 2, routes: [], sends: [], deliveries: 0)
        func simulate(_ m: Mirror?) throws -> Simulation {
            func pe(_ x: Int, _ y: Int) -> PECoord { m.map { Self.mirrored(PECoord(x, y), $0, in: p) } ?? PECoord(x, y) }
            func r(_ x: Int, _ y: Int, _ color: Int, _ rx: [Direction], _ tx: [Direction]) -> RouteConfig {
                RouteConfig(
                    pe: pe(x, y), color: color, rx: DirectionSet(rx.map { d in m.map { Self.mirrored(d, $0) } ?? d }),
                    tx: DirectionSet(tx.map { d in m.map { Self.mirrored(d, $0) } ?? d }))
            }
            let routes = [
                r(0, 0, 0, [.ramp], [.east]), r(1, 0, 0, [.west], [.ramp]), r(1, 0, 1, [.ramp], [.east]), r(2, 0, 1, [.west], [.ramp]),
                r(2, 0, 0, [.ramp], [.east]), r(3, 0, 0, [.west], [.ramp]),
                // A stream from (2,1) up and east into (3,0)'s core on color 2.
                r(2, 1, 2, [.ramp], [.north]), r(2, 0, 2, [.south], [.east]), r(3, 0, 2, [.west], [.ramp]),
            ]
            let program = try PlaygroundProgram.make(
                routes: routes, colorNames: [:],
                sends: [PlaygroundProgram.Stream(pe: pe(0, 0), color: 0, count: 6), PlaygroundProgram.Stream(pe: pe(2, 1), color: 2, count: 10)],
                reactions: [
                    .init(pe: pe(1, 0), action: .chain(from: 0, to: 1, combine: .add, count: 6), dtype: .i32),
                    .init(pe: pe(2, 0), action: .chain(from: 1, to: 0, combine: .add, count: 6), dtype: .i32),
                    .init(pe: pe(3, 0), action: .receive(from: 0, count: 6, to: nil, ownValues: nil), dtype: .i32),
                ],
                architecture: .wse2, fabric: FabricSize(width: 4, height: 2), peDataBudget: Architecture.defaultPEDataBudget)
            func words(_ v: [Int]) -> TensorValue { TensorValue(TensorType(Shape([v.count]), .i32), exact: v.map(Double.init)) }
            let inputs: [TransferSource: TensorValue] = [
                .playgroundSends(color: 0): words([1, 2, 3, 4, 5, 6]), .playgroundSends(color: 2): words(Array(100..<110)),
                .playgroundValues(color: 1): words([10, 20, 30, 40, 50, 60]), .playgroundValues(color: 0): words([7, 7, 7, 7, 7, 7]),
            ]
            let sim = try Simulation(program: program, inputs: inputs, model: model(hop: hop, ramp: 1, depth: 1))
            #expect(sim.run(limit: 10_000) == .finished)
            return sim
        }
        let original = try simulate(nil)
        #expect(original.deliveries[PECoord(3, 0)]?.filter { $0.color == 0 }.map(\.payload) == [18, 29, 40, 51, 62, 73])
        for m in Mirror.allCases {
            let image = try simulate(m)
            #expect(Self.deliveries(image, unmirroring: m, in: p) == Self.deliveries(original, unmirroring: nil, in: p), "\(m)")
            #expect(Self.outputs(image, unmirroring: m, in: p) == Self.outputs(original, unmirroring: nil, in: p), "\(m)")
            #expect(image.cycle == original.cycle)
        }
    }

    /// Host streams cross only the west and north edges, so their symmetry is the transpose: a stream in
    /// from the west along a row to a core three PEs away that adds and sends back off the west edge, and
    /// the same down a column from the north, read the same values back at the same cycles (and stall
    /// alike when the stream is one past the path's capacity).
    @Test(arguments: [1, 2], [9, 40])
    func aHostStreamAndItsTransposeReadTheSameValues(hop: Int, size: Int) throws {
        func simulate(transposed: Bool) throws -> (RunOutcome, Simulation) {
            func pe(_ i: Int) -> PECoord { transposed ? PECoord(0, i) : PECoord(i, 0) }
            func d(_ d: Direction) -> Direction {
                guard transposed else { return d }
                switch d {
                case .west: return .north
                case .north: return .west
                case .east: return .south
                case .south: return .east
                case .ramp: return .ramp
                }
            }
            func r(_ i: Int, _ color: Int, _ rx: Direction, _ tx: Direction) -> RouteConfig {
                RouteConfig(pe: pe(i), color: color, rx: [d(rx)], tx: [d(tx)])
            }
            let routes = [
                r(0, 0, .west, .east), r(1, 0, .west, .east), r(2, 0, .west, .ramp),
                r(2, 1, .ramp, .west), r(1, 1, .east, .west), r(0, 1, .east, .west),
            ]
            let side: Direction = transposed ? .north : .west
            let program = try PlaygroundProgram.make(
                routes: routes, colorNames: [:], sends: [],
                reactions: [.init(pe: pe(2), action: .chain(from: 0, to: 1, combine: .add, count: size), dtype: .i32)],
                hostStreams: [
                    HostStream(pe: pe(0), color: 0, side: side, way: .toDevice((0..<size).map { UInt32($0) })),
                    HostStream(pe: pe(0), color: 1, side: side, way: .toHost(count: size)),
                ],
                architecture: .wse2, fabric: FabricSize(width: transposed ? 1 : 3, height: transposed ? 3 : 1),
                peDataBudget: Architecture.defaultPEDataBudget)
            let inputs: [TransferSource: TensorValue] = [
                .playgroundValues(color: 1): TensorValue(TensorType(Shape([size]), .i32), exact: Array(repeating: 5, count: size))
            ]
            var m = model(hop: hop)
            m.stallLimit = 100
            let sim = try Simulation(program: program, inputs: inputs, model: m)
            return (sim.run(limit: 10_000), sim)
        }
        let (rowOutcome, row) = try simulate(transposed: false)
        let (columnOutcome, column) = try simulate(transposed: true)
        #expect(row.hostEdges?.received == column.hostEdges?.received)
        #expect(row.hostEdges?.lastMoveCycle == column.hostEdges?.lastMoveCycle)
        #expect(row.cycle == column.cycle)
        #expect((rowOutcome == .finished) == (size == 9), "9 wavelets fit the path; 40 do not")
        switch (rowOutcome, columnOutcome) {
        case (.finished, .finished):
            #expect(row.hostEdges?.received[1] == (0..<size).map { UInt32($0 + 5) })
        case (.failed(let a), .failed(let b)):
            #expect(a.category == b.category && a.isStall, "\(a.message) / \(b.message)")
        default:
            Issue.record("the row ended \(rowOutcome), its transpose \(columnOutcome)")
        }
    }
}
