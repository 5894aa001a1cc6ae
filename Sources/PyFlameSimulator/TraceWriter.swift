import Foundation
import PyFlameIR

/// What a trace records: a PE rectangle, colors and a cycle window (a wafer-wide trace can reach
/// gigabytes).
public struct TraceFilter: Sendable, Equatable {
    public var pes: (from: PECoord, to: PECoord)?
    public var colors: Set<Int>?
    public var cycles: ClosedRange<Int>?

    public init(pes: (from: PECoord, to: PECoord)? = nil, colors: Set<Int>? = nil, cycles: ClosedRange<Int>? = nil) {
        self.pes = pes
        self.colors = colors
        self.cycles = cycles
    }

    public static func == (a: TraceFilter, b: TraceFilter) -> Bool {
        a.pes?.from == b.pes?.from && a.pes?.to == b.pes?.to && a.colors == b.colors && a.cycles == b.cycles
    }

    func admits(_ pe: PECoord, _ d: Delivery) -> Bool { admits(pe, color: d.color, cycle: d.cycle) }

    /// Whether an event at `pe` on `color` (nil: a link state, admitted by any of `colors`) in `cycle` is kept.
    func admits(_ pe: PECoord, color: Int?, colors held: [Int] = [], cycle: Int) -> Bool {
        if let r = pes, !(pe.x >= r.from.x && pe.x <= r.to.x && pe.y >= r.from.y && pe.y <= r.to.y) { return false }
        if let c = colors {
            if let color { if !c.contains(color) { return false } } else if !held.contains(where: c.contains) { return false }
        }
        if let w = cycles, !w.contains(cycle) { return false }
        return true
    }
}

/// What a trace records besides its filter: deliveries (data and control), hops, link states, switch
/// moves (with teardowns and reconfigurations) and filter drops.
public struct TraceKinds: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let deliveries = TraceKinds(rawValue: 1)
    public static let hops = TraceKinds(rawValue: 2)
    public static let links = TraceKinds(rawValue: 4)
    public static let switches = TraceKinds(rawValue: 8)
    public static let drops = TraceKinds(rawValue: 16)
    public static let all: TraceKinds = [.deliveries, .hops, .links, .switches, .drops]
    /// What `:trace FILE` records without a list: every event that is rare next to the wavelets moving
    /// (one per delivery, switch move or drop), so a trace of a whole run stays small; hops and link
    /// states (one per wavelet per link, one per held output per cycle) are asked for.
    public static let standard: TraceKinds = [.deliveries, .switches, .drops]

    /// The words `:trace` takes, in the order messages list them.
    public static let words: [(word: String, kind: TraceKinds, shown: String)] = [
        ("deliveries", .deliveries, "deliveries"), ("hops", .hops, "hops"), ("links", .links, "link states"),
        ("switches", .switches, "switch moves"), ("drops", .drops, "filter drops"),
    ]

    /// The kinds in words: `deliveries, switch moves and filter drops`.
    public var text: String {
        let names = TraceKinds.words.filter { contains($0.kind) }.map(\.shown)
        guard names.count > 1 else { return names.first ?? "nothing" }
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }

    /// The router events these kinds need a ``RouterWatch`` for.
    var routerKinds: RouterEventKinds {
        var k: RouterEventKinds = []
        if contains(.hops) { k.insert(.hops) }
        if contains(.links) { k.insert(.links) }
        if contains(.switches) { k.insert(.switches) }
        if contains(.drops) { k.insert(.drops) }
        return k
    }
}

/// Chrome/Perfetto trace-event JSON, written as the simulation runs (the events are described in
/// TraceEvents.swift and docs/language.md): deliveries and control deliveries, hops, link states, switch
/// moves, teardowns and filter drops, as `kinds` asks, within the filter. `data` is the payload as every
/// view prints it (``PayloadKinds``). Deliveries come from the simulation's `onDelivery`; router events
/// from a ``RouterWatch`` over the filter's rectangle, registered only when a router kind is asked for.
/// The file is written through ``SafeFileWriter`` (a temporary file beside it, renamed into place when
/// the trace closes, so a reader never sees half a file; a device such as /dev/null is written in place);
/// the same program gives the same bytes. A trace that goes on into a second simulation (`:sim` again)
/// records it as process 1, and so on.
///
/// `limit` caps the file's size: an event that would take it past the limit stops the trace (``stopped``
/// says in which cycle); what was recorded stays, and closing writes it as valid JSON.
///
/// A write that fails (a full disk) stops the trace: nothing more is recorded, the temporary file is
/// removed, and ``failure`` says why (the next ``flush()`` throws it).
public final class TraceWriter {
    public let path: String
    let stream: FileWriteStream
    let filter: TraceFilter
    public let kinds: TraceKinds
    /// The largest the file may get, in bytes (nil: no limit).
    public let limit: Int?
    var width: Int
    /// The first thread ID of the link tracks (after one per PE).
    var linkBase: Int
    var buffer = ""
    /// Bytes handed to the file so far, and waiting in `buffer`.
    var bytes = 0
    var first = true
    var namedTracks: Set<Int> = []
    /// How the attached simulation's payloads read (`data` prints them as `:pe` does).
    var payloads = PayloadKinds.program
    /// The trace-event process of the simulation being recorded (0 for the first).
    var process = 0
    var attachments = 0
    weak var simulation: Simulation?
    var routerWatch: RouterWatch?
    /// Link states being recorded, by track: one duration event per run of cycles in one state.
    var openRuns: [Int: LinkRun] = [:]
    public internal(set) var events = 0
    /// Why the trace stopped, when a write failed.
    public private(set) var failure: SimulationError?
    /// The cycle in which the size limit stopped the trace (nil while it records).
    public private(set) var stopped: Int?

    static let footer = "\n]}\n"

    /// Opens the trace file; `shown` is its name as the user wrote it, for messages.
    public init(
        path: String, shown: String? = nil, filter: TraceFilter, kinds: TraceKinds = .deliveries, limit: Int? = nil, width: Int
    ) throws(SimulationError) {
        self.path = path
        self.filter = filter
        self.kinds = kinds
        self.limit = limit
        self.width = width
        linkBase = width
        do { stream = try SafeFileWriter.open(path, shown: shown) } catch {
            throw SimulationError(.traceFile(reason: error.message), cycle: 0)
        }
        buffer = "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"time_unit\":\"1 ts = 1 fabric cycle\",\"generator\":\"pyflame-shell\"},\"traceEvents\":[\n"
        bytes = buffer.utf8.count
    }

    /// Attaches to a simulation: its events from now on are recorded (a second simulation as the next process).
    public func attach(to simulation: Simulation, width: Int? = nil, payloads: PayloadKinds = .program) {
        detach()
        self.payloads = payloads
        if attachments > 0 {
            process += 1
            namedTracks = []
            append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":\(process),\"args\":{\"name\":\"simulation \(process + 1)\"}}", cycle: simulation.cycle)
        }
        attachments += 1
        if let width { self.width = width }
        linkBase = simulation.fabric.width * simulation.fabric.height
        self.simulation = simulation
        if kinds.contains(.deliveries) {
            simulation.onDelivery = { [weak self] pe, d in self?.deliver(pe, d) }
        }
        let router = kinds.routerKinds
        if !router.isEmpty {
            let watch = RouterWatch(kinds: router, area: filter.pes)
            watch.onCycle = { [weak self] cycle, events in self?.record(events, cycle: cycle) }
            simulation.addRouterWatch(watch)
            routerWatch = watch
        }
    }

    /// Leaves the attached simulation (its link states so far are written).
    func detach() {
        closeRuns(before: nil)
        guard let simulation else { return }
        if kinds.contains(.deliveries) { simulation.onDelivery = nil }
        if let routerWatch { simulation.removeRouterWatch(routerWatch) }
        routerWatch = nil
        self.simulation = nil
    }

    /// Adds one event (or metadata) to the file; past the size limit it stops the trace instead.
    func append(_ event: String, cycle: Int) {
        guard failure == nil, stopped == nil else { return }
        let size = event.utf8.count + (first ? 0 : 2)
        if let limit, bytes + size + TraceWriter.footer.utf8.count > limit {
            stopped = cycle
            return
        }
        buffer += (first ? "" : ",\n") + event
        bytes += size
        first = false
        if buffer.utf8.count > 1 << 16 { writeBuffer() }
    }

    /// Whether the trace still records (no failure, not stopped by its limit).
    var recording: Bool { failure == nil && stopped == nil }

    /// Writes what is buffered; a failure stops the trace (see ``failure``).
    private func writeBuffer() {
        guard failure == nil else { return }
        do { try stream.write(buffer) } catch {
            failure = SimulationError(.traceFile(reason: error.message), cycle: 0)
        }
        buffer = ""
    }

    /// Writes what is buffered (called after each :step / :run); throws when the trace has stopped.
    public func flush() throws(SimulationError) {
        writeBuffer()
        if let failure { throw failure }
    }

    /// Ends the JSON, and puts the file in its place; a write that fails leaves no file behind.
    public func close(_ simulation: Simulation?) throws(SimulationError) {
        detach()
        if let simulation, attachments > 0, kinds.contains(.deliveries) { simulation.onDelivery = nil }
        buffer += TraceWriter.footer
        writeBuffer()
        if let failure { throw failure }
        do { try stream.commit() } catch {
            let stopped = SimulationError(.traceFile(reason: error.message), cycle: 0)
            failure = stopped
            throw stopped
        }
    }

    /// Stops without writing the file (its temporary file is removed).
    public func discard(_ simulation: Simulation?) {
        detach()
        simulation?.onDelivery = nil
        stream.discard()
    }

    /// A size as messages print it: `100 MiB`, `64 KiB`, `1500 B`.
    public static func sizeText(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) B"
    }
}
