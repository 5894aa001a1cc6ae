import PyFlameIR
import PyFlameLowering

/// `route(0, 0, [.ramp], [.east])` — one route config, for tests that write routes by hand.
public func route(_ x: Int, _ y: Int, _ color: Int, _ rx: [Direction], _ tx: [Direction]) -> RouteConfig {
    RouteConfig(pe: PECoord(x, y), color: color, rx: DirectionSet(rx), tx: DirectionSet(tx))
}

/// A route on color 0.
public func route(_ x: Int, _ y: Int, _ rx: [Direction], _ tx: [Direction]) -> RouteConfig {
    route(x, y, 0, rx, tx)
}

/// A straight path of `hops` from `from` in `direction`: RAMP in at the start, RAMP out at the end.
public func straight(from: PECoord, _ direction: Direction, hops: Int, color: Int = 0) -> [RouteConfig] {
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
