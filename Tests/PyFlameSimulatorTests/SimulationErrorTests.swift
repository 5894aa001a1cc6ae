import PyFlameIR
import PyFlameLowering
import PyFlameSimulator
import Testing

/// Every kind of simulation error renders the message and the category users read (`:run`, `:status`, the
/// view), made in one place from the kind's values.
@Suite struct SimulationErrorTests {
    static let cases: [(SimulationError.Kind, SimulationError.Category, String)] = [
        (
            .race(color: 0, pe: PECoord(1, 1), cycle: 4, from: .east, and: .west), .race,
            "two wavelets on color 0 arrive at (1,1) in cycle 4, from EAST and from WEST: undefined in hardware"
        ),
        (
            .leavesFabric(pe: PECoord(4, 0), color: 1, direction: .east, cycle: 3, next: PECoord(5, 0)), .leavesFabric,
            "at cycle 3, (4,0) sends a wavelet on color 1 EAST, where there is no PE (5,0): it would leave the fabric"
        ),
        (
            .unrouted(pe: PECoord(1, 0), color: 0, direction: .east, cycle: 5, next: PECoord(2, 0), from: .west, arrival: 6), .unrouted,
            "at cycle 5, (1,0) sends a wavelet on color 0 EAST; it would arrive at (2,0) from WEST at cycle 6, but (2,0) has no route for color 0"
        ),
        (
            .wrongDirection(pe: PECoord(0, 0), color: 0, direction: .east, cycle: 3, next: PECoord(1, 0), from: .west, arrival: 4), .wrongDirection,
            "at cycle 3, (0,0) sends a wavelet on color 0 EAST; it would arrive at (1,0) from WEST at cycle 4, which is not in the rx of (1,0)'s route for color 0"
        ),
        (
            .coreSendUnrouted(pe: PECoord(0, 0), color: 2, cycle: 0, hasRoute: false), .unrouted,
            "the core at (0,0) sends on color 2 at cycle 0, but (0,0) has no route for color 2"
        ),
        (
            .coreSendUnrouted(pe: PECoord(0, 0), color: 2, cycle: 7, hasRoute: true), .unrouted,
            "the core at (0,0) sends on color 2 at cycle 7, but (0,0) has no RAMP in the rx of color 2"
        ),
        (
            .coreReceiveUnrouted(pe: PECoord(3, 1), color: 4), .starvation,
            "the core at (3,1) receives on color 4, but no route delivers color 4 to its RAMP"
        ),
        (
            .deadlock(
                stallLimit: 100, stuck: ["(0,0) holds 4 on color 0 from RAMP waiting to go EAST"], waiting: ["the core at (1,0) waits for 2 more on color 0"]),
            .deadlock,
            "deadlock: no wavelet moved and no core worked for 100 cycles; stuck: (0,0) holds 4 on color 0 from RAMP waiting to go EAST; the core at (1,0) waits for 2 more on color 0"
        ),
        (
            .starvation(stallLimit: 50, stuck: [], waiting: ["the core at (1,0) waits for 2 more on color 0"]), .starvation,
            "stall: no progress for 50 cycles and no wavelet in flight: nothing will send what the cores wait for; the core at (1,0) waits for 2 more on color 0"
        ),
        (
            .livelock(colors: [5], stallLimit: 300, wavelets: 3, pes: [PECoord(0, 0), PECoord(1, 0)]), .livelock,
            "livelock: wavelets on color 5 circle for 300 cycles without reaching a core (no core sent, received or worked); 3 wavelets go round through (0,0), (1,0)"
        ),
        (.missingHostInput(name: "x"), .program, "no value for host input x"),
        (.kernel(pe: PECoord(2, 2), reason: "buffer 3 is out of range"), .program, "PE (2,2): buffer 3 is out of range"),
        (.traceFile(reason: "cannot write t.json: No space left on device"), .program, "cannot write t.json: No space left on device"),
    ]

    @Test(arguments: cases.indices)
    func eachKindRendersItsMessageAndCategory(_ index: Int) {
        let (kind, category, message) = Self.cases[index]
        let error = SimulationError(kind, cycle: 9)
        #expect(error.message == message)
        #expect(error.category == category)
        #expect(error.cycle == 9)
    }

    @Test func theHeadlineNamesTheCategoryOnce() {
        #expect(SimulationError(Self.cases[0].0, cycle: 4).headline.hasPrefix("race: two wavelets"))
        #expect(SimulationError(Self.cases[3].0, cycle: 3).headline.hasPrefix("wrong direction: at cycle 3"))
        #expect(SimulationError(Self.cases[7].0, cycle: 1).headline.hasPrefix("deadlock: no wavelet moved"))
        #expect(SimulationError(Self.cases[8].0, cycle: 1).headline.hasPrefix("stall: no progress"))
    }
}
