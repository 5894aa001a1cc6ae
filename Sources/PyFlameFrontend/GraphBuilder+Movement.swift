import PyFlameIR
import PyFlameLanguage

extension GraphBuilder {
    /// `cast(x, f16)` / `x.astype(f16)`, `concat([a, b], dim=0)` and `shift(x, k, dim=0)`.
    mutating func movementCall(_ name: String, _ args: inout CallArguments, range: SourceRange) throws(Diagnostic) -> NodeID {
        switch name {
        case "cast", "astype":
            let x = try args.require("input")
            let d = try args.require("dtype")
            try args.finish()
            let dtype = try self.dtype(d)
            return try addOp(.cast(dtype), [try tensor(x)], range: range, operandRanges: [x.range])
        case "concat":
            let list = try args.require("tensors")
            let dimExpr = try args.take("dim")
            try args.finish()
            guard case .list(let items) = list.kind, !items.isEmpty else {
                throw .error("concat takes a list of tensors: concat([a, b], dim=0)", at: list.range)
            }
            let dim = try dimExpr.map { e throws(Diagnostic) in try integer(e) } ?? 0
            var ids: [NodeID] = []
            for item in items { ids.append(try tensor(item)) }
            return try addOp(.concat(dim: dim), ids, range: range, operandRanges: items.map(\.range))
        default:  // shift
            let x = try args.require("input")
            let byExpr = try args.require("shifts")
            let dimExpr = try args.take("dim")
            try args.finish()
            let by = try integer(byExpr)
            let dim = try dimExpr.map { e throws(Diagnostic) in try integer(e) } ?? 0
            return try addOp(.shift(by, dim: dim), [try tensor(x)], range: range, operandRanges: [x.range])
        }
    }

    /// `x[1:-1, 2]`: literal bounds, negative ones counted from the end (as NumPy), omitted ones the
    /// whole dim; a bound outside the dim or an empty range is an error under that item.
    mutating func sliceOp(_ base: Expr, _ items: [SliceItem], range: SourceRange) throws(Diagnostic) -> NodeID {
        let input = try tensor(base)
        let shape = graph[input]!.type.shape
        guard items.count <= shape.rank else {
            if shape.rank == 0 { throw .error("a single value (a 0-D tensor) takes no index", at: items[0].range) }
            throw .error(
                "too many indices: \(items.count) for a \(shape.rank)-D tensor of shape \(shape.dims.map(String.init).joined(separator: "x"))",
                at: items[shape.rank].range)
        }
        var ranges = shape.dims.map { 0..<$0 }
        var drop: [Int] = []
        for (d, item) in items.enumerated() {
            let n = shape.dims[d]
            func bound(_ e: Expr?, _ otherwise: Int) throws(Diagnostic) -> Int {
                guard let e else { return otherwise }
                guard case .integer(let v) = e.kind, let i = Int(exactly: v) else {
                    if let v = GraphBuilder.wholeNumber(e), Swift.abs(v) > Double(n) {
                        // Too large for an integer: outside every dim.
                        throw .error(
                            "\(GraphBuilder.text(ofWholeNumber: v)) is outside dim \(d) of size \(n) (bounds go from \(-n) to \(n))", at: e.range)
                    }
                    throw .error("slice bounds are whole numbers written here (e.g. x[1:-1]), not expressions", at: e.range)
                }
                guard i >= -n, i <= n else {
                    throw .error("\(i) is outside dim \(d) of size \(n) (bounds go from \(-n) to \(n))", at: e.range)
                }
                return i < 0 ? i + n : i
            }
            if item.isRange {
                let lo = try bound(item.start, 0), hi = try bound(item.stop, n)
                guard lo < hi else {
                    throw .error("\(lo):\(hi) of dim \(d) (size \(n)) is empty: a tensor needs at least one element per dim", at: item.range)
                }
                ranges[d] = lo..<hi
            } else {
                let i = try bound(item.start, 0)
                guard i < n else { throw .error("index \(i) is out of bounds for dim \(d) with size \(n)", at: item.range) }
                ranges[d] = i..<(i + 1)
                drop.append(d)
            }
        }
        return try addOp(.slice(ranges, drop: drop), [input], range: range, operandRanges: [base.range])
    }
}
