import PyFlameIR
import PyFlameLanguage

extension GraphBuilder {
    /// The layout a statement's clause asks for (`auto` without one).
    public static func request(_ layout: LayoutClause?) -> LayoutRequest {
        switch layout?.layout {
        case nil, .auto?: .auto
        case .singlePE?: .fixed(.singlePE)
        case .rowPartition(let n)?: .fixed(.rowPartition(n))
        case .colPartition(let n)?: .fixed(.colPartition(n))
        case .grid(let r, let c)?: .fixed(.grid(rows: r, cols: c))
        }
    }

    /// Builds a statement's expression `value [on LAYOUT]` onto `graph` and returns its result node (nil for a
    /// plain number). The graph moves into the builder and back, so adding nodes never copies it; when the
    /// build fails, the nodes it added are removed again (nothing half-defined).
    public static func buildStatement(
        _ value: Expr, layout: LayoutClause?, on graph: inout Graph, scope: FrontendScope, evaluator: Evaluator
    ) throws(Diagnostic) -> NodeID? {
        let request = request(layout)
        if case .call(let name, _, _) = value.kind, Builtins.constructors.contains(name), case .fixed(let l) = request {
            throw .error("\(name) makes a host tensor; a layout applies to the ops that read it (e.g. b = a * 1 on \(l))", at: layout!.range)
        }
        let mark = graph.nextID
        var builder = GraphBuilder(graph: graph, scope: scope, request: request, layoutRange: layout?.range, evaluator: evaluator)
        graph = Graph()
        let built: Built
        do { built = try builder.buildStatement(value) } catch {
            builder.graph.removeNodes(addedSince: mark)
            graph = builder.graph
            throw error
        }
        graph = builder.graph
        builder.graph = Graph()
        switch built {
        case .tensor(let id): return id
        case .scalar:
            if let layout {
                graph.removeNodes(addedSince: mark)
                throw .error("a layout applies to tensor ops, not to a number", at: layout.range)
            }
            return nil
        }
    }
}
