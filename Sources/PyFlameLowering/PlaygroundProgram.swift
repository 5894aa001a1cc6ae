import PyFlameIR

/// The routing playground (`color`, `route`, `send`) as a ``FabricProgram``, built whenever the
/// playground changes, so the simulator, the views, `:routes`, `:colors` and the CSL emitter read
/// hand-written routes like any lowered program.
///
/// Each PE that sends streams its queued values: one i32 buffer per send, which the host copies in, and
/// one send operation on its color. For emission (``make(routes:colorNames:sends:receives:architecture:fabric:peDataBudget:)``
/// with `receives`), each PE whose core receives takes as many wavelets per color as the simulated fabric
/// delivered to it (an i32 buffer read back). Streams are given in statement order (sends) or PE address
/// order (receives); a host symbol per color and direction holds them end to end. Steps, the memory
/// budget and the local task IDs follow the lowering's rules (`Lowering.fabricSteps`,
/// `Lowering.checkMemory`, `Lowering.assignResources`): a PE's sends and receives start together in one
/// fabric step, split only by the microthread budget or a repeated color, so none waits for another.
public enum PlaygroundProgram {
    /// Wavelets on `color` that enter (a send) or leave (a receive) the fabric at `pe`'s core.
    public struct Stream: Sendable, Equatable {
        public var pe: PECoord
        public var color: ColorID
        public var count: Int
        /// Each wavelet's command word (0 for data; `ControlWavelet.commandWord`), or empty when all are data.
        public var commandWords: [UInt32]

        public init(pe: PECoord, color: ColorID, count: Int, commandWords: [UInt32] = []) {
            self.pe = pe
            self.color = color
            self.count = count
            self.commandWords = commandWords
        }
    }

    /// A core that reacts to what arrives (`on (x,y) ...`): PE steps on the same core model as a lowered
    /// program's (start-up, per-element costs, queues).
    public struct Reaction: Sendable, Equatable {
        public enum Action: Sendable, Equatable {
            /// Receive `count` wavelets from `from`; then (when `to` is set) send them on `to`, or send
            /// `ownValues` values of its own instead.
            case receive(from: ColorID, count: Int, to: ColorID?, ownValues: Int?)
            /// A FIFO relay: `count` wavelets from `from`, each sent on `to` as it came.
            case forward(from: ColorID, to: ColorID, count: Int)
            /// A chain cell: each of `count` wavelets from `from` combined with the core's own value, sent on `to`.
            case chain(from: ColorID, to: ColorID, combine: Combine, count: Int)

            /// The color the core receives, and the color it sends on (if any).
            public var colors: (from: ColorID, to: ColorID?) {
                switch self {
                case .receive(let from, _, let to, _): return (from, to)
                case .forward(let from, let to, _), .chain(let from, let to, _, _): return (from, to)
                }
            }
        }

        public var pe: PECoord
        public var action: Action
        /// The dtype the core computes in: f32 for f32 payloads, i32 otherwise (the bits pass unchanged).
        public var dtype: DType
        /// The command word of each of its own values (0 for data; `ControlWavelet.commandWord`), or empty
        /// when all are data: a core that sends control wavelets.
        public var commandWords: [UInt32]

        public init(pe: PECoord, action: Action, dtype: DType, commandWords: [UInt32] = []) {
            self.pe = pe
            self.action = action
            self.dtype = dtype
            self.commandWords = commandWords
        }
    }

    /// The playground's program: its routes as written, a sender program at every PE that sends, the
    /// reacting cores' steps (after the PE's sends), and (for emission) a receiver program at every PE in
    /// `receives`. Throws only when a PE has no free local task ID.
    public static func make(
        routes: [RouteConfig], colorNames: [String: ColorID], sends: [Stream], receives: [Stream] = [], reactions: [Reaction] = [],
        hostStreams: [HostStream] = [], architecture: Architecture, fabric: FabricSize, peDataBudget: Int
    ) throws(LoweringError) -> FabricProgram {
        var pes: [PECoord: PEProgram] = [:]
        var operations: [PECoord: [FabricOperation]] = [:]
        func buffer(_ pe: PECoord, _ name: String, _ count: Int, _ dtype: DType = .i32) -> Int {
            // Appended in place (a copy of the PE program out of the dictionary and back copied its
            // buffers on every append: a PE with N sends cost N^2).
            if pes[pe] == nil { pes[pe] = PEProgram(pe: pe) }
            pes[pe]!.buffers.append(Buffer(name: name, dtype: dtype, count: count, shape: [count], firstUse: -1, lastUse: Int.max, node: nil))
            return pes[pe]!.buffers.count - 1
        }
        let colorName = names(colorNames)
        // One host symbol per color and direction (`sent_red`, `received_red`): each PE holds its segment,
        // in the order the streams are given, so PEs doing the same share one program file.
        func transfers(
            _ streams: [Stream], _ prefix: String, _ source: (ColorID) -> TransferSource, _ op: (BufferAccess, ColorID) -> FabricOperation
        ) -> [HostTransfer] {
            var result: [HostTransfer] = []
            for color in Set(streams.map(\.color)).sorted() {
                let name = "\(prefix)_\(colorName[color] ?? "c\(color)")"
                var pieces: [HostPiece] = []
                var total = 0
                for s in streams where s.color == color && s.count > 0 {
                    let b = buffer(s.pe, name, s.count)
                    operations[s.pe, default: []].append(op(BufferAccess(buffer: b, extents: [s.count]), color))
                    pieces.append(HostPiece(pe: s.pe, buffer: b, tile: Tile([total..<(total + s.count)])))
                    total += s.count
                }
                if total > 0 {
                    result.append(
                        HostTransfer(
                            source: source(color), name: name, type: TensorType(Shape([total]), .i32), layout: .singlePE,
                            origin: pieces[0].pe, pieces: pieces))
                }
            }
            return result
        }
        let inputs = transfers(sends, "sent", { .playgroundSends(color: $0) }) { .send($0, color: $1) }
        let outputs = transfers(receives, "received", { .playgroundReceives(color: $0) }) { .receive($0, color: $1, combine: .store) }
        // The reacting cores' own values: one host symbol per color they send on (`own_blue`), each PE its segment.
        var ownValues: [HostTransfer] = []
        var later: [PECoord: [[FabricOperation]]] = [:]
        var ownPieces: [ColorID: [HostPiece]] = [:]
        var ownDType: [ColorID: DType] = [:]
        // A core that only receives, where the host reads back what it receives (emission), is that host receive.
        let hostReceives = Set(receives.map { RouteKey($0.pe, $0.color) })
        for r in reactions {
            if case .receive(let from, _, nil, _) = r.action, hostReceives.contains(RouteKey(r.pe, from)) { continue }
            func own(_ color: ColorID, _ count: Int) -> Int {
                let name = "own_\(colorName[color] ?? "c\(color)")"
                let b = buffer(r.pe, name, count, r.dtype)
                let total = ownPieces[color, default: []].reduce(0) { $0 + $1.tile.ranges[0].count }
                ownPieces[color, default: []].append(HostPiece(pe: r.pe, buffer: b, tile: Tile([total..<(total + count)])))
                ownDType[color] = r.dtype
                return b
            }
            switch r.action {
            case .receive(let from, let count, let to, let values):
                let got = buffer(r.pe, "got_\(colorName[from] ?? "c\(from)")", count, r.dtype)
                var steps: [[FabricOperation]] = [[.receive(BufferAccess(buffer: got, extents: [count]), color: from, combine: .store)]]
                if let to {
                    let b = values.map { own(to, $0) } ?? got
                    steps.append([.send(BufferAccess(buffer: b, extents: [values ?? count]), color: to)])
                }
                later[r.pe, default: []] += steps
            case .forward(let from, let to, let count):
                let b = buffer(r.pe, "relay_\(colorName[from] ?? "c\(from)")", count, r.dtype)
                later[r.pe, default: []].append([.forward(BufferAccess(buffer: b, extents: [count]), from: from, to: to, combine: .store)])
            case .chain(let from, let to, let combine, let count):
                let b = own(to, count)
                later[r.pe, default: []].append([.forward(BufferAccess(buffer: b, extents: [count]), from: from, to: to, combine: combine)])
            }
        }
        for (color, pieces) in ownPieces.sorted(by: { $0.key < $1.key }) {
            let total = pieces.reduce(0) { $0 + $1.tile.ranges[0].count }
            ownValues.append(
                HostTransfer(
                    source: .playgroundValues(color: color), name: "own_\(colorName[color] ?? "c\(color)")",
                    type: TensorType(Shape([total]), ownDType[color] ?? .i32), layout: .singlePE, origin: pieces[0].pe, pieces: pieces))
        }
        for pe in Set(operations.keys).union(later.keys) {
            // A PE's sends start at once (as the playground's sends do), with its reaction's first step; the
            // reaction's later steps follow one by one.
            let reaction = later[pe] ?? []
            let steps = (Lowering.fabricSteps((operations[pe] ?? []) + (reaction.first ?? [])) + reaction.dropFirst()).map { PEStep.fabric($0) }
            pes[pe]!.steps = steps
            pes[pe]!.stepNodes = steps.map { _ in nil }
        }
        try Lowering.assignResources(&pes, routes: routes, architecture: architecture, shouldStop: { false })
        let roles = try Lowering.assignRoles(&pes, transfers: inputs + ownValues + outputs)
        let used = Set(pes.keys).union(routes.map(\.pe))
        let colors = Set(routes.map(\.color)).sorted().map { c in
            ColorUse(
                id: c, name: colorName[c] ?? "c\(c)", carries: "hand-written routes of the playground",
                flows: sends.filter { $0.color == c }.count + reactions.filter { $0.action.colors.to == c }.count, nodes: [])
        }
        // Control wavelets' command words, per color in the order of the color's host input.
        var commandWords: [ColorID: [UInt32]] = [:]
        for color in Set(sends.filter { !$0.commandWords.isEmpty }.map(\.color)) {
            commandWords[color] = sends.filter { $0.color == color && $0.count > 0 }.flatMap {
                $0.commandWords.isEmpty ? Array(repeating: 0, count: $0.count) : $0.commandWords
            }
        }
        var program = FabricProgram(
            architecture: architecture, fabric: fabric,
            rectangle: PERect(bounding: used),
            peDataBudget: peDataBudget, result: nil, ops: [],
            pes: pes.keys.sorted().map { pes[$0]! }, roles: roles, colors: colors,
            routes: routes.sorted { ($0.color, $0.pe.y, $0.pe.x) < ($1.color, $1.pe.y, $1.pe.x) },
            hostInputs: inputs + ownValues, hostOutputs: outputs)
        program.playgroundCommandWords = commandWords
        for r in reactions where !r.commandWords.isEmpty {
            if case .receive(_, _, let to?, _?) = r.action { program.playgroundCoreCommandWords[RouteKey(r.pe, to)] = r.commandWords }
        }
        program.playgroundHostStreams = hostStreams
        return program
    }

    /// Refuses, for emission, what a CSL program cannot do the way the simulated playground does it (the
    /// program is not changed to fit): several sends on one color at one PE, a PE that sends and receives
    /// one color; and checks every PE's memory against the budget.
    public static func checkEmittable(_ program: FabricProgram, colorNames: [String: ColorID]) throws(LoweringError) {
        let colorName = names(colorNames)
        func named(_ color: ColorID) -> String { colorName[color] ?? "\(color)" }
        // Each PE's sends and receives per color (the buffers' element counts), in address order.
        for p in program.pes {
            var sends: [ColorID: Int] = [:]
            for case .fabric(let ops) in p.steps {
                for case .send(_, let color) in ops { sends[color, default: 0] += 1 }
            }
            for (color, count) in sends.sorted(by: { $0.key < $1.key }) where count > 1 {
                throw LoweringError(.playgroundSends(pe: p.pe, count: count, color: named(color)))
            }
        }
        for p in program.pes {
            var sent: Set<ColorID> = []
            var received: [(ColorID, Int)] = []
            for case .fabric(let ops) in p.steps {
                for op in ops {
                    switch op {
                    case .send(_, let color): sent.insert(color)
                    case .receive(let a, let color, _): received.append((color, a.count))
                    default: break
                    }
                }
            }
            for (color, count) in received.sorted(by: { $0.0 < $1.0 }) where count > 0 && sent.contains(color) {
                throw LoweringError(.playgroundSendAndReceive(pe: p.pe, color: named(color), received: count))
            }
        }
        let pes = Dictionary(uniqueKeysWithValues: program.pes.map { ($0.pe, $0) })
        try Lowering.checkMemory(
            pes, ordered: program.pes.map(\.pe), budget: program.peDataBudget, shouldStop: { false },
            advice: "send fewer wavelets from it or `set pe_data_budget`"
        ) { buffer in
            buffer.name.hasPrefix("sent_") ? "the wavelets it sends" : buffer.name.hasPrefix("received_") ? "the wavelets it receives" : "what it reacts with"
        }
    }

    /// Color ID → its name (the alphabetically first when several names share an ID).
    private static func names(_ colorNames: [String: ColorID]) -> [ColorID: String] {
        Dictionary(colorNames.map { ($1, $0) }, uniquingKeysWith: { a, b in min(a, b) })
    }
}
