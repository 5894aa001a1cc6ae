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
/// is an instant event `deliver` with `ts` = its cycle and `args` {x, y, color, data}; one track per PE. `data`
/// is the payload as every view prints it (``PayloadKinds``): a number for integers, a string for other kinds.
/// The file is written through ``SafeFileWriter`` (a temporary file beside it, renamed into place when the
/// trace closes, so a reader never sees half a file; a device such as /dev/null is written in place); the
/// same program gives the same bytes. A trace that goes on into a second simulation (`:sim` again) records
/// it as process 1, and so on.
///
/// A write that fails (a full disk) stops the trace: nothing more is recorded, the temporary file is
/// removed, and ``failure`` says why (the next ``flush()`` throws it).
public final class TraceWriter {
    public let path: String
    let stream: FileWriteStream
    let filter: TraceFilter
    var width: Int
    var buffer = ""
    var first = true
    var namedTracks: Set<Int> = []
    /// How the attached simulation's payloads read (`data` prints them as `:pe` does).
    var payloads = PayloadKinds.program
    /// The trace-event process of the simulation being recorded (0 for the first).
    var process = 0
    var attachments = 0
    public private(set) var events = 0
    /// Why the trace stopped, when a write failed.
    public private(set) var failure: SimulationError?

    /// Opens the trace file; `shown` is its name as the user wrote it, for messages.
    public init(path: String, shown: String? = nil, filter: TraceFilter, width: Int) throws(SimulationError) {
        self.path = path
        self.filter = filter
        self.width = width
        do { stream = try SafeFileWriter.open(path, shown: shown) } catch {
            throw SimulationError(.traceFile(reason: error.message), cycle: 0)
        }
        buffer = "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"time_unit\":\"1 ts = 1 fabric cycle\",\"generator\":\"pyflame-shell\"},\"traceEvents\":[\n"
    }

    /// Attaches to a simulation: deliveries from now on are recorded (a second simulation as the next process).
    public func attach(to simulation: Simulation, width: Int? = nil, payloads: PayloadKinds = .program) {
        self.payloads = payloads
        if attachments > 0 {
            process += 1
            namedTracks = []
            append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":\(process),\"args\":{\"name\":\"simulation \(process + 1)\"}}")
        }
        attachments += 1
        if let width { self.width = width }
        simulation.onDelivery = { [weak self] pe, d in self?.deliver(pe, d) }
    }

    func deliver(_ pe: PECoord, _ d: Delivery) {
        guard failure == nil, filter.admits(pe, d) else { return }
        let track = pe.y * width + pe.x
        if namedTracks.insert(track).inserted {
            append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":\(process),\"tid\":\(track),\"args\":{\"name\":\"PE (\(pe.x),\(pe.y))\"}}")
        }
        append(
            "{\"name\":\"deliver\",\"ph\":\"i\",\"s\":\"t\",\"ts\":\(d.cycle),\"pid\":\(process),\"tid\":\(track),\"args\":{\"x\":\(pe.x),\"y\":\(pe.y),\"color\":\(d.color),\"data\":\(payloads.json(d.payload, color: d.color))}}"
        )
        events += 1
    }

    private func append(_ event: String) {
        buffer += (first ? "" : ",\n") + event
        first = false
        if buffer.utf8.count > 1 << 16 { writeBuffer() }
    }

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
        if let simulation, attachments > 0 { simulation.onDelivery = nil }
        buffer += "\n]}\n"
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
        simulation?.onDelivery = nil
        stream.discard()
    }
}
