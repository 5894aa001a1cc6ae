import Foundation
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

/// The text reports about a simulation and its PEs: `:status`'s simulation lines, `:pe X,Y` and `:stats`.
/// Pure functions of the simulation, the program and the graph; the shell checks the user's words and calls
/// them.
public enum SimulationReport {
    /// Cycles as time at the two clock rates: `0.012 µs at 0.85 GHz, 0.009 µs at 1.1 GHz`.
    public static func time(_ cycles: Int) -> String {
        String(format: "%.3f µs at 0.85 GHz, %.3f µs at 1.1 GHz", Double(cycles) / 850.0, Double(cycles) / 1100.0)
    }

    /// A wavelet's payload as the user reads it: as its color's kind reads (``WaveletPayload/text(_:_:)``:
    /// a playground's the way its sender typed it, a program's as f32), the same in every view.
    public static func payload(_ payload: UInt32, color: Int, kinds: PayloadKinds) -> String {
        kinds.text(payload, color: color)
    }

    /// What a delivery carried: its payload, or `control` (with the control task's entry point and
    /// argument when it names one) for a control wavelet.
    public static func delivered(_ d: Delivery, kinds: PayloadKinds) -> String {
        guard d.isControl else { return payload(d.payload, color: d.color, kinds: kinds) }
        return d.entryPoint.map { "control (task \($0), arg \(d.argument ?? 0))" } ?? "control"
    }

    // MARK: - :status

    /// `:status`'s simulation lines for the simulation of `name`'s program (nil: the playground), or for none.
    public static func statusLines(_ simulation: Simulation?, name: String?) -> [String] {
        guard let sim = simulation else { return ["sim      none loaded"] }
        let what = name.map { "\($0)'s program" } ?? "the playground"
        var state = sim.isFinished ? "finished" : "running"
        if let e = sim.error { state = "stopped: \(e.category.label)" }
        let flight = sim.fabric.inFlight.enumerated().filter { $0.element > 0 }.map { "color \($0.offset): \($0.element)" }
        let busy = sim.cores.filter { !$0.isFinished }.count
        let stalled = sim.fabric.heldWavelets().count
        let sending = sim.sends.filter { $0.next < $0.values.count }.count
        let lines =
            [
                "sim      \(what) at cycle \(sim.cycle), \(state)",
                "flight   " + (flight.isEmpty ? "no wavelets in flight" : flight.joined(separator: ", ")),
                sim.isPlayground ? "sends    \(sending) of \(sim.sends.count) still sending" : "cores    \(busy) busy of \(sim.cores.count)",
                "links    \(stalled) router input\(stalled == 1 ? "" : "s") holding wavelets",
            ] + (sim.isPlayground && !sim.cores.isEmpty ? ["cores    \(busy) reacting core\(busy == 1 ? "" : "s") still working of \(sim.cores.count)"] : [])
        return lines + hostStreamStatus(sim)
    }

    // MARK: - :pe

    /// `:pe X,Y`: the PE's role, program and buffers in `program` (a playground's program, or nil: the
    /// playground's `playgroundRoutes` and `playgroundSends`), its routes (with their switches, filters, swap
    /// and teardown), and what `simulation` (when it simulates that program or playground) holds there.
    /// `payloads` says how the simulation's payloads read (a program's are f32; the playground's as typed).
    public static func peLines(
        _ pe: PECoord, program: FabricProgram?, playgroundRoutes: [RouteConfig] = [], playgroundSends: [PlaygroundSend] = [],
        playgroundReactions: [PECoord: String] = [:], simulation: (simulation: Simulation, payloads: PayloadKinds)?
    ) -> [String] {
        var lines = ["PE \(pe)"]
        let routes: [RouteConfig]
        if let program, !program.isPlayground {
            routes = program.routes.filter { $0.pe == pe }
            if let p = program.program(at: pe) {
                let role = program.roles[p.role]
                lines.append("role     \(role.name) (\(plural(role.pes.count, "PE"))), local task ID \(p.taskID)")
                if let core = simulation?.simulation.cores.first(where: { $0.pe == pe }) {
                    lines.append("program  " + core.position)
                    lines.append("busy     \(core.busyCycles) cycles")
                }
                lines.append(
                    "buffers  " + p.buffers.map { "\($0.name) \($0.dtype)[\($0.count)] \($0.bytes) B" }.joined(separator: ", ")
                        + "; peak \(p.peakBytes) B of \(program.peDataBudget) B")
            } else {
                lines.append("role     none: \(routes.isEmpty ? "not used by the program" : "only passes wavelets on")")
            }
        } else {
            // The playground's program when given (what the simulation runs and the view draws).
            let sent: Int
            if let program {
                routes = program.routes.filter { $0.pe == pe }
                sent = program.hostInputs.filter { if case .playgroundSends = $0.source { true } else { false } }
                    .flatMap(\.pieces).filter { $0.pe == pe }.reduce(0) { $0 + $1.tile.elementCount }
            } else {
                routes = playgroundRoutes.filter { $0.pe == pe }
                sent = playgroundSends.filter { $0.pe == pe }.reduce(0) { $0 + $1.values.count }
            }
            var roles: [String] = []
            if sent > 0 { roles.append("sender of " + plural(sent, "wavelet")) }
            if let reaction = playgroundReactions[pe] { roles.append("reacting core: on \(pe) \(reaction)") }
            lines.append("role     playground " + (roles.isEmpty ? "router" : roles.joined(separator: "; ")))
            if let core = simulation?.simulation.cores.first(where: { $0.pe == pe }) {
                lines.append("program  " + core.position)
                lines.append("busy     \(core.busyCycles) cycles")
            }
        }
        // The routes' state, where the simulation has switches, filters, swap or control wavelets.
        let fabric = simulation.flatMap { $0.simulation.fabric.hasDynamicColors ? $0.simulation.fabric : nil }
        let details = routes.map { r in RouteText.detailLines(r, live: fabric.map { RouteLiveState.of(r, in: $0) }) }
        if details.contains(where: { !$0.isEmpty }) {
            // One route a line, each with its switches, filter, swap and teardown beneath.
            for (i, r) in routes.enumerated() {
                lines.append((i == 0 ? "routes   " : "         ") + "color \(r.color): rx \(r.rx) tx \(r.tx)")
                lines += details[i].map { "           " + $0 }
            }
        } else {
            lines.append("routes   " + (routes.isEmpty ? "none" : routes.map { "color \($0.color): rx \($0.rx) tx \($0.tx)" }.joined(separator: "; ")))
        }
        guard let (sim, kinds) = simulation else {
            lines.append("sim      none loaded (:sim)")
            return lines
        }
        var queues: [String] = []
        for q in 0..<sim.fabric.coreQueueCount where sim.fabric.coreQueuePEOf(q) == pe {
            let arrived = sim.fabric.coreQueueArrived(q, now: sim.cycle)
            let onRamp = sim.fabric.coreQueueFill(q) - arrived
            queues.append("color \(sim.fabric.coreQueueColorOf(q)): \(arrived) waiting" + (onRamp > 0 ? ", \(onRamp) on the ramp" : ""))
        }
        lines.append("queues   " + (queues.isEmpty ? "none" : queues.joined(separator: ", ")))
        let received = sim.deliveries[pe] ?? []
        lines.append("received \(received.count) wavelet\(received.count == 1 ? "" : "s")" + (received.isEmpty ? "" : ":"))
        let shown = 16
        for d in received.suffix(shown) {
            lines.append("  cycle \(d.cycle): \(delivered(d, kinds: kinds)) on color \(d.color)")
        }
        if received.count > shown { lines.append("  (the last \(shown); \(received.count - shown) earlier)") }
        return lines
    }

    /// The view panel's payloads at `pe`: each router input's wavelets and each core queue's (oldest first),
    /// as their color's kind reads (control wavelets as their commands); nothing when none are held.
    public static func heldLines(_ pe: PECoord, simulation sim: Simulation, kinds: PayloadKinds, limit: Int = 8) -> [String] {
        func list(_ texts: [String]) -> String {
            texts.count > limit ? texts.prefix(limit).joined(separator: ", ") + ", ... \(texts.count - limit) more" : texts.joined(separator: ", ")
        }
        var lines: [String] = []
        for input in sim.fabric.heldWavelets(at: pe) {
            let texts = input.wavelets.map { w in
                w.isControl ? RouteText.control(commandWord: w.commandWord, payload: w.payload) : payload(w.payload, color: input.color, kinds: kinds)
            }
            let from = input.from == .ramp ? "from the core" : "from \(input.from)"
            lines.append("wavelets color \(input.color) \(from): " + list(texts))
        }
        // A core queue holds the newest of its PE's deliveries on its color (it gives the oldest first).
        let received = sim.deliveries[pe] ?? []
        for q in 0..<sim.fabric.coreQueueCount where sim.fabric.coreQueuePEOf(q) == pe {
            let fill = sim.fabric.coreQueueFill(q)
            guard fill > 0 else { continue }
            let color = sim.fabric.coreQueueColorOf(q)
            let held = received.filter { $0.color == color }.suffix(fill)
            lines.append("wavelets color \(color) to the core: " + list(held.map { delivered($0, kinds: kinds) }))
        }
        return lines
    }

    // MARK: - :stats

    /// `:stats`: cycles and time, hops and deliveries, the busiest PEs, each op's PE-cycles (for `program`,
    /// named from `graph`), and the busiest links.
    public static func statsLines(_ sim: Simulation, program: FabricProgram?, graph: Graph) -> [String] {
        let cycles = max(sim.cycle, 1)
        var lines = [
            "cycles   \(sim.cycle) (\(time(sim.cycle)))",
            "hops     \(sim.fabric.hops) link hops, \(sim.fabric.deliveredCount) wavelets delivered to cores",
        ]
        if !sim.cores.isEmpty {
            lines.append("PE busy:")
            let ranked = sim.cores.sorted { ($0.busyCycles, $1.pe) > ($1.busyCycles, $0.pe) }
            for core in ranked.prefix(12) {
                lines.append("  \(core.pe) \(String(format: "%5.1f%%", Double(core.busyCycles) / Double(cycles) * 100)) (\(core.busyCycles) cycles)")
            }
            if ranked.count > 12 { lines.append("  ... \(ranked.count - 12) more PEs") }
        }
        if let program { lines += opBreakdown(program, sim, graph: graph) }
        let links = sim.fabric.linkStatistics()
        let delayed = links.reduce(0) { $0 + $1.delayed }, pressure = links.reduce(0) { $0 + $1.backpressure }
        lines.append("links (Active cycles and utilisation; Delayed = waiting for a shared output; Backpressure = destination full):")
        let ranked = links.sorted { ($0.active, $1.pe, $1.direction) > ($1.active, $0.pe, $0.direction) }
        for l in ranked.prefix(16) {
            lines.append(
                "  \(l.pe) \(l.direction.description.padded(to: 5)) \(String(format: "%5.1f%%", Double(l.active) / Double(cycles) * 100)) active \(l.active), delayed \(l.delayed), backpressure \(l.backpressure)"
            )
        }
        if ranked.count > 16 { lines.append("  ... \(ranked.count - 16) more links") }
        lines.append("totals   \(links.count) link outputs used, Delayed \(delayed), Backpressure \(pressure)")
        return lines
    }

    /// `:stats` for a lowered program: each op's PE-cycles computing, moving wavelets and waiting, summed over
    /// the PEs that run it.
    static func opBreakdown(_ program: FabricProgram, _ sim: Simulation, graph: Graph) -> [String] {
        var opOfNode: [NodeID: Int] = [:]
        for (i, op) in program.ops.enumerated() { for node in op.nodes { opOfNode[node] = i } }
        var totals = [CoreState.StepCycles](repeating: CoreState.StepCycles(), count: program.ops.count)
        var pes = [Set<PECoord>](repeating: [], count: program.ops.count)
        for core in sim.cores {
            for (step, cycles) in core.stepCycles.enumerated() {
                guard step < core.program.stepNodes.count, let node = core.program.stepNodes[step], let op = opOfNode[node] else { continue }
                totals[op].compute += cycles.compute
                totals[op].moving += cycles.moving
                totals[op].waiting += cycles.waiting
                pes[op].insert(core.pe)
            }
        }
        var lines = ["ops (PE-cycles summed over each op's PEs: computing, moving wavelets, waiting for start-up, room or data):"]
        for (i, op) in program.ops.enumerated() {
            let t = totals[i]
            let name = graph[op.nodes.last!].map { GraphPrinter.call($0) } ?? op.kernel
            lines.append("  op \(i + 1) \(name) on \(plural(pes[i].count, "PE")): compute \(t.compute), send/receive \(t.moving), wait \(t.waiting)")
        }
        return lines
    }

    private static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}

/// `:status`: the session's target, fabric, tensors, graph size and changed settings, then the simulation's
/// lines (``SimulationReport/statusLines(_:name:)``).
public struct SessionStatus {
    public var target: Architecture
    /// How the fabric reads: `wse2 (750x994)` or `8x8`.
    public var fabric: String
    /// The tensor names, sorted.
    public var names: [String]
    public var graphNodes: Int
    /// The settings changed from their defaults, as `name=value`.
    public var changedSettings: [String]
    public var simulation: [String]

    public init(target: Architecture, fabric: String, names: [String], graphNodes: Int, changedSettings: [String], simulation: [String]) {
        self.target = target
        self.fabric = fabric
        self.names = names
        self.graphNodes = graphNodes
        self.changedSettings = changedSettings
        self.simulation = simulation
    }

    public var lines: [String] {
        [
            "target   \(target.rawValue)",
            "fabric   \(fabric)",
            "tensors  \(names.isEmpty ? "none" : "\(names.count): " + names.joined(separator: ", "))",
            "graph    \(graphNodes) node\(graphNodes == 1 ? "" : "s")",
            "settings \(changedSettings.isEmpty ? "all default" : changedSettings.joined(separator: " "))",
        ] + simulation
    }
}
