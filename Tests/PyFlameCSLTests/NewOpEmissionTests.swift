import Foundation
@testable import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// The programs of the new ops (cast, slices, matrix-vector `@` on a grid, shift, concat) emit as CSL
/// projects the shell's checker passes, on SinglePE and on partitioned layouts.
@Suite struct NewOpEmissionTests {
    /// A shift writes the zeros it moves in with an elementwise loop: its template renders both.
    @Test func aZeroFillingMovementUsesATemplateWithElementwiseLoops() {
        let shift = OpPattern.layoutTransform(.init(op: "shift", dtype: .f32, tileElements: 4, local: false, zeroFill: true))
        #expect(CSLEmitter.template(for: shift) == "elementwise_unary")
        #expect(CSLEmitter.template(for: .layoutTransform(.init(op: "slice", dtype: .f32, tileElements: 4, local: false))) == "layout_transform")
    }

    @Test func newOpProgramsEmitCheckClean() throws {
        let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-newops-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var emitted = 0, refused: [String] = [], failures: [String] = []
        for (k, c) in NewOpPrograms.all.enumerated() {
            let source = try SourceProgram(["fabric 16x16"] + c.statements)
            let id = try #require(source.bindings["r"])
            let graph = source.graph
            let program = try Lowering.lower(graph, result: id, options: source.options)
            let node = try #require(graph[id])
            let result = try #require(node.value)
            let project: CSLProject
            do {
                project = try emitter.emit(
                    program, graph: graph, name: "r",
                    data: HostData(
                        inputs: Simulation.hostInputValues(program, graph: graph), outputs: [.node(id): result],
                        tolerances: ResultComparison.tolerances(node, graph: graph).map { [.node(id): $0] } ?? [:]))
            } catch {
                // bf16 has no CSL type: a documented refusal, not a defect.
                switch error.kind {
                case .bf16, .bf16Transfer: refused.append(c.statements.last!)
                default: failures.append("\(c.statements): \(error.message)")
                }
                continue
            }
            let folder = root + "/\(k)"
            try ProjectWriter.write(project, to: folder, force: false)
            let report = CSLChecker(peDataBudget: source.peDataBudget).check(folder: folder)
            let problems = report.findings.filter { $0.severity != .warning }
            if !problems.isEmpty { failures.append("\(c.statements): " + problems.prefix(3).map(\.rendered).joined(separator: "; ")) }
            emitted += 1
        }
        #expect(failures.isEmpty, "\(failures.count) failures; first: \(failures.first ?? "")")
        #expect(refused.allSatisfy { $0.contains("bf16") }, "\(refused)")
        #expect(emitted >= NewOpPrograms.all.count - 5, "only \(emitted) of \(NewOpPrograms.all.count) emitted")
    }
}

/// The random new-op programs (NewOpProgramGenerator) that lower all emit check-clean projects.
@Suite struct NewOpEmissionPropertyTests {
    @Test func randomNewOpProgramsEmitCheckClean() throws {
        let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-newops-random-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var emitted = 0, refusals: [String: Int] = [:], failures: [String] = []
        for seed in (0..<300).map({ UInt64(0x15_0000 + $0) }) {
            let generated = NewOpProgramGenerator.program(seed)
            guard let source = try? SourceProgram(generated.statements), let id = source.bindings["r"],
                let program = try? Lowering.lower(source.graph, result: id, options: source.options), let node = source.graph[id],
                let result = node.value
            else { continue }
            let project: CSLProject
            do {
                project = try emitter.emit(
                    program, graph: source.graph, name: "r",
                    data: HostData(
                        inputs: Simulation.hostInputValues(program, graph: source.graph), outputs: [.node(id): result],
                        tolerances: ResultComparison.tolerances(node, graph: source.graph).map { [.node(id): $0] } ?? [:]))
            } catch {
                if let kind = EmissionPropertyTests.refusalKind(error) {
                    refusals[kind, default: 0] += 1
                } else {
                    failures.append("\(generated.statements.joined(separator: "; ")): \(error.message)")
                }
                continue
            }
            let folder = root + "/\(seed)"
            try ProjectWriter.write(project, to: folder, force: false)
            let problems = CSLChecker(peDataBudget: source.peDataBudget).check(folder: folder).findings.filter { $0.severity != .warning }
            if !problems.isEmpty {
                failures.append("\(generated.statements.joined(separator: "; ")): " + problems.prefix(3).map(\.rendered).joined(separator: "; "))
            }
            emitted += 1
            try? FileManager.default.removeItem(atPath: folder)
        }
        print("new-op emission property test: \(emitted) projects emitted and checked; refusals: \(refusals.sorted { $0.key < $1.key })")
        #expect(failures.isEmpty, "\(failures.count) failures; first: \(failures.first ?? "")")
        #expect(emitted >= 150)
    }
}

/// A cast between float and integer types converts the value in the emitted CSL (`@as`), not only when one
/// side is 16-bit (f32 <-> i32 was emitted as a plain assignment).
@Suite struct CastConversionTextTests {
    @Test func everyCastBetweenFloatAndIntegerConverts() {
        let types: [DType] = [.f32, .f16, .i32, .i16]
        for from in types {
            for to in types where from != to {
                let text = CSLType.convert("x[i]", from: from, to: to)
                if from.isFloat != to.isFloat {
                    #expect(text.contains("@as(\(CSLType.accumulator(to)), "), "\(from) -> \(to): \(text)")
                }
                if to == .f16 || to == .i16 { #expect(text.hasPrefix("@as(\(to), "), "\(from) -> \(to): \(text)") }
            }
        }
        #expect(CSLType.convert("x[i]", from: .f32, to: .i32) == "@as(i32, x[i])")
        #expect(CSLType.convert("x[i]", from: .i16, to: .f32) == "@as(f32, @as(i32, x[i]))")
        #expect(CSLType.convert("x[i]", from: .f32, to: .f32) == "x[i]")
    }

    @Test func lowerSaysHowACastConverts() {
        #expect(Lowering.castAlgorithm(from: .f32, to: .i32).hasSuffix("(toward zero)"))
        #expect(Lowering.castAlgorithm(from: .f32, to: .f32) == "local: each PE copies its tile (already f32)")
        #expect(Lowering.castAlgorithm(from: .f16, to: .f32).hasSuffix("(exact)"))
        #expect(Lowering.castAlgorithm(from: .f32, to: .f16).hasSuffix("(round to nearest even)"))
        #expect(Lowering.castAlgorithm(from: .i32, to: .i16).hasSuffix("(wrapping)"))
    }
}
