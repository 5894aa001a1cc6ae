import Foundation
import PyFlameIR
@testable import PyFlameShell
import PyFlameSimulator
import Testing

/// `:break` of each kind stops `:run` and `:step` after the cycle it fires in and says which and what;
/// `:back`, `:step -N` and `:goto` move the loaded simulation and refuse what cannot be done.
@Suite struct RewindBreakpointTests {
    /// Red from (0,0) and blue from (1,0) share (1,0)'s EAST output toward (2,0), where both end.
    static let contention = [
        "fabric 6x3", "color red = 0", "color blue = 1",
        "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> EAST", "route red (2,0): WEST -> RAMP",
        "route blue (1,0): RAMP -> EAST", "route blue (2,0): WEST -> RAMP",
        "send red (0,0) [1, 2, 3, 4]", "send blue (1,0) [10, 20, 30, 40]",
    ]

    func shell(_ extra: [String] = []) -> Shell {
        let shell = Shell()
        for s in RewindBreakpointTests.contention + extra + [":sim"] {
            let r = shell.execute(s)
            #expect(!r.failed, "\(s): \(r.text)")
        }
        return shell
    }

    /// The cycle of `paused at cycle N`.
    func pausedCycle(_ text: String) -> Int? {
        guard let range = text.range(of: "paused at cycle ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func aCycleBreakpointStopsOnReachingItsCycle() {
        let s = shell()
        #expect(run(s, ":break cycle 5").text == "breakpoint 1: cycle 5")
        let r = run(s, ":run")
        #expect(r.text.hasPrefix("breakpoint 1 (cycle 5): reached cycle 5\npaused at cycle 5"))
        #expect(s.loaded?.simulation.cycle == 5)
        // Once past it, the run goes to the end.
        #expect(run(s, ":run").text.hasPrefix("finished at cycle "))
    }

    /// A cycle breakpoint at the cycle a run reaches when other breakpoints fire is listed with them.
    @Test func aCycleBreakpointFiresBesideOthersInTheSameCycle() throws {
        let s = shell()
        _ = run(s, ":break color red")
        let first = run(s, ":run")
        let cycle = try #require(pausedCycle(first.text))
        _ = run(s, ":back 1")
        #expect(run(s, ":break cycle \(cycle)").text == "breakpoint 2: cycle \(cycle)")
        let again = run(s, ":step")
        #expect(again.text.contains("breakpoint 1 (color 0):"), "\(again.text)")
        #expect(again.text.contains("breakpoint 2 (cycle \(cycle)): reached cycle \(cycle)"), "\(again.text)")
    }

    /// Back, forward past checkpoints the first pass kept, and back onto one of them: every delivery up to
    /// there is still listed (they were dropped with the log when the second pass reused a checkpoint).
    @Test func goingBackOntoACheckpointOfAnEarlierPassKeepsItsDeliveries() {
        let setup = [
            "set checkpoint_interval 2", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP",
            "send red (0,0) [10, 20, 30]", ":sim",
        ]
        func shell(_ lines: [String]) -> Shell {
            let s = Shell()
            for line in setup + lines {
                let r = s.execute(line)
                #expect(!r.failed, "\(line): \(r.text)")
            }
            return s
        }
        let straight = shell([":run"]).loaded!.simulation.deliveries[PECoord(1, 0)] ?? []
        #expect(straight.count == 3)
        // (Nothing reads the deliveries before going back: reading them sorts the log and hid the loss.)
        let s = shell([":run", ":goto 1", ":run", ":back 2"])
        let sim = s.loaded!.simulation
        #expect(sim.deliveries[PECoord(1, 0)] ?? [] == straight.filter { $0.cycle <= sim.cycle }, "at cycle \(sim.cycle): \(sim.deliveries)")
        _ = run(s, ":run")
        #expect(s.loaded!.simulation.deliveries[PECoord(1, 0)] ?? [] == straight)
    }

    @Test func aColorBreakpointStopsAtTheFirstHopOfThatColor() {
        let s = shell()
        _ = run(s, ":break color blue")
        let r = run(s, ":run")
        #expect(r.text.contains("breakpoint 1 (color 1): wavelets on color 1 crossed 1 link in cycle "))
        // No blue hop happened before: going back one cycle and stepping one fires again.
        let cycle = pausedCycle(r.text)
        #expect(cycle != nil)
        let sim = s.loaded!.simulation
        #expect(sim.fabric.hopsByColor[1] == 1)
    }

    @Test func aPEBreakpointStopsWhenSomethingHappensThere() {
        let s = shell()
        _ = run(s, ":break pe (2,0)")
        let r = run(s, ":run")
        #expect(r.text.contains("breakpoint 1 (PE (2,0)): at (2,0) in cycle "))
        #expect(r.text.contains("its router moved 1 wavelet"))
        // Blue, sent from (1,0), is first: on its router at cycle 2 (ramp 2), at (2,0)'s at cycle 4 (hop 2),
        // which moves it into the core in cycle 4, seen at cycle 5.
        #expect(r.text.contains("at (2,0) in cycle 4: its router moved 1 wavelet (color 1)"))
        #expect(pausedCycle(r.text) == 5)
    }

    @Test func aDelayedBreakpointNamesTheOutputAndTheHeldColor() {
        let s = shell()
        _ = run(s, ":break delayed (1,0) EAST")
        let r = run(s, ":run")
        #expect(
            r.text.contains(
                "breakpoint 1 (delayed at (1,0) EAST): (1,0) EAST was Delayed (waiting for an output another wavelet took) holding a wavelet on color"))
        let stats = run(s, ":stats").text
        #expect(stats.contains("Delayed"))
    }

    @Test func aBackpressureBreakpointFiresWhenTheCoreQueueIsFull() {
        let more = "send red (0,0) [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]"
        let s = shell(["set sink_rate 0", more])
        _ = run(s, ":break backpressure (2,0) RAMP")
        let r = run(s, ":run")
        #expect(r.text.contains("breakpoint 1 (backpressure at (2,0) RAMP): (2,0) RAMP was Backpressure (its destination full) holding a wavelet on color"))
        #expect(!r.failed)
        // Without a direction: any output of the router.
        let t = shell(["set sink_rate 0", more])
        _ = run(t, ":break backpressure (2,0)")
        #expect(run(t, ":run").text.contains("breakpoint 1 (backpressure at (2,0)): (2,0) RAMP was Backpressure"))
    }

    @Test func aDeliveryBreakpointSaysWhatArrivedWhere() {
        let s = shell()
        _ = run(s, ":break delivery (2,0) color red")
        let r = run(s, ":run")
        #expect(r.text.hasPrefix("breakpoint 1 (delivery at (2,0) on color 0): (2,0) received 1 on color 0 at cycle "))
        let delivered = s.loaded!.simulation.deliveries[PECoord(2, 0)] ?? []
        #expect(delivered.filter { $0.color == 0 }.count == 1)
        #expect(pausedCycle(r.text) == delivered.last?.cycle)
    }

    @Test func stepStopsAtABreakpointToo() {
        let s = shell()
        _ = run(s, ":break cycle 3")
        let r = run(s, ":step 10")
        #expect(r.text.contains("breakpoint 1 (cycle 3): reached cycle 3"))
        #expect(s.loaded?.simulation.cycle == 3)
    }

    @Test func breakpointsListDeleteAndClear() {
        let s = shell()
        #expect(run(s, ":break").text.hasPrefix("no breakpoints"))
        _ = run(s, ":break cycle 9", ":break delayed (1,0)")
        #expect(run(s, ":break").text == "  1  cycle 9\n  2  delayed at (1,0)")
        #expect(run(s, ":break cycle 9").text == "breakpoint 1 is already cycle 9")
        #expect(run(s, ":break del 1").text == "deleted breakpoint 1 (cycle 9)")
        #expect(run(s, ":break del 1").text.hasPrefix("error: no breakpoint 1: they are 2"))
        #expect(run(s, ":break clear").text == "cleared 1 breakpoint")
        #expect(run(s, ":break colour 3").text.hasPrefix("error: unknown breakpoint kind 'colour' (did you mean color?)"))
        #expect(run(s, ":break pe (6,0)").text.hasPrefix("error: (6,0) is outside the 6x3 fabric"))
        #expect(run(s, ":break delayed (1,0) UP").text.hasPrefix("error: a link is NORTH, EAST, SOUTH, WEST or RAMP"))
        #expect(run(s, ":break pe (5,2)").text.contains("note: the loaded simulation has no route at (5,2)"))
    }

    @Test func backAndGotoReturnToTheSameStates() {
        let s = shell(["set checkpoint_interval 4"])
        let straight = run(s, ":run").text
        let end = s.loaded!.simulation.cycle
        let deliveries = s.loaded!.simulation.deliveries
        #expect(run(s, ":back 6").text.hasPrefix("back at cycle \(end - 6) (from cycle \(end): restored the checkpoint at cycle "))
        #expect(run(s, ":step -2").text.hasPrefix("back at cycle \(end - 8) "))
        #expect(run(s, ":goto \(end - 1)").text.hasPrefix("at cycle \(end - 1) (ran 7 cycles from cycle \(end - 8))"))
        #expect(run(s, ":run").text == straight)
        #expect(s.loaded!.simulation.deliveries == deliveries)
    }

    @Test func rewindRefusesWhatItCannotDo() {
        let s = shell()
        _ = run(s, ":step 5")
        #expect(run(s, ":back 6").text.hasPrefix("error: cannot go back 6 cycles from cycle 5: the simulation starts at cycle 0 (:goto 0 goes there)"))
        #expect(s.loaded?.simulation.cycle == 5)
        #expect(run(s, ":goto -1").text.hasPrefix("error: :goto takes a cycle >= 0"))
        #expect(run(s, ":step 0").text.hasPrefix("error: :step takes a number of cycles >= 1 (or -N to go back N cycles)"))
        #expect(run(s, ":step -9223372036854775808").failed)
        _ = run(s, ":run")
        let end = s.loaded!.simulation.cycle
        #expect(run(s, ":goto \(end + 10)").text.hasPrefix("error: the simulation finished at cycle \(end); cycle \(end + 10) is past its end"))
        _ = run(s, ":goto 3")
        #expect(run(s, ":goto \(end + 10)").text.hasPrefix("finished at cycle \(end), before cycle \(end + 10): the simulation ends there"))
        #expect(run(Shell(), ":back 1").text.hasPrefix("error: no simulation loaded"))
    }

    @Test func goingBackClosesATraceAndSaysSo() throws {
        let s = shell()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("t.json").path
        _ = run(s, ":trace \(path)", ":step 12")
        let r = run(s, ":back 4")
        #expect(r.text.hasPrefix("note: trace closed at cycle 12 before going back: "))
        #expect(s.loaded?.trace == nil)
        // The file holds the deliveries up to cycle 12 and is complete JSON.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let json = try JSONSerialization.jsonObject(with: data)
        #expect(json is [String: Any] || json is [Any])
        // Re-running the cycles records nothing more there.
        _ = run(s, ":run")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == data)
    }

    @Test func breakCompletes() {
        let shell = Shell()
        for s in RewindBreakpointTests.contention { _ = shell.execute(s) }
        let c = Completer(session: shell.session, baseDirectory: "/work") { _ in [] }
        #expect(c.complete(":break deli") == .insert("very "))
        #expect(c.complete(":break d") == .candidates(["del", "delayed", "delivery", "drop"]))
        #expect(c.complete(":break de") == .insert("l"))
        #expect(c.complete(":break sw") == .insert("itch "))
        #expect(c.complete(":break dr") == .insert("op "))
        #expect(c.complete(":break switch (1,1) co") == .insert("lor "))
        #expect(c.complete(":break drop (1,1) color bl") == .insert("ue"))
        #expect(c.complete(":trace t.json h") == .insert("ops"))
        #expect(c.complete(":trace t.json --c") == .candidates(["--colors", "--cycles"]))
        #expect(c.complete(":break del") == .candidates(["del", "delayed", "delivery"]))
        #expect(c.complete(":break color bl") == .insert("ue"))
        #expect(c.complete(":break delayed (1,0) EA") == .insert("ST"))
        #expect(c.complete(":break delivery (2,0) co") == .insert("lor "))
        #expect(c.complete(":ba") == .insert("ck "))
        #expect(c.complete(":go") == .insert("to "))
    }
}

extension RewindBreakpointTests {
    @Test func resetClearsBreakpoints() {
        let s = shell()
        _ = run(s, ":break cycle 4", ":reset")
        #expect(run(s, ":break").text.hasPrefix("no breakpoints"))
        for statement in RewindBreakpointTests.contention + [":sim"] { _ = s.execute(statement) }
        #expect(run(s, ":break cycle 4").text == "breakpoint 1: cycle 4")
    }
}

extension RewindBreakpointTests {
    /// Ctrl-C during a long re-run stops it at a consistent cycle and says where; going on from there works.
    @Test func ctrlCStopsALongRerun() {
        let s = shell(["set sink_rate 0", "send red (0,0) [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]", "set checkpoint_interval 1000000"])
        #expect(run(s, ":run").text.hasPrefix("error: deadlock: "))
        let end = s.loaded!.simulation.cycle
        #expect(end > 5000)
        s.shouldStop = { true }
        let r = run(s, ":back 100")
        #expect(r.failed)
        let cycle = s.loaded!.simulation.cycle
        #expect(r.text.contains("interrupted at cycle \(cycle) on the way to cycle \(end - 100) (Ctrl-C); the simulation is consistent there"))
        #expect(cycle < end - 100)
        s.shouldStop = { false }
        #expect(run(s, ":goto \(end - 100)").text.hasPrefix("at cycle \(end - 100) (ran \(end - 100 - cycle) cycles from cycle \(cycle))"))
        #expect(run(s, ":run").text.hasPrefix("error: deadlock: "))
        #expect(s.loaded!.simulation.cycle == end)
    }
}
