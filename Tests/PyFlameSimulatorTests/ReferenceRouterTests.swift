import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// A random playground: a small fabric, routes grown as trees from their senders (multicast branches,
/// cores on the way that also receive, trees of one color merging into several rx, now and then a route
/// that misroutes or a send with no route), shuffled sends, and random model parameters.
struct RoutingPlayground: CustomStringConvertible {
    var seed: UInt64
    var width: Int
    var height: Int
    var routes: [RouteConfig]
    var sends: [PlaygroundSend]
    var model: FabricModel
    var limit: Int

    var description: String {
        "seed \(seed): \(width)x\(height), hop \(model.hopLatency), ramp \(model.rampLatency), depth \(model.bufferDepth), "
            + "sink \(model.sinkRate), \(model.architecture.rawValue); routes "
            + routes.map { "\($0.pe) c\($0.color) \($0.rx)->\($0.tx)\(extras($0))" }.joined(separator: "; ")
            + "; sends " + sends.map { "\($0.pe) c\($0.color) x\($0.values.count)\($0.hasControl ? " with control" : "")" }.joined(separator: "; ")
    }

    private func extras(_ r: RouteConfig) -> String {
        var text = ""
        if let s = r.switches {
            text += " switch [\(s.positions.map { "\($0.rx.map(\.description) ?? "")->\($0.tx.map(\.description) ?? "")" }.joined(separator: ", "))]"
            text += " at \(s.currentPosition)\(s.ringMode ? " ring" : "") \(s.popMode.rawValue)"
        }
        if let f = r.filter { text += " filter \(f.minIndex)..\(f.maxIndex)" }
        if r.colorSwapX { text += " swap x" }
        if r.colorSwapY { text += " swap y" }
        return text
    }

    init(seed: UInt64) {
        self.seed = seed
        var rng = SplitMix64(seed: seed)
        func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        func chance(_ percent: Int) -> Bool { below(100) < percent }
        // Mostly tiny fabrics (every router busy with several colors), now and then a larger one.
        let large = chance(20)
        width = 1 + below(large ? 8 : 5)
        height = 1 + below(large ? 8 : 4)
        let w = width, h = height
        func inside(_ p: PECoord) -> Bool { p.x >= 0 && p.x < w && p.y >= 0 && p.y < h }
        var model = FabricModel()
        // Latencies and depths from the smallest the settings allow; now and then a long link or a deep buffer.
        model.hopLatency = 1 + below(chance(10) ? 12 : 4)
        model.rampLatency = below(chance(10) ? 12 : 4)
        model.bufferDepth = 1 + below(chance(10) ? 12 : 4)
        model.sinkRate = chance(80) ? 1 : 0
        model.stallLimit = 40
        model.architecture = chance(50) ? .wse2 : .wse3
        self.model = model
        // Now and then stopped early, with wavelets still on links and ramps.
        limit = chance(10) ? 5 + below(40) : 300

        struct Key: Hashable {
            var pe: PECoord
            var color: Int
        }
        var table: [Key: (rx: DirectionSet, tx: DirectionSet)] = [:]
        var order: [Key] = []
        func add(_ k: Key) {
            if table[k] == nil {
                table[k] = ([], [])
                order.append(k)
            }
        }
        var colors: [Int] = []
        for _ in 0..<(1 + below(large ? 6 : 3)) {
            let c = below(Fabric.colorCount)
            if !colors.contains(c) { colors.append(c) }
        }
        var sources: [Key] = []
        for c in colors {
            for _ in 0..<(1 + below(2)) {
                let source = Key(pe: PECoord(below(w), below(h)), color: c)
                sources.append(source)
                if table[source] != nil {
                    table[source]!.rx.insert(.ramp)
                    continue
                }
                add(source)
                table[source]!.rx.insert(.ramp)
                // Grow the tree from the source, depth first.
                var stack = [source.pe]
                var inTree: Set<PECoord> = [source.pe]
                while let at = stack.popLast() {
                    for d in [Direction.north, .east, .south, .west].shuffled(using: &rng) where chance(40) {
                        let next = PECoord(at.x + d.step.dx, at.y + d.step.dy)
                        let k = Key(pe: next, color: c)
                        guard inside(next), !inTree.contains(next) else { continue }
                        if table[k] != nil {
                            // Another tree of this color: merge into it now and then.
                            if chance(40) {
                                table[Key(pe: at, color: c)]!.tx.insert(d)
                                table[k]!.rx.insert(d.opposite)
                            }
                            continue
                        }
                        add(k)
                        table[Key(pe: at, color: c)]!.tx.insert(d)
                        table[k]!.rx.insert(d.opposite)
                        inTree.insert(next)
                        stack.append(next)
                    }
                }
            }
            for k in order where k.color == c {
                if table[k]!.tx.isEmpty || chance(30) { table[k]!.tx.insert(.ramp) }
            }
        }
        // Now and then a route that sends where nothing takes it: off the fabric, to no route, or to a side not in rx.
        if chance(15), let k = order.randomElement(using: &rng) {
            table[k]!.tx.insert([Direction.north, .east, .south, .west][below(4)])
        }
        routes = order.map { RouteConfig(pe: $0.pe, color: $0.color, rx: table[$0]!.rx, tx: table[$0]!.tx) }
        // One send per source (payloads say which send and which value), in a random written order.
        var sends: [PlaygroundSend] = []
        for (i, s) in sources.enumerated() {
            let count = below(chance(10) ? 40 : 13)
            sends.append(PlaygroundSend(pe: s.pe, color: s.color, values: (0..<count).map { UInt32(i << 16 | $0) }))
        }
        // Now and then a send on a color its PE does not route, or routes without RAMP in rx.
        if chance(5) {
            sends.append(PlaygroundSend(pe: PECoord(below(w), below(h)), color: below(Fabric.colorCount), values: [0xFFFF]))
        }
        self.sends = sends.shuffled(using: &rng)
        decorate(&self.routes, &self.sends, architecture: model.architecture, seed: seed)
    }
}

/// What a compared run exercised: how it ended, and whether any output counted Delayed or Backpressure
/// cycles, any router held several FIFOs, or any route multicast.
struct Exercised: Hashable, CustomStringConvertible {
    var ending: String
    var delayed = false
    var backpressure = false
    var multicast = false
    /// A switch moved, a filter dropped, a core received a control wavelet, a wavelet changed color.
    var switchMove = false
    var filterDrop = false
    var controlDelivery = false
    var swap = false

    var description: String {
        "\(ending)\(delayed ? " delayed" : "")\(backpressure ? " backpressure" : "")\(multicast ? " multicast" : "")"
            + "\(switchMove ? " switchMove" : "")\(filterDrop ? " filterDrop" : "")\(controlDelivery ? " controlDelivery" : "")\(swap ? " swap" : "")"
    }
}

/// The fast `Fabric` (through `Simulation`) against `ReferenceRouter` on one playground.
@discardableResult
func compareWithReference(_ p: RoutingPlayground, sourceLocation: SourceLocation = #_sourceLocation) -> Exercised {
    let sim = Simulation(width: p.width, height: p.height, routes: p.routes, sends: p.sends, model: p.model)
    let outcome = sim.run(limit: p.limit)
    let reference = ReferenceRouter(width: p.width, height: p.height, routes: p.routes, sends: p.sends, model: p.model)
    switch outcome {
    case .failed(let e) where [.deadlock, .livelock, .starvation].contains(e.category):
        // Stall, deadlock and livelock detection is the simulation's, not the routers': run the reference as far.
        reference.run(limit: sim.cycle)
        #expect(reference.error == nil && !reference.isFinished, "\(p)", sourceLocation: sourceLocation)
    default:
        reference.run(limit: p.limit)
    }
    let sameCycle = reference.cycle == sim.cycle
    #expect(sameCycle, "cycles run: fast \(sim.cycle), reference \(reference.cycle): \(p)", sourceLocation: sourceLocation)
    let stalls: [SimulationError.Category] = [.deadlock, .livelock, .starvation]
    let routingError = sim.error.flatMap { stalls.contains($0.category) ? nil : $0 }
    let sameError = reference.error == routingError
    #expect(
        sameError,
        "error: fast \(routingError.map { "\($0.kind) at \($0.cycle): \($0)" } ?? "none"), reference \(reference.error.map { "\($0.kind) at \($0.cycle): \($0)" } ?? "none"): \(p)",
        sourceLocation: sourceLocation)
    if case .finished = outcome { #expect(reference.isFinished, "finished: \(p)", sourceLocation: sourceLocation) }
    if reference.isFinished { #expect(outcome == .finished, "finished: \(p)", sourceLocation: sourceLocation) }
    let fast = sim.deliveries.filter { !$0.value.isEmpty }
    let slow = reference.arrived
    let sameDeliveries = fast == slow
    #expect(sameDeliveries, "deliveries differ: \(p)\n\(difference(fast, slow))", sourceLocation: sourceLocation)
    let fastLinks = sim.fabric.linkStatistics().map { "\($0.pe) \($0.direction): \($0.active) \($0.delayed) \($0.backpressure)" }.sorted()
    let slowLinks = reference.counts.filter { $0.value != ReferenceRouter.Counts() }.map {
        "\($0.key.pe) \($0.key.direction): \($0.value.active) \($0.value.delayed) \($0.value.backpressure)"
    }.sorted()
    let sameLinks = fastLinks == slowLinks
    #expect(sameLinks, "link counts (active delayed backpressure) differ: fast \(fastLinks), reference \(slowLinks): \(p)", sourceLocation: sourceLocation)
    // Switch positions, teardowns and filter drops, route by route.
    for r in p.routes {
        let place = ReferenceRouter.Place(pe: r.pe, color: r.color)
        if r.switches != nil {
            let expected = reference.position[place] ?? r.switches!.currentPosition
            #expect(sim.fabric.switchPosition(pe: r.pe, color: r.color) == expected, "switch at \(r.pe) c\(r.color): \(p)", sourceLocation: sourceLocation)
        }
        #expect(
            sim.fabric.isTornDown(pe: r.pe, color: r.color) == reference.frozen.contains(place), "teardown at \(r.pe): \(p)", sourceLocation: sourceLocation)
        #expect(
            sim.fabric.filterDrops(pe: r.pe, color: r.color) == reference.drops[place, default: 0], "drops at \(r.pe): \(p)", sourceLocation: sourceLocation)
    }
    var ending = "\(outcome)"
    if case .failed(let e) = outcome { ending = e.category.rawValue }
    return Exercised(
        ending: ending, delayed: reference.counts.values.contains { $0.delayed > 0 },
        backpressure: reference.counts.values.contains { $0.backpressure > 0 }, multicast: p.routes.contains { $0.tx.count > 1 },
        switchMove: sim.fabric.totalSwitchMoves > 0, filterDrop: sim.fabric.totalFilterDrops > 0,
        controlDelivery: slow.values.joined().contains { $0.isControl },
        swap: slow.contains { pe, list in
            list.contains { d in p.sends.allSatisfy { $0.color != d.color } && p.routes.contains { $0.colorSwapX || $0.colorSwapY } }
        })
}

/// The first delivery where two delivery tables differ, per PE.
private func difference(_ fast: [PECoord: [Delivery]], _ slow: [PECoord: [Delivery]]) -> String {
    var lines: [String] = []
    for pe in Set(fast.keys).union(slow.keys).sorted() {
        let a = fast[pe] ?? [], b = slow[pe] ?? []
        guard a != b else { continue }
        let k = zip(a, b).prefix { $0 == $1 }.count
        func show(_ d: Delivery?) -> String { d.map { "c\($0.color) \(String($0.payload, radix: 16)) @\($0.cycle)" } ?? "none" }
        lines.append(
            "\(pe): delivery \(k): fast \(show(k < a.count ? a[k] : nil)), reference \(show(k < b.count ? b[k] : nil)) (fast \(a.count), reference \(b.count))")
    }
    return lines.joined(separator: "\n")
}

/// The reference router against hand-checked cases of docs/fabric-model.md, and the fast fabric against
/// the reference on a few random playgrounds (many more in `ReferenceRouterPropertyTests`).
@Suite struct ReferenceRouterTests {
    /// The document's example: four wavelets from (0,0) to (1,0) arrive at cycles 6 to 9; finished at 10.
    @Test func referenceFollowsTheDocumentedExample() {
        let routes = [route(0, 0, [.ramp], [.east]), route(1, 0, [.west], [.ramp])]
        let sends = [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: [1, 2, 3, 4])]
        let reference = ReferenceRouter(width: 2, height: 1, routes: routes, sends: sends, model: FabricModel())
        reference.run(limit: 100)
        #expect(reference.isFinished && reference.cycle == 10)
        #expect(reference.arrived[PECoord(1, 0)] == (0..<4).map { Delivery(cycle: 6 + $0, color: 0, payload: UInt32($0 + 1)) })
    }

    @Test func fastFabricMatchesTheReference() {
        var seen: [String: Int] = [:]
        for seed in 0..<200 as Range<UInt64> {
            for word in compareWithReference(RoutingPlayground(seed: seed)).description.split(separator: " ") { seen[String(word), default: 0] += 1 }
        }
        // The random playgrounds reach every rule compared: without that, agreeing would show little.
        for word in ["finished", "deadlock", "delayed", "backpressure", "multicast", "switchMove", "filterDrop", "controlDelivery"] {
            #expect(seen[word, default: 0] > 0, "no run \(word)")
        }
    }
}

/// The fast fabric against the reference router on many random playgrounds (a property test: `./test`
/// runs it, `./test --quick` skips it).
@Suite struct ReferenceRouterPropertyTests {
    @Test func fastFabricMatchesTheReference() {
        var seen: [String: Int] = [:]
        for seed in 1_000..<5_000 as Range<UInt64> {
            for word in compareWithReference(RoutingPlayground(seed: seed)).description.split(separator: " ") { seen[String(word), default: 0] += 1 }
        }
        print("ReferenceRouterPropertyTests: runs that \(seen.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        let words = [
            "finished", "reachedLimit", "deadlock", "race", "unrouted", "wrongDirection", "leavesFabric", "delayed", "backpressure", "multicast",
            "switchMove", "filterDrop", "controlDelivery", "swap",
        ]
        for word in words { #expect(seen[word, default: 0] > 0, "no run \(word)") }
    }
}
