import Foundation
import PyFlameIR
@testable import PyFlameShell
@testable import PyFlameSimulator
import Testing

/// `:trace FILE [all | KIND,...]`: hops, link states, switch moves, teardowns, filter drops and control
/// deliveries as Chrome/Perfetto events beside the deliveries, each matching what the fabric counted;
/// `trace_limit` stops a trace with a complete file and says so once; `:break switch` and `:break drop`.
@Suite struct TraceEventTests {
    /// topic-06 in the playground (the centre's switch moves four times).
    static let switches = [
        "color red = 0", "route red (1,1): RAMP -> NORTH switch tx WEST, tx EAST, tx SOUTH at 1 ring", "route red (0,1): EAST -> RAMP",
        "route red (2,1): WEST -> RAMP", "route red (1,0): SOUTH -> RAMP", "route red (1,2): NORTH -> RAMP",
        "send red (1,1) [advance ignore, 0, advance ignore, 2, advance ignore, 4, advance ignore, 6]", ":sim",
    ]
    /// topic-08 in the playground (each filter drops nine of twelve).
    static let filters = [
        "color blue = 1", "route blue (0,0): RAMP -> EAST", "route blue (1,0): WEST -> RAMP, EAST filter 3..5",
        "route blue (2,0): WEST -> RAMP, EAST filter 6..8", "route blue (3,0): WEST -> RAMP filter 9..11",
        "send blue (0,0) [" + (0..<12).map { "(\($0), \(100 + $0))" }.joined(separator: ", ") + "]", ":sim",
    ]
    /// Red and blue share (1,0)'s EAST output (Delayed), and both end in (2,0)'s core (Backpressure).
    static let contention = RewindBreakpointTests.contention.dropFirst().map { $0 } + [":sim"]

    /// The events of a trace file (failing the test when it is not valid trace-event JSON).
    static func events(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let data = try #require(FileManager.default.contents(atPath: path), "no file at \(path)", sourceLocation: sourceLocation)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], sourceLocation: sourceLocation)
        return try #require(root["traceEvents"] as? [[String: Any]], sourceLocation: sourceLocation)
    }

    static func named(_ events: [[String: Any]], _ name: String) -> [[String: Any]] { events.filter { $0["name"] as? String == name } }
    static func args(_ e: [String: Any]) -> [String: Any] { e["args"] as? [String: Any] ?? [:] }

    @Test func allRecordsHopsSwitchMovesAndControlHops() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = makeShell(Self.switches, fabric: "fabric 3x3")
        let file = folder + "/all.json"
        #expect(
            run(shell, ":trace \(file) all").text
                == "tracing deliveries, hops, link states, switch moves and filter drops to \(file) from cycle 0 (complete when the run finishes or at :trace off)"
        )
        #expect(!run(shell, ":run").failed)
        let sim = try #require(shell.loaded?.simulation)
        let events = try Self.events(file)
        // One hop event per link crossed, data and control alike, on the output's own track.
        let hops = Self.named(events, "hop")
        #expect(hops.count == sim.fabric.hopsByColor.reduce(0, +))
        #expect(hops.count == 8)
        let data = hops.filter { Self.args($0)["control"] == nil }
        #expect(data.map { Self.args($0)["direction"] as? String } == ["EAST", "SOUTH", "NORTH", "WEST"])
        #expect(data.map { Self.args($0)["data"] as? Int } == [0, 2, 4, 6])
        #expect(hops.filter { Self.args($0)["control"] as? Bool == true }.count == 4)
        var names: [Int: String] = [:]
        for e in Self.named(events, "thread_name") { names[e["tid"] as? Int ?? -1] = Self.args(e)["name"] as? String }
        #expect(Set(hops.compactMap { names[$0["tid"] as? Int ?? -1] }) == ["PE (1,1) EAST", "PE (1,1) SOUTH", "PE (1,1) NORTH", "PE (1,1) WEST"])
        #expect(Self.named(events, "thread_sort_index").count == names.count)
        // Four switch moves at the centre, each by SWITCH_ADV, ending where the switch is.
        let moves = Self.named(events, "switch").map { Self.args($0) }
        #expect(moves.map { [$0["from"] as? Int, $0["to"] as? Int] } == [[1, 2], [2, 3], [3, 0], [0, 1]])
        #expect(moves.allSatisfy { $0["by"] as? String == "SWITCH_ADV" && $0["x"] as? Int == 1 && $0["y"] as? Int == 1 && $0["color"] as? Int == 0 })
        #expect(sim.fabric.switchPosition(pe: PECoord(1, 1), color: 0) == 1)
        // Deliveries as before: the four data wavelets.
        #expect(Self.named(events, "deliver").count == 4)
        // Every event at most once: the counts add up to what :trace off would have said.
        #expect(events.count > 16)
    }

    @Test func dropsCarryTheIndexAndThePayloadAsTyped() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = makeShell(Self.filters, fabric: "fabric 4x1")
        #expect(run(shell, ":trace \(folder)/d.json drops").text.hasPrefix("tracing filter drops to "))
        #expect(!run(shell, ":run").failed)
        let sim = try #require(shell.loaded?.simulation)
        let events = try Self.events(folder + "/d.json")
        let drops = Self.named(events, "drop")
        #expect(drops.count == sim.fabric.totalFilterDrops)
        #expect(drops.count == 27)
        #expect(Set(events.compactMap { $0["name"] as? String }) == ["drop", "thread_name"], "drops only")
        for p in 1...3 {
            let here = drops.map { Self.args($0) }.filter { $0["x"] as? Int == p }
            let indices = (0..<12).filter { !(3 * p...3 * p + 2).contains($0) }
            #expect(here.map { $0["index"] as? Int } == indices)
            // `data` reads as the send typed it: (index, f16 data), as :pe prints it.
            #expect(here.map { $0["data"] as? String } == indices.map { "(\($0), \(100 + $0))" })
        }
    }

    /// A control wavelet the core takes is a `control` event with its entry point and argument.
    @Test func aControlDeliveryNamesItsEntryPoint() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = makeShell(
            ["color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP", "send red (0,0) [nop task 40 arg 2, 7]", ":sim"],
            fabric: "fabric 2x1")
        _ = run(shell, ":trace \(folder)/c.json deliveries", ":run")
        let events = try Self.events(folder + "/c.json")
        let control = Self.named(events, "control").map { Self.args($0) }
        #expect(control.count == 1)
        #expect(control.first?["entry_point"] as? Int == 40 && control.first?["argument"] as? Int == 2)
        #expect(Self.named(events, "deliver").map { Self.args($0)["data"] as? Int } == [7])
    }

    /// Link states are one duration event per run of cycles an output spent Delayed or Backpressure; runs
    /// on one output never overlap, and they cover only cycles whose counts grew.
    @Test func linkStatesAreRunsOfCycles() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Without a sink the cores' queues fill: (2,0)'s RAMP is Backpressure too.
        let shell = makeShell(["set sink_rate 0"] + Self.contention.dropLast() + ["send red (0,0) [5, 6, 7, 8, 9, 10, 11, 12]", ":sim"], fabric: "fabric 6x3")
        _ = run(shell, ":trace \(folder)/l.json links", ":run")
        let sim = try #require(shell.loaded?.simulation)
        let events = try Self.events(folder + "/l.json")
        let runs = events.filter { $0["ph"] as? String == "X" }
        #expect(!Self.named(runs, "Delayed").isEmpty && !Self.named(runs, "Backpressure").isEmpty)
        #expect(runs.count == events.filter { $0["ph"] as? String != "M" }.count, "links only")
        var byTrack: [Int: [(Int, Int)]] = [:]
        for e in runs {
            let ts = try #require(e["ts"] as? Int), dur = try #require(e["dur"] as? Int)
            #expect(dur >= 1)
            byTrack[e["tid"] as? Int ?? -1, default: []].append((ts, ts + dur))
        }
        for (_, spans) in byTrack {
            let sorted = spans.sorted { $0.0 < $1.0 }
            for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.1 <= b.0, "runs on one output overlap: \(sorted)") }
        }
        // (1,0) EAST: red and blue take turns, so one of them is Delayed; its cycles are at most its count.
        let delayed = Self.named(runs, "Delayed").filter { Self.args($0)["x"] as? Int == 1 && Self.args($0)["direction"] as? String == "EAST" }
        let cycles = delayed.reduce(0) { $0 + ($1["dur"] as? Int ?? 0) }
        let r = Int(sim.fabric.peRouter[1])
        #expect(cycles > 0 && cycles <= Int(sim.fabric.outDelayed[r * 5 + 1]))
        #expect(delayed.allSatisfy { !(Self.args($0)["colors"] as? [Int] ?? []).isEmpty })
    }

    /// The trace's filter applies to every kind: a rectangle, colors and a cycle window.
    @Test func theFilterAppliesToRouterEvents() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = makeShell(Self.switches, fabric: "fabric 3x3")
        _ = run(shell, ":trace \(folder)/f.json all --pes (1,1)..(1,1) --cycles 0..8", ":run")
        let events = try Self.events(folder + "/f.json").filter { $0["ph"] as? String != "M" }
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { Self.args($0)["x"] as? Int == 1 && Self.args($0)["y"] as? Int == 1 })
        #expect(events.allSatisfy { ($0["ts"] as? Int ?? 99) <= 8 })
        let none = makeShell(Self.switches, fabric: "fabric 3x3")
        _ = run(none, ":trace \(folder)/n.json hops,switches --colors 5", ":run")
        #expect(try Self.events(folder + "/n.json").isEmpty)
    }

    /// `trace_limit`: the trace stops before the event that would pass it, its file complete and within the
    /// limit; the shell says so once, and the run goes on.
    @Test func aTraceStopsAtItsLimitWithACompleteFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = makeShell(["set trace_limit 2K"] + Self.contention, fabric: "fabric 6x3")
        let file = folder + "/cap.json"
        _ = run(shell, ":trace \(file) all")
        let step = run(shell, ":step 8")
        let note = try #require(step.lines.first { $0.text.hasPrefix("note: trace stopped at 2 KiB (trace_limit) in cycle ") }, "\(step.text)")
        #expect(note.text.contains(" events in \(file); set trace_limit higher, or trace fewer kinds or a smaller --pes rectangle"))
        let data = try #require(FileManager.default.contents(atPath: file))
        #expect(data.count <= 2048 && data.count > 1500)
        let events = try Self.events(file)
        let counted = try #require(Int(note.text.split(separator: ":")[2].split(separator: " ").first ?? ""), "\(note.text)")
        #expect(counted == events.filter { $0["ph"] as? String != "M" }.count)
        // Once: the trace is closed, the run goes on to the end without another word about it.
        #expect(shell.loaded?.trace == nil)
        let rest = run(shell, ":run")
        #expect(!rest.text.contains("trace"))
        #expect(finishedCycle(rest.text) != nil)
        #expect(run(shell, ":trace off").text == "no trace is being written")
        // A limit below the first event: the file holds the header and the end, still valid JSON.
        let tiny = makeShell(["set trace_limit 1K"] + Self.contention, fabric: "fabric 6x3")
        _ = run(tiny, ":trace \(folder)/tiny.json hops")
        #expect(run(tiny, "set trace_limit 1000").failed, "the limit is at least 1 KiB")
        #expect(run(tiny, ":run").text.contains("note: trace stopped at 1 KiB (trace_limit) in cycle "))
        #expect(try Self.events(folder + "/tiny.json").count > 0)
        // Stopped in a run that printed nothing (the fabric view's steps): the end of the session says so.
        let quiet = makeShell(["set trace_limit 1K"] + Self.contention, fabric: "fabric 6x3")
        _ = run(quiet, ":trace \(folder)/quiet.json all")
        _ = quiet.loaded?.simulation.advance(100)
        let end = quiet.endSession().map(\.text)
        #expect(end.count == 1 && end[0].hasPrefix("note: trace stopped at 1 KiB (trace_limit) in cycle "), "\(end)")
        #expect(try Self.events(folder + "/quiet.json").count > 0)
    }

    /// Going back closes the trace (the rule for every trace): the file holds the events of the pass
    /// forward, none after the cycle it was closed at, and is valid JSON.
    @Test func goingBackClosesATraceOfRouterEvents() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = makeShell(Self.switches, fabric: "fabric 3x3")
        _ = run(shell, ":trace \(folder)/b.json all", ":step 12")
        let back = run(shell, ":back 4")
        #expect(back.text.hasPrefix("note: trace closed at cycle 12 before going back: "), "\(back.text)")
        let events = try Self.events(folder + "/b.json").filter { $0["ph"] as? String != "M" }
        #expect(!Self.named(events, "hop").isEmpty && !Self.named(events, "switch").isEmpty)
        #expect(events.allSatisfy { ($0["ts"] as? Int ?? 99) < 12 })
        _ = run(shell, ":run")
        #expect(shell.loaded?.simulation.routerWatches.isEmpty == true, "a closed trace looks at no router")
    }

    @Test func mistakesInWhatToTraceAreRefused() {
        let shell = makeShell(Self.switches, fabric: "fabric 3x3")
        let typo = run(shell, ":trace t.json hopz")
        #expect(typo.failed)
        #expect(
            typo.text.hasPrefix(
                "error: 'hopz' is not something a trace records (did you mean hops?): all, or deliveries, hops, links, switches, drops joined by commas"))
        let late = run(shell, ":trace t.json --colors 0 all")
        #expect(late.failed)
        #expect(late.text.hasPrefix("error: all: what to record comes right after the file (:trace FILE all --pes ...)"))
        #expect(shell.loaded?.trace == nil)
    }

    /// `:break switch` and `:break drop` through the shell: what they say when set, when they fire (the
    /// dropped wavelet printed as its send typed it), and a note where they cannot fire.
    @Test func switchAndDropBreakpointsInTheShell() {
        let s = makeShell(Self.switches, fabric: "fabric 3x3")
        #expect(run(s, ":break switch (1,1)").text == "breakpoint 1: switch move at (1,1)")
        let r = run(s, ":run")
        #expect(
            r.text.hasPrefix("breakpoint 1 (switch move at (1,1)): the switch at (1,1) on color 0 moved from position 1 to 2 (SWITCH_ADV) in cycle "),
            "\(r.text)")
        #expect(r.text.contains("paused at cycle "))
        #expect(
            run(s, ":break switch (0,1) color red").text
                == "breakpoint 2: switch move at (0,1) on color 0\nnote: the loaded simulation has no switch at (0,1) on color 0: this breakpoint cannot fire there"
        )
        let f = makeShell(Self.filters, fabric: "fabric 4x1")
        #expect(run(f, ":break drop (2,0) color blue").text == "breakpoint 1: filter drop at (2,0) on color 1")
        let d = run(f, ":run")
        #expect(
            d.text.hasPrefix("breakpoint 1 (filter drop at (2,0) on color 1): the filter at (2,0) on color 1 kept (0, 100) (index 0) from the core in cycle "),
            "\(d.text)")
        #expect(run(f, ":break drop (0,0)").text.hasSuffix("note: the loaded simulation has no filter at (0,0): this breakpoint cannot fire there"))
        #expect(run(f, ":break drop (2,0) colour 1").failed)
    }
}
