import Foundation
import Testing
import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
import PyFlameTestSupport

/// One memory model: the lowering's memory plan (``PEProgram/memoryPlan``) is what every emitted PE program
/// declares. Over random programs (``ProgramGenerator``, seeds of their own), every PE of every emitted
/// project declares exactly the plan's bytes (the checker's sum of its arrays, per `@set_tile_code`), a PE
/// without a program declares none, and the plan holds every buffer the program touches: each in a slot
/// of its dtype and at least its size, the buffers of a slot never live at the same step, and every step
/// and host transfer that touches a buffer lies inside its live span.
@Suite("The memory plan is what the emitted programs declare, over random programs")
struct MemoryPlanPropertyTests {
    /// Whatever breaks the plan's rules on `pe`, in words.
    static func planViolations(_ pe: PEProgram, hostInputs: [Int], hostOutputs: [Int]) -> [String] {
        var v: [String] = []
        let plan = pe.memoryPlan
        guard plan.slotOf.count == pe.buffers.count else {
            return ["PE \(pe.pe): the plan places \(plan.slotOf.count) buffers, the program has \(pe.buffers.count)"]
        }
        var total = 0
        for (k, slot) in plan.slots.enumerated() {
            total += slot.bytes
            for b in slot.buffers {
                let buffer = pe.buffers[b]
                if plan.slotOf[b] != k { v.append("PE \(pe.pe): b\(b) is listed in slot \(k) but placed in slot \(plan.slotOf[b])") }
                if buffer.dtype != slot.dtype { v.append("PE \(pe.pe): b\(b) (\(buffer.dtype)) shares slot \(k) of \(slot.dtype)") }
                if buffer.count > slot.count { v.append("PE \(pe.pe): b\(b) has \(buffer.count) elements, its slot \(k) \(slot.count)") }
            }
            for (i, a) in slot.buffers.enumerated() {
                for b in slot.buffers[(i + 1)...] {
                    let x = pe.buffers[a], y = pe.buffers[b]
                    if x.firstUse <= y.lastUse && y.firstUse <= x.lastUse {
                        v.append("PE \(pe.pe): b\(a) (steps \(x.firstUse)...\(x.lastUse)) and b\(b) (steps \(y.firstUse)...\(y.lastUse)) share slot \(k)")
                    }
                }
            }
        }
        for b in pe.buffers.indices where !plan.slots.indices.contains(plan.slotOf[b]) || !plan.slots[plan.slotOf[b]].buffers.contains(b) {
            v.append("PE \(pe.pe): b\(b) is in no slot of the plan")
        }
        if total != plan.bytes { v.append("PE \(pe.pe): the plan's slots hold \(total) B, the plan says \(plan.bytes) B") }
        if pe.peakBytes != plan.bytes { v.append("PE \(pe.pe): the peak is \(pe.peakBytes) B, the plan \(plan.bytes) B") }
        // Every use lies inside the buffer's span (the plan reuses a slot outside it).
        for (s, step) in pe.steps.enumerated() {
            for b in touched(step) {
                guard pe.buffers.indices.contains(b) else { v.append("PE \(pe.pe) step \(s) touches b\(b), which it has not"); continue }
                if s < pe.buffers[b].firstUse || s > pe.buffers[b].lastUse {
                    v.append("PE \(pe.pe) step \(s) touches b\(b) outside its span \(pe.buffers[b].firstUse)...\(pe.buffers[b].lastUse)")
                }
            }
        }
        for b in hostInputs where pe.buffers[b].firstUse != -1 { v.append("PE \(pe.pe): host input b\(b) is live from step \(pe.buffers[b].firstUse)") }
        for b in hostOutputs where pe.buffers[b].lastUse != Int.max { v.append("PE \(pe.pe): host output b\(b) ends at step \(pe.buffers[b].lastUse)") }
        return v
    }

    static func touched(_ step: PEStep) -> [Int] {
        switch step {
        case .compute(let k):
            switch k {
            case .elementwise(let out, let inputs, _, _): return [out.buffer] + inputs.map(\.buffer)
            case .reduce(_, let out, let input, _, _, _, _), .copy(let out, let input): return [out.buffer, input.buffer]
            case .scale(let out, _): return [out.buffer]
            case .matmulAccumulate(let c, let a, let b, _, _, _): return [c.buffer, a.buffer, b.buffer]
            }
        case .fabric(let ops):
            return ops.map {
                switch $0 {
                case .send(let a, _), .receive(let a, _, _), .forward(let a, _, _, _): return a.buffer
                }
            }
        }
    }

    @Test func everyEmittedPEDeclaresExactlyItsMemoryPlan() throws {
        let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-memory-plan-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var emitted = 0, pesCompared = 0, shared = 0
        var failures: [String] = []
        for seed in (0..<80).map({ UInt64(0x3E30_0000 + $0) }) {
            var generator = ProgramGenerator(seed: seed)
            generator.generate(ops: 3...8)
            let graph = generator.graph
            var pick = SplitMix64(seed: seed ^ 0x3C3C)
            for (name, id) in generator.defined {
                let options = LoweringOptions(architecture: pick.chance(0.5) ? .wse2 : .wse3, fabric: generator.fabric, peDataBudget: 36864)
                guard let program = try? Lowering.lower(graph, result: id, options: options), let node = graph[id], let result = node.value else { continue }
                let inputs = Simulation.hostInputValues(program, graph: graph)
                guard
                    let project = try? emitter.emit(
                        program, graph: graph, name: name, data: HostData(inputs: inputs, outputs: [.node(id): result], tolerances: [:]))
                else { continue }  // the documented refusals: EmissionPropertyTests
                let folder = root + "/\(seed)-\(name)"
                try ProjectWriter.write(project, to: folder, force: false)
                let report = CSLChecker(peDataBudget: 36864).check(folder: folder)
                try? FileManager.default.removeItem(atPath: folder)
                emitted += 1
                let label = "seed \(seed) \(name)"
                let problems = report.findings.filter { $0.severity != .warning }
                if !problems.isEmpty { failures.append("\(label): " + problems.prefix(3).map(\.rendered).joined(separator: "; ")) }
                let programOf = Dictionary(uniqueKeysWithValues: program.pes.map { ($0.pe, $0) })
                let rect = program.rectangle
                var declared: [PECoord: Int] = [:]
                for d in report.declaredData { declared[PECoord(d.x + rect.x, d.y + rect.y)] = d.bytes }
                for pe in program.pes where declared[pe.pe] == nil { failures.append("\(label): PE \(pe.pe) declares nothing the checker read") }
                for (pe, bytes) in declared.sorted(by: { $0.key < $1.key }) {
                    let planned = programOf[pe]?.peakBytes ?? 0
                    pesCompared += 1
                    if bytes != planned { failures.append("\(label): PE \(pe) declares \(bytes) B of arrays, its memory plan \(planned) B") }
                }
                for pe in program.pes {
                    let ins = program.hostInputs.flatMap { $0.pieces.filter { $0.pe == pe.pe }.map(\.buffer) }
                    let outs = program.hostOutputs.flatMap { $0.pieces.filter { $0.pe == pe.pe }.map(\.buffer) }
                    failures += Self.planViolations(pe, hostInputs: ins, hostOutputs: outs).map { "\(label): \($0)" }
                    if pe.memoryPlan.slots.contains(where: { $0.buffers.count > 1 }) { shared += 1 }
                }
            }
        }
        print("memory plan property test: \(emitted) projects, \(pesCompared) PEs compared, \(shared) PEs whose plan shares a slot")
        #expect(emitted >= 100, "only \(emitted) projects emitted")
        #expect(shared >= 50, "only \(shared) PEs reuse memory: the test does not exercise sharing")
        #expect(failures.isEmpty, "\(failures.count) failures; first:\n\(failures.prefix(5).joined(separator: "\n"))")
    }
}
