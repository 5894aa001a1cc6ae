import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// `:pe`, `:routes` and `:view` on playgrounds with switches, filters, color swap and control wavelets: they
/// read the playground's program (what `:sim` runs and the picture draws) and show each route's switch
/// positions, filter, swap and teardown, and the simulation's state of them.
@Suite struct RouteDynamicsViewTests {
    /// `:pe` in the playground reads the program the simulation runs, not the routes written since.
    @Test func peReadsTheLoadedPlaygroundProgram() {
        let shell = makeShell([
            "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP", "send red (0,0) [1, 2]", ":sim",
        ])
        // Written after :sim: the loaded simulation still runs (1,0) WEST -> RAMP.
        _ = shell.execute("route red (1,0): WEST -> RAMP, EAST")
        let pe = shell.execute(":pe 1,0")
        #expect(!pe.failed, "\(pe.text)")
        #expect(pe.text.contains("routes   color 0: rx {WEST} tx {RAMP}\n"), "\(pe.text)")
    }

    /// `:pe` lists a PE's routes in the program's order (by color), as `:routes` does.
    @Test func peListsRoutesInTheProgramsOrder() {
        let shell = makeShell([
            "color blue = 1", "color red = 0", "route blue (0,0): RAMP -> EAST", "route red (0,0): WEST -> RAMP",
        ])
        let pe = shell.execute(":pe 0,0")
        #expect(pe.text.contains("routes   color 0: rx {WEST} tx {RAMP}; color 1: rx {RAMP} tx {EAST}"), "\(pe.text)")
    }
}
