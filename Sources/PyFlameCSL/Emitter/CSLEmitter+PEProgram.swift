import PyFlameIR
import PyFlameLowering

extension CSLEmitter {
    /// One PE program file for the PEs of a role (all with the same step shapes; see `PEProgram.signature`).
    func peProgram(
        _ file: String, _ pes: [PEProgram], _ params: inout RoleParameters, program: FabricProgram, graph: Graph,
        symbols: HostSymbols, controls: ControlSends, receiver: ControlReceiver? = nil, header: [String: Any], poll: inout EmitPoll
    ) throws(EmitError) -> String {
        let first = pes[0]
        var context = header
        context["FILE"] = file
        context["ROLE"] = String(file.dropLast(4))
        context["PE_LIST"] = CSLText.peList(pes.map(\.pe), origin: program.rectangle)

        // Buffers and exports.
        var buffers: [[String: Any]] = []
        for (i, buffer) in first.buffers.enumerated() {
            let dtype = try CSLType.element(buffer.dtype)
            let size = params.int("B\(i)_SIZE", "elements of b\(i) (\(buffer.name))") { $0.buffers[i].count }
            buffers.append([
                "NAME": "b\(i)", "SIZE": size, "DTYPE": dtype,
                "COMMENT": buffer.node.map { "\(buffer.name): %\($0)" + (graph[$0]?.name.map { " (\($0))" } ?? "") } ?? buffer.name,
            ])
        }
        var exports: [[String: Any]] = []
        for (i, buffer) in first.buffers.enumerated() {
            guard let symbol = symbols.byBuffer[first.pe]?[i] else { continue }
            exports.append(["POINTER": "b\(i)_ptr", "BUFFER": "b\(i)", "DTYPE": try CSLType.element(buffer.dtype), "SYMBOL": symbol])
        }
        context["BUFFERS"] = buffers
        context["HAS_BUFFERS"] = !buffers.isEmpty
        context["EXPORTS"] = exports

        // Queues and tasks, as the lowering assigned them (`PEProgram.queues`, `.taskID`, `.doneTaskIDs`):
        // PEs of a role share their queue IDs (their queue patterns agree, and the IDs follow from them), so the queues are
        // literals; task IDs may differ and then become parameters.
        if let bare = pes.first(where: { !$0.hasResources }) {
            throw EmitError(.missingResources(pe: bare.pe))
        }
        let perColor = first.queueBinding == .perColor
        var inputs: [Int: ColorID] = [:], outputs: [Int: ColorID] = [:]
        for (s, step) in first.steps.enumerated() {
            guard case .fabric(let ops) = step else { continue }
            for (j, op) in ops.enumerated() {
                let (rx, tx) = Self.colors(op)
                let queues = first.queues[s][j]
                if let rx, let q = queues.input { inputs[q] = rx }
                if let tx, let q = queues.output { outputs[q] = tx }
            }
        }
        var queues: [[String: Any]] = []
        for (kind, used) in [("input", inputs), ("output", outputs)] {
            for id in used.keys.sorted() {
                let name = Self.queueName(kind, id)
                var queue: [String: Any] = ["NAME": name, "KIND": kind, "QUEUE": id]
                if perColor {
                    // The color bound to this queue at each PE of the role.
                    let colorAt: (PEProgram) -> Int = { pe in
                        for (s, step) in pe.steps.enumerated() {
                            guard case .fabric(let ops) = step else { continue }
                            for (j, op) in ops.enumerated() {
                                let (rx, tx) = Self.colors(op)
                                let q = pe.queues[s][j]
                                if kind == "input", q.input == id, let rx { return rx }
                                if kind == "output", q.output == id, let tx { return tx }
                            }
                        }
                        return used[id] ?? 0
                    }
                    // An output queue whose ID an input queue also has may carry another color (input and
                    // output queues come from separate ID spaces): its parameter gets a name of its own.
                    let k = id - (LoweringOptions.queueIDs.first ?? 0)
                    let (name, what) = kind == "output" && inputs[id] != nil ? ("OQ\(k)_COLOR", "output queue") : ("Q\(k)_COLOR", "queue")
                    queue["COLOR"] = params.color(name, "color of \(what) \(id)", colorAt)
                }
                queues.append(queue)
            }
        }
        // Control wavelets (the playground's): the <control> library, and a control_task_id per entry point
        // they name (the same at every PE of the role: `fabricOperation` checks their streams agree).
        let entryPoints = Set(controls.entryPoints(first.pe) + (receiver?.entryPoints ?? [])).sorted()
        context["USES_CONTROL"] = controls.byPE[first.pe] != nil
        context["CONTROL_TASKS"] = entryPoints.map { ["NAME": ControlSends.taskName($0), "ID": $0] }
        context["HAS_CONTROL_TASKS"] = !entryPoints.isEmpty
        // A core that takes control wavelets and runs no program (topic-07's receivers): a control task per
        // entry point, and each color unblocked (WSE-3: an input queue bound to it) since no data task reads it.
        context["HAS_CONTROL_RECEIVES"] = receiver != nil
        context["CONTROL_COUNT"] = receiver?.count ?? 0
        context["CONTROL_RECEIVE_TASKS"] = (receiver?.entryPoints ?? []).map { ["NAME": ControlSends.taskName($0)] }
        context["CONTROL_COLORS"] = (receiver?.colors ?? []).enumerated().map { k, color -> [String: Any] in
            ["K": k, "QUEUE": LoweringOptions.queueIDs[k % LoweringOptions.queueIDs.count], "COLOR": "@get_color(\(color))"]
        }
        context["QUEUES"] = queues
        context["HAS_QUEUES"] = !queues.isEmpty
        context["QUEUES_PER_COLOR"] = perColor

        let hasSteps = !first.steps.isEmpty
        context["HAS_STEPS"] = hasSteps
        context["RESUME_TASK"] = hasSteps ? params.int("RESUME_TASK", "local task ID of resume_task") { $0.taskID } : "0"
        context["DONE_TASKS"] = first.doneTaskIDs.indices.map { k -> [String: Any] in
            ["INDEX": k, "TASK": params.int("DONE_\(k)_TASK", "local task ID of done_\(k)_task") { $0.doneTaskIDs[k] }]
        }

        // Steps, each rendered by the template of the lowered op it belongs to.
        var kernels = KernelText()
        var steps: [[String: Any]] = []
        var sequence: [[String: Any]] = []
        for s in first.steps.indices {
            try poll()
            let node = first.stepNodes[s]
            let op = node.flatMap { node in program.ops.first { $0.nodes.contains(node) } }
            guard let template = op.map({ Self.template(for: $0.pattern) }) ?? Self.template(forUnownedStep: first.steps[s]) else {
                throw EmitError(.unownedStep(pe: first.pe, step: s, node: node))
            }
            var step = try stepContext(s, pes: pes, params: &params, kernels: &kernels, graph: graph, op: op, controls: controls)
            step["STEP"] = s
            step["NODE"] = CSLText.comment(describe(graph, node))
            let code = try render(template + ".csl", step)
            guard code.contains("fn step_\(s)()") else {
                throw EmitError(.emptyTemplate(template: template, step: s, kind: step["KIND"] as? String ?? "?", file: file))
            }
            steps.append(["CODE": code.trimmingTrailingNewlines()])
            sequence.append(["STEP": s, "ASYNC": step["FABRIC"] as? Bool ?? false])
        }
        context["STEPS"] = steps
        context["SEQUENCE"] = sequence
        context["STEP_COUNT"] = first.steps.count
        context["HELPERS"] = kernels.helpers.map { ["CODE": $0] }
        context["HAS_HELPERS"] = !kernels.helpers.isEmpty
        context["USES_MATH"] = kernels.usesMath

        // Parameters last: every step above may have added some.
        context["PARAMS"] = params.parameters.map { ["NAME": $0.name, "TYPE": $0.type, "COMMENT": $0.comment] }
        context["HAS_PARAMS"] = !params.parameters.isEmpty
        return try render("pe_program.csl", context)
    }
}

extension CSLEmitter {
    /// The name of a queue in a PE program: `iq_K` / `oq_K`, K counted from the first program queue.
    static func queueName(_ kind: String, _ id: Int) -> String {
        (kind == "input" ? "iq_" : "oq_") + String(id - (LoweringOptions.queueIDs.first ?? 0))
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
