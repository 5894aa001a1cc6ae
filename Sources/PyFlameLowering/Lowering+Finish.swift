import PyFlameIR

extension Lowering {
    /// Read-back of the result, budgets (memory, task IDs), roles, and the program in address order.
    mutating func finish(_ result: NodeID) throws(LoweringError) -> FabricProgram {
        let node = graph[result]!
        let location = locations[result]!
        let resultTiling = try tiling(node.type, location.layout, node)
        var output = HostTransfer(
            node: result, name: node.name ?? "tmp\(result)", type: node.type, layout: location.layout,
            origin: location.origin, pieces: [])
        for local in location.layout.pes {
            try poll()
            let pe = location.global(local)
            guard let buffer = resident[result]?[pe] else { continue }
            pes[pe]!.buffers[buffer].lastUse = Int.max
            output.pieces.append(HostPiece(pe: pe, buffer: buffer, tile: resultTiling.tile(for: local)))
        }
        let ordered = pes.keys.sorted()
        try Lowering.checkMemory(pes, ordered: ordered, budget: options.peDataBudget, shouldStop: shouldStop) { buffer in
            buffer.node.map(ownerName) ?? buffer.name
        }
        try Lowering.assignResources(&pes, routes: colors.routes, architecture: options.architecture, shouldStop: shouldStop)
        let roles = try Lowering.assignRoles(&pes, ordered: ordered, transfers: hostInputOrder.map { hostInputs[$0]! } + [output], shouldStop: shouldStop)
        // The program rectangle: the bounding box of every PE with a program or a route (no set of 745,500 PEs).
        var used = PERect(bounding: [])
        if let first = ordered.first ?? colors.routes.first?.pe {
            var minX = first.x, maxX = first.x, minY = first.y, maxY = first.y
            for pe in ordered + colors.routes.map(\.pe) {
                minX = min(minX, pe.x); maxX = max(maxX, pe.x); minY = min(minY, pe.y); maxY = max(maxY, pe.y)
            }
            used = PERect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
        }
        return FabricProgram(
            architecture: options.architecture, fabric: options.fabric,
            rectangle: used,
            peDataBudget: options.peDataBudget, result: result, ops: ops,
            pes: ordered.map { pes[$0]! }, roles: roles,
            colors: colors.uses.keys.sorted().map { colors.uses[$0]! },
            routes: colors.sortedRoutes,
            routeNodes: colors.routeNodes,
            hostInputs: hostInputOrder.map { hostInputs[$0]! },
            hostOutputs: [output])
    }

    /// Memory: the peak of live buffers on every PE (in `ordered`) against `budget`. `owner` says what
    /// a buffer holds, for the message. Shared by lowered programs and the playground's.
    static func checkMemory(
        _ pes: [PECoord: PEProgram], ordered: [PECoord], budget: Int, shouldStop: () -> Bool,
        advice: String = LoweringError.spreadAdvice, owner: (Buffer) -> String
    ) throws(LoweringError) {
        for (k, pe) in ordered.enumerated() {
            if k & 0xFF == 0, shouldStop() { throw LoweringError.interrupted }
            guard let program = pes[pe] else { continue }
            let peak = program.peakBytes
            if peak > budget, let biggest = program.buffers.max(by: { $0.bytes < $1.bytes }) {
                throw LoweringError(
                    .peData(
                        pe: pe, bytes: peak, budget: budget, largest: .init(name: biggest.name, bytes: biggest.bytes, owner: owner(biggest)), advice: advice))
            }
        }
    }

    /// Queue IDs and local task IDs, once per PE (``assignResources(_:routed:architecture:)``); on WSE-2 no
    /// local task may take the ID of a color the PE routes. Shared by lowered programs and the playground's.
    static func assignResources(
        _ pes: inout [PECoord: PEProgram], routes: [RouteConfig], architecture: Architecture, shouldStop: () -> Bool
    ) throws(LoweringError) {
        let routedAt = Dictionary(grouping: routes, by: \.pe).mapValues { Set($0.map(\.color)) }
        for (k, pe) in pes.keys.sorted().enumerated() {
            if k & 0xFF == 0, shouldStop() { throw LoweringError.interrupted }
            try assignResources(&pes[pe]!, routed: routedAt[pe] ?? [], architecture: architecture)
        }
    }

    /// Roles: PEs with the same code shape share one program file: the same steps, the same host symbols
    /// in the same buffers, and the same use of their fabric queues. Sets each PE's role; returns the roles.
    /// `shouldStop` is polled every 256 PEs (Ctrl-C): true stops with ``LoweringError/interrupted``.
    static func assignRoles(
        _ pes: inout [PECoord: PEProgram], ordered: [PECoord]? = nil, transfers: [HostTransfer],
        shouldStop: () -> Bool = { false }
    ) throws(LoweringError) -> [PERole] {
        // (transfer, buffer) pairs each PE holds for the host.
        var exports: [PECoord: [(Int, Int)]] = [:]
        for (k, transfer) in transfers.enumerated() {
            for piece in transfer.pieces { exports[piece.pe, default: []].append((k, piece.buffer)) }
        }
        var roles: [PERole] = []
        var roleOf: [String: Int] = [:]
        for (k, pe) in (ordered ?? pes.keys.sorted()).enumerated() {
            if k & 0xFF == 0, shouldStop() { throw LoweringError.interrupted }
            guard let program = pes[pe] else { continue }
            var signature = program.signature
            signature += "|host "
            for (i, (transfer, buffer)) in (exports[pe] ?? []).enumerated() {
                signature += (i == 0 ? "" : ",") + String(transfer) + "@" + String(buffer)
            }
            signature += "|queues " + program.queuePattern
            let role: Int
            if let r = roleOf[signature] {
                role = r
                roles[r].pes.append(pe)
            } else {
                role = roles.count
                roleOf[signature] = role
                roles.append(PERole(name: "pe_program_\(role)", pes: [pe], signature: signature))
            }
            pes[pe]!.role = role
        }
        return roles
    }
}
