import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// A PE's ramp carries one wavelet a cycle: of several playground sends on one PE, the first written
/// whose FIFO has room goes (docs/fabric-model.md, "The playground"), whatever their colors.
@Suite struct RampOrderTests {
    @Test func sendsOnOnePEGoInTheOrderWritten() {
        // Color 3 (written first) leaves EAST, color 1 SOUTH: no router output is shared.
        let routes = [
            route(0, 0, 3, [.ramp], [.east]), route(1, 0, 3, [.west], [.ramp]),
            route(0, 0, 1, [.ramp], [.south]), route(0, 1, 1, [.north], [.ramp]),
        ]
        let sends = [
            PlaygroundSend(pe: PECoord(0, 0), color: 3, values: [30, 31]),
            PlaygroundSend(pe: PECoord(0, 0), color: 1, values: [10, 11]),
        ]
        let (sim, outcome) = simulate(routes, sends: sends, width: 2, height: 2)
        #expect(outcome == .finished)
        // Injected at cycles 0, 1 (color 3), then 2, 3 (color 1); 2·ramp + 1 hop = 6 cycles each.
        #expect(sim.deliveries[PECoord(1, 0)] == [Delivery(cycle: 6, color: 3, payload: 30), Delivery(cycle: 7, color: 3, payload: 31)])
        #expect(sim.deliveries[PECoord(0, 1)] == [Delivery(cycle: 8, color: 1, payload: 10), Delivery(cycle: 9, color: 1, payload: 11)])
    }
}
