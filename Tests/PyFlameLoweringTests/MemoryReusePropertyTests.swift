import Testing
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport

/// The memory plan lets buffers whose live spans do not overlap share memory, so no step may read a
/// buffer before its span starts or after it ends. Over random programs (seeds of their own), every cone
/// that lowers runs in ``FabricInterpreter`` with each buffer's elements garbage outside its span (what
/// another buffer of its slot leaves there) and still matches the reference values.
@Suite("Programs compute the same values when buffers share memory outside their live spans")
struct MemoryReusePropertyTests {
    @Test func garbageOutsideLiveSpansNeverReachesAResult() {
        var lowered = 0, reusing = 0
        var failures: [String] = []
        for seed in (0..<150).map({ UInt64(0x3E31_0000 + $0) }) {
            var generator = ProgramGenerator(seed: seed)
            generator.generate()
            let graph = generator.graph
            var pick = SplitMix64(seed: seed ^ 0x7171)
            for (name, id) in generator.defined {
                let options = LoweringOptions(architecture: pick.chance(0.5) ? .wse2 : .wse3, fabric: generator.fabric, peDataBudget: 36864)
                guard let program = try? Lowering.lower(graph, result: id, options: options) else { continue }
                lowered += 1
                if program.pes.contains(where: { pe in pe.memoryPlan.slots.contains { $0.buffers.count > 1 } }) { reusing += 1 }
                let violations = FabricInterpreter.valueViolations(program, graph: graph, poisonOutsideSpans: true)
                if !violations.isEmpty {
                    failures.append("seed \(seed), \(name): " + violations.prefix(3).joined(separator: "; ") + "\nscript:\n" + generator.script)
                }
            }
        }
        print("memory reuse property test: \(lowered) cones lowered, \(reusing) whose memory plan shares a slot")
        #expect(lowered >= 200, "only \(lowered) cones lowered")
        #expect(reusing >= 100, "only \(reusing) cones share memory: the test does not exercise reuse")
        #expect(failures.isEmpty, "\(failures.count) failures; first:\n\(failures.first ?? "")")
    }
}
