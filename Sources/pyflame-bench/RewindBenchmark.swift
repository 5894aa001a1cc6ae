import Foundation
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

// Rewind: what checkpoints cost a run (time and memory) and what going back costs, on a busy playground.
//   swift build -c release --product pyflame-bench && .build/release/pyflame-bench rewind
// Figures only, never thresholds (docs/fabric-model.md quotes them).

private func wallSeconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// A `side`x`side` fabric with a stream along every row, west to east, into the core at the east edge,
/// and one down every column into the core at the south edge: `length` wavelets each.
private func streams(side: Int, length: Int) -> (routes: [RouteConfig], sends: [PlaygroundSend]) {
    var routes: [RouteConfig] = []
    var sends: [PlaygroundSend] = []
    for y in 0..<side {
        for x in 0..<side {
            routes.append(RouteConfig(pe: PECoord(x, y), color: 0, rx: [x == 0 ? .ramp : .west], tx: [x == side - 1 ? .ramp : .east]))
            routes.append(RouteConfig(pe: PECoord(x, y), color: 1, rx: [y == 0 ? .ramp : .north], tx: [y == side - 1 ? .ramp : .south]))
        }
        sends.append(PlaygroundSend(pe: PECoord(0, y), color: 0, values: (0..<length).map(UInt32.init)))
        sends.append(PlaygroundSend(pe: PECoord(y, 0), color: 1, values: (0..<length).map(UInt32.init)))
    }
    return (routes, sends)
}

func rewindBenchmark() {
    for (side, length, interval) in [(64, 4000, 1000), (256, 2000, 1000), (256, 2000, 100)] {
        let (routes, sends) = streams(side: side, length: length)
        let plain = Simulation(width: side, height: side, routes: routes, sends: sends, model: FabricModel())
        var outcome = RunOutcome.reachedLimit
        let straight = wallSeconds { outcome = plain.run(limit: 10_000_000) }
        let sim = Simulation(width: side, height: side, routes: routes, sends: sends, model: FabricModel())
        sim.keepCheckpoints(CheckpointPolicy(interval: interval, byteLimit: 1 << 40))
        let kept = wallSeconds { _ = sim.run(limit: 10_000_000) }
        let store = sim.checkpoints!
        let end = sim.cycle
        var backs: [Double] = []
        var reruns: [Int] = []
        for k in 1...5 {
            // Half an interval past the checkpoint before the point k/6 of the way.
            let target = min((end * k / 6) / interval * interval + interval / 2, end - 1)
            var outcome = SeekOutcome.noCheckpoint
            backs.append(wallSeconds { outcome = sim.seek(to: target) })
            if case .arrived(_, let ran) = outcome { reruns.append(ran) }
            _ = sim.seek(to: end)
        }
        let perCheckpoint = store.byteCount / max(store.list.count, 1)
        print(
            "rewind: \(side)x\(side), \(routes.count) routes, \(sends.count) streams of \(length), \(outcome) at cycle \(end); "
                + "run without checkpoints \(String(format: "%.3f", straight)) s, with one every \(interval) cycles \(String(format: "%.3f", kept)) s "
                + "(\(store.list.count) checkpoints, \(store.byteCount / 1024) KiB, \(perCheckpoint / 1024) KiB each); "
                + "going back to a cycle half an interval past a checkpoint (re-running \(reruns.map(String.init).joined(separator: ", ")) cycles): "
                + summary(backs))
        fflush(nil)
    }
}
