import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
import PyFlameTestSupport
import Testing

/// A livelock: wavelets that only move are not progress. A ring with no sink stops after `stall_limit`
/// cycles with an error naming the circling colors and PEs; rings whose cores receive run to the end.
@Suite struct LivelockTests {
    /// A 2x2 ring on `color`, clockwise, that (0,0) feeds; `deliver` adds RAMP to every tx.
    func ring(color: Int = 0, deliver: Bool) -> [RouteConfig] {
        let ramp: [Direction] = deliver ? [.ramp] : []
        return [
            route(0, 0, color, [.ramp, .south], [.east] + ramp), route(1, 0, color, [.west], [.south] + ramp),
            route(1, 1, color, [.north], [.west] + ramp), route(0, 1, color, [.east], [.north] + ramp),
        ]
    }

    @Test func aRingWithNoSinkStopsWithALivelockError() throws {
        let sends = [PlaygroundSend(pe: PECoord(0, 0), color: 5, values: [1, 2, 3])]
        let (sim, outcome) = simulate(
            ring(color: 5, deliver: false), sends: sends, width: 2, height: 2,
            model: model(stallLimit: 300), limit: 1_000_000)
        guard case .failed(let e) = outcome else { Issue.record("expected a livelock, got \(outcome)"); return }
        guard case .livelock(let colors, let limit, let wavelets, let pes) = e.kind else {
            Issue.record("expected a livelock, got \(e.kind)")
            return
        }
        #expect(sim.cycle < 1_000)
        #expect(colors == [5] && limit == 300 && wavelets == 3)
        #expect(Set(pes) == [PECoord(0, 0), PECoord(1, 0), PECoord(1, 1), PECoord(0, 1)])
        #expect(e.message.hasPrefix("livelock: wavelets on color 5 circle for 300 cycles without reaching a core"))
    }

    @Test func aRingWhoseCoresReceiveIsNeverALivelock() {
        // Each wavelet goes round the ring forever, delivered to every core on each lap (a relay):
        // the cores receive, so it runs to the limit.
        let sends = [PlaygroundSend(pe: PECoord(0, 0), color: 2, values: [7, 8])]
        let (sim, outcome) = simulate(
            ring(color: 2, deliver: true), sends: sends, width: 2, height: 2,
            model: model(stallLimit: 50), limit: 20_000)
        #expect(outcome == .reachedLimit)
        #expect(sim.error == nil)
        #expect((sim.deliveries[PECoord(1, 1)]?.count ?? 0) > 100)
    }
}
