import PyFlameIR
import PyFlameLowering

/// One PE's compute engine running its task program: buffers with values, the step in progress, and
/// the asynchronous fabric operations of that step. Arithmetic is the reference evaluator's (each
/// elementwise op rounds to the dtype; reductions and matmul accumulate in f32), so elementwise results
/// match it exactly and reductions up to their combination order.
public struct CoreState {
    public let pe: PECoord
    public let program: PEProgram
    let fabric: Fabric
    let model: FabricModel
    public private(set) var buffers: [[Double]]
    public private(set) var stepIndex = 0
    var stepStarted = false
    var computeDoneAt = 0
    var operations: [Operation] = []
    public private(set) var error: SimulationError?
    public private(set) var busyThisCycle = false
    /// Whether this cycle was a wait for wavelets none of the step's queues holds (the simulation may then
    /// leave the core asleep until a delivery to one of its queues: ``Simulation``'s sleeping cores).
    private(set) var waitedOnEmptyQueues = false
    /// The cycle the core starts: after its host inputs are copied in (`host_transfer_cost` per element).
    public internal(set) var startAt = 0
    /// Cycles spent computing and moving data.
    public internal(set) var busyCycles = 0
    /// Per step of the program: the cycles it spent computing, moving wavelets, and waiting (for a send's
    /// start-up, for room on the fabric or for wavelets to arrive), for `:stats`' per-op breakdown.
    public internal(set) var stepCycles: [StepCycles]
    /// What each fabric step the core finished used, in step order: the queues of its operations and the
    /// local tasks it activated (read-only; tests compare it with the emitted CSL). Kept only when the
    /// simulation was asked to (`Simulation(program:inputs:model:recordResources:)`): a whole wafer's
    /// record would cost memory for nothing.
    public private(set) var resourcesUsed: [StepResources] = []
    var recordsResources = false
    /// A playground core's control wavelets: per buffer it sends, each value's command word (0 for data);
    /// empty for every other core, whose sends stay data.
    var commandWords: [Int: [UInt32]] = [:]

    /// The resources one fabric step used: per operation, the input queue its core queue was bound to
    /// (the depth the fabric modelled) and the output queue it sent through; the completion task each
    /// operation activated when it finished; and the resume task activated after the last.
    public struct StepResources: Sendable, Equatable {
        public var step: Int
        public var queues: [OperationQueues]
        public var doneTasks: [Int]
        public var resumeTask: Int
    }

    /// How one step's cycles were spent.
    public struct StepCycles: Sendable, Equatable {
        public var compute = 0
        public var moving = 0
        public var waiting = 0

        public init() {}
    }

    struct Operation {
        var op: FabricOperation
        var offsets: [Int]
        var next = 0
        var startAt: Int
        var queue: Int
        /// The input queue ID the core queue was bound to for this operation, and its output queue ID.
        var queues = OperationQueues()
        /// The local task the operation activates when it finishes.
        var task = -1
        /// A forward's combined value in its add stage: the add takes a cycle, so it goes onto the ramp the
        /// cycle after its wavelet was taken (HPDC'24's 2·T_R + 1 per dependent step), pipelined at 1 per cycle.
        var held: UInt32?
        /// The injection FIFO a send or forward puts its wavelets in (found once, at the step's start);
        /// -1 when its color has no route from the ramp here (then the fabric's checks report it).
        var fifo = -1
        var done: Bool { next >= offsets.count && held == nil }
    }

    init(program: PEProgram, fabric: Fabric, model: FabricModel) {
        self.pe = program.pe
        self.program = program
        self.fabric = fabric
        self.model = model
        self.buffers = program.buffers.map { [Double](repeating: 0, count: $0.count) }
        self.stepCycles = [StepCycles](repeating: StepCycles(), count: program.steps.count)
    }

    public var isFinished: Bool { stepIndex >= program.steps.count }

    /// Where the core is: `step 3/7: fabric (receive 12/16 on color 0)`.
    public var position: String {
        guard !isFinished else { return "finished (\(program.steps.count) step\(program.steps.count == 1 ? "" : "s"))" }
        var text = "step \(stepIndex + 1)/\(program.steps.count): "
        switch program.steps[stepIndex] {
        case .compute(let k): text += "compute \(k.kind)" + (stepStarted ? " until cycle \(computeDoneAt)" : "")
        case .fabric:
            text +=
                "fabric "
                + operations.map { o -> String in
                    switch o.op {
                    case .send(_, let c): return "send \(o.next)/\(o.offsets.count) on color \(c)"
                    case .receive(_, let c, _): return "receive \(o.next)/\(o.offsets.count) on color \(c)"
                    case .forward(_, let a, let b, _): return "forward \(o.next)/\(o.offsets.count) from color \(a) to \(b)"
                    }
                }.joined(separator: ", ")
        }
        return text
    }

    /// What the core still waits for, when it is stuck on a fabric step: (color, wavelets missing).
    public var waitingFor: [(color: Int, missing: Int)] {
        guard !isFinished, stepStarted, case .fabric = program.steps[stepIndex] else { return [] }
        return operations.compactMap { o in
            switch o.op {
            case .receive(_, let c, _), .forward(_, let c, _, _): return o.next >= o.offsets.count ? nil : (c, o.offsets.count - o.next)
            case .send: return nil
            }
        }
    }

    /// Copies a host tile into a buffer (memcpy before the program starts).
    mutating func load(buffer: Int, from value: TensorValue, tile: Tile) {
        for (k, flat) in tile.flatIndices(in: value.shape).enumerated() {
            buffers[buffer][k] = value.elements[flat]
            startAt += model.hostTransferCost
        }
    }

    /// One cycle; returns whether the core made progress.
    mutating func step(now: Int) -> Bool {
        busyThisCycle = false
        waitedOnEmptyQueues = false
        guard !isFinished, now >= startAt else { return false }
        if !stepStarted {
            start(now: now)
            if error != nil { return false }
        }
        switch program.steps[stepIndex] {
        case .compute:
            busyThisCycle = true
            busyCycles += 1
            stepCycles[stepIndex].compute += 1
            if now + 1 >= computeDoneAt { finishStep(); return true }
            return true
        case .fabric:
            // Most of a big program's cores wait for wavelets most of the time: when every unfinished
            // operation waits for one and none has arrived, the cycle is a wait, found without the fabric's
            // look-ups (the checks below would find the same).
            if waitsOnEmptyQueues(now: now) {
                stepCycles[stepIndex].waiting += 1
                waitedOnEmptyQueues = true
                return false
            }
            var progress = false
            var injected = false
            let peIndex = pe.y * fabric.width + pe.x
            for i in operations.indices where !operations[i].done && now >= operations[i].startAt {
                switch operations[i].op {
                case .send(_, let color):
                    guard !injected, canInject(operations[i].fifo, color: color, pe: peIndex, now: now) else { continue }
                    let b = buffer(of: operations[i].op)
                    let at = operations[i].offsets[operations[i].next]
                    let value = encode(buffers[b][at], program.buffers[b].dtype)
                    if !commandWords.isEmpty, let words = commandWords[b], at < words.count, words[at] != 0,
                        let fifo = fabric.injectionFifo(pe: pe, color: color)
                    {
                        fabric.inject(fifo: fifo, pe: peIndex, value: value, now: now, commandWord: words[at])
                    } else {
                        fabric.inject(fifo: operations[i].fifo, pe: peIndex, value: value, now: now)
                    }
                    operations[i].next += 1
                    injected = true
                    progress = true
                case .receive(_, _, let combine):
                    let q = operations[i].queue
                    guard let payload = fabric.peekCore(q, now: now) else { continue }
                    fabric.popCore(q, now: now)
                    let b = buffer(of: operations[i].op)
                    let at = operations[i].offsets[operations[i].next]
                    buffers[b][at] = CoreState.combine(combine, buffers[b][at], decode(payload, program.buffers[b].dtype), program.buffers[b].dtype)
                    operations[i].next += 1
                    progress = true
                case .forward(_, _, let to, let combine):
                    guard !injected else { continue }
                    if let sum = operations[i].held {
                        guard canInject(operations[i].fifo, color: to, pe: peIndex, now: now) else { continue }
                        fabric.inject(fifo: operations[i].fifo, pe: peIndex, value: sum, now: now)
                        operations[i].held = nil
                        injected = true
                        progress = true
                    }
                    let q = operations[i].queue
                    // The core reads its input only when its output has a place for the result (it does not
                    // read ahead of a full output): under backpressure the add stage holds nothing.
                    guard operations[i].next < operations[i].offsets.count, let payload = fabric.peekCore(q, now: now),
                        operations[i].fifo < 0 || fabric.fifoSize(operations[i].fifo) < fabric.rampCapacity
                    else { continue }
                    fabric.popCore(q, now: now)
                    let b = buffer(of: operations[i].op)
                    let dtype = program.buffers[b].dtype
                    let value = CoreState.combine(combine, buffers[b][operations[i].offsets[operations[i].next]], decode(payload, dtype), dtype)
                    operations[i].held = encode(value, dtype)
                    operations[i].next += 1
                    progress = true
                }
                if fabric.error != nil { return false }
            }
            if progress { busyThisCycle = true; busyCycles += 1 }
            if progress { stepCycles[stepIndex].moving += 1 } else { stepCycles[stepIndex].waiting += 1 }
            if operations.allSatisfy(\.done) { finishStep(); return true }
            return progress
        }
    }

    /// ``Fabric/canInject(pe:color:now:)`` through the FIFO found at the step's start; without one, the
    /// fabric's own check (which reports the missing route).
    @inline(__always) private func canInject(_ fifo: Int, color: Int, pe peIndex: Int, now: Int) -> Bool {
        guard fifo >= 0 else { return fabric.canInject(pe: pe, color: color, now: now) }
        fabric.keepStampsExact(at: now)
        return fabric.canInject(fifo: fifo, pe: peIndex, now: now)
    }

    /// Whether every unfinished operation of the current fabric step waits for a wavelet (a receive, or a
    /// forward holding nothing) that has not arrived: its core queue is empty.
    @inline(__always) private func waitsOnEmptyQueues(now: Int) -> Bool {
        var waits = false
        for o in operations where !o.done {
            guard o.held == nil, o.queue >= 0, now >= o.startAt else { return false }
            if case .send = o.op { return false }
            if fabric.coreQueueSize[o.queue] != 0 { return false }
            waits = true
        }
        return waits
    }

    /// Cycles a sleeping core waited (counted when it wakes, or when the simulation is looked at).
    mutating func addWaiting(_ cycles: Int) {
        guard cycles > 0, !isFinished else { return }
        stepCycles[stepIndex].waiting += cycles
    }

    private func buffer(of op: FabricOperation) -> Int {
        switch op {
        case .send(let a, _), .receive(let a, _, _), .forward(let a, _, _, _): return a.buffer
        }
    }

    private mutating func finishStep() {
        if recordsResources, case .fabric = program.steps[stepIndex] {
            resourcesUsed.append(
                StepResources(step: stepIndex, queues: operations.map(\.queues), doneTasks: operations.map(\.task), resumeTask: program.taskID))
        }
        stepIndex += 1
        stepStarted = false
    }

    private mutating func start(now: Int) {
        stepStarted = true
        switch program.steps[stepIndex] {
        case .compute(let kernel):
            do {
                let cost = try run(kernel)
                computeDoneAt = now + max(1, cost)
            } catch {
                self.error = SimulationError(.kernel(pe: pe, reason: error.message), cycle: now)
            }
        case .fabric(let ops):
            operations = ops.map { op in
                var queue = -1
                var startAt = now
                switch op {
                case .send: startAt = now + model.sendStartup
                case .receive(_, let c, _): queue = fabric.coreQueueIndex[Fabric.key(pe.y * fabric.width + pe.x, c)].map(Int.init) ?? -1
                case .forward(_, let c, _, _):
                    startAt = now + model.sendStartup
                    queue = fabric.coreQueueIndex[Fabric.key(pe.y * fabric.width + pe.x, c)].map(Int.init) ?? -1
                }
                let access: BufferAccess =
                    switch op {
                    case .send(let a, _), .receive(let a, _, _), .forward(let a, _, _, _): a
                    }
                var operation = Operation(op: op, offsets: access.offsets(), startAt: startAt, queue: queue)
                switch op {
                case .send(_, let c), .forward(_, _, let c, _): operation.fifo = fabric.injectionFifo(pe: pe, color: c) ?? -1
                case .receive: break
                }
                return operation
            }
            // The queues and completion tasks the lowering gave this step's operations: a receiving
            // operation's core queue takes its input queue's depth.
            let assigned = stepIndex < program.queues.count ? program.queues[stepIndex] : []
            for j in operations.indices {
                if j < program.doneTaskIDs.count { operations[j].task = program.doneTaskIDs[j] }
                guard j < assigned.count else { continue }
                operations[j].queues.output = assigned[j].output
                if let id = assigned[j].input, operations[j].queue >= 0 {
                    fabric.bindCoreQueue(operations[j].queue, to: id)
                    operations[j].queues.input = fabric.coreQueueID[operations[j].queue]
                }
            }
            for o in operations where o.queue < 0 {
                if case .send = o.op { continue }
                let color = o.op.color[0]
                error = SimulationError(.coreReceiveUnrouted(pe: pe, color: color), cycle: now)
                return
            }
        }
    }

    // MARK: - Values

    func encode(_ x: Double, _ dtype: DType) -> UInt32 {
        dtype.isFloat ? Float(x).bitPattern : UInt32(bitPattern: Int32(truncatingIfNeeded: Int64(x)))
    }

    func decode(_ bits: UInt32, _ dtype: DType) -> Double {
        dtype.isFloat ? dtype.round(Double(Float(bitPattern: bits))) : dtype.round(Double(Int32(bitPattern: bits)))
    }

    static func combine(_ c: Combine, _ old: Double, _ new: Double, _ dtype: DType) -> Double {
        switch c {
        case .store: return new
        case .add:
            return dtype.isFloat ? dtype.round(Double(Float(old) + Float(new))) : dtype.round(Double(Int64(old) &+ Int64(new)))
        case .max: return old.isNaN || new.isNaN ? .nan : Swift.max(old, new)
        case .min: return old.isNaN || new.isNaN ? .nan : Swift.min(old, new)
        }
    }

    /// Runs a kernel on the buffers; returns its cost in cycles.
    mutating func run(_ kernel: Kernel) throws(IRError) -> Int {
        switch kernel {
        case .elementwise(let out, let inputs, let expression, let count):
            let dtype = program.buffers[out.buffer].dtype
            let outOffsets = out.offsets()
            let inOffsets = inputs.map { $0.offsets() }
            var values = [Double](repeating: 0, count: inputs.count)
            for i in 0..<count {
                for k in inputs.indices { values[k] = buffers[inputs[k].buffer][inOffsets[k][i]] }
                buffers[out.buffer][outOffsets[i]] = try CoreState.evaluate(expression, values, dtype)
            }
            return model.dsdSetup + count * cost(of: expression)
        case .reduce(let f, let out, let input, let outer, let reduced, let inner, _):
            let dtype = program.buffers[out.buffer].dtype
            let source = buffers[input.buffer]
            for o in 0..<outer {
                for i in 0..<inner {
                    buffers[out.buffer][out.offset + o * inner + i] = Evaluator.reduceLine(
                        f, source, base: input.offset + o * reduced * inner + i,
                        count: reduced, stride: inner, dtype: dtype)
                }
            }
            return model.dsdSetup + outer * reduced * inner
        case .scale(let out, let divisor):
            let dtype = program.buffers[out.buffer].dtype
            for at in out.offsets() { buffers[out.buffer][at] = dtype.round(Double(Float(buffers[out.buffer][at]) / Float(divisor))) }
            return model.dsdSetup + out.count
        case .matmulAccumulate(let c, let a, let b, let m, let k, let n):
            let dtype = program.buffers[c.buffer].dtype
            let ao = a.offsets(), bo = b.offsets(), co = c.offsets()
            let av = buffers[a.buffer], bv = buffers[b.buffer]
            for i in 0..<m {
                for j in 0..<n {
                    if dtype.isFloat {
                        var acc = Float(buffers[c.buffer][co[i * n + j]])
                        for p in 0..<k { acc += Float(av[ao[i * k + p]]) * Float(bv[bo[p * n + j]]) }
                        buffers[c.buffer][co[i * n + j]] = dtype.round(Double(acc))
                    } else {
                        var acc = Int64(buffers[c.buffer][co[i * n + j]])
                        for p in 0..<k { acc &+= Int64(av[ao[i * k + p]]) &* Int64(bv[bo[p * n + j]]) }
                        buffers[c.buffer][co[i * n + j]] = dtype.round(Double(Int32(truncatingIfNeeded: acc)))
                    }
                }
            }
            let macCost = dtype == .f32 ? model.macCyclesF32 : dtype.isInteger ? model.macCyclesInteger : model.macCycles16Bit
            return model.dsdSetup + Int((Double(m * k * n) * macCost).rounded(.up))
        case .copy(let out, let input):
            let dtype = program.buffers[out.buffer].dtype
            let oo = out.offsets(), io = input.offsets()
            let source = buffers[input.buffer]
            for i in oo.indices { buffers[out.buffer][oo[i]] = dtype.round(source[io[i]]) }
            return model.dsdSetup + oo.count
        }
    }

    /// The fused expression with one rounding to the dtype per op, as the evaluator does op by op.
    static func evaluate(_ e: KernelExpression, _ inputs: [Double], _ dtype: DType) throws(IRError) -> Double {
        switch e {
        case .input(let i): return inputs[i]
        case .constant(let v): return dtype.round(v)
        case .unary(let f, let a):
            let x = try evaluate(a, inputs, dtype)
            if dtype.isInteger {
                let v = Int64(x)
                switch f {
                case .relu: return dtype.round(Double(v > 0 ? v : 0))
                case .neg: return dtype.round(Double(0 &- v))
                case .abs: return dtype.round(Double(v < 0 ? 0 &- v : v))
                default: throw IRError("\(f.rawValue) needs a floating-point tensor")
                }
            }
            return dtype.round(Evaluator.apply(f, x))
        case .binary(let f, let a, let b):
            let x = try evaluate(a, inputs, dtype), y = try evaluate(b, inputs, dtype)
            return dtype.round(try Evaluator.apply(f, x, y, integer: dtype.isInteger))
        }
    }

    /// Cycles per element of a fused expression.
    func cost(of e: KernelExpression) -> Int {
        switch e {
        case .input, .constant: return 0
        case .unary(let f, let a):
            return cost(of: a) + (FabricModel.CostedFunction(rawValue: f.rawValue).flatMap { model.functionCosts[$0] } ?? 1)
        case .binary(let f, let a, let b):
            return cost(of: a) + cost(of: b) + (f == .div ? (model.functionCosts[.div] ?? 1) : 1)
        }
    }
}
