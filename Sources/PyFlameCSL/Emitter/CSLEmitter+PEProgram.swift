import PyFlameIR
import PyFlameLowering

extension CSLEmitter {
    /// One PE program file for the PEs of a role (all with the same step shapes; see `PEProgram.signature`).
    /// `routedAt`: the colors routed at each PE (on WSE-2 a local task ID must not be one of them).
    func peProgram(
        _ file: String, _ pes: [PEProgram], _ params: inout RoleParameters, program: FabricProgram, graph: Graph,
        symbols: HostSymbols, routedAt: [PECoord: Set<ColorID>], header: [String: Any], poll: inout EmitPoll
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

        // Queues. A fabric DSD's queue ID is its microthread, so operations that run together need
        // different IDs; an input and an output queue with the same ID clash. Where every PE of the role
        // touches at most 6 colors, the k-th color a PE uses keeps ID 2 + k for the whole program (input
        // queue iq_k where it is received, output queue oq_k where it is sent), which both chips accept
        // (WSE-3 binds queues to colors at compile time). Beyond that, WSE-2 programs bind per step: the
        // j-th operation of a step uses ID 2 + j, and the color comes with each DSD.
        let limit = CSLEmitter.queues.count
        let perColor = pes.allSatisfy { $0.queueColors.count <= limit }
        if !perColor {
            let pe = pes.first { $0.queueColors.count > limit }!
            guard program.architecture == .wse2 else {
                throw EmitError(.queueColors(pe: pe.pe, colors: pe.queueColors.count, queues: limit))
            }
        }
        // Which queue slots receive (iq) and send (oq): per color, or per position in a step.
        var inputs = Set<Int>(), outputs = Set<Int>()
        let colorsOfFirst = first.queueColors
        for case .fabric(let ops) in first.steps {
            for (j, op) in ops.enumerated() {
                let (rx, tx) = Self.colors(op)
                if let rx { inputs.insert(perColor ? colorsOfFirst.firstIndex(of: rx)! : j) }
                if let tx { outputs.insert(perColor ? colorsOfFirst.firstIndex(of: tx)! : j) }
            }
        }
        var queues: [[String: Any]] = []
        for (kind, slots) in [("input", inputs), ("output", outputs)] {
            for k in slots.sorted() {
                var queue: [String: Any] = ["NAME": "\(kind == "input" ? "iq" : "oq")_\(k)", "KIND": kind, "QUEUE": CSLEmitter.queues.lowerBound + k]
                if perColor { queue["COLOR"] = params.color("Q\(k)_COLOR", "color of queue \(CSLEmitter.queues.lowerBound + k)") { $0.queueColors[k] } }
                queues.append(queue)
            }
        }
        context["QUEUES"] = queues
        context["HAS_QUEUES"] = !queues.isEmpty
        context["QUEUES_PER_COLOR"] = perColor

        // Tasks: the lowering's step task, and one completion counter per concurrent fabric operation.
        let concurrent =
            first.steps.map { step -> Int in
                if case .fabric(let ops) = step { return ops.count }
                return 0
            }.max() ?? 0
        var taskIDs: [[Int]] = []
        let indexOf = Dictionary(uniqueKeysWithValues: pes.enumerated().map { ($1.pe, $0) })
        for pe in pes {
            try poll()
            let routed: Set<Int> = program.architecture == .wse2 ? (routedAt[pe.pe] ?? []) : []
            // The step task's ID (the lowering's) and one per concurrent operation, none of them a reserved
            // ID or (WSE-2) a color the PE routes.
            let available = CSLEmitter.taskIDs.filter { !routed.contains($0) }
            let free = available.filter { $0 != pe.taskID }
            guard available.contains(pe.taskID), free.count >= concurrent else {
                throw EmitError(.taskIDs(pe: pe.pe, needed: concurrent + 1, free: available.count))
            }
            taskIDs.append([pe.taskID] + free.prefix(concurrent))
        }
        let hasSteps = !first.steps.isEmpty
        context["HAS_STEPS"] = hasSteps
        context["RESUME_TASK"] = hasSteps ? params.int("RESUME_TASK", "local task ID of resume_task") { taskIDs[indexOf[$0.pe]!][0] } : "0"
        context["DONE_TASKS"] = (0..<concurrent).map { k -> [String: Any] in
            ["INDEX": k, "TASK": params.int("DONE_\(k)_TASK", "local task ID of done_\(k)_task") { taskIDs[indexOf[$0.pe]!][k + 1] }]
        }

        // Steps, each rendered by the template of the lowered op it belongs to.
        var kernels = KernelText()
        var steps: [[String: Any]] = []
        var sequence: [[String: Any]] = []
        for s in first.steps.indices {
            try poll()
            let node = first.stepNodes[s]
            let op = node.flatMap { node in program.ops.first { $0.nodes.contains(node) } }
            let template = op?.template ?? "layout_transform"
            var step = try stepContext(s, pes: pes, params: &params, kernels: &kernels, graph: graph, op: op, queuesPerColor: perColor)
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

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
