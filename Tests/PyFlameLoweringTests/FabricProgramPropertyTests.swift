import Testing
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport

/// What a batch of random programs did: how many were built and lowered, why the rest were refused,
/// and every invariant violation with the script that reproduces it.
struct Exploration: Sendable {
    var programs = 0
    /// Programs with at least one cone that lowered.
    var programsLowered = 0
    var statements = 0
    var accepted = 0
    var attempts = 0
    var lowered = 0
    var largestCone = 0
    var mostColors = 0
    var withRoutes = 0
    var refusals: [String: Int] = [:]
    /// Programs with at least one cone refused for colors (what issue 15 counts).
    var programsWithColorRefusal = 0
    var unexpectedRefusals: [String] = []
    var failures: [String] = []

    mutating func merge(_ other: Exploration) {
        programs += other.programs
        programsLowered += other.programsLowered
        statements += other.statements
        accepted += other.accepted
        attempts += other.attempts
        lowered += other.lowered
        largestCone = max(largestCone, other.largestCone)
        mostColors = max(mostColors, other.mostColors)
        withRoutes += other.withRoutes
        refusals.merge(other.refusals, uniquingKeysWith: +)
        programsWithColorRefusal += other.programsWithColorRefusal
        unexpectedRefusals += other.unexpectedRefusals
        failures += other.failures
    }

    /// The kind of a lowering refusal, or nil for a refusal no correct program meets (a broken order).
    static func kind(of error: LoweringError) -> String? {
        switch error.kind {
        case .colorBudget, .matmulColors: "color budget"
        case .fabricTooSmall: "fabric too small"
        case .peData: "PE data budget"
        case .noTaskID, .taskIDs: "task IDs"
        case .queueColors: "WSE-3 queues"
        default: nil
        }
    }

    static func explore(seeds: [UInt64], checkValues: Bool = false) -> Exploration {
        var tally = Exploration()
        for seed in seeds {
            var generator = ProgramGenerator(seed: seed)
            generator.generate()
            tally.programs += 1
            tally.statements += generator.log.count
            tally.accepted += generator.log.filter(\.ok).count
            let graph = generator.graph
            var pick = SplitMix64(seed: seed ^ 0xA5A5_5A5A)
            var anyLowered = false
            var colorRefused = false
            for (name, id) in generator.defined {
                let options = LoweringOptions(architecture: pick.chance(0.5) ? .wse2 : .wse3, fabric: generator.fabric, peDataBudget: 36864)
                tally.attempts += 1
                let program: FabricProgram
                do {
                    program = try Lowering.lower(graph, result: id, options: options)
                } catch {
                    if let kind = kind(of: error) {
                        tally.refusals[kind, default: 0] += 1
                        if kind == "color budget" { colorRefused = true }
                    } else {
                        tally.unexpectedRefusals.append("seed \(seed), \(name) on \(options.architecture): \(error.message)\n\(generator.script)")
                    }
                    continue
                }
                tally.lowered += 1
                anyLowered = true
                tally.largestCone = max(tally.largestCone, graph.cone(of: id).count)
                tally.mostColors = max(tally.mostColors, program.colors.count)
                if !program.routes.isEmpty { tally.withRoutes += 1 }
                var violations = ProgramChecker.violations(program, graph: graph, options: options)
                if checkValues && violations.isEmpty { violations += FabricInterpreter.valueViolations(program, graph: graph) }
                if !violations.isEmpty {
                    tally.failures.append(
                        "seed \(seed), \(name) on \(options.architecture) fabric \(options.fabric):\n  "
                            + violations.prefix(6).joined(separator: "\n  ") + "\nscript:\n" + generator.script)
                }
            }
            if anyLowered { tally.programsLowered += 1 }
            if colorRefused { tally.programsWithColorRefusal += 1 }
        }
        return tally
    }
}

@Suite("FabricProgram invariants over random programs")
struct FabricProgramPropertyTests {
    /// 700 seeded programs built through the front end (``ProgramGenerator``); every defined tensor's cone is
    /// lowered for WSE-2 or WSE-3 and, when it lowers, checked by ``ProgramChecker`` (routes connect both
    /// ways, one config per (PE, color), on the fabric, colors 0–20, wavelets sent = wavelets received at
    /// every delivery target, memory and buffer bounds, queues per step, roles, result tiles) and run by
    /// ``FabricInterpreter`` against the reference values. A refusal must be one a correct lowering gives.
    @Test func randomProgramsKeepEveryInvariant() async throws {
        let chunks = 2, perChunk = 350
        let tally = await withTaskGroup(of: Exploration.self) { group in
            for c in 0..<chunks {
                let seeds = (0..<perChunk).map { UInt64(0x5EED_0000 + c * perChunk + $0) }
                group.addTask { Exploration.explore(seeds: seeds, checkValues: true) }
            }
            var all = Exploration()
            for await part in group { all.merge(part) }
            return all
        }
        print(
            """
            lowering property test: \(tally.programs) programs (\(tally.programsLowered) with a cone that lowers), \(tally.accepted) of \(tally.statements) statements accepted; \
            \(tally.lowered) of \(tally.attempts) cones lowered (\(tally.withRoutes) with routes, largest cone \(tally.largestCone) nodes, \
            at most \(tally.mostColors) colors); refusals: \(tally.refusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); \
            \(tally.programsWithColorRefusal) programs with a color refusal
            """)
        #expect(tally.programsLowered >= 300, "only \(tally.programsLowered) programs lowered")
        #expect(tally.lowered >= 1000, "only \(tally.lowered) cones lowered")
        #expect(tally.withRoutes >= 100, "only \(tally.withRoutes) lowered programs route anything")

        let broken = tally.failures.count, refusedWrongly = tally.unexpectedRefusals.count
        #expect(refusedWrongly == 0, "refusals no correct program gives, first:\n\(tally.unexpectedRefusals.first ?? "")")
        #expect(broken == 0, "lowered programs break invariants; first:\n\(tally.failures.first ?? "")")
    }
}
