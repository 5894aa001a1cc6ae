import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

/// What the fabric view draws at one moment, taken from the FabricProgram (PE assignment, routes) and,
/// once simulated, from the simulation (wavelets held at router inputs, link states, the cycle).
public struct FabricSnapshot: Sendable {
    /// The rectangle shown, in program coordinates.
    public var rectangle: PERect
    public var title: String
    /// Cycle and state (`not simulated`, `in progress`, `finished`, `deadlock: ...`).
    public var cycle: Int?
    public var state: String
    /// Whether the simulation is over (finished or stopped by an error): nothing more can run.
    public var hasEnded = false
    /// A letter per op on each PE it uses, with the legend.
    public var labels: [PECoord: Character]
    public var legend: [(Character, String)]
    /// Routes by color, then PE.
    public var routes: [Int: [PECoord: (rx: DirectionSet, tx: DirectionSet)]]
    public var colors: [Int]
    public var colorNames: [Int: String]
    /// Wavelets held at a PE's router input, by the side they came from (`.ramp`: sent by the core,
    /// on the ramp or waiting to leave).
    public var wavelets: [(pe: PECoord, color: Int, from: Direction, count: Int, state: LinkState)]
    /// Wavelets a router has passed to its core's input queue (on the ramp down, or waiting to be read).
    public var coreQueues: [(pe: PECoord, color: Int, count: Int)] = []
    public var inFlight: [Int]
    /// The routes with switches, a filter or color swap, by color then PE, with their state in the
    /// simulation (nil before it): empty for a program without them, which then pays nothing more.
    public var dynamicRoutes: [Int: [PECoord: (route: RouteConfig, live: RouteLiveState?)]] = [:]
    /// Router inputs whose head is a control wavelet (drawn with ``PEGlyph/controlWavelet(unicode:)``).
    public var controlHeads: [(pe: PECoord, color: Int, from: Direction)] = []

    /// From a lowered program, simulated or not.
    public static func make(program: FabricProgram, graph: Graph, name: String, simulation: Simulation?) -> FabricSnapshot {
        let labels = PEGlyph.map(program)
        var legend: [(Character, String)] = []
        for (i, op) in program.ops.enumerated() {
            legend.append((PEGlyph.op(i), graph[op.nodes.last!].map { GraphPrinter.call($0) + " on \(op.layout)" } ?? op.kernel))
        }
        legend += PEGlyph.otherLegend(labels)
        var snapshot = FabricSnapshot(
            rectangle: program.rectangle, title: "\(name)'s program", cycle: nil, state: "not simulated",
            labels: labels, legend: legend, routes: [:], colors: [], colorNames: [:], wavelets: [],
            inFlight: [Int](repeating: 0, count: 24))
        snapshot.addRoutes(program.routes)
        for use in program.colors { snapshot.colorNames[use.id] = use.name }
        if let simulation { snapshot.observe(simulation) }
        return snapshot
    }

    /// From the routing playground's program, simulated or not: the fabric from its north-west corner
    /// to the last PE with a route (8x8 when it has none).
    public static func make(playground program: FabricProgram, simulation: Simulation?) -> FabricSnapshot {
        let routes = program.routes, fabric = program.fabric
        let xs = routes.map(\.pe.x), ys = routes.map(\.pe.y)
        let rect =
            routes.isEmpty
            ? PERect(x: 0, y: 0, width: min(fabric.width, 8), height: min(fabric.height, 8))
            : PERect(x: 0, y: 0, width: min(fabric.width, (xs.max() ?? 0) + 1), height: min(fabric.height, (ys.max() ?? 0) + 1))
        let ends = PEGlyph.playgroundEnds(program)
        let labels = PEGlyph.map(
            playground: routes, reacting: Set(ProgramReport.reactingCores(program).map(\.pe)), senders: ends.senders, receivers: ends.receivers)
        var snapshot = FabricSnapshot(
            rectangle: rect, title: "the routing playground", cycle: nil, state: "not simulated",
            labels: labels, legend: PEGlyph.otherLegend(labels),
            routes: [:], colors: [], colorNames: [:], wavelets: [],
            inFlight: [Int](repeating: 0, count: 24))
        snapshot.addRoutes(routes)
        for use in program.colors { snapshot.colorNames[use.id] = use.name }
        if let simulation { snapshot.observe(simulation) }
        return snapshot
    }

    mutating func addRoutes(_ routes: [RouteConfig]) {
        for r in routes {
            if r.isDynamic {
                // A switch draws the rx/tx of the position it starts at (then, simulated, the one it is at).
                dynamicRoutes[r.color, default: [:]][r.pe] = (r, nil)
                self.routes[r.color, default: [:]][r.pe] = RouteText.active(r, live: nil)
            } else {
                self.routes[r.color, default: [:]][r.pe] = (r.rx, r.tx)
            }
        }
        colors = self.routes.keys.sorted()
    }

    /// The dynamic routes' state in `fabric`: switch positions (their rx/tx drawn), teardown, filter drops.
    mutating func observeDynamics(_ fabric: Fabric) {
        for (color, byPE) in dynamicRoutes {
            for (pe, entry) in byPE {
                let live = RouteLiveState.of(entry.route, in: fabric)
                dynamicRoutes[color]?[pe] = (entry.route, live)
                routes[color]?[pe] = RouteText.active(entry.route, live: live)
            }
        }
        // A teardown also freezes the plain routes of a color that carries control wavelets.
        for (color, byPE) in routes {
            for (pe, route) in byPE where dynamicRoutes[color]?[pe] == nil && fabric.isTornDown(pe: pe, color: color) {
                dynamicRoutes[color, default: [:]][pe] = (
                    RouteConfig(pe: pe, color: color, rx: route.rx, tx: route.tx), RouteLiveState(position: nil, tornDown: true)
                )
            }
        }
        controlHeads = fabric.heldControlHeads()
    }

    mutating func observe(_ simulation: Simulation) {
        cycle = simulation.cycle
        if let e = simulation.error {
            state = e.headline
            hasEnded = true
        } else {
            hasEnded = simulation.isFinished
            state = hasEnded ? "finished" : "in progress"
        }
        inFlight = simulation.fabric.inFlight
        wavelets = simulation.fabric.heldWavelets(now: simulation.cycle).map { ($0.pe, $0.color, $0.from, $0.count, $0.state) }
        let fabric = simulation.fabric
        coreQueues = (0..<fabric.coreQueueCount).compactMap { q in
            let count = fabric.coreQueueFill(q)
            return count > 0 ? (fabric.coreQueuePEOf(q), fabric.coreQueueColorOf(q), count) : nil
        }
        if fabric.hasDynamicColors { observeDynamics(fabric) }
    }
}
