import PyFlameFrontend
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering

/// The statement that defined a name, as logged: what a layout suggestion rewrites.
public struct Definition: Sendable, Equatable {
    /// The node the statement bound the name to (a later rebinding makes it stale).
    public var node: NodeID
    /// The statement as logged (`y = relu(x) on Grid(2, 2)`).
    public var text: String

    public init(node: NodeID, text: String) {
        self.node = node
        self.text = text
    }
}

/// A layout suggestion for a lowering refusal: the refused statement retyped with another layout, built by
/// the front end and lowered before it is named, at most ``maxLowerings`` times.
enum LayoutAdvice {
    /// Most trial lowerings per refusal (each is a whole lowering of the cone).
    static let maxLowerings = 4
    /// Most statements built per refusal (a build the front end refuses costs no lowering).
    static let maxBuilds = 10

    /// Whether another layout of the statement could avoid the refusal: not a Ctrl-C, a host tensor, the
    /// playground's or the lowering's own order.
    static func mayHelp(_ error: LoweringError) -> Bool {
        switch error.kind {
        case .matmulLayout, .matmulColors, .colorBudget, .fabricTooSmall, .peData, .noTaskID, .taskIDs, .queueColors, .queuesPerStep,
            .tiling, .noLowering:
            return true
        default:
            return false
        }
    }

    /// Layouts near `layout` for a statement whose result is `type`: `auto`'s (given first by the caller),
    /// one PE, the same kind halved and doubled, the other partition, and grids of about as many PEs.
    static func candidates(near layout: Layout?, type: TensorType, fabric: FabricSize) -> [Layout] {
        var list: [Layout] = [.singlePE]
        let rank = type.shape.rank
        func grids(_ r: Int, _ c: Int) -> [Layout] {
            [
                .grid(rows: r, cols: c), .grid(rows: r + 1, cols: c + 1), .grid(rows: Swift.max(1, r / 2), cols: Swift.max(1, c / 2)),
                .grid(rows: 2 * r, cols: 2 * c),
            ]
        }
        switch layout {
        case .rowPartition(let n)?:
            list += [.rowPartition(Swift.max(1, n / 2)), .rowPartition(2 * n), .colPartition(n)]
            if rank == 2 { list += grids(Swift.max(1, n / 2), 2) }
        case .colPartition(let n)?:
            list += [.colPartition(Swift.max(1, n / 2)), .colPartition(2 * n), .rowPartition(n)]
            if rank == 2 { list += grids(2, Swift.max(1, n / 2)) }
        case .grid(let r, let c)?:
            list += [.grid(rows: r + 1, cols: c + 1), .grid(rows: Swift.max(1, r - 1), cols: Swift.max(1, c - 1)), .grid(rows: c, cols: r)]
            list += [.grid(rows: Swift.max(1, r / 2), cols: Swift.max(1, c / 2)), .grid(rows: 2 * r, cols: 2 * c), .rowPartition(r), .colPartition(c)]
        default:
            list += rank == 2 ? grids(2, 2) : [.rowPartition(2), .rowPartition(4)]
        }
        var seen: Set<Layout> = []
        return list.filter { candidate in
            let (w, h) = candidate.blockSize
            guard candidate != layout, w >= 1, h >= 1, w <= fabric.width, h <= fabric.height else { return false }
            return seen.insert(candidate).inserted
        }
    }
}

extension Shell {
    /// A statement to type instead of the one that defined `name` (bound to `node`), with another layout,
    /// that the front end accepts and whose cone lowers under `options`; nil when none of the few tried
    /// does. Polls `shouldStop`; throws ``LoweringError/interrupted`` when stopped.
    func layoutSuggestion(for name: String, node: NodeID, options: LoweringOptions) throws(LoweringError) -> String? {
        guard let definition = session.definitions[name], definition.node == node, session.bindings[name] == node,
            case .assignment(_, _, let value, let clause)? = try? Parser.parse(definition.text)
        else { return nil }
        let source = SourceText(definition.text)
        let expression = source.slice(value.range)
        // Retyped, a statement that reads its own name would read the value it defined.
        let reads = (try? Lexer.tokenize(SourceText(expression))) ?? []
        guard !reads.contains(where: { $0.kind == .identifier(name) }) else { return nil }
        let own: Layout? = clause.flatMap {
            if case .fixed(let l) = GraphBuilder.request($0) { return l } else { return nil }
        }
        var builds = 0, lowerings = 0
        /// The statement with `layout`, built on a copy of the graph: its result node, or nil when refused.
        func built(_ layout: LayoutRequest) throws(LoweringError) -> (String, Graph, NodeID)? {
            if shouldStop() { throw .interrupted }
            builds += 1
            let text = "\(name) = \(expression) on \(layout)"
            guard case .assignment(_, _, let v, let l)? = try? Parser.parse(text) else { return nil }
            var graph = session.graph
            let id: NodeID?
            do {
                id = try GraphBuilder.buildStatement(v, layout: l, on: &graph, scope: frontendScope, evaluator: Evaluator(shouldStop: shouldStop))
            } catch {
                if shouldStop() { throw .interrupted }
                return nil
            }
            return id.map { (text, graph, $0) }
        }
        var candidates: [Layout] = []
        // `auto`'s choice first, named as the layout it picked (what the user would write).
        if own != nil, let (_, graph, id) = try built(.auto), let chosen = graph[id]?.layout, chosen != own {
            candidates.append(chosen)
        }
        let type = session.graph[node]!.type
        for layout in LayoutAdvice.candidates(near: own, type: type, fabric: options.fabric) where !candidates.contains(layout) {
            candidates.append(layout)
        }
        for layout in candidates {
            guard builds < LayoutAdvice.maxBuilds, lowerings < LayoutAdvice.maxLowerings else { break }
            guard let (text, graph, id) = try built(.fixed(layout)) else { continue }
            lowerings += 1
            do {
                _ = try Lowering.lower(graph, result: id, options: options, shouldStop: shouldStop)
                return text
            } catch  where error == LoweringError.interrupted {
                throw error
            } catch {
                continue
            }
        }
        return nil
    }
}
