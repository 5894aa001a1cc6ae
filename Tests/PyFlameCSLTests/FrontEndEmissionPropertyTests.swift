import Foundation
import PyFlameCSL
import PyFlameCSLFrontend
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// Every project the emitter writes, over the random programs of the emission property test, is read back
/// by the CSL front end (parse, comptime evaluation of the layout and every PE's code) and passes its
/// checks with no error and nothing it cannot check; and the routes it finds are the FabricProgram's.
@Suite("Emitted projects through the CSL front end")
struct FrontEndEmissionPropertyTests {
    @Test func everyEmittedProjectPassesTheFrontEndsChecksAndHasTheProgramsRoutes() throws {
        let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-frontend-emit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var checked = 0, withRoutes = 0
        var failures: [String] = []
        for seed in (0..<120).map({ UInt64(0xE317_0000 + $0) }) {
            var generator = ProgramGenerator(seed: seed)
            generator.generate(ops: 3...8)
            let graph = generator.graph
            var pick = SplitMix64(seed: seed ^ 0x5A5A)
            for (name, id) in generator.defined {
                let architecture: Architecture = pick.chance(0.5) ? .wse2 : .wse3
                let options = LoweringOptions(architecture: architecture, fabric: generator.fabric, peDataBudget: 36864)
                guard let program = try? Lowering.lower(graph, result: id, options: options), let node = graph[id], let result = node.value else { continue }
                let inputs = Simulation.hostInputValues(program, graph: graph)
                guard
                    let project = try? emitter.emit(
                        program, graph: graph, name: name,
                        data: HostData(
                            inputs: inputs, outputs: [.node(id): result],
                            tolerances: ResultComparison.tolerances(node, graph: graph).map { [.node(id): $0] } ?? [:]))
                else { continue }  // the documented refusals (EmissionPropertyTests counts them)
                let folder = root + "/\(seed)-\(name)"
                try ProjectWriter.write(project, to: folder, force: false)
                let elaborated = CSLProjectLoader.open(directory: folder, options: CSLCompileOptions(architecture: architecture), shouldStop: { false })
                let findings = try #require(CSLProjectChecks.run(elaborated, options: CSLCheckOptions(emittedDataBudget: 36864)))
                checked += 1
                if !program.routes.isEmpty { withRoutes += 1 }
                let problems = (elaborated.diagnostics + findings).filter { $0.severity == .error || $0.severity == .cannotCheck }
                if !problems.isEmpty {
                    failures.append(
                        "seed \(seed) \(name) (\(architecture)): "
                            + problems.prefix(3).map { $0.rendered(files: elaborated.files) }.joined(separator: "\n") + "\n\(generator.script)")
                }
                let rect = program.rectangle
                let expected = program.routes.map {
                    RouteConfig(
                        pe: PECoord($0.pe.x - rect.x, $0.pe.y - rect.y), color: $0.color, rx: $0.rx, tx: $0.tx, switches: $0.switches, filter: $0.filter)
                }
                if Set(elaborated.routes) != Set(expected) || elaborated.routes.count != expected.count {
                    failures.append(
                        "seed \(seed) \(name): the front end found \(elaborated.routes.count) routes, the program has \(expected.count); differing: \(Set(elaborated.routes).symmetricDifference(expected).prefix(3))"
                    )
                }
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
        print("front-end emission property test: \(checked) projects read and checked (\(withRoutes) with routes)")
        #expect(checked >= 150, "only \(checked) projects checked")
        #expect(withRoutes >= 20, "only \(withRoutes) route anything")
        #expect(failures.isEmpty, "\(failures.count) failures; first:\n\(failures.first ?? "")")
    }
}
