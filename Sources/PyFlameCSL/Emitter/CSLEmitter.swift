import PyFlameIR
import PyFlameLowering

/// The reference values a project carries for `run.py`: every host input, every output read back, and
/// each output's per-element tolerance (absent: compared exactly, as docs/language.md does for elementwise
/// programs), by the node of its host transfer.
public struct HostData: Sendable {
    public var inputs: [TransferSource: TensorValue]
    public var outputs: [TransferSource: TensorValue]
    public var tolerances: [TransferSource: [Double]]
    /// Segments of an output (flat element ranges) whose order the hardware does not promise — wavelets
    /// merged from several senders — which `run.py` compares as multisets.
    public var orderFree: [TransferSource: [Range<Int>]]

    public init(
        inputs: [TransferSource: TensorValue], outputs: [TransferSource: TensorValue], tolerances: [TransferSource: [Double]] = [:],
        orderFree: [TransferSource: [Range<Int>]] = [:]
    ) {
        self.inputs = inputs
        self.outputs = outputs
        self.tolerances = tolerances
        self.orderFree = orderFree
    }
}

/// A cancellation check the emitter polls in its loops over PEs, roles and steps (Ctrl-C).
struct EmitPoll {
    let shouldStop: () -> Bool
    private var count = 0

    init(_ shouldStop: @escaping () -> Bool) { self.shouldStop = shouldStop }

    /// Checks on the first call and every 256th after: throws ``EmitError/interrupted`` when asked to stop.
    mutating func callAsFunction() throws(EmitError) {
        defer { count &+= 1 }
        if count & 0xFF == 0, shouldStop() { throw EmitError.interrupted }
    }
}

/// Renders a ``FabricProgram`` — and nothing else — as a CSL project for the pinned SDK dialect: it never
/// re-derives placement, colors or routes. Every PE role becomes one PE program file whose per-PE values
/// are `@set_tile_code` parameters; every route one `@set_color_config`; every host transfer a pair of
/// `@export_name` / `@export_symbol` and a memcpy in `run.py`.
public struct CSLEmitter {
    /// The SDK dialect every emitted file names in its header.
    public static let dialect = "Cerebras SDK 1.4 CSL"

    public var templates: TemplateSet
    public var generatorVersion: String

    public init(templates: TemplateSet, generatorVersion: String) {
        self.templates = templates
        self.generatorVersion = generatorVersion
    }

    /// The project of `program` (the cone of the node called `name`), with `data` for `run.py`.
    /// `shouldStop` is polled in the loops over roles, steps and PEs; when it returns true the emission
    /// stops with ``EmitError/interrupted``.
    public func emit(
        _ program: FabricProgram, graph: Graph, name: String, data: HostData, controlReceivers: [PECoord: ControlReceiver] = [:],
        shouldStop: @escaping () -> Bool = { false }
    ) throws(EmitError) -> CSLProject {
        var poll = EmitPoll(shouldStop)
        try poll()
        let symbols = try HostSymbols(program)
        let controls = try ControlSends(program, data: data)
        let rect = program.rectangle
        let header = headerContext(program, graph: graph, name: name)
        var files: [CSLProject.File] = []
        var roleContexts: [[String: Any]] = []

        // Roles: the lowering's, plus one idle role for rectangle PEs that only route.
        let programOf = Dictionary(uniqueKeysWithValues: program.pes.map { ($0.pe, $0) })
        // A PE program writes its control wavelets in its code: PEs of a role whose sends carry control
        // wavelets at different places (or streams of different lengths) get a file each (`NAME_K.csl`).
        var roles: [(file: String, pes: [PEProgram], description: String)] = []
        for role in program.roles {
            let pes = role.pes.map { programOf[$0]! }
            var groups: [[PEProgram]] = []
            var keys: [ControlSends.Layout] = []
            for pe in pes {
                let key = controls.layout(pe)
                if let k = keys.firstIndex(of: key) { groups[k].append(pe) } else { keys.append(key); groups.append([pe]) }
            }
            for (k, group) in groups.enumerated() {
                roles.append((role.name + (k == 0 ? "" : "_\(k)") + ".csl", group, roleDescription(group, graph: graph)))
            }
        }
        let busy = Set(program.pes.map(\.pe))
        var idle: [PEProgram] = []
        for y in rect.y..<(rect.y + rect.height) {
            try poll()
            for x in rect.x..<(rect.x + rect.width) where !busy.contains(PECoord(x, y)) { idle.append(PEProgram(pe: PECoord(x, y))) }
        }
        // Idle PEs whose cores take control wavelets: one file per kind of receiver (`pe_control_K.csl`).
        var receivers: [ControlReceiver: [PEProgram]] = [:]
        for p in idle { if let r = controlReceivers[p.pe] { receivers[r, default: []].append(p) } }
        idle.removeAll { controlReceivers[$0.pe] != nil }
        if !idle.isEmpty { roles.append(("pe_idle.csl", idle, "\(idle.count) PE\(idle.count == 1 ? "" : "s") that only route wavelets")) }
        for (k, group) in receivers.values.sorted(by: { $0[0].pe < $1[0].pe }).enumerated() {
            roles.append(
                ("pe_control_\(k).csl", group, "\(group.count) PE\(group.count == 1 ? "" : "s") whose cores run the control tasks control wavelets name"))
        }

        for role in roles {
            var parameters = RoleParameters(pes: role.pes)
            let text = try peProgram(
                role.file, role.pes, &parameters, program: program, graph: graph, symbols: symbols, controls: controls,
                receiver: controlReceivers[role.pes[0].pe], header: header, poll: &poll)
            files.append(CSLProject.File(name: role.file, text: text))
            // PEs with the same arguments, in blocks: one loop per block, a line per PE elsewhere.
            let byArguments = Dictionary(grouping: role.pes.indices, by: { parameters.tileArguments($0) })
            var tiles: [(PERect, [String: Any])] = []
            for (arguments, members) in byArguments {
                try poll()
                for block in RectangleCover.cover(members.map { role.pes[$0].pe }) {
                    tiles += Self.blockEntries(block, origin: rect, ["FILE": role.file, "PARAMS": arguments])
                }
            }
            roleContexts.append(["FILE": role.file, "DESCRIPTION": role.description, "TILES": Self.ordered(tiles)])
        }

        var layout = header
        layout["ROLES"] = roleContexts
        let routesByColor = Dictionary(grouping: program.routes, by: \.color)
        var colorContexts: [[String: Any]] = []
        for use in program.colors {
            // PEs with the same configuration on the color (rx, tx, switches, filter, swap), in blocks, as
            // for the tiles.
            let byConfig = Dictionary(grouping: routesByColor[use.id] ?? [], by: { RouteKey($0) })
            var routes: [(PERect, [String: Any])] = []
            for (key, members) in byConfig {
                try poll()
                if let why = key.config.refusal(on: program.architecture) { throw EmitError(.route(reason: why)) }
                let fields: [String: Any] = [
                    "COLOR": use.id, "RX": key.config.rx.sorted.map(\.description).joined(separator: ", "),
                    "TX": key.config.tx.sorted.map(\.description).joined(separator: ", "),
                    "SWAP": RouteConfigText.swapFields(key.config), "SETTINGS": RouteConfigText.extraFields(key.config),
                    "NOTE": RouteConfigText.note(key.config).map { ["TEXT": $0] as Any } ?? false,
                ]
                for block in RectangleCover.cover(members.map(\.pe)) {
                    routes += Self.blockEntries(block, origin: rect, fields)
                }
            }
            colorContexts.append(["COLOR": use.id, "NAME": use.name, "CARRIES": use.carries, "ROUTES": Self.ordered(routes)])
        }
        layout["COLORS"] = colorContexts
        layout["SYMBOLS"] = try symbols.all.map { s throws(EmitError) -> [String: Any] in
            ["SYMBOL": s.symbol, "DTYPE": try CSLType.element(s.transfer.type.dtype), "COMMENT": s.comment]
        }
        files.insert(CSLProject.File(name: "layout.csl", text: try render("layout.csl", layout)), at: 0)
        files += try hostFiles(program, name: name, symbols: symbols, data: data, header: header)
        files.append(CSLProject.File(name: CSLProject.markerName, text: "pyflame-shell \(generatorVersion) project of \(name); :emit replaces this folder\n"))
        return CSLProject(name: name, files: files)
    }

    /// Blocks of at least this many PEs become a loop in `layout.csl`; smaller ones a line per PE.
    static let smallestLoop = 3

    /// The layout entries of one block of PEs that share `fields`: one loop over a row, a column or the
    /// whole block (ROW, COLUMN, BLOCK), or a line per PE (SINGLE), in rectangle coordinates.
    static func blockEntries(_ block: PERect, origin: PERect, _ fields: [String: Any]) -> [(PERect, [String: Any])] {
        let x0 = block.x - origin.x, y0 = block.y - origin.y
        var entry = fields
        for flag in ["SINGLE", "ROW", "COLUMN", "BLOCK"] { entry[flag] = false }
        guard block.width * block.height >= smallestLoop else {
            var singles: [(PERect, [String: Any])] = []
            for y in 0..<block.height {
                for x in 0..<block.width {
                    var single = entry
                    single["SINGLE"] = true
                    single["X"] = x0 + x
                    single["Y"] = y0 + y
                    singles.append((PERect(x: block.x + x, y: block.y + y, width: 1, height: 1), single))
                }
            }
            return singles
        }
        entry[block.height == 1 ? "ROW" : block.width == 1 ? "COLUMN" : "BLOCK"] = true
        entry["X"] = x0
        entry["Y"] = y0
        entry["X_END"] = x0 + block.width
        entry["Y_END"] = y0 + block.height
        return [(block, entry)]
    }

    /// Entries in address order of their first PE.
    static func ordered(_ entries: [(PERect, [String: Any])]) -> [[String: Any]] {
        entries.sorted { ($0.0.y, $0.0.x) < ($1.0.y, $1.0.x) }.map(\.1)
    }

    /// Context every template shares: program, generator, dialect, target, rectangle.
    func headerContext(_ program: FabricProgram, graph: Graph, name: String) -> [String: Any] {
        let rect = program.rectangle
        return [
            "PROGRAM_NAME": CSLText.comment(name), "PROGRAM": CSLText.comment(describe(graph, program.result)),
            "GENERATOR_VERSION": generatorVersion, "DIALECT": CSLEmitter.dialect, "ARCH": program.architecture.rawValue,
            "WIDTH": rect.width, "HEIGHT": rect.height, "ORIGIN_X": rect.x, "ORIGIN_Y": rect.y,
            "FABRIC_DIMS": "\(rect.width + Architecture.memcpyBorder.extraWidth),\(rect.height + Architecture.memcpyBorder.extraHeight)",
            "FABRIC_OFFSETS": "\(Architecture.memcpyBorder.offsetX),\(Architecture.memcpyBorder.offsetY)",
        ]
    }

    func render(_ name: String, _ context: [String: Any]) throws(EmitError) -> String {
        do { return try templates.render(name, context) } catch { throw EmitError(.template(reason: error.message)) }
    }

    /// `%3 (c) = add(%1 (a), %2 (b))`: a node for comments (nil: the playground, which has no node).
    func describe(_ graph: Graph, _ id: NodeID?) -> String {
        guard let id else { return "the routing playground's hand-written routes" }
        guard let node = graph[id] else { return "%\(id)" }
        let inputs = node.inputs.map { i in "%\(i)" + (graph[i]?.name.map { " (\($0))" } ?? "") }
        return "%\(id)" + (node.name.map { " (\($0))" } ?? "") + " = \(node.op.name)(\(inputs.joined(separator: ", "))) : \(node.type)"
    }

    private func roleDescription(_ pes: [PEProgram], graph: Graph) -> String {
        let nodes = pes[0].stepNodes.reduce(into: [NodeID?]()) { if !$0.contains($1) { $0.append($1) } }
        let what = nodes.map { id in
            guard let id else { return "the playground" }
            return "%\(id)" + (graph[id]?.name.map { " (\($0))" } ?? "") + " " + (graph[id]?.op.name ?? "")
        }
        return "\(pes.count) PE\(pes.count == 1 ? "" : "s"), \(pes[0].steps.count) step\(pes[0].steps.count == 1 ? "" : "s") of "
            + (what.isEmpty ? "nothing" : what.joined(separator: ", "))
    }
}

/// The host-visible symbols of a program: each input transfer and the result, with unique names.
struct HostSymbols {
    struct Symbol {
        var symbol: String
        var transfer: HostTransfer
        var isOutput: Bool
        var comment: String
    }

    let all: [Symbol]
    /// (PE, buffer index) → symbol.
    let byBuffer: [PECoord: [Int: String]]

    init(_ program: FabricProgram) throws(EmitError) {
        var used = Set(["compute"])
        var all: [Symbol] = []
        func unique(_ base: String) -> String {
            var name = base, k = 2
            while used.contains(name) { name = "\(base)_\(k)"; k += 1 }
            used.insert(name)
            return name
        }
        for t in program.hostInputs {
            let name = unique(t.name)
            all.append(
                Symbol(
                    symbol: name, transfer: t, isOutput: false,
                    comment: (t.node.map { "host input %\($0) (\(t.name))" } ?? "wavelets sent")
                        + " : \(t.type), \(t.pieces.count) piece\(t.pieces.count == 1 ? "" : "s")"))
        }
        for t in program.hostOutputs {
            let name = unique(t.name)
            all.append(
                Symbol(
                    symbol: name, transfer: t, isOutput: true,
                    comment: (t.node.map { "result %\($0) (\(t.name))" } ?? "wavelets received")
                        + " : \(t.type), read back from \(t.pieces.count) PE\(t.pieces.count == 1 ? "" : "s")"))
        }
        var byBuffer: [PECoord: [Int: String]] = [:]
        for s in all {
            for piece in s.transfer.pieces {
                if let other = byBuffer[piece.pe]?[piece.buffer] {
                    throw EmitError(.sharedHostBuffer(pe: piece.pe, first: other, second: s.symbol))
                }
                byBuffer[piece.pe, default: [:]][piece.buffer] = s.symbol
            }
        }
        for s in all where s.transfer.type.dtype == .bf16 {
            // An unnamed value has an internal buffer name (tmp43): say it as :graph shows it.
            let what = s.transfer.node.flatMap { s.transfer.name == "tmp\($0)" ? "the unnamed value %\($0) (see :graph)" : nil } ?? s.transfer.name
            throw EmitError(.bf16Transfer(what: what))
        }
        self.all = all
        self.byBuffer = byBuffer
    }
}

/// A route without its PE, for grouping the PEs that configure a color the same way.
struct RouteKey: Hashable {
    var config: RouteConfig

    init(_ route: RouteConfig) {
        config = route
        config.pe = PECoord(0, 0)
    }
}
