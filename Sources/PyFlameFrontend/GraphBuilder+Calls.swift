import Foundation
import PyFlameIR
import PyFlameLanguage

extension GraphBuilder {
    /// A function call: a constructor or an op.
    mutating func call(_ name: String, nameRange: SourceRange, arguments: [Argument], range: SourceRange) throws(Diagnostic) -> NodeID {
        var args = try CallArguments(name, arguments, range: range)
        let id: NodeID
        switch name {
        case "arange":
            id = try arange(&args, range: range)
        case "ones", "zeros":
            let shape = try self.shape(try args.require("shape"))
            let dtype = try self.dtype(args.keyword("dtype"))
            try args.finish()
            id = try addConstructor(name == "ones" ? .ones : .zeros, TensorType(shape, dtype), range: range)
        case "full":
            let shape = try self.shape(try args.require("shape"))
            let fillExpr = try args.require("fill_value")
            let dtype = try self.dtype(args.keyword("dtype"))
            try args.finish()
            let fill = try GraphBuilder.exact(try number(fillExpr), in: dtype, at: fillExpr.range, what: "the fill value")
            id = try addConstructor(.full(fill), TensorType(shape, dtype), range: range)
        case "randn":
            let shape = try self.shape(try args.require("shape"))
            let seedExpr = args.keyword("seed")
            let dtype = try self.dtype(args.keyword("dtype"))
            try args.finish()
            guard dtype.isFloat else { throw .error("randn makes floating-point tensors, not \(dtype)", at: range) }
            var seed: UInt64 = 0
            if let seedExpr {
                let v = try number(seedExpr)
                guard v >= 0, v == v.rounded(), v < 1.8e19 else { throw .error("seed must be a whole number >= 0", at: seedExpr.range) }
                seed = UInt64(v)
            }
            id = try addConstructor(.randn(seed: seed), TensorType(shape, dtype), range: range)
        case "tensor":
            let data = try args.require("data")
            let dtype = try self.dtype(args.keyword("dtype"))
            try args.finish()
            var dims: [Int] = []
            var values: [Double] = []
            var leafDepth: Int?
            try literal(data, depth: 0, dims: &dims, values: &values, dtype: dtype, leafDepth: &leafDepth)
            let type = TensorType(Shape(dims), dtype)
            try checkHostLimit(type, at: range)
            id = try addConstructor(.constant, type, range: range, value: TensorValue(type, exact: values))
        case "load":
            id = try load(&args, range: range)
        case "matmul":
            let a = try args.require("a"), b = try args.require("b")
            try args.finish()
            id = try addOp(.matmul, [try tensor(a), try tensor(b)], range: range, operandRanges: [a.range, b.range])
        case "transpose":
            let x = try args.require("input")
            let d0 = try args.take("dim0"), d1 = try args.take("dim1")
            try args.finish()
            guard (d0 == nil) == (d1 == nil) else {
                throw .error("transpose takes no dims (swap the last two) or two: transpose(x, dim0, dim1)", at: range)
            }
            let input = try tensor(x)
            let rank = graph[input]!.type.shape.rank
            let a = try d0.map { e throws(Diagnostic) in try integer(e) } ?? (rank >= 2 ? rank - 2 : 0)
            let b = try d1.map { e throws(Diagnostic) in try integer(e) } ?? (rank >= 2 ? rank - 1 : 0)
            // Dims the user wrote must exist (a 1-D tensor has dims -1 and 0), as PyTorch requires.
            let existing = Shape([Int](repeating: 1, count: Swift.max(rank, 1)))
            for (d, e) in [(a, d0), (b, d1)] where e != nil && existing.normalizedDim(d) == nil {
                throw .error(TypeInference.transposeDimension(d, rank: rank).message, at: e!.range)
            }
            id = try addOp(.transpose(a, b), [input], range: range, operandRanges: [x.range])
        case "reshape":
            let x = try args.require("input"), s = try args.require("shape")
            try args.finish()
            let written = try shape(s, allowMinusOne: true)
            let input = try tensor(x)
            let target: Shape
            do { target = try TypeInference.resolveReshape(graph[input]!.type.shape, to: written) } catch {
                throw .error(error.message, at: s.range)
            }
            id = try addOp(.reshape(target), [input], range: range, operandRanges: [x.range])
        case "cast", "astype", "concat", "shift":
            id = try movementCall(name, &args, range: range)
        default:
            if let f = UnaryFunction(rawValue: name) {
                let x = try args.require("input")
                try args.finish()
                id = try addOp(.unary(f), [try tensor(x)], range: range, operandRanges: [x.range])
            } else if let f = ReduceFunction(rawValue: name) {
                let x = try args.require("input")
                let dimExpr = try args.take("dim")
                let keepExpr = try args.take("keepdim")
                try args.finish()
                let dim = try dimExpr.map { e throws(Diagnostic) in try integer(e) }
                let keepdim = try keepExpr.map { e throws(Diagnostic) in try boolean(e) } ?? false
                id = try addOp(.reduce(f, dim: dim, keepdim: keepdim), [try tensor(x)], range: range, operandRanges: [x.range])
            } else {
                let hint = Suggestions.closest(to: name, in: Builtins.functions).map { " (did you mean \($0)?)" } ?? ""
                throw .error("unknown function '\(name)'\(hint)", at: nameRange)
            }
        }
        return id
    }

    private mutating func arange(_ args: inout CallArguments, range: SourceRange) throws(Diagnostic) -> NodeID {
        let first = try args.require("start")
        let second = try args.take("stop")
        let third = try args.take("step")
        let dtype = try self.dtype(args.keyword("dtype"))
        try args.finish()
        var start = 0.0, stop = try number(first), step = 1.0
        if let second { start = stop; stop = try number(second) }
        if let third { step = try number(third) }
        guard step != 0, step.isFinite, start.isFinite, stop.isFinite else {
            throw .error("arange needs finite bounds and a non-zero step", at: range)
        }
        if dtype.isInteger {
            for (v, e) in [(start, first), (step, third ?? first)] where v != v.rounded() {
                throw .error("arange with dtype=\(dtype) needs whole numbers, not \(NumberFormat.double(v))", at: e.range)
            }
        }
        let count = Swift.max(0, ((stop - start) / step).rounded(.up))
        guard count <= Double(scope.hostLimit) else {
            throw .error(
                "arange makes \(Int(Swift.min(count, 9e18))) elements, over the host limit of \(scope.hostLimit) (set host_limit)", at: range)
        }
        guard count >= 1 else {
            throw .error("arange(\(NumberFormat.double(start)), \(NumberFormat.double(stop)), \(NumberFormat.double(step))) is empty", at: range)
        }
        // Every value must be exact in the dtype, as full() and tensor() require: the values run
        // monotonically from the first to the last, so checking both ends checks them all.
        let last = start + (count - 1) * step
        _ = try GraphBuilder.exact(start, in: dtype, at: range, what: "arange's first value")
        _ = try GraphBuilder.exact(last, in: dtype, at: range, what: "arange's last value")
        return try addConstructor(.arange(start: start, stop: stop, step: step), TensorType(Shape([Int(count)]), dtype), range: range)
    }

    private mutating func load(_ args: inout CallArguments, range: SourceRange) throws(Diagnostic) -> NodeID {
        let pathExpr = try args.require("file")
        try args.finish()
        guard case .string(let path) = pathExpr.kind else {
            throw .error("load takes a file name in quotes: load(\"weights.npy\")", at: pathExpr.range)
        }
        let resolved = FilePaths.resolve(path, against: scope.baseDirectory)
        guard let data = FileManager.default.contents(atPath: resolved) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory)
            throw .error(
                exists ? (isDirectory.boolValue ? "\(path) is a folder, not a .npy file" : "cannot read \(path)") : "no such file: \(path)", at: pathExpr.range)
        }
        let value: TensorValue
        do { value = try NPY.decode(Array(data), limit: scope.hostLimit) } catch {
            throw .error("\(path): \(error.message)", at: pathExpr.range)
        }
        return try addConstructor(.load(path: path), value.type, range: range, value: value)
    }

    // MARK: - Argument values

    /// An expression that must be a tensor.
    mutating func tensor(_ expr: Expr) throws(Diagnostic) -> NodeID {
        switch try build(expr) {
        case .tensor(let id): return id
        case .scalar: throw .error("expected a tensor, got a number (make one with full([], x) or tensor(x))", at: expr.range)
        }
    }

    /// An expression that must be a plain number.
    func number(_ expr: Expr) throws(Diagnostic) -> Double {
        switch expr.kind {
        case .integer(let v): return Double(v)
        case .float(let v): return v
        case .name(let n): if let v = GraphBuilder.constant(n) { return v }
        case .negate(let inner): return -(try number(inner))
        default: break
        }
        throw .error("expected a number", at: expr.range)
    }

    /// Largest magnitude of a whole-number argument (a shift, a dim): beyond it nothing means more.
    static let wholeNumberLimit = (1 << 40) - 1

    func integer(_ expr: Expr) throws(Diagnostic) -> Int {
        if case .integer(let v) = expr.kind, let i = Int(exactly: v), i >= -Self.wholeNumberLimit, i <= Self.wholeNumberLimit { return i }
        if let v = Self.wholeNumber(expr), Swift.abs(v) > Double(Self.wholeNumberLimit) {
            let written: String
            if case .integer(let n) = expr.kind { written = String(n) } else { written = Self.text(ofWholeNumber: v) }
            throw .error(
                "\(written) is out of range: a whole number here goes from \(-Self.wholeNumberLimit) to \(Self.wholeNumberLimit)",
                at: expr.range)
        }
        throw .error("expected a whole number", at: expr.range)
    }

    /// The value of a literal whole number, also one too large for an integer token (`9223372036854775808`
    /// lexes as a float) and a negated one; nil for anything else.
    static func wholeNumber(_ expr: Expr) -> Double? {
        switch expr.kind {
        case .integer(let v): return Double(v)
        case .float(let v): return v.isFinite && v == v.rounded() ? v : nil
        case .negate(let inner):
            // Literals only: `-9` is one level; a deeper chain is not a literal.
            switch inner.kind {
            case .integer(let v): return -Double(v)
            case .float(let v): return v.isFinite && v == v.rounded() ? -v : nil
            default: return nil
            }
        default: return nil
        }
    }

    /// A whole number as written (exact below 2^64 in magnitude), else "this number".
    static func text(ofWholeNumber v: Double) -> String {
        if Swift.abs(v) < 0x1p63 { return String(Int64(v)) }
        if v == -0x1p63 { return "-9223372036854775808" }
        if Swift.abs(v) < 0x1p64 { return (v < 0 ? "-" : "") + String(UInt64(Swift.abs(v))) }
        return "this number"
    }

    func boolean(_ expr: Expr) throws(Diagnostic) -> Bool {
        if case .name(let n) = expr.kind {
            if n == "true" || n == "True" { return true }
            if n == "false" || n == "False" { return false }
        }
        throw .error("expected true or false", at: expr.range)
    }

    func dtype(_ expr: Expr?) throws(Diagnostic) -> DType {
        guard let expr else { return .f32 }
        let name: String
        switch expr.kind {
        case .name(let n): name = n
        case .string(let s): name = s
        default: throw .error("expected a dtype: f32, f16, bf16, i32 or i16", at: expr.range)
        }
        switch DType.parse(name) {
        case .success(let d): return d
        case .failure(let e): throw .error(e.message, at: expr.range)
        }
    }

    /// A shape: `1024` or `[64, 64]`; `-1` allowed once for reshape.
    func shape(_ expr: Expr, allowMinusOne: Bool = false) throws(Diagnostic) -> Shape {
        let items: [Expr]
        switch expr.kind {
        case .integer: items = [expr]
        case .list(let list): items = list
        default: throw .error("expected a shape: a number or a list such as [64, 64]", at: expr.range)
        }
        guard items.count <= Shape.maxRank else {
            throw .error("shape has \(items.count) dimensions, over the limit of \(Shape.maxRank)", at: expr.range)
        }
        var dims: [Int] = []
        for item in items {
            guard case .integer(let v) = item.kind else { throw .error("shape dimensions are whole numbers", at: item.range) }
            guard v >= 1 || (allowMinusOne && v == -1) else {
                throw .error("shape dimensions must be at least 1, not \(v)", at: item.range)
            }
            guard v <= Int64(Shape.maxDimension) else { throw .error("shape dimension \(v) is too large", at: item.range) }
            dims.append(Int(v))
        }
        if !allowMinusOne, Shape(dims).elementCount > scope.hostLimit {
            let n = Shape(dims).elementCount
            throw .error(
                "shape \(Shape(dims)) has \(n == Int.max ? "too many" : String(n)) elements, over the host limit of \(scope.hostLimit) (set host_limit)",
                at: expr.range)
        }
        return Shape(dims)
    }

    /// A nested list literal: checks it is rectangular and every number is exact in the dtype.
    /// `leafDepth` is the depth where numbers appear (fixed by the first number seen).
    private func literal(
        _ expr: Expr, depth: Int, dims: inout [Int], values: inout [Double], dtype: DType,
        leafDepth: inout Int?
    ) throws(Diagnostic) {
        switch expr.kind {
        case .list(let items):
            if let leafDepth, depth >= leafDepth { throw .error("ragged tensor literal: expected a number here", at: expr.range) }
            if depth == dims.count {
                guard dims.count < Shape.maxRank else {
                    throw .error("the tensor literal has more than \(Shape.maxRank) dimensions, the limit", at: expr.range)
                }
                guard !items.isEmpty else { throw .error("a tensor literal needs at least one element", at: expr.range) }
                dims.append(items.count)
            } else if dims[depth] != items.count {
                throw .error("ragged tensor literal: expected \(dims[depth]) elements here, found \(items.count)", at: expr.range)
            }
            for item in items { try literal(item, depth: depth + 1, dims: &dims, values: &values, dtype: dtype, leafDepth: &leafDepth) }
        default:
            if leafDepth == nil { leafDepth = depth }
            if depth != leafDepth || depth < dims.count {
                throw .error("ragged tensor literal: expected a list here", at: expr.range)
            }
            values.append(try GraphBuilder.exact(try number(expr), in: dtype, at: expr.range, what: "the element"))
            if values.count > scope.hostLimit {
                throw .error("tensor literal over the host limit of \(scope.hostLimit) elements", at: expr.range)
            }
        }
    }
}
