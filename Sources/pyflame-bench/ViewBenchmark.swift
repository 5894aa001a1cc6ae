import Foundation
import PyFlameIR
import PyFlameLowering
import PyFlameShell
import PyFlameSimulator
import PyFlameViews

/// Frame render time of the fabric view: a 200x60 terminal over a busy playground, and a zoomed whole
/// wafer (750x994) in blocks of PEs.
func viewBenchmark() {
    /// The playground's program of hand-written routes and sends, as the shell builds it.
    func program(_ routes: [RouteConfig], _ sends: [PlaygroundSend], _ fabric: FabricSize) -> FabricProgram? {
        try? PlaygroundProgram.make(
            routes: routes, colorNames: [:], sends: sends.map { PlaygroundProgram.Stream(pe: $0.pe, color: $0.color, count: $0.values.count) },
            architecture: .wse2, fabric: fabric, peDataBudget: Architecture.defaultPEDataBudget)
    }
    func measure(_ label: String, snapshot: FabricSnapshot, rows: Int, columns: Int, runs: Int = 200) {
        let state = FabricViewState(cursor: PECoord(snapshot.rectangle.x, snapshot.rectangle.y))
        let style = ViewStyle(color: true, unicode: true)
        var samples: [Double] = []
        var cells = 0
        for _ in 0..<runs {
            samples.append(
                time {
                    let grid = FabricView.render(snapshot, state, rows: rows, columns: columns, style: style, panel: ["PE (0,0)"])
                    cells = grid.cells.count
                })
        }
        print("frame render, \(label) (\(columns)x\(rows), \(cells) cells): " + summary(samples))
    }
    // A 90x28 playground of row streams, stepped so wavelets fill the links.
    func rowStreams(width: Int, height: Int, cycles: Int) -> (routes: [RouteConfig], sends: [PlaygroundSend], sim: Simulation) {
        var routes: [RouteConfig] = []
        var sends: [PlaygroundSend] = []
        for y in 0..<height {
            let color = y % 2
            routes.append(RouteConfig(pe: PECoord(0, y), color: color, rx: [.ramp], tx: [.east]))
            for x in 1..<(width - 1) { routes.append(RouteConfig(pe: PECoord(x, y), color: color, rx: [.west], tx: [.east])) }
            routes.append(RouteConfig(pe: PECoord(width - 1, y), color: color, rx: [.west], tx: [.ramp]))
            sends.append(PlaygroundSend(pe: PECoord(0, y), color: color, values: Array(repeating: 1, count: 10_000)))
        }
        var model = FabricModel()
        model.hopLatency = 1
        let sim = Simulation(width: width, height: height, routes: routes, sends: sends, model: model)
        _ = sim.advance(cycles)
        return (routes, sends, sim)
    }
    let small = rowStreams(width: 80, height: 27, cycles: 200)
    guard let smallProgram = program(small.routes, small.sends, FabricSize(width: 80, height: 27)) else {
        print("view: the playground makes no program")
        return
    }
    measure(
        "80x27 PEs of streams, one PE per cell", snapshot: FabricSnapshot.make(playground: smallProgram, simulation: small.sim), rows: 60,
        columns: 200)
    // The whole wafer: row streams on every 8th row of a 750x994 fabric, zoomed to fit.
    var routes: [RouteConfig] = []
    var sends: [PlaygroundSend] = []
    let wse2 = Architecture.wse2.usableFabric
    for y in stride(from: 0, to: wse2.height, by: 8) {
        routes.append(RouteConfig(pe: PECoord(0, y), color: 0, rx: [.ramp], tx: [.east]))
        for x in 1..<(wse2.width - 1) { routes.append(RouteConfig(pe: PECoord(x, y), color: 0, rx: [.west], tx: [.east])) }
        routes.append(RouteConfig(pe: PECoord(wse2.width - 1, y), color: 0, rx: [.west], tx: [.ramp]))
        sends.append(PlaygroundSend(pe: PECoord(0, y), color: 0, values: Array(repeating: 1, count: 2_000)))
    }
    let wafer = Simulation(width: wse2.width, height: wse2.height, routes: routes, sends: sends, model: FabricModel())
    _ = wafer.advance(300)
    guard let waferProgram = program(routes, sends, wse2) else {
        print("view: the playground makes no program")
        return
    }
    var snapshotTime = 0.0
    var snapshot: FabricSnapshot?
    snapshotTime = time {
        snapshot = FabricSnapshot.make(playground: waferProgram, simulation: wafer)
    }
    print(String(format: "snapshot of the whole wafer (%d routes, %d wavelets in flight): %.1f ms", routes.count, wafer.waveletsInFlight, snapshotTime * 1e3))
    measure("whole wafer \(wse2) zoomed to fit", snapshot: snapshot!, rows: 60, columns: 200, runs: 50)
}
