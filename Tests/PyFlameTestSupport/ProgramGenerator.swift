import PyFlameIR

/// Builds one random small program through the front end, as the shell does: a random `fabric WxH`, a few host tensors
/// (f32, f16, i32; 1-D and 2-D, dims 1...24), then a chain of random statements (unary, binary with
/// scalars and tensors, broadcasting, reductions with and without dim/keepdim, matmul, transpose,
/// reshape, nested expressions) each on a random layout (SinglePE, RowPartition(n), ColPartition(n),
/// Grid(r, c) including non-square, `auto`, or no clause). Statements the front end refuses are skipped;
/// the program is whatever the session ends up holding.
public struct ProgramGenerator {
    public var rng: SplitMix64
    public private(set) var source = SourceProgram()
    /// Every statement tried, and whether the front end took it.
    public private(set) var log: [(statement: String, ok: Bool)] = []
    /// Names the front end took, in definition order.
    public private(set) var names: [String] = []
    private var counter = 0

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    public var fabric: FabricSize { source.fabric }
    public var graph: Graph { source.graph }

    public func node(_ name: String) -> Node { source.node(name)! }
    public func type(_ name: String) -> TensorType { node(name).type }
    public func dims(_ name: String) -> [Int] { type(name).shape.dims }

    /// The non-host tensors defined, with their node ids.
    public var defined: [(name: String, id: NodeID)] {
        names.compactMap { name in
            let n = node(name)
            return n.op.isConstructor ? nil : (name, n.id)
        }
    }

    /// The script that rebuilds the session (what a failing seed prints).
    public var script: String { log.filter(\.ok).map(\.statement).joined(separator: "\n") }

    @discardableResult
    public mutating func run(_ statement: String) -> Bool {
        let ok = (try? source.run(statement)) != nil
        log.append((statement, ok))
        return ok
    }

    private mutating func freshName() -> String {
        counter += 1
        return "t\(counter)"
    }

    /// Assigns `expression` (with an optional layout clause) to a new name; the name if the front end took it.
    @discardableResult
    private mutating func define(_ expression: String, layout: String) -> String? {
        let name = freshName()
        guard run("\(name) = \(expression)\(layout)") else { return nil }
        names.append(name)
        return name
    }

    // MARK: - The program

    public mutating func generate(ops: ClosedRange<Int> = 4...12) {
        run("fabric \(rng.int(4...12))x\(rng.int(4...12))")
        for _ in 0..<rng.int(1...3) { _ = hostTensor() }
        for _ in 0..<rng.int(ops) { step() }
    }

    private mutating func randomDType() -> DType {
        [DType.f32, .f32, .f32, .f16, .i32, .i32][rng.int(0...5)]
    }

    private mutating func randomShape() -> [Int] {
        rng.chance(0.4) ? [rng.int(1...24)] : [rng.int(1...24), rng.int(1...24)]
    }

    public static func literal(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    /// A host tensor of `dims` and `dtype` (random when nil).
    public mutating func hostTensor(_ dims: [Int]? = nil, dtype: DType? = nil) -> String? {
        let dtype = dtype ?? randomDType()
        let dims = dims ?? randomShape()
        let shape = shapeLiteral(dims)
        let expression: String
        if dtype.isFloat {
            expression = "randn(\(shape), seed=\(rng.int(0...999)), dtype=\(dtype))"
        } else if dims.count == 1 && rng.chance(0.3) {
            expression = "arange(\(dims[0]), dtype=i32)"
        } else {
            expression = "full(\(shape), \(rng.int(1...4)), dtype=i32)"
        }
        return define(expression, layout: "")
    }

    private func shapeLiteral(_ dims: [Int]) -> String {
        dims.count == 1 && dims[0] % 2 == 0 ? String(dims[0]) : ProgramGenerator.literal(dims)
    }

    /// A split of `n` elements over at most `most` PEs: often a divisor (even tiles), sometimes any count.
    private mutating func parts(_ n: Int, most: Int) -> Int {
        let top = max(1, min(n, most))
        if rng.chance(0.6) {
            let divisors = (1...top).filter { n % $0 == 0 }
            return rng.pick(divisors)
        }
        return rng.chance(0.9) ? rng.int(1...top) : rng.int(1...max(1, most))
    }

    /// A layout clause for work over a tensor of `dims`.
    private mutating func layoutClause(_ dims: [Int], weights: [Int] = [2, 3, 3, 4, 2, 1]) -> String {
        let w = fabric.width, h = fabric.height
        let d0 = dims.first ?? 1, d1 = dims.count >= 2 ? dims[1] : d0
        switch rng.weighted(weights) {
        case 0: return " on SinglePE"
        case 1: return " on RowPartition(\(parts(d0, most: h)))"
        case 2: return " on ColPartition(\(parts(dims.count >= 2 ? d1 : d0, most: w)))"
        case 3: return " on Grid(\(parts(d0, most: h)), \(parts(d1, most: w)))"
        case 4: return ""
        default: return " on auto"
        }
    }

    /// An operand: usually the newest tensor computed on the fabric, so chains grow long cones.
    private mutating func operand(float: Bool = false, rank: Int? = nil) -> String? {
        let pool = names.filter { (!float || type($0).dtype.isFloat) && (rank == nil || type($0).shape.rank == rank) }
        guard !pool.isEmpty else { return nil }
        let computed = pool.filter { !node($0).op.isConstructor }
        if !computed.isEmpty && rng.chance(0.65) { return rng.chance(0.7) ? computed.last! : rng.pick(computed) }
        return rng.pick(pool)
    }

    private mutating func scalar(for dtype: DType) -> String {
        dtype.isFloat ? rng.pick(["2", "0.5", "1.5", "3", "-1"]) : rng.pick(["1", "2", "3", "-2"])
    }

    public mutating func step() {
        switch rng.weighted([3, 3, 4, 4, 3, 2, 2, 2, 1]) {
        case 0: unary()
        case 1: scalarBinary()
        case 2: tensorBinary()
        case 3: reduction()
        case 4: matmul()
        case 5: transpose()
        case 6: reshape()
        case 7: nested()
        default: _ = hostTensor()
        }
    }

    private mutating func unary() {
        guard let x = operand() else { return }
        let functions =
            type(x).dtype.isFloat
            ? ["relu", "sigmoid", "tanh", "exp", "neg", "abs", "sqrt", "gelu", "silu"] : ["relu", "neg", "abs"]
        define("\(rng.pick(functions))(\(x))", layout: layoutClause(dims(x)))
    }

    private mutating func scalarBinary() {
        guard let x = operand() else { return }
        let op = rng.pick(["+", "-", "*", "/"])
        let s = scalar(for: type(x).dtype)
        let expression = rng.chance(0.75) ? "\(x) \(op) \(s)" : "\(s) \(op) \(x)"
        define(expression, layout: layoutClause(dims(x)))
    }

    /// A shape that broadcasts against `dims`: the same, its last dimension, or with a dimension of 1.
    private mutating func broadcastPartner(_ dims: [Int]) -> [Int] {
        guard dims.count == 2, rng.chance(0.35) else { return dims }
        return rng.pick([[dims[1]], [1, dims[1]], [dims[0], 1]])
    }

    private mutating func tensorBinary() {
        guard let x = operand() else { return }
        let t = type(x)
        let partners = names.filter { $0 != x && type($0).dtype == t.dtype && (try? Shape.broadcast(type($0).shape, t.shape)) == t.shape }
        let y: String
        if !partners.isEmpty && rng.chance(0.6) {
            y = rng.pick(partners)
        } else {
            guard let made = hostTensor(broadcastPartner(t.shape.dims), dtype: t.dtype) else { return }
            y = made
        }
        let op = rng.pick(["+", "-", "*", "/", "+", "*"])
        let expression = rng.chance(0.7) ? "\(x) \(op) \(y)" : "\(y) \(op) \(x)"
        define(expression, layout: layoutClause(t.shape.dims))
    }

    private mutating func reduction() {
        guard let x = operand() else { return }
        let t = type(x)
        let functions = t.dtype.isFloat ? ["sum", "mean", "max", "min"] : ["sum", "max", "min"]
        var arguments = x
        if rng.chance(0.7) {
            let rank = max(t.shape.rank, 1)
            let dim = rng.chance(0.2) ? -1 : rng.int(0...(rank - 1))
            arguments += ", dim=\(dim)"
            if rng.chance(0.4) { arguments += ", keepdim=true" }
        }
        define("\(rng.pick(functions))(\(arguments))", layout: layoutClause(t.shape.dims))
    }

    private mutating func matmul() {
        guard let a = operand(rank: rng.chance(0.9) ? 2 : 1) ?? operand(rank: 2) else { return }
        let t = type(a)
        let k = t.shape.dims.last!
        let m = t.shape.rank == 2 ? t.shape.dims[0] : 1
        var b: String
        if t.shape.rank == 2 && rng.chance(0.2) {
            b = "transpose(\(a))"
            let n = m
            define("\(a) @ \(b)", layout: matmulLayout(m: m, n: n))
            return
        }
        let partners = names.filter { type($0).dtype == t.dtype && type($0).shape.rank == 2 && type($0).shape.dims[0] == k }
        if !partners.isEmpty && rng.chance(0.5) {
            b = rng.pick(partners)
        } else {
            guard let made = hostTensor([k, rng.int(1...24)], dtype: t.dtype) else { return }
            b = made
        }
        let n = dims(b)[1]
        let expression = rng.chance(0.5) ? "\(a) @ \(b)" : "matmul(\(a), \(b))"
        define(expression, layout: matmulLayout(m: m, n: n))
    }

    private mutating func matmulLayout(m: Int, n: Int) -> String {
        layoutClause([m, n], weights: [3, 1, 1, 6, 2, 1])
    }

    private mutating func transpose() {
        guard let x = operand() else { return }
        let d = dims(x)
        define("transpose(\(x))", layout: layoutClause(d.count == 2 ? [d[1], d[0]] : d))
    }

    private mutating func reshape() {
        guard let x = operand(), !dims(x).isEmpty else { return }
        let n = dims(x).reduce(1, *)
        let divisors = (1...n).filter { n % $0 == 0 }
        let target: [Int]
        let written: String
        if rng.chance(0.3) {
            target = [n]
            written = "[\(n)]"
        } else {
            let a = rng.pick(divisors)
            target = [a, n / a]
            written = rng.chance(0.3) ? "[-1, \(n / a)]" : ProgramGenerator.literal(target)
        }
        define("reshape(\(x), \(written))", layout: layoutClause(target))
    }

    /// Several ops in one statement: every intermediate takes the statement's layout.
    private mutating func nested() {
        guard let x = operand() else { return }
        let t = type(x)
        let s = scalar(for: t.dtype)
        let f = t.dtype.isFloat ? rng.pick(["relu", "tanh", "exp", "neg", "abs"]) : rng.pick(["relu", "neg", "abs"])
        let expression: String
        switch rng.int(0...3) {
        case 0: expression = "\(f)(\(x) * \(s) - \(s))"
        case 1: expression = t.shape.rank == 2 ? "sum(\(f)(\(x)), dim=\(rng.int(0...1)))" : "sum(\(f)(\(x)))"
        case 2: expression = t.shape.rank == 2 ? "transpose(\(x)) * \(s)" : "\(f)(\(x)) + \(x)"
        default: expression = "\(f)(\(x) + \(x))"
        }
        define(expression, layout: layoutClause(t.shape.dims))
    }
}
