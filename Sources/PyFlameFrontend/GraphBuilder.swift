import Foundation
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering

/// The front end: turns one statement's expression into IR nodes on a graph (AST → IR), choosing or checking
/// each op's layout, recording as `layout_transform` nodes the moves ``DataMovement`` decides, and computing
/// every node's value at once with the reference evaluator. Errors carry the range to put a caret under.
public struct GraphBuilder {
    /// What an expression produced: a tensor node, or a plain number (scalar arithmetic folds).
    public enum Built {
        case tensor(NodeID)
        case scalar(Double, isInteger: Bool)
    }

    /// The graph nodes are added to (a caller that lets go of its own reference adds without a copy).
    public var graph: Graph
    let scope: FrontendScope
    let request: LayoutRequest
    let layoutRange: SourceRange?
    let evaluator: Evaluator
    /// Ops of a statement with `on LAYOUT` that LAYOUT cannot hold, placed by `auto` instead, with the
    /// refusal LAYOUT gave: an intermediate may live elsewhere, the statement's result may not.
    var offLayout: [NodeID: String] = [:]

    public init(graph: Graph, scope: FrontendScope, request: LayoutRequest, layoutRange: SourceRange?, evaluator: Evaluator) {
        self.graph = graph
        self.scope = scope
        self.request = request
        self.layoutRange = layoutRange
        self.evaluator = evaluator
    }

    // MARK: - Expressions

    /// Builds an expression. A chain of infix operators (`a + b + c ...`, parsed left-nested) is walked
    /// iteratively along its left spine, so its length never deepens the stack; the remaining recursion
    /// follows brackets, calls and unary operators, which the parser's depth limit bounds.
    public mutating func build(_ expr: Expr) throws(Diagnostic) -> Built {
        guard case .binary = expr.kind else { return try buildOperand(expr) }
        var spine: [Expr] = []
        var leftmost = expr
        while case .binary(_, let lhs, _, _) = leftmost.kind {
            spine.append(leftmost)
            leftmost = lhs
        }
        var value = try buildOperand(leftmost)
        for node in spine.reversed() {
            guard case .binary(let op, let lhs, let rhs, let operatorRange) = node.kind else { continue }
            let right = try build(rhs)
            value = try binary(op, value, right, lhs: lhs, rhs: rhs, operatorRange: operatorRange, range: node.range)
        }
        return value
    }

    /// Builds a statement's expression. A plain name with a layout clause (`y = x on Grid(2, 2)`) is a
    /// layout transform: a copy of the tensor placed on that layout, whether it lives on the host or on
    /// the fabric (already on that layout, it stays as it is).
    public mutating func buildStatement(_ expr: Expr) throws(Diagnostic) -> Built {
        let built = try build(expr)
        if case .tensor(let id) = built, let refusal = offLayout[id] {
            throw .error(refusal, at: layoutRange ?? expr.range)
        }
        guard case .name = expr.kind, case .fixed(let layout) = request, case .tensor(let id) = built,
            let node = graph[id], node.resultLayout != layout
        else { return built }
        do {
            try OpPlacement.check(.layoutTransform, inputs: [node.type], result: node.type, on: layout, limits: scope.limits)
        } catch { throw .error(error.message, at: layoutRange ?? expr.range) }
        return .tensor(graph.add(op: .layoutTransform, inputs: [id], type: node.type, layout: layout, value: node.value))
    }

    /// Builds anything but an infix operator.
    private mutating func buildOperand(_ expr: Expr) throws(Diagnostic) -> Built {
        switch expr.kind {
        case .integer(let v): return .scalar(Double(v), isInteger: true)
        case .float(let v): return .scalar(v, isInteger: false)
        case .string:
            throw .error("a string is not a tensor (file names go in load(\"FILE.npy\"))", at: expr.range)
        case .name(let name):
            if let id = scope.bindings[name], graph[id] != nil { return .tensor(id) }
            if let v = GraphBuilder.constant(name) { return .scalar(v, isInteger: false) }
            let known = scope.names + Builtins.functions
            let hint = Suggestions.closest(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            if Builtins.functions.contains(name) {
                throw .error("'\(name)' is a function: call it, e.g. \(name)(x)", at: expr.range)
            }
            throw .error("unknown name '\(name)'\(hint)", at: expr.range)
        case .list:
            throw .error("a list is not a tensor: write tensor([...])", at: expr.range)
        case .negate(let inner):
            switch try build(inner) {
            case .scalar(let v, let isInteger): return .scalar(-v, isInteger: isInteger)
            case .tensor(let id): return .tensor(try addOp(.unary(.neg), [id], range: expr.range, operandRanges: [inner.range]))
            }
        case .binary:
            return try build(expr)
        case .call(let name, let nameRange, let arguments):
            return .tensor(try call(name, nameRange: nameRange, arguments: arguments, range: expr.range))
        case .index(let base, let items):
            return .tensor(try sliceOp(base, items, range: expr.range))
        }
    }

    static func constant(_ name: String) -> Double? {
        switch name {
        case "inf": return .infinity
        case "nan": return .nan
        case "pi": return .pi
        default: return nil
        }
    }

    /// Combines two built operands of `lhs op rhs` (the expressions give the ranges of errors).
    private mutating func binary(
        _ op: BinaryOperator, _ a: Built, _ b: Built, lhs: Expr, rhs: Expr,
        operatorRange: SourceRange, range: SourceRange
    ) throws(Diagnostic) -> Built {
        if op == .matmul {
            guard case .tensor(let x) = a, case .tensor(let y) = b else {
                let which = { if case .scalar = a { return lhs.range } else { return rhs.range } }()
                throw .error("matmul needs two tensors; use * to scale by a number", at: which)
            }
            return .tensor(try addOp(.matmul, [x, y], range: range, operandRanges: [lhs.range, rhs.range]))
        }
        let function: BinaryFunction =
            switch op {
            case .add: .add
            case .subtract: .sub
            case .multiply: .mul
            case .divide: .div
            case .matmul: .mul
            }
        switch (a, b) {
        case (.scalar(let x, let xi), .scalar(let y, let yi)):
            let v: Double =
                switch function {
                case .add: x + y
                case .sub: x - y
                case .mul: x * y
                case .div: x / y
                }
            return .scalar(v, isInteger: xi && yi && function != .div)
        case (.tensor(let t), .scalar(let s, _)):
            let value = try scalar(s, for: t, at: rhs.range, op: function)
            return .tensor(try addOp(.binary(function, scalar: ScalarOperand(value, isLeft: false)), [t], range: range, operandRanges: [lhs.range]))
        case (.scalar(let s, _), .tensor(let t)):
            let value = try scalar(s, for: t, at: lhs.range, op: function)
            return .tensor(try addOp(.binary(function, scalar: ScalarOperand(value, isLeft: true)), [t], range: range, operandRanges: [rhs.range]))
        case (.tensor(let x), .tensor(let y)):
            return .tensor(try addOp(.binary(function, scalar: nil), [x, y], range: range, operandRanges: [lhs.range, rhs.range]))
        }
    }

    /// A scalar operand takes the tensor's dtype and must be exact in it (integers: a whole number in
    /// range; floats: finite after rounding unless it was infinite to begin with).
    private func scalar(_ value: Double, for id: NodeID, at range: SourceRange, op: BinaryFunction) throws(Diagnostic) -> Double {
        let dtype = graph[id]!.type.dtype
        return try GraphBuilder.exact(value, in: dtype, at: range, what: "the scalar")
    }

    static func exact(_ value: Double, in dtype: DType, at range: SourceRange, what: String) throws(Diagnostic) -> Double {
        if let exact = dtype.exactValue(value) { return exact }
        // The number as written, in double precision (not rounded to f32: 2147483648, 1e+300).
        let written = NumberFormat.double(value)
        if dtype.isInteger {
            throw .error("\(what) \(written) is not exact in \(dtype) (no promotion: make the tensor with dtype=f32)", at: range)
        }
        throw .error("\(what) \(written) overflows \(dtype)", at: range)
    }

    // MARK: - Ops

    /// Adds an op node (and a `layout_transform` node for each operand the lowering says moves to the op's
    /// layout: ``DataMovement``), evaluated at once.
    mutating func addOp(_ op: Op, _ inputs: [NodeID], range: SourceRange, operandRanges: [SourceRange]) throws(Diagnostic) -> NodeID {
        let types = inputs.map { graph[$0]!.type }
        let result: TensorType
        do {
            result = try TypeInference.resultType(of: op, inputs: types)
        } catch {
            throw .error(error.message, at: error.operand.flatMap { operandRanges.indices.contains($0) ? operandRanges[$0] : nil } ?? range)
        }
        try checkHostLimit(result, at: range)
        let limits = scope.limits
        let layout: Layout
        switch request {
        case .auto:
            do {
                layout = try chooseLayout(op, inputs, types: types, result: result)
            } catch { throw .error(error.message, at: range) }
        case .fixed(let fixed):
            var refusal: String?
            do {
                try OpPlacement.check(op, inputs: types, result: result, on: fixed, limits: limits, alsoHolds: movesFit(op, inputs, result: result))
                layout = fixed
            } catch {
                // An intermediate LAYOUT cannot hold (a smaller broadcast operand, `m * 2` of a column `m`)
                // takes `auto`'s layout; if it is the statement's result, the refusal stands.
                refusal = error.message
                guard let chosen = try? chooseLayout(op, inputs, types: types, result: result) else {
                    throw .error(error.message, at: layoutRange ?? range)
                }
                layout = chosen
            }
            if let refusal {
                let id = try addPlaced(op, inputs, types: types, result: result, layout: layout, operandRanges: operandRanges, range: range)
                offLayout[id] = refusal
                return id
            }
        }
        let id = try addPlaced(op, inputs, types: types, result: result, layout: layout, operandRanges: operandRanges, range: range)
        if case .auto = request, var node = graph[id] {
            node.placedByAuto = true
            graph.update(node)
        }
        return id
    }

    /// `auto`'s layout for an op: ``OpPlacement/chooseLayout(for:inputs:inputLayouts:operandBlocks:result:limits:)``
    /// with where each operand lives and the block of the op that made it.
    /// A layout qualifies only if every operand that moves there fits it too.
    private func chooseLayout(_ op: Op, _ inputs: [NodeID], types: [TensorType], result: TensorType) throws(IRError) -> Layout {
        let graph = self.graph
        return try OpPlacement.chooseLayout(
            for: op, inputs: types, inputLayouts: inputs.map { graph[$0]!.resultLayout },
            operandBlocks: inputs.map { graph[$0]!.layout }, result: result, limits: scope.limits,
            alsoHolds: movesFit(op, inputs, result: result))
    }

    /// Whether every operand of `op` that moves to a layout fits there.
    private func movesFit(_ op: Op, _ inputs: [NodeID], result: TensorType) -> (Layout) -> Bool {
        let graph = self.graph, limits = scope.limits
        // Host tensors that host-expression operands read (found once, not per layout tried).
        var hostIDs: Set<NodeID> = []
        for id in Set(inputs) { hostIDs.formUnion(GraphBuilder.hostExpressionInputs(id, graph: graph)) }
        hostIDs.subtract(inputs)  // an operand's own tile is counted with the op's (`m + n` with `n = m * 2`)
        let hosts = hostIDs.sorted().compactMap { graph[$0]?.type }
        let types = inputs.map { graph[$0]!.type }
        return { layout in
            let movesFit = inputs.allSatisfy { id in
                let operand = graph[id]!
                guard DataMovement.movesToOpLayout(op, operand: operand.type, from: operand.resultLayout, result: result, on: layout) else { return true }
                return (try? OpPlacement.checkWithoutAdvice(.layoutTransform, inputs: [operand.type], result: operand.type, on: layout, limits: limits)) != nil
            }
            return movesFit && GraphBuilder.hostExpressionsFit(op, types: types, hosts: hosts, result: result, on: layout, limits: limits)
        }
    }

    /// Adds an op placed on `layout`, with the moves of its operands, evaluated at once.
    private mutating func addPlaced(
        _ op: Op, _ inputs: [NodeID], types: [TensorType], result: TensorType, layout: Layout,
        operandRanges: [SourceRange], range: SourceRange
    ) throws(Diagnostic) -> NodeID {
        let limits = scope.limits
        var operands = inputs
        // A value used twice by the op (`d * d`) moves once.
        var moved: [NodeID: NodeID] = [:]
        for (k, id) in inputs.enumerated() {
            if let done = moved[id] {
                operands[k] = done
                continue
            }
            let operand = graph[id]!
            guard DataMovement.movesToOpLayout(op, operand: operand.type, from: operand.resultLayout, result: result, on: layout) else { continue }
            if let recomputed = recomputeHostExpression(id, on: layout) {
                operands[k] = recomputed
                moved[id] = recomputed
                continue
            }
            do {
                try OpPlacement.checkWithoutAdvice(.layoutTransform, inputs: [operand.type], result: operand.type, on: layout, limits: limits)
            } catch {
                // The change named is one tried: a layout that holds the op and every move it needs.
                let other =
                    (try? chooseLayout(op, inputs, types: inputs.map { graph[$0]!.type }, result: result)).map { "; `on \($0)` holds the op and its moves" }
                    ?? ""
                throw .error("moving \(operand.name ?? "%\(id)") from \(operand.resultLayout) to \(layout): \(error.message)\(other)", at: operandRanges[k])
            }
            operands[k] = graph.add(op: .layoutTransform, inputs: [id], type: operand.type, layout: layout, value: operand.value)
            moved[id] = operands[k]
        }
        let value: TensorValue
        do {
            value = try evaluator.evaluate(op, inputs: operands.map { graph[$0]!.value! }, type: result)
        } catch { throw .error(error.message, at: range) }
        let resultLayout = OpPlacement.resultLayout(of: op, inputs: types, on: layout)
        return graph.add(op: op, inputs: operands, type: result, layout: layout, resultLayout: resultLayout, value: value)
    }

    func checkHostLimit(_ type: TensorType, at range: SourceRange) throws(Diagnostic) {
        let n = type.shape.elementCount
        if n > scope.hostLimit {
            throw .error(
                "\(type) has \(n == Int.max ? "too many" : String(n)) elements, over the host limit of \(scope.hostLimit) (set host_limit)",
                at: range)
        }
    }

    mutating func addConstructor(_ op: Op, _ type: TensorType, range: SourceRange, value: TensorValue? = nil) throws(Diagnostic) -> NodeID {
        try checkHostLimit(type, at: range)
        let computed: TensorValue
        if let value {
            computed = value
        } else {
            do { computed = try evaluator.evaluate(op, inputs: [], type: type) } catch { throw .error(error.message, at: range) }
        }
        return graph.add(op: op, inputs: [], type: type, layout: .host, value: computed)
    }
}
