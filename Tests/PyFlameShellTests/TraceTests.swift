import Foundation
import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
@testable import PyFlameShell
import Testing

/// A folder of its own under the system's temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("pyflame-trace-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
    var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

/// One `deliver` event of a trace.
struct TraceEvent: Hashable, Comparable {
    var ts: Int, x: Int, y: Int, color: Int, data: String

    static func < (a: TraceEvent, b: TraceEvent) -> Bool { (a.ts, a.y, a.x, a.color, a.data) < (b.ts, b.y, b.x, b.color, b.data) }
}

/// `:trace FILE [filters]` then `:run`: Chrome/Perfetto trace-event JSON with one `deliver` instant event per
/// wavelet delivered to a core (`ts` = its cycle, `args` {x, y, color, data}).
@Suite struct TraceTests {
    /// Teaching case 2 (row broadcast, hop latency 2) in the playground, and the two-color shared link.
    static let broadcast = [
        "color c = 0", "route c (0,0): RAMP -> EAST", "route c (1,0)..(2,0): WEST -> RAMP, EAST",
        "route c (3,0): WEST -> RAMP", "send c (0,0) [0, 1, 2, 3, 4]", ":sim",
    ]
    static let twoColors = [
        "color a = 0", "color b = 1", "route a (0,0): RAMP -> EAST", "route a (1,0): WEST -> SOUTH",
        "route a (1,1): NORTH -> EAST", "route b (0,1): RAMP -> EAST", "route b (1,1): WEST -> EAST",
        "route a (2,1): WEST -> RAMP", "route b (2,1): WEST -> RAMP", "send a (0,0) [1, 2, 3, 4, 5, 6]",
        "send b (0,1) [7, 8, 9, 10, 11, 12]", ":sim",
    ]
    static let program = ["x = randn([16, 16], seed=4)", "s = sum(x, dim=1) on ColPartition(4)", ":sim s"]

    /// Parses a trace file (failing the test when it is not valid JSON of the expected form).
    static func events(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (deliver: [TraceEvent], tracks: [Int: String]) {
        let data = try #require(FileManager.default.contents(atPath: path), "no file at \(path)", sourceLocation: sourceLocation)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], sourceLocation: sourceLocation)
        let list = try #require(root["traceEvents"] as? [[String: Any]], sourceLocation: sourceLocation)
        var deliver: [TraceEvent] = []
        var tracks: [Int: String] = [:]
        for e in list {
            switch e["name"] as? String {
            case "deliver":
                #expect(e["ph"] as? String == "i", sourceLocation: sourceLocation)
                let args = try #require(e["args"] as? [String: Any], sourceLocation: sourceLocation)
                let event = TraceEvent(
                    ts: try #require(e["ts"] as? Int), x: try #require(args["x"] as? Int), y: try #require(args["y"] as? Int),
                    color: try #require(args["color"] as? Int), data: try #require(Self.text(args["data"]), "data \(String(describing: args["data"]))"))
                #expect(e["tid"] as? Int == event.y * 16 + event.x, "one track per PE", sourceLocation: sourceLocation)
                deliver.append(event)
            case "thread_name":
                tracks[try #require(e["tid"] as? Int)] = (e["args"] as? [String: Any])?["name"] as? String
            case "process_name":
                #expect((e["pid"] as? Int ?? 0) > 0, "the first simulation is process 0, unnamed", sourceLocation: sourceLocation)
            default:
                Issue.record("unexpected event \(e)", sourceLocation: sourceLocation)
            }
        }
        return (deliver, tracks)
    }

    /// A payload as the trace writes it (a JSON number or a string), as text.
    static func text(_ value: Any?) -> String? {
        if let s = value as? String { return s }
        if let i = value as? Int { return String(i) }
        if let d = value as? Double { return NumberFormat.number(d, .f32) }
        return nil
    }

    /// Every delivery of a simulation, as trace events, its payloads read as `kinds` says (a playground's
    /// integers unless a test says otherwise).
    static func deliveries(_ sim: Simulation, _ kinds: PayloadKinds = PayloadKinds()) -> [TraceEvent] {
        sim.deliveries.flatMap { pe, list in
            list.map { TraceEvent(ts: $0.cycle, x: pe.x, y: pe.y, color: $0.color, data: kinds.text($0.payload, color: $0.color)) }
        }.sorted()
    }

    /// Every way a trace ends says so: a second `:trace` closes the first, and the run's end closes the
    /// trace it completes (reviews: both were silent, and `:trace off` then said no trace was written).
    @Test func everyWayATraceEndsSaysSo() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let shell = makeShell(Self.broadcast)
        #expect(!shell.execute(":trace \(folder.path)/a.json").failed)
        let second = shell.execute(":trace \(folder.path)/b.json")
        #expect(second.text.hasPrefix("trace closed: 0 events in \(folder.path)/a.json\ntracing "), "\(second.text)")
        let run = shell.execute(":run")
        #expect(!run.failed)
        #expect(run.text.hasSuffix("trace closed: 15 events in \(folder.path)/b.json"), "\(run.text)")
        #expect(folder.contents == ["a.json", "b.json"])
    }

    @Test func deliverEventsAreTheDeliveryCycles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.path + "/broadcast.json"
        let shell = makeShell(Self.broadcast)
        #expect(shell.execute(":trace \(file)").text.hasPrefix("tracing deliveries, switch moves and filter drops to \(file) from cycle 0"))
        #expect(!shell.execute(":run").failed)
        let (events, tracks) = try Self.events(file)
        // Wavelet i reaches (x, 0) at 2 + 2x + 2 + i (ramp, x hops of 2, ramp), one per cycle, in order.
        var expected: [TraceEvent] = []
        for x in 1...3 { for i in 0..<5 { expected.append(TraceEvent(ts: 4 + 2 * x + i, x: x, y: 0, color: 0, data: String(i))) } }
        #expect(events.sorted() == expected.sorted())
        #expect(events.sorted() == Self.deliveries(try #require(shell.loaded?.simulation)))
        #expect(tracks == [1: "PE (1,0)", 2: "PE (2,0)", 3: "PE (3,0)"])
        // Events are written in cycle order, and the folder holds only the finished file.
        #expect(events.map(\.ts) == events.map(\.ts).sorted())
        #expect(folder.contents == ["broadcast.json"])
    }

    @Test func aProgramTraceHasEveryWaveletDeliveredToACore() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let shell = makeShell(Self.program)
        _ = shell.execute(":trace \(folder.path)/s.json")
        let run = shell.execute(":run")
        #expect(run.text.contains("s: simulated result matches reference"))
        let sim = try #require(shell.loaded?.simulation)
        let (events, _) = try Self.events(folder.path + "/s.json")
        #expect(events.count == sim.fabric.deliveredCount)
        #expect(events.count == 48)  // 16 partials over each of the chain's 3 hops
        #expect(events.sorted() == Self.deliveries(sim, .program))
        #expect(Set(events.map(\.color)).count == 2)  // the checkerboard's two colors
    }

    @Test func filtersDropEverythingElse() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // --pes: a rectangle of PEs, inclusive.
        let byPE = makeShell(Self.broadcast)
        _ = byPE.execute(":trace \(folder.path)/pes.json --pes (2,0)..(3,0)")
        _ = byPE.execute(":run")
        let all = Self.deliveries(try #require(byPE.loaded?.simulation))
        let pes = try Self.events(folder.path + "/pes.json")
        #expect(pes.deliver.sorted() == all.filter { $0.x >= 2 })
        #expect(pes.tracks.keys.sorted() == [2, 3])
        // --cycles: a window, inclusive.
        let byCycle = makeShell(Self.broadcast)
        _ = byCycle.execute(":trace \(folder.path)/cycles.json --cycles 8..10")
        _ = byCycle.execute(":run")
        let cycles = try Self.events(folder.path + "/cycles.json").deliver
        #expect(cycles.sorted() == all.filter { (8...10).contains($0.ts) })
        #expect(cycles.count == 7)  // (1,0) at 8, 9, 10; (2,0) at 8, 9, 10; (3,0) at 10
        // --colors, and all three at once.
        let byColor = makeShell(Self.twoColors)
        _ = byColor.execute(":trace \(folder.path)/colors.json --colors 1")
        _ = byColor.execute(":run")
        let both = Self.deliveries(try #require(byColor.loaded?.simulation))
        #expect(Set(both.map(\.color)) == [0, 1])
        let colors = try Self.events(folder.path + "/colors.json").deliver
        #expect(colors.sorted() == both.filter { $0.color == 1 })
        #expect(colors.count == 6)
        let combined = makeShell(Self.twoColors)
        _ = combined.execute(":trace \(folder.path)/combined.json --pes (2,1)..(2,1) --colors 0 --cycles 0..14")
        _ = combined.execute(":run")
        let some = try Self.events(folder.path + "/combined.json").deliver
        #expect(some.sorted() == both.filter { $0.color == 0 && $0.ts <= 14 && $0.x == 2 && $0.y == 1 })
        #expect(!some.isEmpty && some.count < 6)
    }

    @Test func theSameProgramGivesTheSameBytes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for (i, statements) in [Self.program, Self.broadcast].enumerated() {
            var files: [Data] = []
            for run in 0..<2 {
                let shell = makeShell(statements)
                let file = "\(folder.path)/\(i)-\(run).json"
                _ = shell.execute(":trace \(file)")
                _ = shell.execute(":run")
                files.append(try #require(FileManager.default.contents(atPath: file)))
            }
            #expect(files[0] == files[1])
            #expect(files[0].count > 200)
        }
    }

    /// The file appears only when complete: during a run it is written under a temporary name; `:run` to the
    /// end (or `:trace off`) finishes the JSON and renames it into place.
    /// Tracks number the PEs of the loaded simulation's fabric, even after `fabric` changed; a `:trace`
    /// with a mistake leaves the open trace recording.
    @Test func tracksFollowTheLoadedFabricAndAMistypedTraceKeepsTheOpenOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let shell = makeShell(Self.program)
        #expect(!shell.execute("fabric 4x4").failed)
        #expect(!shell.execute(":trace \(folder.path)/a.json").failed)
        let mistyped = shell.execute(":trace \(folder.path)/b.json --cycles 5..1")
        #expect(mistyped.failed)
        _ = shell.execute(":run")
        #expect(folder.contents == ["a.json"])
        // `events` checks every track: tid = y * 16 + x on the loaded 16-wide fabric.
        let (events, _) = try Self.events(folder.path + "/a.json")
        #expect(events.count == 48)
    }

    @Test func theFileIsCompleteWhenTheRunFinishes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.path + "/t.json"
        let shell = makeShell(Self.program)
        _ = shell.execute(":trace \(file)")
        _ = shell.execute(":step 70")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(folder.contents.count == 1 && folder.contents[0].hasPrefix(".t.json."))
        _ = shell.execute(":run")
        #expect(folder.contents == ["t.json"])
        let (events, _) = try Self.events(file)
        #expect(events.count == 48)
        // :trace off closes a trace before the run ends; the events so far are a complete file.
        let early = makeShell(Self.broadcast)
        _ = early.execute(":trace \(folder.path)/early.json")
        _ = early.execute(":step 9")
        let off = early.execute(":trace off")
        #expect(off.text == "trace closed: 6 events in \(folder.path)/early.json")
        #expect(try Self.events(folder.path + "/early.json").deliver.count == 6)
    }

    /// A trace given before `:sim` goes on with the simulation `:sim` loads (it used to be closed by `:sim`,
    /// with no events).
    @Test func aTraceGoesOnIntoTheNextSimulation() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.path + "/again.json"
        let shell = makeShell(Self.broadcast)
        #expect(!shell.execute(":trace \(file)").failed)
        #expect(!shell.execute(":sim").failed)
        #expect(!shell.execute(":run").failed)
        let (events, _) = try Self.events(file)
        #expect(events.sorted() == Self.deliveries(try #require(shell.loaded?.simulation)))
        #expect(events.count == 15)
        #expect(folder.contents == ["again.json"])
    }

    /// A trace to a device is written in place (the device stays a device); /dev/full says why it fails;
    /// a FIFO is refused when the trace starts.
    @Test func devicesAreWrittenInPlaceAndAFIFOIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let full = makeShell(Self.broadcast)
        #expect(!full.execute(":trace /dev/full").failed)
        let run = full.execute(":run")
        #expect(run.failed)
        #expect(run.text.contains("error: cannot write /dev/full: No space left on device; the trace is stopped"), "\(run.text)")
        let null = makeShell(Self.broadcast)
        #expect(!null.execute(":trace /dev/null").failed)
        #expect(!null.execute(":run").failed)
        for device in ["/dev/full", "/dev/null"] {
            var info = stat()
            #expect(lstat(device, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "\(device) is still a device")
        }
        #expect(mkfifo(folder.path + "/pipe", 0o644) == 0)
        let fifo = makeShell(Self.broadcast).execute(":trace \(folder.path)/pipe")
        #expect(fifo.failed)
        #expect(fifo.text.contains("it is a FIFO, not a regular file"), "\(fifo.text)")
        #expect(folder.contents == ["pipe"])
    }
}
