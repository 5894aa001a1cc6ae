import PyFlameIR
import PyFlameLowering

extension CSLEmitter {
    /// The template context of step `s` of a role: one of ELEMENTWISE, REDUCE, SCALE, MATMUL, COPY or
    /// FABRIC is true (every flag is present, so the placeholder check covers each template whole).
    func stepContext(
        _ s: Int, pes: [PEProgram], params: inout RoleParameters, kernels: inout KernelText, graph: Graph,
        op: LoweredOp?, controls: ControlSends = ControlSends.none
    ) throws(EmitError) -> [String: Any] {
        var c: [String: Any] = ["ELEMENTWISE": false, "REDUCE": false, "SCALE": false, "MATMUL": false, "COPY": false, "FABRIC": false]
        let first = pes[0]
        func dtype(_ buffer: Int) -> DType { first.buffers[buffer].dtype }
        let names = Self.arrayNames(first.memoryPlan)
        func array(_ buffer: Int) -> String { names[buffer] }
        switch first.steps[s] {
        case .compute(let kernel):
            c["KIND"] = kernel.kind
            switch kernel {
            case .elementwise(let out, let inputs, let expression, _):
                let t = dtype(out.buffer)
                let vars = (0..<out.extents.count).map { "i\($0)" }
                let extents = params.extents("S\(s)_OUT", "step \(s) result") { Self.elementwise($0, s).out }
                let (open, close, indent) = CSLText.loops(vars, extents)
                let outIndex = params.index("S\(s)_OUT", "step \(s) result", variables: vars) { Self.elementwise($0, s).out }
                var loads: [String] = []
                for k in inputs.indices {
                    let index = params.index("S\(s)_IN\(k)", "step \(s) input \(k)", variables: vars) { Self.elementwise($0, s).inputs[k] }
                    loads.append(CSLType.widen(array(inputs[k].buffer) + "[\(index)]", dtype(inputs[k].buffer)))
                }
                c["ELEMENTWISE"] = true
                c["OP_NAME"] =
                    op?.fusedOps.isEmpty == false ? op!.fusedOps.joined(separator: "+") : (op.flatMap { graph[$0.nodes.last!]?.op.name } ?? "elementwise")
                c["FUSED"] = (op?.fusedOps.count ?? 0) > 1
                c["FUSED_OPS"] = op?.fusedOps.joined(separator: ", ") ?? ""
                c["DTYPE"] = try CSLType.element(t)
                c["TILE_SIZE"] = extents.count == 1 ? extents[0] : extents.joined(separator: "x")
                c["NUM_INPUTS"] = inputs.count
                c["OPERATION_EXPR"] = try kernels.expression(expression, loads: loads, dtype: t)
                c["OUT"] = array(out.buffer) + "[\(outIndex)]"
                c["LOOP_OPEN"] = open
                c["LOOP_CLOSE"] = close
                c["BODY_INDENT"] = indent
            case .reduce(let f, let out, let input, _, _, _, _):
                let t = dtype(out.buffer), tIn = dtype(input.buffer)
                let outer = params.int("S\(s)_OUTER", "step \(s): results before the reduced axis") { Self.reduce($0, s).outer }
                let reduced = params.int("S\(s)_REDUCED", "step \(s): elements reduced into each result") { Self.reduce($0, s).reduced }
                let inner = params.int("S\(s)_INNER", "step \(s): results after the reduced axis") { Self.reduce($0, s).inner }
                let outOffset = params.int("S\(s)_OUT_OFFSET", "step \(s) result: first element") { Self.reduce($0, s).out.offset }
                let inOffset = params.int("S\(s)_IN_OFFSET", "step \(s) input: first element") { Self.reduce($0, s).input.offset }
                let outIndex = CSLText.sum([outOffset, CSLText.product("o", inner), "k"])
                let inIndex = CSLText.sum([inOffset, CSLText.product("o", CSLText.product(reduced, inner)), CSLText.product("r", inner), "k"])
                let load = CSLType.widen(array(input.buffer) + "[\(inIndex)]", tIn)
                let loadFirst = CSLType.widen(
                    array(input.buffer) + "[" + CSLText.sum([inOffset, CSLText.product("o", CSLText.product(reduced, inner)), "k"]) + "]", tIn)
                c["REDUCE"] = true
                c["FUNCTION"] = f.rawValue
                c["OUTER"] = outer
                c["REDUCED"] = reduced
                c["INNER"] = inner
                c["ACC_TYPE"] = CSLType.accumulator(t)
                c["LOAD"] = load
                c["OUT"] = array(out.buffer) + "[\(outIndex)]"
                switch f {
                case .sum, .mean:
                    c["INIT"] = t.isFloat ? "0.0" : "0"
                    c["FIRST"] = "0"
                    c["UPDATE"] = "acc += v;"
                case .max, .min:
                    c["INIT"] = loadFirst
                    c["FIRST"] = "1"
                    c["UPDATE"] = f == .max ? "if (v > acc) { acc = v; }" : "if (v < acc) { acc = v; }"
                }
                let total = f == .mean ? "acc / @as(f32, \(reduced))" : "acc"
                c["STORE"] = CSLType.narrow(total, t)
            case .scale(let out, let divisor):
                let t = dtype(out.buffer)
                let vars = (0..<out.extents.count).map { "i\($0)" }
                let extents = params.extents("S\(s)_OUT", "step \(s) result") { Self.scale($0, s) }
                let (open, close, indent) = CSLText.loops(vars, extents)
                let index = params.index("S\(s)_OUT", "step \(s) result", variables: vars) { Self.scale($0, s) }
                let target = array(out.buffer) + "[\(index)]"
                c["SCALE"] = true
                c["DIVISOR"] = try CSLText.float(divisor)
                c["OUT"] = target
                c["SCALED"] = CSLType.narrow(CSLType.widen(target, t) + " / " + (try CSLText.float(divisor)), t)
                c["LOOP_OPEN"] = open
                c["LOOP_CLOSE"] = close
                c["BODY_INDENT"] = indent
            case .matmulAccumulate(let cAccess, let a, let b, _, _, _):
                let t = dtype(cAccess.buffer)
                c["MATMUL"] = true
                c["M"] = params.int("S\(s)_M", "step \(s): rows of A and C") { Self.matmul($0, s).m }
                c["K"] = params.int("S\(s)_K", "step \(s): columns of A, rows of B") { Self.matmul($0, s).k }
                c["N"] = params.int("S\(s)_N", "step \(s): columns of B and C") { Self.matmul($0, s).n }
                let ci = params.index("S\(s)_C", "step \(s) C", variables: ["i", "j"]) { Self.matmul($0, s).c }
                let ai = params.index("S\(s)_A", "step \(s) A", variables: ["i", "p"]) { Self.matmul($0, s).a }
                let bi = params.index("S\(s)_B", "step \(s) B", variables: ["p", "j"]) { Self.matmul($0, s).b }
                c["ACC_TYPE"] = CSLType.accumulator(t)
                c["C"] = array(cAccess.buffer) + "[\(ci)]"
                // The first product into C starts from zero rather than from C, so compute() may run again.
                let fresh = !first.steps[..<s].contains { $0.writtenBuffers.contains(cAccess.buffer) }
                c["C_LOAD"] = fresh ? (t.isFloat ? "0.0" : "0") : CSLType.widen(array(cAccess.buffer) + "[\(ci)]", t)
                c["A_LOAD"] = CSLType.widen(array(a.buffer) + "[\(ai)]", dtype(a.buffer))
                c["B_LOAD"] = CSLType.widen(array(b.buffer) + "[\(bi)]", dtype(b.buffer))
                c["STORE"] = CSLType.narrow("acc", t)
            case .copy(let out, let input):
                for pe in pes {
                    let (o, i) = Self.copy(pe, s)
                    guard o.extents == i.extents else {
                        throw EmitError(.copyExtents(pe: pe.pe, step: s, input: i.extents, output: o.extents))
                    }
                }
                let vars = (0..<out.extents.count).map { "i\($0)" }
                let extents = params.extents("S\(s)_OUT", "step \(s) copy") { Self.copy($0, s).out }
                let (open, close, indent) = CSLText.loops(vars, extents)
                let oi = params.index("S\(s)_OUT", "step \(s) copy destination", variables: vars) { Self.copy($0, s).out }
                let ii = params.index("S\(s)_IN", "step \(s) copy source", variables: vars) { Self.copy($0, s).input }
                c["COPY"] = true
                c["SUMMARY"] = "local copy of \(array(input.buffer)) into \(array(out.buffer))"
                c["OUT"] = array(out.buffer) + "[\(oi)]"
                let source = array(input.buffer) + "[\(ii)]"
                let (tOut, tIn) = (dtype(out.buffer), dtype(input.buffer))
                c["SOURCE"] = CSLType.convert(source, from: tIn, to: tOut)
                c["LOOP_OPEN"] = open
                c["LOOP_CLOSE"] = close
                c["BODY_INDENT"] = indent
            }
        case .fabric(let ops):
            c["KIND"] = "fabric"
            c["FABRIC"] = true
            c["OP_COUNT"] = ops.count
            var contexts: [[String: Any]] = []
            for (j, operation) in ops.enumerated() {
                contexts.append(try fabricOperation(s, j, operation, pes: pes, params: &params, controls: controls))
            }
            c["OPS"] = contexts
            c["SUMMARY"] = "\(ops.count) asynchronous fabric operation\(ops.count == 1 ? "" : "s")"
        }
        return c
    }

    /// One async DSD operation of a fabric step.
    private func fabricOperation(
        _ s: Int, _ j: Int, _ operation: FabricOperation, pes: [PEProgram], params: inout RoleParameters, controls: ControlSends
    ) throws(EmitError) -> [String: Any] {
        let first = pes[0]
        let access = Self.fabricAccess(first, s, j)
        let t = first.buffers[access.buffer].dtype
        let array = Self.arrayNames(first.memoryPlan)[access.buffer]
        var c: [String: Any] = [
            "INDEX": j, "SEND": false, "RECEIVE_STORE": false, "RECEIVE_COMBINE": false, "FORWARD": false,
            "RECEIVES": false, "SENDS": false, "SEND_CONTROL": false, "MEMORY": true, "BUFFER": array, "PIECES": [[String: Any]](),
        ]
        // The memory side: a 1-D DSD where the dimensions fold into one on every PE of the role, else 2-D..4-D.
        // (A mem4d_dsd indexing a flat array with mixed strides appears in no SDK 1.4 example: unverified.)
        let groups = CSLText.foldableDimensions(pes.map { Self.fabricAccess($0, s, j) })
        guard groups.count <= 4 else { throw EmitError(.blockDimensions(pe: first.pe, step: s, dimensions: groups.count)) }
        let fold = { (p: PEProgram) -> BufferAccess in CSLText.fold(Self.fabricAccess(p, s, j), groups) }
        let vars = ["i", "j", "k", "l"].prefix(groups.count).map { $0 }
        let extents = params.extents("S\(s)_\(j)", "step \(s) operation \(j)", fold)
        let index = params.index("S\(s)_\(j)", "step \(s) operation \(j)", variables: vars, fold)
        c["MEM_DSD"] = groups.count == 1 ? "mem1d_dsd" : "mem4d_dsd"
        c["ACCESS"] = "|\(vars.joined(separator: ", "))|{\(extents.joined(separator: ", "))} -> \(array)[\(index)]"
        c["NUM_WAVELETS"] = params.int("S\(s)_\(j)_COUNT", "step \(s) operation \(j): wavelets") { Self.fabricAccess($0, s, j).count }
        let move = try CSLType.move(t)
        func rxColor() -> String {
            params.color("S\(s)_\(j)_RX", "step \(s) operation \(j): color received") { Self.colors(Self.fabricOperation($0, s, j)).rx! }
        }
        func txColor() -> String {
            params.color("S\(s)_\(j)_TX", "step \(s) operation \(j): color sent") { Self.colors(Self.fabricOperation($0, s, j)).tx! }
        }
        // The queues the lowering gave this operation (the same on every PE of the role).
        let queues = first.queues[s][j]
        func inputQueue() -> String { Self.queueName("input", queues.input ?? 0) }
        func outputQueue() -> String { Self.queueName("output", queues.output ?? 0) }
        switch operation {
        case .send where !controls.wavelets(first.pe, buffer: access.buffer).isEmpty:
            // A stream with control wavelets goes out one piece at a time, in order, as topic-06 sends it:
            // runs of data through a data DSD, each control wavelet through a DSD with `.control = true`.
            let wavelets = controls.wavelets(first.pe, buffer: access.buffer)
            for other in pes.dropFirst() {
                let theirs = controls.wavelets(other.pe, buffer: Self.fabricAccess(other, s, j).buffer)
                if theirs != wavelets || Self.fabricAccess(other, s, j).count != access.count {
                    throw EmitError(.controlLayout(pe: first.pe, other: other.pe))
                }
            }
            c["SEND_CONTROL"] = true
            c["MEMORY"] = false
            c["MOVE"] = move
            c["TX_COLOR"] = txColor()
            c["OUTPUT_QUEUE"] = outputQueue()
            var pieces: [[String: Any]] = []
            var next = 0
            func data(upTo end: Int) {
                guard end > next else { return }
                let k = pieces.count
                pieces.append([
                    "DATA": true, "CONTROL": false, "PIECE": k, "FROM": next, "COUNT": end - next,
                    "COMMENT": end - next == 1 ? "wavelet \(next): data" : "wavelets \(next) to \(end - 1): data",
                ])
                next = end
            }
            for w in wavelets {
                data(upTo: w.index)
                pieces.append(["DATA": false, "CONTROL": true, "PIECE": pieces.count, "ENCODED": w.encoded, "COMMENT": w.comment])
                next = w.index + 1
            }
            data(upTo: access.count)
            c["PIECES"] = pieces
            c["DESCRIPTION"] =
                "send \(array) on \(c["TX_COLOR"]!): \(access.count) wavelets, \(wavelets.count) of them control wavelets (<control> library), one piece at a time after the step's other operations have started"
        case .send:
            c["SEND"] = true
            c["SENDS"] = true
            c["MOVE"] = move
            c["TX_COLOR"] = txColor()
            c["OUTPUT_QUEUE"] = outputQueue()
            c["DESCRIPTION"] = "send \(array) on \(c["TX_COLOR"]!)"
        case .receive(_, _, let combine):
            c["RECEIVES"] = true
            c["RX_COLOR"] = rxColor()
            c["INPUT_QUEUE"] = inputQueue()
            if combine == .store {
                c["RECEIVE_STORE"] = true
                c["MOVE"] = move
                c["DESCRIPTION"] = "receive into \(array) from \(c["RX_COLOR"]!)"
            } else {
                c["RECEIVE_COMBINE"] = true
                c["COMBINE"] = try CSLType.combine(combine, t)
                c["DESCRIPTION"] = "receive from \(c["RX_COLOR"]!) and \(combine.rawValue) into \(array)"
            }
        case .forward(_, _, _, let combine):
            c["FORWARD"] = true
            c["RECEIVES"] = true
            c["SENDS"] = true
            c["RX_COLOR"] = rxColor()
            c["TX_COLOR"] = txColor()
            c["INPUT_QUEUE"] = inputQueue()
            c["OUTPUT_QUEUE"] = outputQueue()
            c["COMBINE"] = try CSLType.combine(combine, t)
            c["DESCRIPTION"] = "receive from \(c["RX_COLOR"]!), \(combine.rawValue) \(array), send on \(c["TX_COLOR"]!)"
        }
        return c
    }

    // MARK: - Step parts of a PE (the role's signature guarantees the kind).

    static func kernel(_ p: PEProgram, _ s: Int) -> Kernel {
        guard case .compute(let k) = p.steps[s] else { preconditionFailure("PE \(p.pe) step \(s) is not a compute step") }
        return k
    }

    static func elementwise(_ p: PEProgram, _ s: Int) -> (out: BufferAccess, inputs: [BufferAccess]) {
        guard case .elementwise(let out, let inputs, _, _) = kernel(p, s) else { preconditionFailure("role steps differ") }
        return (out, inputs)
    }

    static func reduce(_ p: PEProgram, _ s: Int) -> (out: BufferAccess, input: BufferAccess, outer: Int, reduced: Int, inner: Int) {
        guard case .reduce(_, let out, let input, let outer, let reduced, let inner, _) = kernel(p, s) else { preconditionFailure("role steps differ") }
        return (out, input, outer, reduced, inner)
    }

    static func scale(_ p: PEProgram, _ s: Int) -> BufferAccess {
        guard case .scale(let out, _) = kernel(p, s) else { preconditionFailure("role steps differ") }
        return out
    }

    static func matmul(_ p: PEProgram, _ s: Int) -> (c: BufferAccess, a: BufferAccess, b: BufferAccess, m: Int, k: Int, n: Int) {
        guard case .matmulAccumulate(let c, let a, let b, let m, let k, let n) = kernel(p, s) else { preconditionFailure("role steps differ") }
        return (c, a, b, m, k, n)
    }

    static func copy(_ p: PEProgram, _ s: Int) -> (out: BufferAccess, input: BufferAccess) {
        guard case .copy(let out, let input) = kernel(p, s) else { preconditionFailure("role steps differ") }
        return (out, input)
    }

    static func fabricOperation(_ p: PEProgram, _ s: Int, _ j: Int) -> FabricOperation {
        guard case .fabric(let ops) = p.steps[s] else { preconditionFailure("role steps differ") }
        return ops[j]
    }

    static func fabricAccess(_ p: PEProgram, _ s: Int, _ j: Int) -> BufferAccess {
        switch fabricOperation(p, s, j) {
        case .send(let a, _), .receive(let a, _, _), .forward(let a, _, _, _): return a
        }
    }

    static func colors(_ op: FabricOperation) -> (rx: ColorID?, tx: ColorID?) {
        switch op {
        case .send(_, let c): return (nil, c)
        case .receive(_, let c, _): return (c, nil)
        case .forward(_, let from, let to, _): return (from, to)
        }
    }
}
