import Foundation
import Testing
@testable import PyFlameCSL
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
import PyFlameTestSupport

/// The lowering assigns each PE's queue and local task IDs once; the emitter writes them and the simulator
/// runs them. Over random programs, the IDs read back out of the emitted CSL text (`@get_input_queue(N)`,
/// `@get_output_queue(N)`, `@get_local_task_id(N)`, per PE through its `@set_tile_code` parameters) are
/// exactly the ones the simulator used for every fabric operation of every step.
@Suite("Emitted and simulated queues and task IDs agree over random programs")
struct ResourceAgreementPropertyTests {
    /// What one PE's emitted program says it uses: per step, per operation, the queues and completion
    /// task; and the resume task.
    struct EmittedPE: Equatable {
        var steps: [Int: [Int: OperationQueues]] = [:]
        var doneTasks: [Int: [Int: Int]] = [:]
        var resumeTask: Int?
    }

    /// Reads a PE program's text for one PE (its tile parameters resolve `param`s).
    static func parse(_ text: String, params: [String: Int]) -> EmittedPE? {
        func value(_ token: String) -> Int? { Int(token) ?? params[token] }
        var queueIDs: [String: Int] = [:]
        var tasks: [String: Int] = [:]
        var pe = EmittedPE()
        var step: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if let m = t.firstMatch(of: /^const (\w+): (input|output)_queue = @get_(input|output)_queue\((\w+)\);/) {
                guard m.2 == m.3, let id = value(String(m.4)) else { return nil }
                queueIDs[String(m.1)] = id
            } else if let m = t.firstMatch(of: /^const (\w+)_id: local_task_id = @get_local_task_id\((\w+)\);/) {
                guard let id = value(String(m.2)) else { return nil }
                tasks[String(m.1)] = id
            } else if let m = t.firstMatch(of: /^fn step_(\d+)\(\) void \{/) {
                step = Int(m.1)
            } else if t == "}" {
                step = nil
            } else if let s = step {
                if let m = t.firstMatch(of: /^const s\d+_(\d+)_(in|out) = @get_dsd\(fab(in|out)_dsd, .*\.(input|output)_queue = (\w+) \}\);/) {
                    guard let j = Int(m.1), let id = queueIDs[String(m.5)] else { return nil }
                    var q = pe.steps[s]?[j] ?? OperationQueues()
                    if m.4 == "input" { q.input = id } else { q.output = id }
                    pe.steps[s, default: [:]][j] = q
                } else if let m = t.firstMatch(of: /^\S+\(s\d+_(\d+)_\w+, .*\.activate = (\w+)_id \}\);/) {
                    guard let j = Int(m.1), let id = tasks[String(m.2)] else { return nil }
                    pe.doneTasks[s, default: [:]][j] = id
                }
            }
        }
        pe.resumeTask = tasks["resume_task"]
        return pe
    }

    /// Per PE of the project (global coordinates): what its emitted program uses.
    static func emitted(_ project: CSLProject, rectangle: PERect) -> [PECoord: EmittedPE]? {
        guard let layout = project.file("layout.csl") else { return nil }
        var run = CSLCheckRun(folder: "", budget: Architecture.defaultPEDataBudget)
        guard let toks = run.tokens("layout.csl", layout.text) else { return nil }
        run.layoutToks = toks
        run.interpretLayout()
        var result: [PECoord: EmittedPE] = [:]
        for tile in run.tiles {
            guard let file = project.file(tile.file), let pe = parse(file.text, params: tile.params) else { return nil }
            result[PECoord(tile.x + rectangle.x, tile.y + rectangle.y)] = pe
        }
        return result
    }

    /// What the simulator used at one PE, in the same form.
    static func simulated(_ core: CoreState) -> EmittedPE {
        var pe = EmittedPE()
        for used in core.resourcesUsed {
            for (j, q) in used.queues.enumerated() { pe.steps[used.step, default: [:]][j] = q }
            for (j, task) in used.doneTasks.enumerated() { pe.doneTasks[used.step, default: [:]][j] = task }
            pe.resumeTask = used.resumeTask
        }
        return pe
    }

    /// Emits and simulates one program and compares, PE by PE, the IDs in the text with those the
    /// simulator used. Returns the fabric operations compared, nil when the program is not emitted (one of
    /// the refusals the emission property test accepts); failures go into `failures`.
    static func compare(
        _ program: FabricProgram, graph: Graph, result id: NodeID, name: String, script: String, failures: inout [String]
    ) throws -> Int? {
        guard let result = graph[id]?.value else { return nil }
        let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
        let inputs = Simulation.hostInputValues(program, graph: graph)
        guard
            let project = try? emitter.emit(
                program, graph: graph, name: name, data: HostData(inputs: inputs, outputs: [.node(id): result], tolerances: [:]))
        else { return nil }
        guard let fromText = Self.emitted(project, rectangle: program.rectangle) else {
            failures.append("\(name): the emitted project could not be read back\n\(script)")
            return 0
        }
        var model = FabricModel()
        model.architecture = program.architecture
        let simulation = try Simulation(program: program, inputs: inputs, model: model, recordResources: true)
        guard simulation.run(limit: 2_000_000) == .finished else {
            failures.append("\(name): the simulation did not finish\n\(script)")
            return 0
        }
        var operations = 0
        for core in simulation.cores {
            let simulated = Self.simulated(core)
            var emitted = fromText[core.pe] ?? EmittedPE()
            // Compute-only PEs name a resume task but run no fabric step the simulator records.
            if simulated.steps.isEmpty { emitted.resumeTask = nil }
            operations += simulated.steps.values.reduce(0) { $0 + $1.count }
            if emitted != simulated {
                failures.append("\(name) on \(program.architecture) PE \(core.pe): emitted \(emitted), simulated \(simulated)\n\(script)")
            }
        }
        return operations
    }

    @Test func emittedQueueAndTaskIDsAreTheOnesTheSimulatorUsed() throws {
        var compared = 0, operations = 0, perStep = 0, failures: [String] = []
        var architectures = Set<Architecture>()
        for seed in (0..<80).map({ UInt64(0x0E5C_0000 + $0) }) {
            var generator = ProgramGenerator(seed: seed)
            generator.generate(ops: 3...8)
            let graph = generator.graph
            var pick = SplitMix64(seed: seed ^ 0x3C3C)
            for (name, id) in generator.defined {
                let architecture: Architecture = pick.chance(0.5) ? .wse2 : .wse3
                let options = LoweringOptions(architecture: architecture, fabric: generator.fabric, peDataBudget: Architecture.defaultPEDataBudget)
                guard let program = try? Lowering.lower(graph, result: id, options: options) else { continue }
                // Only programs that move wavelets say anything about queues.
                guard program.pes.contains(where: { $0.steps.contains { if case .fabric = $0 { return true } else { return false } } }) else { continue }
                guard let n = try Self.compare(program, graph: graph, result: id, name: "seed \(seed) \(name)", script: generator.script, failures: &failures)
                else { continue }
                operations += n
                compared += 1
                architectures.insert(architecture)
                if program.pes.contains(where: { $0.queueBinding == .perStep }) { perStep += 1 }
            }
        }
        // Input and output queues from separate ID spaces: PEs of SUMMA grids whose corner touches more
        // than six colors (an input and an output queue may share an ID, with different colors), both chips.
        var separate = 0
        for (rows, cols) in [(2, 5), (5, 3), (3, 4)] {
            let script = [
                "fabric 12x12", "p = randn([\(rows * 3), 60], seed=1)", "q = randn([60, \(cols * 2)], seed=2)", "m = p @ q on Grid(\(rows), \(cols))",
            ]
            let source = try SourceProgram(script)
            let id = try #require(source.bindings["m"])
            for architecture in [Architecture.wse2, .wse3] {
                let options = LoweringOptions(architecture: architecture, fabric: source.fabric, peDataBudget: Architecture.defaultPEDataBudget)
                let program = try Lowering.lower(source.graph, result: id, options: options)
                #expect(program.pes.allSatisfy { $0.queueBinding == .perColor })
                #expect(program.pes.contains { $0.queueColors.count > LoweringOptions.queueIDs.count })
                let n = try #require(
                    try Self.compare(program, graph: source.graph, result: id, name: "m", script: script.joined(separator: "\n"), failures: &failures))
                operations += n
                compared += 1
                separate += 1
            }
        }
        // Queues bound per step (WSE-2): a PE that receives on more colors than there are queue IDs. Random
        // programs rarely give one since a movement that would crowd a PE is relayed in few colors; here a
        // SinglePE reader receives two movements' direct flows, 6 + 4 colors.
        do {
            let script = [
                "fabric 12x12", "a = randn([6, 4], seed=1)", "b = randn([6, 4], seed=2)", "r = a * 2 on RowPartition(6)",
                "v = b * 3 on ColPartition(4)", "w = r + v on SinglePE",
            ]
            let source = try SourceProgram(script)
            let id = try #require(source.bindings["w"])
            let options = LoweringOptions(architecture: .wse2, fabric: source.fabric, peDataBudget: Architecture.defaultPEDataBudget)
            let program = try Lowering.lower(source.graph, result: id, options: options)
            if program.pes.contains(where: { $0.queueBinding == .perStep }) { perStep += 1 }
            let n = try #require(
                try Self.compare(program, graph: source.graph, result: id, name: "w", script: script.joined(separator: "\n"), failures: &failures))
            operations += n
            compared += 1
        }
        #expect(perStep >= 1, "no program bound its queues per step")
        print(
            "resource agreement: \(compared) programs (\(perStep) with queues bound per step, \(separate) with separate input and output queue IDs), \(operations) fabric operations compared on \(architectures.sorted { $0.rawValue < $1.rawValue })"
        )
        #expect(compared >= 40, "only \(compared) programs compared")
        #expect(operations >= 200, "only \(operations) fabric operations compared")
        #expect(architectures.count == 2)
        #expect(failures.isEmpty, "\(failures.count) failures; first:\n\(failures.first ?? "")")
    }
}
