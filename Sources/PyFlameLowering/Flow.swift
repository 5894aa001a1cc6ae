import PyFlameIR

/// One stream of wavelets over the fabric before it has a color: the router configuration it needs
/// at each PE it passes (a point-to-point path, a multicast tree, or one hop of a chain).
struct Flow {
    /// rx/tx per PE, in path order.
    var hops: [(pe: PECoord, rx: DirectionSet, tx: DirectionSet)]
    /// What it carries, for `:colors`.
    var carries: String
    /// Symbolic stem for the color name.
    var label: String
    var node: NodeID
    /// The op name (for budget errors).
    var opName: String

    /// Dimension-order (X then Y) path from `from` to `to`: RAMP at both ends.
    static func pointToPoint(from: PECoord, to: PECoord, carries: String, label: String, node: NodeID, opName: String) -> Flow {
        var hops: [(PECoord, DirectionSet, DirectionSet)] = []
        var path: [PECoord] = [from]
        var at = from
        while at.x != to.x { at = PECoord(at.x + (to.x > at.x ? 1 : -1), at.y); path.append(at) }
        while at.y != to.y { at = PECoord(at.x, at.y + (to.y > at.y ? 1 : -1)); path.append(at) }
        var incoming: Direction = .ramp
        for (i, pe) in path.enumerated() {
            let outgoing: Direction
            if i + 1 < path.count {
                let next = path[i + 1]
                outgoing = next.x > pe.x ? .east : next.x < pe.x ? .west : next.y > pe.y ? .south : .north
            } else {
                outgoing = .ramp
            }
            hops.append((pe, [incoming], [outgoing]))
            incoming = outgoing.opposite
        }
        return Flow(hops: hops.map { (pe: $0.0, rx: $0.1, tx: $0.2) }, carries: carries, label: label, node: node, opName: opName)
    }

    /// A multicast along a line of PEs (a row or a column) from `source` to every other PE of the line:
    /// the source sends both ways, every other PE delivers to its core and passes the wavelet on.
    static func lineMulticast(source: PECoord, line: [PECoord], carries: String, label: String, node: NodeID, opName: String) -> Flow {
        var hops: [(pe: PECoord, rx: DirectionSet, tx: DirectionSet)] = []
        let horizontal = line.allSatisfy { $0.y == source.y }
        func key(_ p: PECoord) -> Int { horizontal ? p.x : p.y }
        let before: Direction = horizontal ? .west : .north
        let after: Direction = horizontal ? .east : .south
        let lo = line.map(key).min()!, hi = line.map(key).max()!
        for pe in line.sorted(by: { key($0) < key($1) }) {
            let k = key(pe), s = key(source)
            if k == s {
                var tx = DirectionSet()
                if k > lo { tx.insert(before) }
                if k < hi { tx.insert(after) }
                hops.append((pe, [.ramp], tx))
            } else if k < s {
                var tx: DirectionSet = [.ramp]
                if k > lo { tx.insert(before) }
                hops.append((pe, [after], tx))
            } else {
                var tx: DirectionSet = [.ramp]
                if k < hi { tx.insert(after) }
                hops.append((pe, [before], tx))
            }
        }
        return Flow(hops: hops, carries: carries, label: label, node: node, opName: opName)
    }
}

/// Gives every flow a color so that no two flows share a color at any PE they both pass, reusing
/// colors wherever flows never meet (greedy, lowest color first, in flow order: a chain's hops come
/// out as the two-color checkerboard of Cerebras' gemv-08 tutorial). Colors 21–23 belong to memcpy.
struct ColorAllocator {
    static let usable = Architecture.programColorCount  // the colors memcpy leaves

    /// Colors in use at each PE.
    private(set) var used: [PECoord: UInt32] = [:]
    private(set) var routes: [RouteConfig] = []
    private(set) var uses: [ColorID: ColorUse] = [:]
    /// The IR nodes whose flows each (PE, color) route carries (two when a later flow reuses a route set).
    private(set) var routeNodes: [RouteKey: [NodeID]] = [:]

    /// Colors by the exact route set of a flow: a later flow over the very same routes (the same
    /// multicast tree or path, so the same senders and receivers) reuses the color. Every PE runs the
    /// program's ops in one order, so the streams of the two flows arrive in that order too.
    private var colorOfRoutes: [String: ColorID] = [:]

    /// Assigns a color to `flow` and records its routes; throws naming the op when none is free.
    mutating func assign(_ flow: Flow) throws(LoweringError) -> ColorID {
        let key = flow.hops.map { "\($0.pe.x),\($0.pe.y):\($0.rx.bits),\($0.tx.bits)" }.sorted().joined(separator: ";")
        if let color = colorOfRoutes[key] {
            for hop in flow.hops where !(routeNodes[RouteKey(hop.pe, color)] ?? []).contains(flow.node) {
                routeNodes[RouteKey(hop.pe, color), default: []].append(flow.node)
            }
            if var use = uses[color] {
                use.flows += 1
                if !use.nodes.contains(flow.node) { use.nodes.append(flow.node) }
                uses[color] = use
            }
            return color
        }
        var busy: UInt32 = 0
        for hop in flow.hops { busy |= used[hop.pe] ?? 0 }
        guard let color = (0..<ColorAllocator.usable).first(where: { busy & (1 << UInt32($0)) == 0 }) else {
            let crowded = flow.hops.max { (used[$0.pe] ?? 0).nonzeroBitCount < (used[$1.pe] ?? 0).nonzeroBitCount }!
            throw LoweringError(
                .colorBudget(op: flow.opName, pe: crowded.pe, routed: (used[crowded.pe] ?? 0).nonzeroBitCount, carries: flow.carries))
        }
        for hop in flow.hops {
            used[hop.pe, default: 0] |= 1 << UInt32(color)
            routes.append(RouteConfig(pe: hop.pe, color: color, rx: hop.rx, tx: hop.tx))
            routeNodes[RouteKey(hop.pe, color), default: []].append(flow.node)
        }
        colorOfRoutes[key] = color
        if var use = uses[color] {
            if !use.nodes.contains(flow.node) { use.nodes.append(flow.node) }
            use.flows += 1
            uses[color] = use
        } else {
            uses[color] = ColorUse(id: color, name: "c\(color)_\(flow.label)", carries: flow.carries, flows: 1, nodes: [flow.node])
        }
        return color
    }

    var sortedRoutes: [RouteConfig] {
        routes.sorted { ($0.color, $0.pe.y, $0.pe.x) < ($1.color, $1.pe.y, $1.pe.x) }
    }
}
