import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import Testing

/// The router loop walks PEs in address order and lands pushes east and south later in the scan than
/// pushes west and north, but what it simulates must not depend on that order: a pattern and its
/// mirror image (east and west swapped, or north and south) deliver the same wavelets at the same
/// cycles, through contention, a multicast and a stream that ends early.
@Suite struct SymmetryTests {
    /// Two streams sharing the link (1,1)→(2,1), one into a multicast on to (3,1), the other ending
    /// early; payloads tell the streams apart.
    static let routes = [route(0, 0, 0, [.ramp], [.east]), route(1, 0, 0, [.west], [.south]), route(1, 1, 0, [.north], [.east]),
                         route(0, 1, 1, [.ramp], [.east]), route(1, 1, 1, [.west], [.east]),
                         route(2, 1, 0, [.west], [.ramp, .east]), route(3, 1, 0, [.west], [.ramp]), route(2, 1, 1, [.west], [.ramp])]
    static let sends = [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<30)),
                        PlaygroundSend(pe: PECoord(0, 1), color: 1, values: Array(100..<110))]

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

    static func mirrored(_ pe: PECoord, _ m: Mirror) -> PECoord {
        m == .eastWest ? PECoord(3 - pe.x, pe.y) : PECoord(pe.x, 3 - pe.y)
    }

    /// Every delivery as "PE color payload @cycle", with PEs mapped back through `m` when given.
    static func deliveries(_ sim: Simulation, unmirroring m: Mirror?) -> [String] {
        sim.deliveries.flatMap { pe, list in
            list.map { "\(m.map { mirrored(pe, $0) } ?? pe) c\($0.color) \($0.payload) @\($0.cycle)" }
        }.sorted()
    }

    @Test(arguments: Mirror.allCases, [1, 2])
    func aPatternAndItsMirrorImageDeliverAlike(_ m: Mirror, hop: Int) {
        let model = model(hop: hop, ramp: 1, depth: 1)
        let (original, outcome) = simulate(Self.routes, sends: Self.sends, width: 4, height: 4, model: model)
        let flipped = Self.routes.map { r in
            RouteConfig(pe: Self.mirrored(r.pe, m), color: r.color, rx: DirectionSet(r.rx.sorted.map { Self.mirrored($0, m) }),
                        tx: DirectionSet(r.tx.sorted.map { Self.mirrored($0, m) }))
        }
        let flippedSends = Self.sends.map { PlaygroundSend(pe: Self.mirrored($0.pe, m), color: $0.color, values: $0.values) }
        let (image, imageOutcome) = simulate(flipped, sends: flippedSends, width: 4, height: 4, model: model)
        #expect(outcome == .finished && imageOutcome == .finished)
        #expect(Self.deliveries(original, unmirroring: nil).count == 70)
        #expect(Self.deliveries(image, unmirroring: m) == Self.deliveries(original, unmirroring: nil))
        #expect(image.cycle == original.cycle)
    }
}
