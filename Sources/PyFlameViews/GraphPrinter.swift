import PyFlameIR

/// `:graph`: the IR one node a line in topological order, MLIR-style, with PyFlame's op names:
/// `%2 (c) = add(%0, %1) : tensor<1024xf32> layout=RowPartition(4)`.
public enum GraphPrinter {
    public static func lines(_ graph: Graph) -> [String] {
        graph.topologicalOrder().compactMap { graph[$0] }.map(line)
    }

    public static func line(_ node: Node) -> String {
        let name = node.name.map { " (\($0))" } ?? ""
        var layout = "layout=\(node.layout)"
        if node.resultLayout != node.layout { layout += " result=\(node.resultLayout)" }
        return "%\(node.id)\(name) = \(call(node)) : \(node.type) \(layout)"
    }

    /// The op with its operands and attributes, as it would be called.
    public static func call(_ node: Node) -> String {
        let dtype = node.type.dtype
        let operands = node.inputs.map { "%\($0)" }
        let shape = "[" + node.type.shape.dims.map(String.init).joined(separator: ", ") + "]"
        func n(_ x: Double) -> String { ValueFormat.number(x, dtype.isInteger ? .f32 : dtype) }
        let args: [String]
        switch node.op {
        case .arange(let start, let stop, let step):
            args = start == 0 && step == 1 ? [n(stop)] : step == 1 ? [n(start), n(stop)] : [n(start), n(stop), n(step)]
        case .ones, .zeros: args = [shape]
        case .full(let v): args = [shape, n(v)]
        case .randn(let seed): args = [shape, "seed=\(seed)"]
        case .constant:
            let value = node.value
            args = [value.map { $0.shape.elementCount <= 8 ? ValueFormat.elements($0) : "<\($0.shape.elementCount) values>" } ?? "?"]
        case .load(let path): args = ["\"\(path)\""]
        case .unary, .matmul, .layoutTransform: args = operands
        case .binary(_, let scalar):
            guard let scalar else { args = operands; break }
            args = scalar.isLeft ? [n(scalar.value)] + operands : operands + [n(scalar.value)]
        case .reduce(_, let dim, let keepdim):
            args = operands + (dim.map { ["dim=\($0)"] } ?? []) + (keepdim ? ["keepdim=true"] : [])
        case .transpose(let a, let b): args = operands + (node.type.shape.rank >= 2 ? [String(a), String(b)] : [])
        case .reshape(let target): args = operands + ["[" + target.dims.map(String.init).joined(separator: ", ") + "]"]
        case .cast(let dtype): args = operands + [dtype.rawValue]
        case .slice(let ranges, let drop):
            args =
                operands + [
                    "["
                        + ranges.enumerated().map {
                            drop.contains($0.offset) ? "\($0.element.lowerBound)" : "\($0.element.lowerBound):\($0.element.upperBound)"
                        }.joined(separator: ", ") + "]"
                ]
        case .concat(let dim): args = ["[" + operands.joined(separator: ", ") + "]", "dim=\(dim)"]
        case .shift(let k, let dim): args = operands + [String(k), "dim=\(dim)"]
        }
        return "\(node.op.name)(\(args.joined(separator: ", ")))"
    }
}
