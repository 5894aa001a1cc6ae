import Testing
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport

/// Queue IDs: input queues (colors a PE receives) and output queues (colors it sends) come from separate
/// ID spaces, and operations of one step never share an ID (a fabric DSD's queue ID is its microthread).
@Suite("Queue assignment: separate input and output IDs, none shared within a step")
struct QueueAssignmentTests {
    /// A PE program with the given fabric steps (compute steps between them do not matter here).
    static func program(_ steps: [[FabricOperation]]) -> PEProgram {
        var p = PEProgram(pe: PECoord(3, 4))
        p.steps = steps.map { .fabric($0) }
        p.stepNodes = steps.map { _ in nil }
        return p
    }

    static func receive(_ c: ColorID) -> FabricOperation { .receive(BufferAccess(buffer: 0, extents: [4]), color: c, combine: .store) }
    static func send(_ c: ColorID) -> FabricOperation { .send(BufferAccess(buffer: 0, extents: [4]), color: c) }

    /// Every violation of the queue rules in an assigned program: an ID outside the program queues, two
    /// operations of a step sharing an ID, a color with two input (or output) queues, or two colors on one
    /// input (or output) queue when the binding is per color.
    static func violations(_ p: PEProgram) -> [String] {
        var problems: [String] = []
        var inputOf: [ColorID: Int] = [:], outputOf: [ColorID: Int] = [:]
        var inputColor: [Int: ColorID] = [:], outputColor: [Int: ColorID] = [:]
        for (s, step) in p.steps.enumerated() {
            guard case .fabric(let ops) = step else { continue }
            guard s < p.queues.count, p.queues[s].count == ops.count else { return ["step \(s) has no queues"] }
            var ids: [Int] = []
            for (op, q) in zip(ops, p.queues[s]) {
                let (rx, tx): (ColorID?, ColorID?) =
                    switch op {
                    case .send(_, let c): (nil, c)
                    case .receive(_, let c, _): (c, nil)
                    case .forward(_, let a, let b, _): (a, b)
                    }
                if let rx {
                    guard let id = q.input else { problems.append("step \(s): a receive on \(rx) has no input queue"); continue }
                    ids.append(id)
                    if p.queueBinding == .perColor {
                        if let old = inputOf[rx], old != id { problems.append("color \(rx) has input queues \(old) and \(id)") }
                        if let old = inputColor[id], old != rx { problems.append("input queue \(id) takes colors \(old) and \(rx)") }
                        inputOf[rx] = id
                        inputColor[id] = rx
                    }
                }
                if let tx {
                    guard let id = q.output else { problems.append("step \(s): a send on \(tx) has no output queue"); continue }
                    ids.append(id)
                    if p.queueBinding == .perColor {
                        if let old = outputOf[tx], old != id { problems.append("color \(tx) has output queues \(old) and \(id)") }
                        if let old = outputColor[id], old != tx { problems.append("output queue \(id) takes colors \(old) and \(tx)") }
                        outputOf[tx] = id
                        outputColor[id] = tx
                    }
                }
            }
            if Set(ids).count != ids.count { problems.append("step \(s) uses queue IDs \(ids): two operations share a microthread") }
            if let bad = ids.first(where: { !LoweringOptions.queueIDs.contains($0) }) { problems.append("step \(s) uses queue \(bad)") }
        }
        return problems
    }

    /// A PE relaying SUMMA panels: it receives on four colors and sends on four, never in one step.
    @Test(arguments: [Architecture.wse2, .wse3])
    func fourReceivedAndFourSentColorsGetQueuesPerColor(architecture: Architecture) throws {
        var p = Self.program([
            [Self.receive(0), Self.receive(4)], [Self.send(1), Self.send(5)],
            [Self.receive(2), Self.receive(6)], [Self.send(3), Self.send(7)],
            [Self.receive(0), Self.receive(6)], [Self.send(1), Self.send(3), Self.send(5), Self.send(7)],
        ])
        try Lowering.assignResources(&p, routed: [], architecture: architecture)
        #expect(p.queueBinding == .perColor)
        #expect(Self.violations(p).isEmpty, "\(Self.violations(p))")
        #expect(p.hasResources)
    }

    /// A forward receives and sends at once: its input and output queues differ, as do those of the
    /// operations running beside it.
    @Test func aForwardAndItsNeighboursNeverShareAnID() throws {
        var p = Self.program([
            [Self.receive(0), Self.receive(1), Self.receive(2), Self.receive(3)],
            [.forward(BufferAccess(buffer: 0, extents: [4]), from: 4, to: 5, combine: .add), Self.send(6), Self.send(7)],
            [Self.receive(8), Self.send(9)],
        ])
        try Lowering.assignResources(&p, routed: [], architecture: .wse3)
        #expect(p.queueBinding == .perColor)
        #expect(Self.violations(p).isEmpty, "\(Self.violations(p))")
    }

    /// Seven colors received (more than the six IDs): WSE-3, which binds queues per color, refuses the PE;
    /// WSE-2 rebinds them per step.
    @Test func sevenReceivedColorsNeedWSE2() throws {
        var p = Self.program((0..<7).map { [Self.receive(ColorID($0)), Self.send(ColorID(10 + $0))] })
        #expect(throws: LoweringError.self) { try Lowering.assignResources(&p, routed: [], architecture: .wse3) }
        try Lowering.assignResources(&p, routed: [], architecture: .wse2)
        #expect(p.queueBinding == .perStep)
        #expect(Self.violations(p).isEmpty, "\(Self.violations(p))")
    }

    /// Random PEs of up to six colors received and six sent, in steps of up to six operations: whenever the
    /// assignment succeeds its IDs keep every rule, and a PE whose received and sent colors each fit the
    /// IDs and never meet in a step always gets queues on WSE-3.
    @Test func randomProgramsKeepTheRules() throws {
        var random = SplitMix64(seed: 0x0_15_0E)
        var assigned = 0
        for _ in 0..<400 {
            let inputs = random.int(1...6), outputs = random.int(1...6)
            let apart = random.chance(0.5)
            var steps: [[FabricOperation]] = []
            for _ in 0..<random.int(1...8) {
                var ops: [FabricOperation] = []
                var colors: Set<ColorID> = []
                let receives = apart && random.chance(0.5)
                for _ in 0..<random.int(1...6) {
                    let isReceive = apart ? receives : random.chance(0.5)
                    let c = isReceive ? ColorID(random.int(0...(inputs - 1))) : ColorID(10 + random.int(0...(outputs - 1)))
                    guard colors.insert(c).inserted else { continue }
                    ops.append(isReceive ? Self.receive(c) : Self.send(c))
                }
                steps.append(ops)
            }
            let p = Self.program(steps)
            for architecture in [Architecture.wse2, .wse3] {
                var q = p
                do {
                    try Lowering.assignResources(&q, routed: [], architecture: architecture)
                    assigned += 1
                    #expect(Self.violations(q).isEmpty, "\(Self.violations(q)) in \(steps)")
                } catch {
                    #expect(!(apart && architecture == .wse3), "refused \(steps): \(error)")
                }
            }
        }
        #expect(assigned >= 400)
    }
}
