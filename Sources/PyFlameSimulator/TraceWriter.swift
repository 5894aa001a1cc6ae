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

    func admits(_ pe: PECoord, _ d: Delivery) -> Bool {
        if let r = pes, !(pe.x >= r.from.x && pe.x <= r.to.x && pe.y >= r.from.y && pe.y <= r.to.y) { return false }
        if let c = colors, !c.contains(d.color) { return false }
        if let w = cycles, !w.contains(d.cycle) { return false }
        return true
    }
}

/// Chrome/Perfetto trace-event JSON, written as the simulation runs: every wavelet delivered to a core
/// is an instant event `deliver` with `ts` = its cycle and `args` {x, y, color, data}; one track per PE.
/// The file is written under a temporary name and renamed when the trace closes, so a reader never
/// sees half a file; the same program gives the same bytes.
public final class TraceWriter {
    public let path: String
    let temporary: String
    let handle: FileHandle
    let filter: TraceFilter
    let width: Int
    var buffer = ""
    var first = true
    var namedTracks: Set<Int> = []
    public private(set) var events = 0

    public init(path: String, filter: TraceFilter, width: Int) throws(SimulationError) {
        self.path = path
        self.filter = filter
        self.width = width
        let url = URL(fileURLWithPath: path)
        temporary = url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let h = FileHandle(forWritingAtPath: temporary) else {
            throw SimulationError(kind: .program, message: "cannot write \(path)", cycle: 0)
        }
        handle = h
        buffer = "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"time_unit\":\"1 ts = 1 fabric cycle\",\"generator\":\"pyflame-shell\"},\"traceEvents\":[\n"
    }

    /// Attaches to a simulation: deliveries from now on are recorded.
    public func attach(to simulation: Simulation) {
        simulation.onDelivery = { [weak self] pe, d in self?.deliver(pe, d) }
    }

    func deliver(_ pe: PECoord, _ d: Delivery) {
        guard filter.admits(pe, d) else { return }
        let track = pe.y * width + pe.x
        if namedTracks.insert(track).inserted {
            append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":\(track),\"args\":{\"name\":\"PE (\(pe.x),\(pe.y))\"}}")
        }
        append("{\"name\":\"deliver\",\"ph\":\"i\",\"s\":\"t\",\"ts\":\(d.cycle),\"pid\":0,\"tid\":\(track),\"args\":{\"x\":\(pe.x),\"y\":\(pe.y),\"color\":\(d.color),\"data\":\(d.payload)}}")
        events += 1
    }

    private func append(_ event: String) {
        buffer += (first ? "" : ",\n") + event
        first = false
        if buffer.utf8.count > 1 << 16 { flushBuffer() }
    }

    private func flushBuffer() {
        handle.write(Data(buffer.utf8))
        buffer = ""
    }

    /// Writes what is buffered (called after each :step / :run).
    public func flush(_ simulation: Simulation) { flushBuffer() }

    /// Ends the JSON, closes the file and renames it into place.
    public func close(_ simulation: Simulation) {
        simulation.onDelivery = nil
        buffer += "\n]}\n"
        flushBuffer()
        try? handle.close()
        if rename(temporary, path) != 0 { unlink(temporary) }
    }
}
