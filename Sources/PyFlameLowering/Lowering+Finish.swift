import PyFlameIR

extension Lowering {
    /// Read-back of the result, budgets (memory, task IDs), roles, and the program in address order.
    mutating func finish(_ result: NodeID) throws(LoweringError) -> FabricProgram {
        let node = graph[result]!
        let location = locations[result]!
        let resultTiling = try tiling(node.type, location.layout, node)
        var output = HostTransfer(node: result, name: node.name ?? "tmp\(result)", type: node.type, layout: location.layout,
                                  origin: location.origin, pieces: [])
        for local in location.layout.pes {
            let pe = location.global(local)
            guard let buffer = resident[result]?[pe] else { continue }
            pes[pe]!.buffers[buffer].lastUse = Int.max
            output.pieces.append(HostPiece(pe: pe, buffer: buffer, tile: resultTiling.tile(for: local)))
        }
        // Memory: the peak of live buffers on every PE against the budget.
        for pe in pes.keys.sorted() {
            let program = pes[pe]!
            let peak = program.peakBytes
            if peak > options.peDataBudget {
                let biggest = program.buffers.max { $0.bytes < $1.bytes }!
                let owner = graph[biggest.node].map(describe) ?? "%\(biggest.node)"
                throw LoweringError("PE \(pe) needs \(peak) B of data, budget \(options.peDataBudget) B (largest buffer \(biggest.name), \(biggest.bytes) B, for \(owner)); spread the op over more PEs or `set pe_data_budget`")
            }
        }
        // One local task per PE drives its steps; on WSE-2 it must not take the ID of a color it routes.
        let routedAt = Dictionary(grouping: colors.routes, by: \.pe).mapValues { Set($0.map(\.color)) }
        for pe in pes.keys {
            let taken: Set<Int> = options.architecture == .wse2 ? (routedAt[pe] ?? []) : []
            guard let id = LoweringOptions.taskIDs.first(where: { !taken.contains($0) }) else {
                throw LoweringError("PE \(pe) has no free local task ID: 8–26 all taken by colors it routes")
            }
            pes[pe]!.taskID = id
        }
        let ordered = pes.keys.sorted()
        let roles = Lowering.assignRoles(&pes, transfers: hostInputOrder.map { hostInputs[$0]! } + [output])
        // The program rectangle: every PE with a program or a route.
        let used = Set(ordered).union(colors.routes.map(\.pe))
        return FabricProgram(
            architecture: options.architecture, fabric: options.fabric,
            rectangle: PERect(bounding: used),
            peDataBudget: options.peDataBudget, result: result, ops: ops,
            pes: ordered.map { pes[$0]! }, roles: roles,
            colors: colors.uses.keys.sorted().map { colors.uses[$0]! },
            routes: colors.sortedRoutes,
            routeNodes: colors.routeNodes,
            hostInputs: hostInputOrder.map { hostInputs[$0]! },
            hostOutputs: [output])
    }

    /// Roles: PEs with the same code shape share one program file: the same steps, the same host symbols
    /// in the same buffers, and the same use of their fabric queues. Sets each PE's role; returns the roles.
    static func assignRoles(_ pes: inout [PECoord: PEProgram], transfers: [HostTransfer]) -> [PERole] {
        var exports: [PECoord: [String]] = [:]
        for (k, transfer) in transfers.enumerated() {
            for piece in transfer.pieces { exports[piece.pe, default: []].append("\(k)@\(piece.buffer)") }
        }
        var roles: [PERole] = []
        var roleOf: [String: Int] = [:]
        for pe in pes.keys.sorted() {
            let signature = pes[pe]!.signature + "|host " + (exports[pe] ?? []).joined(separator: ",")
                + "|queues " + pes[pe]!.queuePattern
            if let r = roleOf[signature] {
                roles[r].pes.append(pe)
            } else {
                roleOf[signature] = roles.count
                roles.append(PERole(name: "pe_program_\(roles.count)", pes: [pe], signature: signature))
            }
            pes[pe]!.role = roleOf[signature]!
        }
        return roles
    }
}
