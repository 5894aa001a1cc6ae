import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

func model(hop: Int = 2, ramp: Int = 2, depth: Int = 2, sinkRate: Int = 1, stallLimit: Int = 200) -> FabricModel {
    var m = FabricModel()
    m.hopLatency = hop
    m.rampLatency = ramp
    m.bufferDepth = depth
    m.sinkRate = sinkRate
    m.stallLimit = stallLimit
    return m
}

/// Runs a playground to the end and returns it.
func simulate(
    _ routes: [RouteConfig], sends: [PlaygroundSend], width: Int = 8, height: Int = 8, model: FabricModel = model(),
    limit: Int = 10_000
) -> (Simulation, RunOutcome) {
    let sim = Simulation(width: width, height: height, routes: routes, sends: sends, model: model)
    let outcome = sim.run(limit: limit)
    return (sim, outcome)
}

// MARK: - Programs through the front end

/// A graph built by the front end from `fabric 16x16` and then `statements`; a statement that fails is an issue.
func makeProgram(_ statements: [String], fabric: String = "fabric 16x16", sourceLocation: SourceLocation = #_sourceLocation) -> SourceProgram {
    var source = SourceProgram()
    for statement in [fabric] + statements {
        do { try source.run(statement) } catch { Issue.record("\(error)", sourceLocation: sourceLocation) }
    }
    return source
}

/// A lowered program run to its end on the simulated fabric, with its result compared to the reference.
struct ProgramRun {
    let program: FabricProgram
    let simulation: Simulation
    let outcome: RunOutcome
    let comparison: ResultComparison
}

/// Lowers the cone of `result` as the shell's `:sim` does (its target, fabric and data budget), loads the
/// host inputs into the PE buffers, runs to the end and reads the result back from the fabric.
func simulateProgram(
    _ graph: Graph, result: NodeID, options: LoweringOptions, model: FabricModel = FabricModel(),
    limit: Int = 1_000_000
) throws -> ProgramRun {
    let program = try Lowering.lower(graph, result: result, options: options)
    let inputs = Simulation.hostInputValues(program, graph: graph)
    let simulation = try Simulation(program: program, inputs: inputs, model: model)
    let outcome = simulation.run(limit: limit)
    return ProgramRun(
        program: program, simulation: simulation, outcome: outcome,
        comparison: ResultComparison.compare(program: program, simulation: simulation, graph: graph))
}

/// The program of the tensor `name` a front-end program defined, simulated with `model`.
func simulateProgram(_ source: SourceProgram, _ name: String, model: FabricModel = FabricModel()) throws -> ProgramRun {
    let id = try #require(source.bindings[name])
    return try simulateProgram(source.graph, result: id, options: source.options, model: model)
}
