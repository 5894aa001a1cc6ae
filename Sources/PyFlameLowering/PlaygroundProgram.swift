import PyFlameIR

/// The routing playground (`color`, `route`, `send`) as a ``FabricProgram``, so `:emit --playground`
/// renders hand-written routes as a CSL project like any lowered program. Each PE that sends streams its
/// queued values (an i32 buffer the host copies in); each PE whose core receives takes as many wavelets
/// per color as the simulated fabric delivered to it (an i32 buffer read back). Streams are given in PE
/// address order; a host symbol per color holds them end to end. A PE's sends and receives
/// start together in one fabric step (split only by the microthread budget or a repeated color), so none waits
/// for another.
public enum PlaygroundProgram {
    /// Wavelets on `color` that enter (a send) or leave (a receive) the fabric at `pe`'s core.
    public struct Stream: Sendable, Equatable {
        public var pe: PECoord
        public var color: ColorID
        public var count: Int

        public init(pe: PECoord, color: ColorID, count: Int) {
            self.pe = pe
            self.color = color
            self.count = count
        }
    }

    /// Host transfers of the playground have no IR node: the wavelets sent on color c are node -1 - c,
    /// those received on it -101 - c.
    public static func sendNode(_ color: ColorID) -> NodeID { -1 - color }
    public static func receiveNode(_ color: ColorID) -> NodeID { -101 - color }

    public static func make(
        routes: [RouteConfig], colorNames: [String: ColorID], sends: [Stream], receives: [Stream],
        architecture: Architecture, fabric: FabricSize, peDataBudget: Int
    ) throws(LoweringError) -> FabricProgram {
        var pes: [PECoord: PEProgram] = [:]
        var operations: [PECoord: [FabricOperation]] = [:]
        func buffer(_ pe: PECoord, _ name: String, _ count: Int, host node: NodeID) -> Int {
            var p = pes[pe] ?? PEProgram(pe: pe)
            p.buffers.append(Buffer(name: name, dtype: .i32, count: count, shape: [count], firstUse: -1, lastUse: Int.max, node: node))
            pes[pe] = p
            return p.buffers.count - 1
        }
        let colorName = Dictionary(colorNames.map { ($1, $0) }, uniquingKeysWith: { a, b in min(a, b) })
        func named(_ color: ColorID) -> String { colorName[color] ?? "\(color)" }
        // What a CSL program cannot do the way the simulated playground does it is refused, not changed.
        var sendsAt: [PECoord: [ColorID: Int]] = [:]
        for s in sends { sendsAt[s.pe, default: [:]][s.color, default: 0] += 1 }
        for pe in sendsAt.keys.sorted() {
            for (color, count) in sendsAt[pe]!.sorted(by: { $0.key < $1.key }) where count > 1 {
                throw LoweringError(
                    "\(pe) has \(count) sends on color \(named(color)): one emitted send program streams one buffer per color, so several sends on one color and PE are not emitted; write them as one send"
                )
            }
        }
        for r in receives.sorted(by: { ($0.pe, $0.color) < ($1.pe, $1.color) }) where r.count > 0 && sendsAt[r.pe]?[r.color] != nil {
            throw LoweringError(
                "\(r.pe) sends on color \(named(r.color)) and also receives it (\(r.count) wavelet\(r.count == 1 ? "" : "s")): a PE program sends all before it receives on one color, and stalls once more come back than its queues hold, while the simulated core takes them as they come; use another color for the way back"
            )
        }
        // One host symbol per color and direction (`sent_red`, `received_red`): each PE holds its segment,
        // in the order the streams are given, so PEs doing the same share one program file.
        func transfers(_ streams: [Stream], _ prefix: String, _ node: (ColorID) -> NodeID, _ op: (BufferAccess, ColorID) -> FabricOperation) -> [HostTransfer] {
            var result: [HostTransfer] = []
            for color in Set(streams.map(\.color)).sorted() {
                let name = "\(prefix)_\(colorName[color] ?? "c\(color)")"
                var pieces: [HostPiece] = []
                var total = 0
                for s in streams where s.color == color && s.count > 0 {
                    let b = buffer(s.pe, name, s.count, host: node(color))
                    operations[s.pe, default: []].append(op(BufferAccess(buffer: b, extents: [s.count]), color))
                    pieces.append(HostPiece(pe: s.pe, buffer: b, tile: Tile([total..<(total + s.count)])))
                    total += s.count
                }
                if total > 0 {
                    result.append(
                        HostTransfer(
                            node: node(color), name: name, type: TensorType(Shape([total]), .i32), layout: .singlePE,
                            origin: pieces[0].pe, pieces: pieces))
                }
            }
            return result
        }
        let inputs = transfers(sends, "sent", sendNode) { .send($0, color: $1) }
        let outputs = transfers(receives, "received", receiveNode) { .receive($0, color: $1, combine: .store) }
        // Steps: everything at once, unless a color repeats or a direction runs out of queues.
        for (pe, ops) in operations {
            var steps: [PEStep] = []
            var batch: [FabricOperation] = []
            for op in ops {
                let full = batch.count == LoweringOptions.operationsPerStep
                if !batch.isEmpty && (full || batch.contains { !Set($0.color).isDisjoint(with: op.color) }) {
                    steps.append(.fabric(batch))
                    batch = []
                }
                batch.append(op)
            }
            if !batch.isEmpty { steps.append(.fabric(batch)) }
            pes[pe]!.steps = steps
            pes[pe]!.stepNodes = steps.map { _ in -1 }
        }
        // Budgets: memory, and queue and local task IDs (no routed color on WSE-2).
        let routedAt = Dictionary(grouping: routes, by: \.pe).mapValues { Set($0.map(\.color)) }
        for pe in pes.keys {
            if pes[pe]!.peakBytes > peDataBudget {
                throw LoweringError("PE \(pe) needs \(pes[pe]!.peakBytes) B of data, budget \(peDataBudget) B")
            }
            try Lowering.assignResources(&pes[pe]!, routed: routedAt[pe] ?? [], architecture: architecture)
        }
        let roles = try Lowering.assignRoles(&pes, transfers: inputs + outputs)
        let used = Set(pes.keys).union(routes.map(\.pe))
        let colors = Set(routes.map(\.color)).sorted().map { c in
            ColorUse(
                id: c, name: colorName[c] ?? "c\(c)", carries: "hand-written routes of the playground",
                flows: sends.filter { $0.color == c }.count, nodes: [])
        }
        return FabricProgram(
            architecture: architecture, fabric: fabric,
            rectangle: PERect(bounding: used),
            peDataBudget: peDataBudget, result: -1, ops: [],
            pes: pes.keys.sorted().map { pes[$0]! }, roles: roles, colors: colors,
            routes: routes.sorted { ($0.color, $0.pe.y, $0.pe.x) < ($1.color, $1.pe.y, $1.pe.x) },
            hostInputs: inputs, hostOutputs: outputs)
    }
}
