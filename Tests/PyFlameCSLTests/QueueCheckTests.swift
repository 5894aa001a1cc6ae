import Foundation
import Testing
import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

/// The checker reads the queue IDs the lowering assigned out of the emitted text: two operations of one
/// step on queues with the same ID (one microthread) are an error; one ID as an input queue in one step
/// and an output queue in another is not.
@Suite struct QueueCheckTests {
    /// An emitted SUMMA with relayed panels (input and output queues share IDs across steps), written to `folder`.
    static func writeRelaySumma(to folder: String) throws {
        let (program, source, id) = try RelaySummaEmissionTests.lowered(rows: 5, cols: 5, m: 10, k: 10, n: 10, dtype: "f32", architecture: .wse3)
        let node = try #require(source.graph[id])
        let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
        let project = try emitter.emit(
            program, graph: source.graph, name: "m",
            data: HostData(inputs: Simulation.hostInputValues(program, graph: source.graph), outputs: [.node(id): try #require(node.value)], tolerances: [:]))
        try ProjectWriter.write(project, to: folder, force: false)
    }

    @Test func twoOperationsOfAStepOnOneQueueIDAreAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-queues-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeRelaySumma(to: folder)
        let clean = CSLChecker(peDataBudget: 36864).check(folder: folder)
        #expect(!clean.findings.contains { $0.message.contains("queue ID") }, "\(clean.findings.map(\.rendered).prefix(3))")
        // A step that receives A and B: point B's receive at A's input queue.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("pe_program") }.sorted()
        var edited = false
        for file in files where !edited {
            let path = folder + "/" + file
            var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
            for line in lines where !edited {
                guard let first = line.firstMatch(of: /const (s\d+)_0_in = .*\.input_queue = (iq_\d+) \}\);/) else { continue }
                let step = String(first.1), queue = String(first.2)
                guard let j = lines.firstIndex(where: { $0.contains("const \(step)_1_in = ") }),
                    let second = lines[j].firstMatch(of: /\.input_queue = (iq_\d+) \}\);/), String(second.1) != queue
                else { continue }
                lines[j] = lines[j].replacingOccurrences(of: ".input_queue = \(second.1) ", with: ".input_queue = \(queue) ")
                try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
                edited = true
            }
        }
        try #require(edited, "no step with two receives in \(files)")
        let report = CSLChecker(peDataBudget: 36864).check(folder: folder)
        #expect(!report.passed)
        #expect(report.findings.contains { $0.severity == .error && $0.message.contains("both use queue ID") }, "\(report.findings.map(\.rendered).prefix(5))")
    }
}
