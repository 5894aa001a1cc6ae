import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// Cores that wait for wavelets none of their queues holds sleep until a delivery wakes them (issue 15,
/// item 8): the run must be the one that steps every core every cycle, count for count.
@Suite struct SleepingCoresTests {
    /// Everything a run shows of its cores: the cycle, each core's step and per-step cycle counts, busy
    /// cycles, and the deliveries.
    struct Record: Equatable {
        var cycle: Int
        var cores: [String]
        var busy: [PECoord: Int]
        var deliveries: [PECoord: [Delivery]]

        init(_ sim: Simulation) {
            cycle = sim.cycle
            cores = sim.cores.map { "\($0.pe) \($0.stepIndex) \($0.busyCycles) \($0.stepCycles)" }
            busy = sim.busyCycles
            deliveries = sim.deliveries
        }
    }

    static let programs: [[String]] = [
        ["x = randn([64, 96], seed=1)", "s = sum(x) on Grid(4, 6)"],
        ["x = randn([32, 64], seed=2)", "s = sum(x, dim=1) on Grid(2, 8)"],
        ["x = randn([48, 48], seed=3)", "s = max(x, dim=0) on Grid(6, 3)"],
        ["a = randn([24, 24], seed=4)", "b = randn([24, 24], seed=5)", "s = a @ b on Grid(3, 3)"],
        ["x = randn([64, 64], seed=6)", "r = x * 2 on RowPartition(8)", "s = r + 1 on ColPartition(8)"],
    ]

    @Test(arguments: programs)
    func sleepingCoresRunAsSteppedCoresDo(_ statements: [String]) throws {
        let source = makeProgram(statements)
        let id = try #require(source.bindings["s"])
        let program = try Lowering.lower(source.graph, result: id, options: source.options)
        let inputs = Simulation.hostInputValues(program, graph: source.graph)
        let sleeping = try Simulation(program: program, inputs: inputs, model: FabricModel())
        let stepped = try Simulation(program: program, inputs: inputs, model: FabricModel())
        #expect(!sleeping.sleeping.isEmpty)
        stepped.sleeping = SleepingCores()
        // In pieces, so that the counts are read (and settled) in the middle of sleeps too.
        var slept = 0
        while !sleeping.isFinished && sleeping.error == nil && sleeping.cycle < 100_000 {
            let a = sleeping.advance(37)
            let b = stepped.advance(37)
            #expect(a == b)
            slept = max(slept, sleeping.sleeping.asleepCount)
            #expect(Record(sleeping) == Record(stepped), "\(statements) at cycle \(sleeping.cycle)")
        }
        #expect(sleeping.isFinished && stepped.isFinished)
        #expect(slept > 0, "no core slept in \(statements)")
        #expect(ResultComparison.compare(program: program, simulation: sleeping, graph: source.graph).matches)
    }

    /// A checkpoint taken while cores sleep, restored, and run to the end gives the straight run.
    @Test func aRewindAcrossSleepingCoresGivesTheStraightRun() throws {
        let source = makeProgram(["x = randn([64, 96], seed=1)", "s = sum(x) on Grid(4, 6)"])
        let id = try #require(source.bindings["s"])
        let program = try Lowering.lower(source.graph, result: id, options: source.options)
        let inputs = Simulation.hostInputValues(program, graph: source.graph)
        let straight = try Simulation(program: program, inputs: inputs, model: FabricModel())
        _ = straight.run(limit: 100_000)
        let rewound = try Simulation(program: program, inputs: inputs, model: FabricModel())
        while rewound.sleeping.asleepCount == 0 && rewound.cycle < straight.cycle { _ = rewound.advance(5) }
        #expect(rewound.sleeping.asleepCount > 0)
        let checkpoint = rewound.checkpoint()
        _ = rewound.advance(straight.cycle / 4)
        rewound.restore(checkpoint)
        _ = rewound.run(limit: 100_000)
        #expect(Record(rewound) == Record(straight))
    }
}
