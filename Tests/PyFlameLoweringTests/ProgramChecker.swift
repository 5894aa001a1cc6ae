import PyFlameIR
import PyFlameLowering

/// The structural invariants every ``FabricProgram`` must hold, checked from the program alone (the
/// graph only supplies the result's type). Each violated invariant is one line naming the PE, color,
/// step or buffer, so a failing seed says what is wrong without a debugger.
enum ProgramChecker {
    struct Key: Hashable {
        var pe: PECoord
        var color: ColorID
    }

    static func violations(_ program: FabricProgram, graph: Graph, options: LoweringOptions) -> [String] {
        var v: [String] = []
        v += routeViolations(program)
        v += waveletCountViolations(program)
        v += memoryViolations(program, options: options)
        v += queueViolations(program, options: options)
        v += roleViolations(program)
        v += hostViolations(program, graph: graph)
        return v
    }

    static func inside(_ pe: PECoord, _ fabric: FabricSize) -> Bool {
        pe.x >= 0 && pe.x < fabric.width && pe.y >= 0 && pe.y < fabric.height
    }

    static func neighbour(_ pe: PECoord, _ d: Direction) -> PECoord {
        PECoord(pe.x + d.step.dx, pe.y + d.step.dy)
    }

    static let compass: [Direction] = [.north, .east, .south, .west]

    /// The routes by (PE, color); duplicates are reported by ``routeViolations``.
    static func routeMap(_ program: FabricProgram) -> [Key: RouteConfig] {
        var map: [Key: RouteConfig] = [:]
        for r in program.routes where map[Key(pe: r.pe, color: r.color)] == nil { map[Key(pe: r.pe, color: r.color)] = r }
        return map
    }

    // MARK: - Routes

    /// One config per (PE, color), inside the fabric, colors 0–20, and every hop met at both ends.
    static func routeViolations(_ program: FabricProgram) -> [String] {
        var v: [String] = []
        var seen: Set<Key> = []
        for r in program.routes {
            if !(0...20).contains(r.color) { v.append("route \(r.pe) uses color \(r.color), outside 0...20 (21-23 are memcpy's)") }
            if !inside(r.pe, program.fabric) { v.append("route at \(r.pe) color \(r.color) is outside fabric \(program.fabric)") }
            if !seen.insert(Key(pe: r.pe, color: r.color)).inserted { v.append("two route configs for \(r.pe) color \(r.color)") }
            if r.rx.isEmpty || r.tx.isEmpty { v.append("route \(r.pe) color \(r.color) has rx \(r.rx) tx \(r.tx): an empty side") }
        }
        let map = routeMap(program)
        for r in program.routes {
            for d in compass where r.tx.contains(d) {
                let q = neighbour(r.pe, d)
                if !inside(q, program.fabric) {
                    v.append("route \(r.pe) color \(r.color) sends \(d) to \(q), off fabric \(program.fabric)")
                } else if !(map[Key(pe: q, color: r.color)]?.rx.contains(d.opposite) ?? false) {
                    v.append("route \(r.pe) color \(r.color) sends \(d), but \(q) does not accept from \(d.opposite) on color \(r.color)")
                }
            }
            for d in compass where r.rx.contains(d) {
                let q = neighbour(r.pe, d)
                if !inside(q, program.fabric) {
                    v.append("route \(r.pe) color \(r.color) accepts from \(d) = \(q), off fabric \(program.fabric)")
                } else if !(map[Key(pe: q, color: r.color)]?.tx.contains(d.opposite) ?? false) {
                    v.append("route \(r.pe) color \(r.color) accepts from \(d), but \(q) does not send \(d.opposite) on color \(r.color)")
                }
            }
        }
        for use in program.colors where !(0...20).contains(use.id) { v.append("color \(use.id) (\(use.name)) outside 0...20") }
        for op in program.ops { for c in op.colors where !(0...20).contains(c) { v.append("op \(op.nodes) lists color \(c) outside 0...20") } }
        for pe in program.pes {
            for case .fabric(let ops) in pe.steps {
                for op in ops { for c in op.color where !(0...20).contains(c) { v.append("PE \(pe.pe) uses color \(c) outside 0...20") } }
            }
        }
        return v
    }

    // MARK: - Wavelet counts

    /// Wavelets each PE's core puts on (`send`, `forward`'s output) and takes from (`receive`,
    /// `forward`'s input) each color.
    static func coreTraffic(_ program: FabricProgram) -> (sent: [Key: Int], received: [Key: Int]) {
        var sent: [Key: Int] = [:], received: [Key: Int] = [:]
        for pe in program.pes {
            for case .fabric(let ops) in pe.steps {
                for op in ops {
                    switch op {
                    case .send(let a, let c): sent[Key(pe: pe.pe, color: c), default: 0] += a.count
                    case .receive(let a, let c, _): received[Key(pe: pe.pe, color: c), default: 0] += a.count
                    case .forward(let a, let from, let to, _):
                        received[Key(pe: pe.pe, color: from), default: 0] += a.count
                        sent[Key(pe: pe.pe, color: to), default: 0] += a.count
                    }
                }
            }
        }
        return (sent, received)
    }

    /// Where wavelets put on `color` at `source`'s ramp end up (PEs whose route has RAMP in tx),
    /// following the routes; nil and a message when the walk meets a PE twice (a loop).
    static func deliveries(from source: PECoord, color: ColorID, routes: [Key: RouteConfig]) -> (targets: [PECoord], loop: String?) {
        var targets: [PECoord] = []
        var visited: Set<PECoord> = [source]
        var work = [source]
        while let pe = work.popLast() {
            guard let r = routes[Key(pe: pe, color: color)] else { continue }
            if r.tx.contains(.ramp) { targets.append(pe) }
            for d in compass where r.tx.contains(d) {
                let q = neighbour(pe, d)
                guard let next = routes[Key(pe: q, color: color)], next.rx.contains(d.opposite) else { continue }
                if !visited.insert(q).inserted { return (targets, "color \(color) from \(source) reaches \(q) twice (a loop or a merge)") }
                work.append(q)
            }
        }
        return (targets.sorted(), nil)
    }

    /// Every send is routed to receivers that take exactly what was sent (each multicast target a
    /// copy), and every receive is fed by sends along a route.
    static func waveletCountViolations(_ program: FabricProgram) -> [String] {
        var v: [String] = []
        let routes = routeMap(program)
        let (sent, received) = coreTraffic(program)
        for (key, n) in sent.sorted(by: { ($0.key.color, $0.key.pe) < ($1.key.color, $1.key.pe) }) where n > 0 {
            if !(routes[key]?.rx.contains(.ramp) ?? false) {
                v.append("PE \(key.pe) sends \(n) wavelets on color \(key.color) but its route there has no RAMP in rx")
            }
        }
        for (key, n) in received.sorted(by: { ($0.key.color, $0.key.pe) < ($1.key.color, $1.key.pe) }) where n > 0 {
            if !(routes[key]?.tx.contains(.ramp) ?? false) {
                v.append("PE \(key.pe) receives \(n) wavelets on color \(key.color) but its route there has no RAMP in tx")
            }
        }
        var delivered: [Key: Int] = [:]
        for r in program.routes where r.rx.contains(.ramp) {
            let (targets, loop) = deliveries(from: r.pe, color: r.color, routes: routes)
            if let loop { v.append(loop) }
            let n = sent[Key(pe: r.pe, color: r.color)] ?? 0
            if targets.isEmpty { v.append("color \(r.color) from \(r.pe) (\(n) wavelets) is delivered to no core") }
            for t in targets { delivered[Key(pe: t, color: r.color), default: 0] += n }
        }
        for key in Set(delivered.keys).union(received.keys).sorted(by: { ($0.color, $0.pe) < ($1.color, $1.pe) }) {
            let d = delivered[key] ?? 0, r = received[key] ?? 0
            if d != r { v.append("PE \(key.pe) color \(key.color): routes deliver \(d) wavelets, the core receives \(r)") }
        }
        return v
    }

    // MARK: - Memory

    /// Every buffer a step touches, with the access (kernel operands and fabric operations).
    static func accesses(of step: PEStep) -> [BufferAccess] {
        switch step {
        case .compute(let k):
            switch k {
            case .elementwise(let out, let inputs, _, _): return [out] + inputs
            case .reduce(_, let out, let input, _, _, _, _): return [out, input]
            case .scale(let out, _): return [out]
            case .matmulAccumulate(let c, let a, let b, _, _, _): return [c, a, b]
            case .copy(let out, let input): return [out, input]
            }
        case .fabric(let ops):
            return ops.map { op in
                switch op {
                case .send(let a, _), .receive(let a, _, _), .forward(let a, _, _, _): return a
                }
            }
        }
    }

    /// The lowest and highest buffer offsets an access visits (nil when it visits none).
    static func span(_ a: BufferAccess) -> ClosedRange<Int>? {
        guard a.extents.allSatisfy({ $0 > 0 }) else { return nil }
        var lo = a.offset, hi = a.offset
        for (e, s) in zip(a.extents, a.strides) {
            let reach = (e - 1) * s
            if reach < 0 { lo += reach } else { hi += reach }
        }
        return lo...hi
    }

    /// The memory plan (what the emitted program declares) holds every buffer once, in a slot of its dtype
    /// at least its size whose other buffers are never live at a step it is, and its bytes are the peak.
    static func planViolations(_ pe: PEProgram) -> [String] {
        var v: [String] = []
        let plan = pe.memoryPlan
        var seen = [Int](repeating: 0, count: pe.buffers.count)
        for (k, slot) in plan.slots.enumerated() {
            for (i, b) in slot.buffers.enumerated() {
                guard pe.buffers.indices.contains(b) else { v.append("PE \(pe.pe) slot \(k) holds buffer \(b) of \(pe.buffers.count)"); continue }
                seen[b] += 1
                let x = pe.buffers[b]
                if x.dtype != slot.dtype || x.count > slot.count || plan.slotOf[b] != k {
                    v.append("PE \(pe.pe) b\(b) (\(x.count) \(x.dtype)) does not fit slot \(k) (\(slot.count) \(slot.dtype)) or is placed elsewhere")
                }
                for c in slot.buffers[(i + 1)...] where pe.buffers.indices.contains(c) {
                    let y = pe.buffers[c]
                    if x.firstUse <= y.lastUse && y.firstUse <= x.lastUse { v.append("PE \(pe.pe) b\(b) and b\(c) share slot \(k) while both live") }
                }
            }
        }
        for (b, n) in seen.enumerated() where n != 1 { v.append("PE \(pe.pe) b\(b) is in \(n) slots of the memory plan") }
        if pe.peakBytes != plan.slots.reduce(0, { $0 + $1.count * $1.dtype.byteSize }) { v.append("PE \(pe.pe) peak \(pe.peakBytes) B is not its plan's") }
        return v
    }

    /// Peak live bytes within the budget, every access inside its buffer, every touch within the
    /// buffer's live span, and kernel operand sizes that agree with the kernel's parameters.
    static func memoryViolations(_ program: FabricProgram, options: LoweringOptions) -> [String] {
        var v: [String] = []
        if program.peDataBudget != options.peDataBudget { v.append("program budget \(program.peDataBudget) != options \(options.peDataBudget)") }
        for pe in program.pes {
            if pe.peakBytes > options.peDataBudget {
                v.append("PE \(pe.pe) peaks at \(pe.peakBytes) B, over the budget of \(options.peDataBudget) B")
            }
            if pe.steps.count != pe.stepNodes.count { v.append("PE \(pe.pe) has \(pe.steps.count) steps but \(pe.stepNodes.count) step nodes") }
            v += planViolations(pe)
            for (b, buffer) in pe.buffers.enumerated() {
                if buffer.count < 1 { v.append("PE \(pe.pe) buffer \(b) (\(buffer.name)) has \(buffer.count) elements") }
                if buffer.shape.reduce(1, *) != buffer.count {
                    v.append("PE \(pe.pe) buffer \(b) (\(buffer.name)) shape \(buffer.shape) != count \(buffer.count)")
                }
            }
            for (i, step) in pe.steps.enumerated() {
                for a in accesses(of: step) {
                    guard pe.buffers.indices.contains(a.buffer) else {
                        v.append("PE \(pe.pe) step \(i) accesses buffer \(a.buffer) of \(pe.buffers.count)")
                        continue
                    }
                    let buffer = pe.buffers[a.buffer]
                    if a.extents.count != a.strides.count { v.append("PE \(pe.pe) step \(i): \(a) has \(a.extents.count) extents, \(a.strides.count) strides") }
                    if let s = span(a), s.lowerBound < 0 || s.upperBound >= buffer.count {
                        v.append("PE \(pe.pe) step \(i): \(a) reaches offsets \(s) of \(buffer.name) (\(buffer.count) elements)")
                    }
                    if i < buffer.firstUse || i > buffer.lastUse {
                        v.append("PE \(pe.pe) step \(i) touches \(buffer.name) (b\(a.buffer)) outside its live span \(buffer.firstUse)...\(buffer.lastUse)")
                    }
                }
                if case .compute(let k) = step { v += kernelViolations(k, at: "PE \(pe.pe) step \(i)") }
            }
        }
        return v
    }

    static func kernelViolations(_ k: Kernel, at place: String) -> [String] {
        var v: [String] = []
        switch k {
        case .elementwise(let out, let inputs, _, let count):
            if out.count != count { v.append("\(place): elementwise out visits \(out.count), count \(count)") }
            for a in inputs where a.count != count { v.append("\(place): elementwise input \(a) visits \(a.count), count \(count)") }
        case .reduce(_, let out, let input, let outer, let reduced, let inner, _):
            if input.count != outer * reduced * inner { v.append("\(place): reduce input visits \(input.count), not \(outer)x\(reduced)x\(inner)") }
            if out.count != outer * inner { v.append("\(place): reduce out visits \(out.count), not \(outer)x\(inner)") }
        case .scale: break
        case .matmulAccumulate(let c, let a, let b, let m, let kk, let n):
            if c.count != m * n || a.count != m * kk || b.count != kk * n {
                v.append("\(place): matmul m \(m) k \(kk) n \(n) with c \(c.count), a \(a.count), b \(b.count) elements")
            }
        case .copy(let out, let input):
            if out.count != input.count { v.append("\(place): copy of \(input.count) into \(out.count) elements") }
        }
        return v
    }

    // MARK: - Queues

    /// At most `operationsPerStep` operations per fabric step (one microthread each), no color twice in one step.
    static func queueViolations(_ program: FabricProgram, options: LoweringOptions) -> [String] {
        var v: [String] = []
        for pe in program.pes {
            for (i, step) in pe.steps.enumerated() {
                guard case .fabric(let ops) = step else { continue }
                if ops.isEmpty { v.append("PE \(pe.pe) step \(i) is an empty fabric step") }
                let colors = ops.flatMap(\.color)
                if ops.count > LoweringOptions.operationsPerStep {
                    v.append("PE \(pe.pe) step \(i) runs \(ops.count) fabric operations at once; \(LoweringOptions.operationsPerStep) microthreads")
                }
                if Set(colors).count != colors.count { v.append("PE \(pe.pe) step \(i) uses a color twice: \(colors)") }
            }
        }
        return v
    }

    // MARK: - Roles and host transfers

    static func roleViolations(_ program: FabricProgram) -> [String] {
        var v: [String] = []
        let pes = program.pes.map(\.pe)
        if Set(pes).count != pes.count { v.append("a PE has two programs") }
        if pes != pes.sorted() { v.append("PE programs are not in address order") }
        for pe in pes where !inside(pe, program.fabric) { v.append("PE program at \(pe) is outside fabric \(program.fabric)") }
        var count: [PECoord: Int] = [:]
        for role in program.roles { for pe in role.pes { count[pe, default: 0] += 1 } }
        for pe in pes where count[pe] != 1 { v.append("PE \(pe) is in \(count[pe] ?? 0) roles") }
        for pe in count.keys where !pes.contains(pe) { v.append("role PE \(pe) has no program") }
        for p in program.pes {
            if !program.roles.indices.contains(p.role) || !program.roles[p.role].pes.contains(p.pe) {
                v.append("PE \(p.pe) says role \(p.role), which does not list it")
            } else if program.roles[p.role].signature != p.signature + "|host " + hostPattern(program, p.pe) + "|queues " + p.queuePattern {
                v.append("PE \(p.pe) has signature \(p.signature), its role \(program.roles[p.role].signature)")
            }
        }
        return v
    }

    /// Elements of `shape` covered by `tiles`, as a count per flat index.
    static func coverage(_ shape: Shape, _ tiles: [Tile]) -> (counts: [Int], outside: Int) {
        var counts = [Int](repeating: 0, count: shape.elementCount)
        let strides = shape.strides
        var outside = 0
        for tile in tiles {
            guard tile.ranges.count == shape.rank else { outside += 1; continue }
            tile.forEachIndex { index in
                var flat = 0
                var ok = true
                for d in 0..<index.count {
                    if index[d] < 0 || index[d] >= shape.dims[d] { ok = false }
                    flat += index[d] * strides[d]
                }
                if ok { counts[flat] += 1 } else { outside += 1 }
            }
        }
        return (counts, outside)
    }

    static func hostViolations(_ program: FabricProgram, graph: Graph) -> [String] {
        var v: [String] = []
        guard program.hostOutputs.count == 1, let output = program.hostOutputs.first else {
            return ["\(program.hostOutputs.count) host outputs, expected 1"]
        }
        guard let result = program.result, let node = graph[result] else { return ["result \(program.result.map { "%\($0)" } ?? "nil") is not in the graph"] }
        if output.source != .node(result) { v.append("host output is \(output.source), result %\(result)") }
        if output.type != node.type { v.append("host output type \(output.type), node \(node.type)") }
        let (counts, outside) = coverage(node.type.shape, output.pieces.map(\.tile))
        if outside > 0 { v.append("host output pieces reach \(outside) elements outside \(node.type.shape)") }
        let missing = counts.filter { $0 == 0 }.count, doubled = counts.filter { $0 > 1 }.count
        if missing > 0 || doubled > 0 {
            v.append("host output pieces of \(node.type) miss \(missing) elements and cover \(doubled) more than once")
        }
        for transfer in program.hostInputs + program.hostOutputs {
            if Set(transfer.pieces.map(\.pe)).count != transfer.pieces.count { v.append("transfer \(transfer.name) has two pieces on one PE") }
            for piece in transfer.pieces {
                guard let pe = program.program(at: piece.pe), pe.buffers.indices.contains(piece.buffer) else {
                    v.append("transfer \(transfer.name) piece at \(piece.pe) names buffer \(piece.buffer), which does not exist")
                    continue
                }
                let buffer = pe.buffers[piece.buffer]
                if buffer.count != max(piece.tile.elementCount, 1) || buffer.dtype != transfer.type.dtype {
                    v.append("transfer \(transfer.name) piece \(piece.tile) at \(piece.pe) is in \(buffer.name): \(buffer.count) \(buffer.dtype)")
                }
            }
        }
        for transfer in program.hostInputs {
            if transfer.pieces.contains(where: { program.program(at: $0.pe)!.buffers[$0.buffer].firstUse != -1 }) {
                v.append("host input \(transfer.name) has a buffer not live from the start")
            }
        }
        for piece in output.pieces {
            if let pe = program.program(at: piece.pe), pe.buffers.indices.contains(piece.buffer), pe.buffers[piece.buffer].lastUse != Int.max {
                v.append("host output \(output.name) at \(piece.pe) is not kept live to the end")
            }
        }
        return v
    }

    /// Which host transfer (inputs in order, then outputs) uses which buffer of `pe`, as roles record it.
    static func hostPattern(_ program: FabricProgram, _ pe: PECoord) -> String {
        var parts: [String] = []
        for (k, t) in (program.hostInputs + program.hostOutputs).enumerated() {
            for piece in t.pieces where piece.pe == pe { parts.append("\(k)@\(piece.buffer)") }
        }
        return parts.joined(separator: ",")
    }
}
