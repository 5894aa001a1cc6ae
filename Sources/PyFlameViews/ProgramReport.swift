import Foundation
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

/// The text views of a ``FabricProgram``: `:lower`, `:pes`, `:colors` and `:routes`. Pure functions of
/// the program and the graph, so what the user reads is what the emitter and simulator use.
public struct ProgramReport {
    public let program: FabricProgram
    public let graph: Graph
    /// The name the user asked about.
    public let name: String

    public init(program: FabricProgram, graph: Graph, name: String) {
        self.program = program
        self.graph = graph
        self.name = name
    }

    private var rect: PERect { program.rectangle }

    /// One line about the whole program.
    public var summary: String {
        let peCount = program.pes.count
        return
            "program \(name): \(program.ops.count) lowered op\(program.ops.count == 1 ? "" : "s") on \(peCount) PE\(peCount == 1 ? "" : "s"), rectangle \(rect) of fabric \(program.fabric) (\(program.architecture.rawValue)), \(program.colors.count) color\(program.colors.count == 1 ? "" : "s"), \(program.programFileCount) PE program\(program.programFileCount == 1 ? "" : "s")"
            + (program.routingOnlyPECount > 0
                ? " (one for the \(program.routingOnlyPECount) PE\(program.routingOnlyPECount == 1 ? " that only routes" : "s that only route"))" : "")
    }

    private func nodeLine(_ id: NodeID) -> String {
        graph[id].map { GraphPrinter.line($0) } ?? "%\(id)"
    }

    private func block(_ layout: Layout, _ origin: PECoord) -> String {
        let (w, h) = layout.blockSize
        return "\(layout) at \(origin): \(origin)..(\(origin.x + w - 1),\(origin.y + h - 1)), \(w * h) PE\(w * h == 1 ? "" : "s")"
    }

    // MARK: - :lower

    /// One line per host tensor: a tensor copied in for several ops (the pieces of a `concat`) lists each
    /// block it goes to once, with how many transfers go there.
    var hostInputLines: [String] {
        var order: [TransferSource] = []
        var groups: [TransferSource: [HostTransfer]] = [:]
        for input in program.hostInputs {
            if groups[input.source] == nil { order.append(input.source) }
            groups[input.source, default: []].append(input)
        }
        return order.map { source in
            let transfers = groups[source]!
            var blocks: [(text: String, count: Int)] = []
            for t in transfers {
                let text = block(t.layout, t.origin)
                if let k = blocks.firstIndex(where: { $0.text == text }) { blocks[k].count += 1 } else { blocks.append((text, 1)) }
            }
            let pieces = transfers.reduce(0) { $0 + $1.pieces.count }
            let targets = blocks.map { $0.count == 1 ? $0.text : "\($0.text) (\($0.count) transfers)" }.joined(separator: "; ")
            let first = transfers[0]
            return "host input  \(first.name) \(first.type) -> \(targets) by memcpy (\(pieces) piece\(pieces == 1 ? "" : "s")"
                + (transfers.count > 1 ? " in \(transfers.count) transfers)" : ")")
        }
    }

    /// `:lower NAME`: every lowered op with its pattern, kernel, PEs, tile and budget, routes, the pattern's
    /// parameters and fused ops; then the host transfers.
    public func lowerLines(routeLimit: Int = 8) -> [String] {
        var lines = [summary]
        lines += hostInputLines
        for output in program.hostOutputs {
            lines.append("host output \(output.name) \(output.type) <- \(block(output.layout, output.origin)) by memcpy")
        }
        let budget = program.peDataBudget
        for (index, op) in program.ops.enumerated() {
            lines.append("")
            lines.append("op \(index + 1): " + nodeLine(op.nodes.last!))
            lines.append("  pattern     \(op.pattern.title)")
            lines.append("  kernel      \(op.kernel)")
            lines.append("  algorithm   \(op.algorithm)")
            lines.append("  PEs         \(block(op.layout, op.origin))")
            let pes = op.layout.pes.map { PECoord(op.origin.x + $0.x, op.origin.y + $0.y) }
            let peak = pes.compactMap { program.program(at: $0)?.peakBytes }.max() ?? 0
            lines.append(
                "  tile        \(op.tileElements) element\(op.tileElements == 1 ? "" : "s") of \(op.tensor), \(op.tileBytes) B per PE for the op's tensors (\(percent(op.tileBytes, budget)) of the \(budget) B budget); peak of the busiest PE \(peak) B (\(percent(peak, budget)))"
            )
            if op.colors.isEmpty {
                lines.append("  routes      none")
            } else {
                // The op's own routes: those carrying its nodes' data (another op may use the same color elsewhere).
                let nodes = Set(op.nodes)
                let routes = program.routes.filter { route in
                    op.colors.contains(route.color) && (program.routeNodes[RouteKey(route.pe, route.color)] ?? []).contains(where: nodes.contains)
                }
                lines.append("  colors      \(op.colors.map(String.init).joined(separator: ", ")) (\(op.colors.count) of \(Architecture.programColorCount))")
                lines.append("  routes      \(routes.count) (PE, color) configs:")
                for route in routes.prefix(routeLimit) { lines.append("    " + ProgramReport.routeLine(route)) }
                if routes.count > routeLimit { lines.append("    ... \(routes.count - routeLimit) more (:routes \(name) COLOR)") }
            }
            lines.append("  parameters  " + op.pattern.parameterText)
            lines.append("  fused ops   " + (op.fusedOps.isEmpty ? "-" : op.fusedOps.joined(separator: " -> ") + " (\(op.nodes.count) nodes, one kernel)"))
        }
        return lines
    }

    private func percent(_ bytes: Int, _ budget: Int) -> String {
        String(format: "%.1f%%", Double(bytes) / Double(max(budget, 1)) * 100)
    }

    // MARK: - :routes, :colors

    /// `(1,0) color 0: rx {WEST} tx {RAMP, EAST}`.
    public static func routeLine(_ route: RouteConfig) -> String {
        "\(route.pe) color \(route.color): rx \(route.rx) tx \(route.tx)"
    }

    /// `:routes`: a line per route (at most `limit`), each dynamic route's switches, filter, swap and
    /// teardown beneath it (their state in `simulation` when it runs this program).
    public func routeLines(color: ColorID?, limit: Int, simulation: Simulation? = nil) -> [String] {
        let routes = program.routes.filter { color == nil || $0.color == color }
        guard !routes.isEmpty else {
            if program.isPlayground {
                return [color.map { "no routes on color \($0) in the playground" } ?? "the playground has no routes yet"]
            }
            return [color.map { "no routes on color \($0) in \(name)'s program" } ?? "\(name)'s program has no routes: every op is local"]
        }
        var lines: [String] = []
        for route in routes.prefix(limit) {
            lines.append(ProgramReport.routeLine(route))
            // A plain route of a color with control wavelets may be torn down too.
            if route.isDynamic || simulation?.fabric.hasDynamicColors == true {
                let live = simulation.map { RouteLiveState.of(route, in: $0.fabric) }
                lines += RouteText.detailLines(route, live: live).map { "  " + $0 }
            }
        }
        if routes.count > limit { lines.append("... \(routes.count - limit) more (--limit N shows more)") }
        if program.isPlayground {
            let cores = ProgramReport.reactingCores(program).filter { color == nil || $0.colors.contains(color!) }
            if !cores.isEmpty {
                lines.append("reacting cores:")
                lines += cores.map { "  \($0.pe) \($0.text)" }
            }
        }
        return lines
    }

    /// The playground's reacting cores: each PE's steps besides its plain sends (and the host's receives,
    /// in an emitted program), in words, with the colors they receive and send.
    public static func reactingCores(_ program: FabricProgram) -> [(
        pe: PECoord, colors: Set<ColorID>, receives: Set<ColorID>, sends: Set<ColorID>, text: String
    )] {
        var host: [PECoord: Set<Int>] = [:]
        for transfer in program.hostInputs + program.hostOutputs {
            switch transfer.source {
            case .playgroundSends, .playgroundReceives: for piece in transfer.pieces { host[piece.pe, default: []].insert(piece.buffer) }
            default: break
            }
        }
        var result: [(pe: PECoord, colors: Set<ColorID>, receives: Set<ColorID>, sends: Set<ColorID>, text: String)] = []
        for p in program.pes {
            let skip = host[p.pe] ?? []
            var steps: [String] = []
            var receives: Set<ColorID> = [], sends: Set<ColorID> = []
            for case .fabric(let ops) in p.steps {
                var parts: [String] = []
                for op in ops {
                    switch op {
                    case .send(let a, let c):
                        guard !skip.contains(a.buffer) else { continue }
                        sends.insert(c)
                        parts.append("sends \(a.count) on color \(c)")
                    case .receive(let a, let c, _):
                        guard !skip.contains(a.buffer) else { continue }
                        receives.insert(c)
                        parts.append("receives \(a.count) on color \(c)")
                    case .forward(let a, let from, let to, let combine):
                        receives.insert(from)
                        sends.insert(to)
                        switch combine {
                        case .store: parts.append("relays \(a.count) from color \(from) to color \(to)")
                        case .add: parts.append("receives \(a.count) on color \(from), adds its own values and sends on color \(to)")
                        case .max, .min:
                            parts.append("receives \(a.count) on color \(from), keeps the \(combine.rawValue) with its own values and sends on color \(to)")
                        }
                    }
                }
                if !parts.isEmpty { steps.append(parts.joined(separator: " and ")) }
            }
            if !steps.isEmpty {
                result.append((p.pe, receives.union(sends), receives, sends, "core " + steps.joined(separator: ", then ")))
            }
        }
        return result
    }

    public func colorLines() -> [String] {
        if program.isPlayground { return playgroundColorLines() }
        guard !program.colors.isEmpty else { return ["\(name)'s program uses no colors: every op is local"] }
        var lines = [
            "\(program.colors.count) of \(Architecture.programColorCount) colors (\(Architecture.programColorsText); memcpy reserves \(Architecture.memcpyColorsText)):"
        ]
        for use in program.colors {
            let routes = program.routes.filter { $0.color == use.id }
            let xs = routes.map(\.pe.x), ys = routes.map(\.pe.y)
            let span = routes.isEmpty ? "" : " (\(xs.min()!),\(ys.min()!))..(\(xs.max()!),\(ys.max()!))"
            lines.append("  color \(String(use.id).padded(to: 2)) \(use.name)")
            lines.append(
                "           carries \(use.carries)"
                    + (use.flows > 1
                        ? "; \(use.flows - 1) more flow\(use.flows == 2 ? "" : "s") share\(use.flows == 2 ? "s" : "") the color on other PEs or the same routes"
                        : ""))
            lines.append("           routed at \(routes.count) PE\(routes.count == 1 ? "" : "s")\(span)")
        }
        return lines
    }

    /// `:colors` for the playground: each routed color with its name, the sends on it and where it is
    /// routed. Any of 0–23 may be written; memcpy's colors only matter once it is emitted.
    private func playgroundColorLines() -> [String] {
        guard !program.colors.isEmpty else { return ["the playground routes no colors yet"] }
        let cores = ProgramReport.reactingCores(program)
        var lines = [
            "\(program.colors.count) color\(program.colors.count == 1 ? "" : "s") in the playground (\(Architecture.colorsText); memcpy reserves \(Architecture.memcpyColorsText) in emitted programs):"
        ]
        for use in program.colors {
            let routes = program.routes.filter { $0.color == use.id }
            let xs = routes.map(\.pe.x), ys = routes.map(\.pe.y)
            let span = routes.isEmpty ? "" : " (\(xs.min()!),\(ys.min()!))..(\(xs.max()!),\(ys.max()!))"
            let sends = program.hostInputs.first { $0.source == .playgroundSends(color: use.id) }
            let wavelets = sends?.type.shape.elementCount ?? 0
            let senders = (sends?.pieces ?? []).map(\.pe)
            let from = senders.reduce(into: [PECoord]()) { if !$0.contains($1) { $0.append($1) } }
            lines.append("  color \(String(use.id).padded(to: 2)) \(use.name)")
            lines.append(
                "           "
                    + (senders.isEmpty
                        ? "carries no sends: only routes"
                        : "carries \(wavelets) wavelet\(wavelets == 1 ? "" : "s") of \(senders.count) send\(senders.count == 1 ? "" : "s") from \(from.map(\.description).joined(separator: ", "))")
            )
            lines.append("           routed at \(routes.count) PE\(routes.count == 1 ? "" : "s")\(span)")
            let readers = cores.filter { $0.receives.contains(use.id) }.map(\.pe.description)
            let writers = cores.filter { $0.sends.contains(use.id) }.map(\.pe.description)
            if !readers.isEmpty || !writers.isEmpty {
                lines.append(
                    "           reacting cores: "
                        + [
                            readers.isEmpty ? nil : "receive at " + readers.joined(separator: ", "),
                            writers.isEmpty ? nil : "send at " + writers.joined(separator: ", "),
                        ]
                        .compactMap { $0 }.joined(separator: "; "))
            }
        }
        return lines
    }

    // MARK: - :pes

    /// `:pes NAME`: a map of the program rectangle, one letter per op (the last op a PE runs; `+` when
    /// a PE runs several, `:` for a PE that only routes), a legend, and each PE's tiles. Rectangles
    /// wider than the terminal show blocks of PEs.
    public func peLines(width: Int, limit: Int) -> [String] {
        func letter(_ i: Int) -> Character { PEGlyph.op(i) }
        var opsAt: [PECoord: [Int]] = [:]
        for (i, op) in program.ops.enumerated() {
            for local in op.layout.pes { opsAt[PECoord(op.origin.x + local.x, op.origin.y + local.y), default: []].append(i) }
        }
        let glyphs = PEGlyph.map(program)
        let unused = PEGlyph.unused(unicode: false)
        func cell(_ pe: PECoord) -> Character { glyphs[pe] ?? unused }
        // One character per PE (two columns with spacing) when it fits, else blocks of k×k PEs.
        let available = max(20, width - 8)
        let scale = max(1, Int((Double(rect.width * 2) / Double(available)).rounded(.up)))
        var lines = ["PEs of \(name): rectangle \(rect) of fabric \(program.fabric)" + (scale > 1 ? ", one cell per \(scale)x\(scale) PEs" : "")]
        let columns = Swift.stride(from: rect.x, to: rect.x + rect.width, by: scale).map { $0 }
        let header = columns.map { String($0 % 10) }.joined(separator: " ")
        lines.append("      x " + header)
        for y in Swift.stride(from: rect.y, to: rect.y + rect.height, by: scale) {
            var row = ""
            for x in columns {
                var chosen = unused
                outer: for dy in 0..<scale {
                    for dx in 0..<scale {
                        let c = cell(PECoord(x + dx, y + dy))
                        if c != unused && (chosen == unused || chosen == PEGlyph.routesOnly) { chosen = c }
                        if c == PEGlyph.severalOps { chosen = c; break outer }
                    }
                }
                row += String(chosen) + " "
            }
            lines.append("  y " + String(y).padded(to: 3) + " " + row.trimmingTrailingSpaces())
        }
        lines.append("legend:")
        for (i, op) in program.ops.enumerated() {
            lines.append("  \(letter(i))  " + nodeLine(op.nodes.last!) + " — " + block(op.layout, op.origin))
        }
        for (glyph, meaning) in PEGlyph.otherLegend(glyphs) { lines.append("  \(glyph)  \(meaning)") }
        lines.append("tiles:")
        var count = 0
        for pe in program.pes.map(\.pe) {
            guard let list = opsAt[pe] else { continue }
            if count == limit {
                lines.append("  ... \(opsAt.count - limit) more PEs (--limit N shows more)")
                break
            }
            count += 1
            let parts = list.map { i -> String in
                let op = program.ops[i]
                let local = PECoord(pe.x - op.origin.x, pe.y - op.origin.y)
                let tile = (try? Tiling(op.tensor, on: op.layout))?.tile(for: local).description ?? "?"
                return "\(letter(i)) \(tile)"
            }
            lines.append("  \(pe) " + parts.joined(separator: "  "))
        }
        return lines
    }
}

extension String {
    /// The string with spaces added to `width` characters (unchanged when it is already as wide).
    public func padded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }

    /// The string without trailing spaces.
    public func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
