import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator

/// `route(0, 0, [.ramp], [.east])` — one route config.
func route(_ x: Int, _ y: Int, _ color: Int, _ rx: [Direction], _ tx: [Direction]) -> RouteConfig {
    RouteConfig(pe: PECoord(x, y), color: color, rx: DirectionSet(rx), tx: DirectionSet(tx))
}

func route(_ x: Int, _ y: Int, _ rx: [Direction], _ tx: [Direction]) -> RouteConfig {
    route(x, y, 0, rx, tx)
}

/// A straight path of `hops` from `from` in `direction`, color 0.
func straight(from: PECoord, _ direction: Direction, hops: Int, color: Int = 0) -> [RouteConfig] {
    var routes: [RouteConfig] = []
    var at = from
    var incoming: Direction = .ramp
    for i in 0...hops {
        let out: Direction = i == hops ? .ramp : direction
        routes.append(RouteConfig(pe: at, color: color, rx: [incoming], tx: [out]))
        let (dx, dy) = direction.step
        at = PECoord(at.x + dx, at.y + dy)
        incoming = direction.opposite
    }
    return routes
}

func model(hop: Int = 2, ramp: Int = 2, depth: Int = 2, sinkRate: Int = 1, stallLimit: Int = 200) -> FabricModel {
    var m = FabricModel()
    m.hopLatency = hop
    m.rampLatency = ramp
    m.bufferDepth = depth
    m.sinkRate = sinkRate
    m.stallLimit = stallLimit
    return m
}

/// Runs a playground to the end and returns it.
func simulate(_ routes: [RouteConfig], sends: [PlaygroundSend], width: Int = 8, height: Int = 8, model: FabricModel = model(),
              limit: Int = 10_000) -> (Simulation, RunOutcome) {
    let sim = Simulation(width: width, height: height, routes: routes, sends: sends, model: model)
    let outcome = sim.run(limit: limit)
    return (sim, outcome)
}
