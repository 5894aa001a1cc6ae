import Foundation
import Testing
import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
import PyFlameTestSupport

/// Every program the lowering accepts is emitted as a CSL project, written to disk and read back: the
/// structural checker finds no error and nothing it cannot follow, and the routes parsed out of
/// `layout.csl` are exactly the FabricProgram's (docs/architecture.md: what `:routes` says and what the layout
/// says can never disagree). A refusal must be one of the documented ones (an operation SDK 1.4 has no
/// instruction for); queue and task-ID budgets are the lowering's, so a program that lowers never fails
/// on them here.
@Suite("Emitted projects over random programs")
struct EmissionPropertyTests {
    static func refusalKind(_ error: EmitError) -> String? {
        switch error.kind {
        case .fabricMin: "fabric min"
        case .fabricI32Sum: "fabric i32 sum"
        case .integerDivision: "integer div"
        case .bf16, .bf16Transfer: "bf16"
        case .fabricCombine: "fabric combine"
        default: nil
        }
    }

    @Test func emittedProjectsCheckCleanAndTheirRoutesAreTheProgramsRoutes() throws {
        let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-emit-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var emitted = 0, withRoutes = 0, refusals: [String: Int] = [:]
        var failures: [String] = []
        for seed in (0..<120).map({ UInt64(0xE317_0000 + $0) }) {
            var generator = ProgramGenerator(seed: seed)
            generator.generate(ops: 3...8)
            let graph = generator.graph
            var pick = SplitMix64(seed: seed ^ 0x5A5A)
            for (name, id) in generator.defined {
                let options = LoweringOptions(architecture: pick.chance(0.5) ? .wse2 : .wse3, fabric: generator.fabric, peDataBudget: 36864)
                guard let program = try? Lowering.lower(graph, result: id, options: options), let node = graph[id], let result = node.value else { continue }
                let inputs = Simulation.hostInputValues(program, graph: graph)
                let project: CSLProject
                do {
                    project = try emitter.emit(
                        program, graph: graph, name: name,
                        data: HostData(
                            inputs: inputs, outputs: [.node(id): result],
                            tolerances: ResultComparison.tolerances(node, graph: graph).map { [.node(id): $0] } ?? [:]))
                } catch {
                    if let kind = Self.refusalKind(error) {
                        refusals[kind, default: 0] += 1
                    } else {
                        failures.append("seed \(seed) \(name): unexpected refusal: \(error.message)\n\(generator.script)")
                    }
                    continue
                }
                let folder = root + "/\(seed)-\(name)"
                try ProjectWriter.write(project, to: folder, force: false)
                let report = CSLChecker(peDataBudget: 36864).check(folder: folder)
                emitted += 1
                if !program.routes.isEmpty { withRoutes += 1 }
                let problems = report.findings.filter { $0.severity != .warning }
                if !problems.isEmpty {
                    failures.append("seed \(seed) \(name): " + problems.prefix(4).map(\.rendered).joined(separator: "; ") + "\n\(generator.script)")
                }
                let rect = program.rectangle
                let expected = Set(
                    program.routes.map {
                        LayoutRoute(
                            x: $0.pe.x - rect.x, y: $0.pe.y - rect.y, color: $0.color,
                            rx: $0.rx.sorted.map(\.description), tx: $0.tx.sorted.map(\.description))
                    })
                let parsed = report.routes
                if Set(parsed) != expected || parsed.count != expected.count {
                    failures.append(
                        "seed \(seed) \(name): layout.csl has \(parsed.count) routes, the program \(expected.count); differing: \(Set(parsed).symmetricDifference(expected).prefix(3))"
                    )
                }
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
        print("emission property test: \(emitted) projects emitted and checked (\(withRoutes) with routes); refusals: \(refusals.sorted { $0.key < $1.key })")
        #expect(emitted >= 150, "only \(emitted) projects emitted")
        #expect(withRoutes >= 20, "only \(withRoutes) emitted projects route anything")
        #expect(failures.isEmpty, "\(failures.count) failures; first:\n\(failures.first ?? "")")
    }
}
