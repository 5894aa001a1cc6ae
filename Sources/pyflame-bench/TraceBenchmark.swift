import Foundation
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

// What a trace costs a run: 64 rows of a 64x64 fabric streaming east end to end (1,000 wavelets each, one
// hop a cycle per link once the rows are full), run to the end without a trace, with the default trace
// (deliveries, switch moves, filter drops) and with a trace of everything (hops and link states too),
// both written to /dev/null. Runs are interleaved; medians of 5. Figures only.
//   swift build -c release --product pyflame-bench && .build/release/pyflame-bench trace

/// The row streams and a simulation of them.
private func rowStreamSimulation(size: Int, length: Int) -> Simulation {
    var routes: [RouteConfig] = []
    var sends: [PlaygroundSend] = []
    for y in 0..<size {
        routes.append(RouteConfig(pe: PECoord(0, y), color: 0, rx: [.ramp], tx: [.east]))
        for x in 1..<(size - 1) { routes.append(RouteConfig(pe: PECoord(x, y), color: 0, rx: [.west], tx: [.east])) }
        routes.append(RouteConfig(pe: PECoord(size - 1, y), color: 0, rx: [.west], tx: [.ramp]))
        sends.append(PlaygroundSend(pe: PECoord(0, y), color: 0, values: (0..<length).map { UInt32($0) }))
    }
    return Simulation(width: size, height: size, routes: routes, sends: sends, model: FabricModel())
}

func traceBenchmark() {
    print("-- trace cost: 64 row streams on 64x64, 1,000 wavelets each, run to the end (medians of 5, interleaved)")
    var variants: [(String, TraceKinds?)] = [
        ("no trace", nil), ("default trace (deliveries,switches,drops)", .standard), ("trace all (hops, links too)", .all),
    ]
    // PYFLAME_BENCH_TRACE=default (or all) runs that one alone, after the run without a trace (for a profiler).
    if let only = ProcessInfo.processInfo.environment["PYFLAME_BENCH_TRACE"] { variants = [variants[0], variants[only == "all" ? 2 : 1]] }
    var times = Array(repeating: [Double](), count: variants.count)
    var cycles = 0, hops = 0, events = Array(repeating: 0, count: variants.count)
    for _ in 0..<5 {
        for (k, variant) in variants.enumerated() {
            let sim = rowStreamSimulation(size: 64, length: 1_000)
            let writer = variant.1.flatMap { try? TraceWriter(path: "/dev/null", filter: TraceFilter(), kinds: $0, width: 64) }
            writer?.attach(to: sim, payloads: PayloadKinds())
            let start = DispatchTime.now().uptimeNanoseconds
            _ = sim.run(limit: 1_000_000)
            try? writer?.close(sim)
            times[k].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            cycles = sim.cycle
            hops = sim.fabric.hops
            events[k] = writer?.events ?? 0
        }
    }
    let base = times[0].sorted()[2]
    for (k, variant) in variants.enumerated() {
        let median = times[k].sorted()[2]
        print(
            "\(variant.0): \(String(format: "%.1f", median * 1e3)) ms for \(cycles) cycles, \(hops) hops, \(events[k]) events "
                + "(\(String(format: "%.2f", median / base))x the run without a trace)")
    }
}
