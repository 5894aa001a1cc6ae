import PyFlameIR
import PyFlameLowering

extension CSLCheckRun {
    // MARK: Colors: routable, and not memcpy's in a project that imports it

    /// Every route's color and every color a PE program names is routable (`Architecture.colors`); in a
    /// project that imports memcpy, none is one memcpy takes (`Architecture.memcpyColors`). A fabric DSD
    /// on a memcpy color is memcpy's own stream (`sys_mod.MEMCPYH2D_DATA_1`) and is not a resource taken.
    mutating func resources() {
        let reserved = project.memcpyReservations.map { Set($0.colors) } ?? []
        for (i, route) in project.routes.enumerated() {
            let site = project.routeSites.indices.contains(i) ? project.routeSites[i] : nil
            if !Architecture.colors.contains(route.color) {
                error("color \(route.color) is not routable: colors are \(Architecture.colorsText)", at: site)
            } else if reserved.contains(route.color) {
                error(
                    "color \(route.color) is reserved by memcpy (it takes \(Architecture.memcpyColorsText) in a project that imports it); use one of \(Architecture.programColorsText)",
                    at: site)
            }
        }
        for code in project.codes {
            for named in code.program.colors {
                guard case .color(let c) = named.value else { continue }
                if !Architecture.colors.contains(c) {
                    error("`\(named.name)` is color \(c), which is not routable: colors are \(Architecture.colorsText)", at: named.site)
                } else if reserved.contains(c) {
                    error(
                        "`\(named.name)` is color \(c), reserved by memcpy (it takes \(Architecture.memcpyColorsText) in a project that imports it); use one of \(Architecture.programColorsText)",
                        at: named.site)
                }
            }
        }
    }

    // MARK: Task IDs: one task per ID, memcpy's left alone, and (WSE-2) no ID a routed color activates

    mutating func taskIDs() {
        let reserved = project.memcpyReservations.map { Set($0.localTaskIDs) } ?? []
        let wse2 = project.options.architecture == .wse2
        for (index, code) in project.codes.enumerated() {
            if poll() { return }
            // On WSE-2 data and local task IDs are one space (a data task's ID is its color).
            var bound: [String: CSLTaskBinding] = [:]
            for binding in code.program.taskBindings {
                let space = wse2 && binding.kind != .control ? "task" : binding.kind.rawValue
                let key = "\(space) \(binding.id)"
                if let first = bound[key], first.task != binding.task {
                    error(
                        "\(binding.kind.typeName) \(binding.id) is already bound to task `\(first.task)`; one task per ID (`\(binding.task)` needs another)",
                        at: binding.site)
                    note("`\(first.task)` is bound to it here", at: first.site)
                } else if bound[key] == nil {
                    bound[key] = binding
                }
                if binding.kind == .local, reserved.contains(binding.id) {
                    // At the const that holds the ID when the binding names one, with a note at the binding.
                    let declaration = sources.boundIDName(at: binding.site).flatMap { sources.topLevelDeclaration($0, in: binding.site.path) }
                    error(
                        "local task ID \(binding.id) (task `\(binding.task)`) is reserved by memcpy (it takes \(rangeText(Architecture.memcpyTaskIDs)) in a project that imports it); the free local task IDs are \(freeLocalTaskIDsText)",
                        at: declaration ?? binding.site)
                    if declaration != nil { note("`\(binding.task)` is bound to local task ID \(binding.id) here", at: binding.site) }
                }
            }
            // WSE-2: a wavelet of a color routed to a PE's core activates the task with that color's ID.
            guard wse2 else { continue }
            for binding in code.program.taskBindings where binding.kind == .local && Architecture.colors.contains(binding.id) {
                var clashes: [PECoord] = []
                for pe in pesOfCode[index] {
                    if poll() { return }
                    if let route = route(at: pe, color: binding.id, code: index), route.anyTx.contains(.ramp) { clashes.append(pe) }
                }
                guard !clashes.isEmpty else { continue }
                error(
                    "local task ID \(binding.id) of `\(binding.task)`: on WSE-2 color \(binding.id) reaches the core of \(PERectangleCover.named(clashes)) and activates task \(binding.id); use a local task ID that is no such color",
                    at: binding.site)
                if let i = project.routes.firstIndex(where: { $0.color == binding.id && $0.pe == clashes[0] }), project.routeSites.indices.contains(i) {
                    note("color \(binding.id) is routed to the core of \(PERectangleCover.named([clashes[0]])) here", at: project.routeSites[i])
                }
            }
        }
    }

    // MARK: Queues: memcpy's input queues, and WSE-3's @initialize_queue

    /// In a project that imports memcpy, no input queue memcpy keeps (`Architecture.freeInputQueues`
    /// leaves the others); on WSE-3, every queue a fabric DSD or a data task uses is bound to its color
    /// with `@initialize_queue` (WSE-3 binds queues at compile time), and to the DSD's color.
    mutating func queues() {
        let reserved = project.memcpyReservations.map { Set($0.inputQueues) } ?? []
        let wse3 = project.options.architecture == .wse3
        for code in project.codes {
            if poll() { return }
            let program = code.program
            for named in program.queues {
                guard case .inputQueue(let q) = named.value, reserved.contains(q) else { continue }
                error(
                    "`\(named.name)` is input queue \(q), which memcpy keeps on \(project.options.architecture.rawValue) in a project that imports it; use one of \(program.freeInputQueueText(project.options.architecture))",
                    at: named.site)
            }
            for dsd in program.dsds where dsd.value.kind == .fabin {
                guard let q = dsd.value.queue, reserved.contains(q), !program.queues.contains(where: { $0.value == .inputQueue(q) }) else { continue }
                error(
                    "\(dsd.label) reads input queue \(q), which memcpy keeps on \(project.options.architecture.rawValue) in a project that imports it",
                    at: dsd.site)
            }
            guard wse3 else { continue }
            var initialised: [CSLValue: CSLQueueInitialization] = [:]
            for q in program.queueInitializations where initialised[q.queue] == nil { initialised[q.queue] = q }
            for dsd in program.dsds where dsd.value.kind.isFabric {
                guard let q = dsd.value.queue else { continue }
                let queue: CSLValue = dsd.value.kind == .fabin ? .inputQueue(q) : .outputQueue(q)
                let which = dsd.value.kind == .fabin ? "input" : "output"
                guard let initialisation = initialised[queue] else {
                    // Declared at top level, the DSD may be unused here (a module's comptime switch leaves it
                    // out, as pipeline-03-multiple's memcpy_edge does): a warning; in a function body, an error.
                    add(
                        dsd.inFunction == nil ? .warning : .error,
                        "\(dsd.label) uses \(which) queue \(q), which has no @initialize_queue: WSE-3 binds each queue to its color at compile time (`@initialize_queue(q, .{ .color = c })`)"
                            + (dsd.inFunction == nil ? " (if the code uses it)" : ""),
                        at: dsd.site)
                    continue
                }
                if let color = dsd.value.fabricColor, let bound = initialisation.color, bound != color {
                    error("\(dsd.label) sends or receives color \(color) on \(which) queue \(q), which @initialize_queue binds to color \(bound)", at: dsd.site)
                    note("\(which) queue \(q) is bound to color \(bound) here", at: initialisation.site)
                }
            }
            for binding in program.taskBindings where binding.viaInputQueue && initialised[.inputQueue(binding.id)] == nil {
                error(
                    "data task `\(binding.task)` is bound through input queue \(binding.id), which has no @initialize_queue: WSE-3 binds each queue to its color at compile time",
                    at: binding.site)
            }
        }
    }

    var freeLocalTaskIDsText: String {
        // Runs of the free IDs: 8–20 and 24–26.
        var runs: [ClosedRange<Int>] = []
        for id in Architecture.freeLocalTaskIDs {
            if let last = runs.last, last.upperBound + 1 == id { runs[runs.count - 1] = last.lowerBound...id } else { runs.append(id...id) }
        }
        let parts = runs.map(rangeText)
        return parts.count <= 1 ? parts.joined() : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }

    func rangeText(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)"
    }
}

extension CSLElaboratedPEProgram {
    /// `2–7`: the input queues memcpy leaves a program on `architecture`.
    func freeInputQueueText(_ architecture: Architecture) -> String {
        let free = architecture.freeInputQueues
        guard let first = free.first, let last = free.last else { return "none" }
        return first == last ? "\(first)" : "\(first)–\(last)"
    }
}

extension CSLDSDDecl {
    /// `fabin_dsd `in_dsd`` (or the kind alone for a DSD built inline).
    var label: String {
        name.map { "\(value.kind.rawValue) `\($0)`" } ?? value.kind.rawValue
    }
}
