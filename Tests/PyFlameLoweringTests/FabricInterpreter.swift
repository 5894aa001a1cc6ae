import PyFlameIR
import PyFlameLowering

/// A functional (untimed) run of a ``FabricProgram``: every PE steps through its task program;
/// sends put wavelets into the input queue of every core their color's routes deliver to (unbounded
/// queues), receives and forwards wait until their wavelets are there. Host inputs are copied in from
/// the graph's reference values first, the result is read back from the host output pieces and compared
/// with the reference evaluator's value. Nothing about cycles: this checks that the program computes
/// the right numbers (the right data reaches the right place) and that every PE finishes.
struct FabricInterpreter {
    struct Key: Hashable {
        var pe: PECoord
        var color: ColorID
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    let program: FabricProgram
    var memory: [PECoord: [[Double]]] = [:]
    var dtypes: [PECoord: [DType]] = [:]
    var targets: [Key: [PECoord]] = [:]
    var queues: [Key: [Double]] = [:]
    var heads: [Key: Int] = [:]
    var pc: [PECoord: Int] = [:]
    /// The fabric step whose sends already went out, per PE.
    var sentAt: [PECoord: Int] = [:]
    /// Memory reuse: a buffer's elements are garbage (NaN, or 7777 for integers) before its first use
    /// and after its last (the memory plan gives that memory to other buffers then), and a matmul's first
    /// product into C starts from zero as the emitted code's does, not from C. Off: buffers start at zero.
    var poisonOutsideSpans = false
    /// The step whose poisoning is done, per PE.
    private var poisonedAt: [PECoord: Int] = [:]

    init(_ program: FabricProgram, graph: Graph) throws(Failure) {
        self.program = program
        for pe in program.pes {
            memory[pe.pe] = pe.buffers.map { [Double](repeating: 0, count: $0.count) }
            dtypes[pe.pe] = pe.buffers.map(\.dtype)
        }
        for transfer in program.hostInputs {
            guard let value = transfer.node.flatMap({ graph[$0]?.value }) else { throw Failure("host input \(transfer.name) has no value") }
            for piece in transfer.pieces {
                for (i, x) in FabricInterpreter.elements(of: value, in: piece.tile).enumerated() where i < memory[piece.pe]![piece.buffer].count {
                    memory[piece.pe]![piece.buffer][i] = x
                }
            }
        }
        let routes = ProgramChecker.routeMap(program)
        for r in program.routes where r.rx.contains(.ramp) {
            targets[Key(pe: r.pe, color: r.color)] = ProgramChecker.deliveries(from: r.pe, color: r.color, routes: routes).targets
        }
    }

    /// Runs every PE to the end of its program; throws on a deadlock (some PE waits forever).
    mutating func run() throws(Failure) {
        var progress = true
        while progress {
            progress = false
            for pe in program.pes {
                while pc[pe.pe, default: 0] < pe.steps.count, try advance(pe) {
                    pc[pe.pe, default: 0] += 1
                    progress = true
                }
            }
        }
        let stuck = program.pes.filter { pc[$0.pe, default: 0] < $0.steps.count }
        if let first = stuck.first {
            throw Failure("deadlock: \(stuck.count) PEs never finish, first \(first.pe) at step \(pc[first.pe, default: 0]) of \(first.steps.count)")
        }
        let left = queues.filter { $0.value.count > heads[$0.key, default: 0] }
        if let (key, values) = left.first {
            throw Failure("\(values.count - heads[key, default: 0]) wavelets left unread at \(key.pe) on color \(key.color)")
        }
    }

    /// Executes PE `pe`'s current step if it can; false when it must wait for wavelets.
    private mutating func advance(_ pe: PEProgram) throws(Failure) -> Bool {
        let at = pe.pe, i = pc[at, default: 0]
        if poisonOutsideSpans, poisonedAt[at] != i {
            poisonedAt[at] = i
            for (b, buffer) in pe.buffers.enumerated() where buffer.firstUse == i || (buffer.lastUse != Int.max && buffer.lastUse + 1 == i) {
                let garbage: Double = buffer.dtype.isInteger ? 7777 : .nan
                memory[at]![b] = [Double](repeating: garbage, count: buffer.count)
            }
            if case .compute(.matmulAccumulate(let c, _, _, _, _, _)) = pe.steps[i],
                !pe.steps[..<i].contains(where: { $0.writtenBuffers.contains(c.buffer) })
            {
                for o in c.offsets() { memory[at]![c.buffer][o] = 0 }
            }
        }
        switch pe.steps[i] {
        case .compute(let kernel):
            do { try FabricInterpreter.compute(kernel, &memory[at]!, dtypes[at]!) } catch {
                throw Failure("PE \(at) step \(i): \(error.description)")
            }
            return true
        case .fabric(let ops):
            if sentAt[at] != i {
                sentAt[at] = i
                for case .send(let a, let c) in ops {
                    let buffer = memory[at]![a.buffer]
                    deliver(a.offsets().map { buffer[$0] }, from: at, color: c)
                }
            }
            for op in ops {
                switch op {
                case .send: continue
                case .receive(let a, let c, _), .forward(let a, let c, _, _):
                    if available(at, c) < a.count { return false }
                }
            }
            let types = dtypes[at]!
            for op in ops {
                switch op {
                case .send: break
                case .receive(let a, let c, let combine):
                    let values = take(at, c, a.count)
                    for (k, o) in a.offsets().enumerated() {
                        memory[at]![a.buffer][o] = FabricInterpreter.combine(combine, memory[at]![a.buffer][o], values[k], types[a.buffer])
                    }
                case .forward(let a, let from, let to, let combine):
                    let values = take(at, from, a.count)
                    let buffer = memory[at]![a.buffer]
                    let out = a.offsets().enumerated().map { k, o in FabricInterpreter.combine(combine, buffer[o], values[k], types[a.buffer]) }
                    deliver(out, from: at, color: to)
                }
            }
            return true
        }
    }

    private mutating func deliver(_ values: [Double], from pe: PECoord, color: ColorID) {
        for t in targets[Key(pe: pe, color: color)] ?? [] { queues[Key(pe: t, color: color), default: []] += values }
    }

    private func available(_ pe: PECoord, _ color: ColorID) -> Int {
        let key = Key(pe: pe, color: color)
        return (queues[key]?.count ?? 0) - heads[key, default: 0]
    }

    private mutating func take(_ pe: PECoord, _ color: ColorID, _ n: Int) -> [Double] {
        let key = Key(pe: pe, color: color)
        let h = heads[key, default: 0]
        heads[key] = h + n
        return Array(queues[key]![h..<(h + n)])
    }

    /// The host output, assembled from its pieces in the result's row-major order.
    func output() -> (type: TensorType, elements: [Double]) {
        let transfer = program.hostOutputs[0]
        let shape = transfer.type.shape
        var out = [Double](repeating: .nan, count: shape.elementCount)
        let strides = shape.strides
        for piece in transfer.pieces {
            let buffer = memory[piece.pe]![piece.buffer]
            for (k, index) in FabricInterpreter.indices(of: piece.tile).enumerated() where k < buffer.count {
                var flat = 0
                for d in 0..<index.count { flat += index[d] * strides[d] }
                out[flat] = buffer[k]
            }
        }
        return (transfer.type, out)
    }

    // MARK: - Kernels

    static func combine(_ c: Combine, _ old: Double, _ new: Double, _ dtype: DType) -> Double {
        switch c {
        case .store: return dtype.round(new)
        case .add: return dtype.isInteger ? dtype.round(Double(Int64(old) &+ Int64(new))) : dtype.round(old + new)
        case .max: return old.isNaN || new.isNaN ? .nan : Swift.max(old, new)
        case .min: return old.isNaN || new.isNaN ? .nan : Swift.min(old, new)
        }
    }

    static func compute(_ kernel: Kernel, _ buffers: inout [[Double]], _ types: [DType]) throws(Failure) {
        func read(_ a: BufferAccess) -> [Double] { a.offsets().map { buffers[a.buffer][$0] } }
        switch kernel {
        case .elementwise(let out, let inputs, let expression, let count):
            let dtype = types[out.buffer]
            let values = inputs.map(read)
            let result = try evaluate(expression, values, dtype: dtype, count: count)
            for (k, o) in out.offsets().enumerated() { buffers[out.buffer][o] = result[k] }
        case .reduce(let f, let out, let input, let outer, let reduced, let inner, let accumulate):
            let dtype = types[out.buffer]
            let x = read(input)
            let offsets = out.offsets()
            for o in 0..<outer {
                for i in 0..<inner {
                    var acc: Double = f == .sum || f == .mean ? 0 : x[o * reduced * inner + i]
                    var iacc: Int64 = 0
                    for r in 0..<reduced {
                        let v = x[(o * reduced + r) * inner + i]
                        switch f {
                        case .sum, .mean: if dtype.isInteger { iacc &+= Int64(v) } else { acc += v }
                        case .max: acc = acc.isNaN || v.isNaN ? .nan : Swift.max(acc, v)
                        case .min: acc = acc.isNaN || v.isNaN ? .nan : Swift.min(acc, v)
                        }
                    }
                    if dtype.isInteger && (f == .sum || f == .mean) { acc = Double(iacc) }
                    let at = offsets[o * inner + i]
                    let combined = accumulate ? combine(f == .max ? .max : f == .min ? .min : .add, buffers[out.buffer][at], acc, dtype) : dtype.round(acc)
                    buffers[out.buffer][at] = combined
                }
            }
        case .scale(let out, let divisor):
            for o in out.offsets() { buffers[out.buffer][o] = types[out.buffer].round(buffers[out.buffer][o] / divisor) }
        case .matmulAccumulate(let c, let a, let b, let m, let k, let n):
            let dtype = types[c.buffer]
            let av = read(a), bv = read(b)
            let offsets = c.offsets()
            for i in 0..<m {
                for j in 0..<n {
                    let at = offsets[i * n + j]
                    if dtype.isInteger {
                        var acc = Int64(buffers[c.buffer][at])
                        for p in 0..<k { acc &+= Int64(av[i * k + p]) &* Int64(bv[p * n + j]) }
                        buffers[c.buffer][at] = dtype.round(Double(Int32(truncatingIfNeeded: acc)))
                    } else {
                        var acc = buffers[c.buffer][at]
                        for p in 0..<k { acc += av[i * k + p] * bv[p * n + j] }
                        buffers[c.buffer][at] = acc  // rounded where the value is read back or cast
                    }
                }
            }
        case .copy(let out, let input):
            let values = read(input)
            for (k, o) in out.offsets().enumerated() { buffers[out.buffer][o] = types[out.buffer].round(values[k]) }
        }
    }

    /// A fused chain, op by op through the reference evaluator (so every op rounds as it does).
    static func evaluate(_ e: KernelExpression, _ inputs: [[Double]], dtype: DType, count: Int) throws(Failure) -> [Double] {
        let type = TensorType(Shape([count]), dtype)
        let evaluator = Evaluator()
        func value(_ e: KernelExpression) throws(Failure) -> TensorValue {
            do {
                switch e {
                case .input(let i):
                    guard inputs.indices.contains(i) else { throw Failure("elementwise input \(i) of \(inputs.count)") }
                    return TensorValue(type, exact: inputs[i].map(dtype.round))
                case .constant(let v):
                    return TensorValue(type, exact: [Double](repeating: dtype.round(v), count: count))
                case .unary(let f, let x):
                    return try evaluator.evaluate(.unary(f), inputs: [value(x)], type: type)
                case .binary(let f, .constant(let v), let x):
                    return try evaluator.evaluate(.binary(f, scalar: ScalarOperand(v, isLeft: true)), inputs: [value(x)], type: type)
                case .binary(let f, let x, .constant(let v)):
                    return try evaluator.evaluate(.binary(f, scalar: ScalarOperand(v, isLeft: false)), inputs: [value(x)], type: type)
                case .binary(let f, let x, let y):
                    return try evaluator.evaluate(.binary(f, scalar: nil), inputs: [value(x), value(y)], type: type)
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure("\(error)")
            }
        }
        return try value(e).elements
    }

    // MARK: - Tiles

    /// Multi-indices of a tile in row-major order (one empty index for a scalar).
    static func indices(of tile: Tile) -> [[Int]] {
        var result: [[Int]] = []
        tile.forEachIndex { result.append($0) }
        return result
    }

    static func elements(of value: TensorValue, in tile: Tile) -> [Double] {
        let strides = value.shape.strides
        return indices(of: tile).map { index in
            var flat = 0
            for d in 0..<index.count { flat += index[d] * strides[d] }
            return value.elements[flat]
        }
    }

    // MARK: - The check

    /// Runs `program` and compares its output with the reference value: integers exactly, floats
    /// within a tolerance for the accumulation order (relative to the tensor's largest finite value).
    static func valueViolations(_ program: FabricProgram, graph: Graph, poisonOutsideSpans: Bool = false) -> [String] {
        guard let reference = program.result.flatMap({ graph[$0]?.value }) else { return ["result has no reference value"] }
        var interpreter: FabricInterpreter
        do {
            interpreter = try FabricInterpreter(program, graph: graph)
            interpreter.poisonOutsideSpans = poisonOutsideSpans
            try interpreter.run()
        } catch {
            return ["run: \(error.description)"]
        }
        let (type, got) = interpreter.output()
        let dtype = type.dtype
        let expected = reference.elements
        guard got.count == expected.count else { return ["output has \(got.count) elements, reference \(expected.count)"] }
        let scale = Swift.max(1, expected.filter(\.isFinite).map(Swift.abs).max() ?? 1)
        let tolerance = dtype.isInteger ? 0 : (dtype == .f32 ? 1e-4 : 3e-2) * scale
        var bad: [String] = []
        for i in 0..<got.count {
            let a = dtype.round(got[i]), b = expected[i]
            let same = a == b || (a.isNaN && b.isNaN) || (a.isFinite && b.isFinite && Swift.abs(a - b) <= tolerance)
            if !same {
                bad.append("[\(i)] simulated \(a), reference \(b)")
                if bad.count >= 3 { break }
            }
        }
        return bad.isEmpty ? [] : ["values differ from the reference (\(type), tolerance \(tolerance)): " + bad.joined(separator: "; ")]
    }
}
