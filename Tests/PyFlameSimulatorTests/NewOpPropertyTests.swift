import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport
import Testing

@testable import PyFlameSimulator

/// Random programs of the new ops (slices with negative and omitted bounds and single indices, shifts
/// of any size, concat of two or three operands, casts, matrix-vector `@` on grids) on random layouts with
/// uneven tiles, over host operands and values computed on other layouts. Every program the front end
/// accepts lowers (or is refused with a lowering error that names the cause), and every one that lowers
/// simulates to the reference (bit for bit except matvec). Its own generator: the 700-program generator of
/// FabricProgramPropertyTests is untouched.
@Suite struct NewOpPropertyTests {
    @Test func randomNewOpProgramsLowerAndSimulateToTheReference() throws {
        var accepted = 0, lowered = 0, refusedByFrontEnd = 0
        var loweringRefusals: [String: Int] = [:]
        var failures: [String] = []
        for seed in (0..<300).map({ UInt64(0x15_0000 + $0) }) {
            let generated = NewOpProgramGenerator.program(seed)
            var source = SourceProgram()
            var refused = false
            for statement in generated.statements {
                do { try source.run(statement) } catch {
                    refused = true
                    break
                }
            }
            if refused {
                refusedByFrontEnd += 1
                continue
            }
            accepted += 1
            let id = try #require(source.bindings["r"])
            let run: ProgramRun
            do { run = try simulateProgram(source.graph, result: id, options: source.options) } catch let error as LoweringError {
                loweringRefusals[String(error.message.prefix(40)), default: 0] += 1
                continue
            }
            lowered += 1
            let c = run.comparison
            if run.outcome != .finished || !c.matches || (generated.exact && c.maxError != 0) {
                failures.append("\(generated.statements.joined(separator: "; ")): \(run.outcome), maxError \(c.maxError)")
            }
        }
        print(
            "new-op property test: \(accepted) accepted, \(refusedByFrontEnd) refused by the front end, \(lowered) lowered and simulated; lowering refusals: \(loweringRefusals)"
        )
        #expect(failures.isEmpty, "\(failures.count) failures; first: \(failures.first ?? "")")
        #expect(accepted >= 150)
        #expect(lowered >= accepted * 9 / 10, "lowering refusals: \(loweringRefusals)")
    }
}
