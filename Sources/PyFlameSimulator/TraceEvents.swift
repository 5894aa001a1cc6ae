import PyFlameIR
import PyFlameLowering

/// A link state being recorded: the output, its state, and the cycles it has held it so far.
struct LinkRun {
    var pe: PECoord
    var direction: Direction
    var state: LinkState
    var start: Int
    var last: Int
    var colors: Set<Int>
}

/// The events of a trace, one JSON object each (docs/language.md, "`:trace` JSON"). Every PE has a
/// track (thread) `y * width + x`: deliveries, control deliveries, switch moves, teardowns,
/// reconfigurations and drops are instant events on it. With hops or link states, each router output
/// has a track of its own after all the PE tracks (`PE (x,y) EAST`, sorted after its PE's): hops are
/// instant events on it, and each run of cycles in which it was Delayed or Backpressure one duration
/// event (`ph` "X", `dur` its cycles). Payloads print through ``PayloadKinds`` as everywhere.
extension TraceWriter {
    /// The track of a PE (named on first use).
    func peTrack(_ pe: PECoord, cycle: Int) -> Int {
        let track = pe.y * width + pe.x
        if namedTracks.insert(track).inserted {
            append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":\(process),\"tid\":\(track),\"args\":{\"name\":\"PE (\(pe.x),\(pe.y))\"}}", cycle: cycle)
            if sortsTracks { append(sortIndex(track, track * 6), cycle: cycle) }
        }
        return track
    }

    /// The track of a router output.
    func linkTrack(_ pe: PECoord, _ direction: Direction, cycle: Int) -> Int {
        let peIndex = pe.y * width + pe.x
        let port = Port.of(direction)
        let track = linkBase + peIndex * 5 + port
        if namedTracks.insert(track).inserted {
            append(
                "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":\(process),\"tid\":\(track),\"args\":{\"name\":\"PE (\(pe.x),\(pe.y)) \(direction)\"}}",
                cycle: cycle)
            append(sortIndex(track, peIndex * 6 + 1 + port), cycle: cycle)
        }
        return track
    }

    /// Output tracks sort after their PE's track only when there are any (a trace of deliveries alone
    /// has no sort events).
    var sortsTracks: Bool { !kinds.isDisjoint(with: [.hops, .links]) }

    private func sortIndex(_ track: Int, _ index: Int) -> String {
        "{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":\(process),\"tid\":\(track),\"args\":{\"sort_index\":\(index)}}"
    }

    private func instant(_ name: String, _ cycle: Int, _ track: Int, _ args: String) -> String {
        "{\"name\":\"\(name)\",\"ph\":\"i\",\"s\":\"t\",\"ts\":\(cycle),\"pid\":\(process),\"tid\":\(track),\"args\":{\(args)}}"
    }

    /// A wavelet reaching a core: `deliver`, or `control` for a control wavelet (its entry point and argument).
    func deliver(_ pe: PECoord, _ d: Delivery) {
        guard recording, filter.admits(pe, d) else { return }
        let track = peTrack(pe, cycle: d.cycle)
        let at = "\"x\":\(pe.x),\"y\":\(pe.y),\"color\":\(d.color)"
        if d.isControl {
            let entry = d.entryPoint.map(String.init) ?? "null"
            append(instant("control", d.cycle, track, at + ",\"entry_point\":\(entry),\"argument\":\(d.argument ?? 0)"), cycle: d.cycle)
        } else {
            append(instant("deliver", d.cycle, track, at + ",\"data\":\(payloads.json(d.payload, color: d.color))"), cycle: d.cycle)
        }
        if recording { events += 1 }
    }

    /// One cycle's router events.
    func record(_ list: [RouterEvent], cycle: Int) {
        guard recording else { return }
        for event in list {
            let pe = event.pe
            let at = "\"x\":\(pe.x),\"y\":\(pe.y)"
            switch event {
            case .hop(_, let direction, let color, let arrivesOn, let payload, let control):
                guard filter.admits(pe, color: color, cycle: cycle) else { continue }
                let track = linkTrack(pe, direction, cycle: cycle)
                var args = at + ",\"direction\":\"\(direction)\",\"color\":\(color)"
                if arrivesOn != color { args += ",\"arrives_on\":\(arrivesOn)" }
                if control {
                    let entry = ControlWavelet.entryPoint(ofPayload: payload).map(String.init) ?? "null"
                    args += ",\"control\":true,\"entry_point\":\(entry),\"argument\":\(ControlWavelet.argument(ofPayload: payload))"
                } else {
                    args += ",\"data\":\(payloads.json(payload, color: color))"
                }
                add(instant("hop", cycle, track, args), cycle: cycle)
            case .drop(_, let color, let payload):
                guard filter.admits(pe, color: color, cycle: cycle) else { continue }
                let track = peTrack(pe, cycle: cycle)
                add(
                    instant("drop", cycle, track, at + ",\"color\":\(color),\"index\":\(payload >> 16),\"data\":\(payloads.json(payload, color: color))"),
                    cycle: cycle)
            case .switchMove(_, let color, let from, let to, let by):
                guard filter.admits(pe, color: color, cycle: cycle) else { continue }
                let track = peTrack(pe, cycle: cycle)
                add(
                    instant("switch", cycle, track, at + ",\"color\":\(color),\"from\":\(from),\"to\":\(to),\"by\":\"\(by?.name ?? "reconfigure")\""),
                    cycle: cycle)
            case .teardown(_, let color), .reconfigure(_, let color):
                guard filter.admits(pe, color: color, cycle: cycle) else { continue }
                let track = peTrack(pe, cycle: cycle)
                let name = if case .teardown = event { "teardown" } else { "reconfigure" }
                add(instant(name, cycle, track, at + ",\"color\":\(color)"), cycle: cycle)
            case .link(_, let direction, let state, let colors):
                guard filter.admits(pe, color: nil, colors: colors, cycle: cycle) else { continue }
                let key = (pe.y * width + pe.x) * 5 + Port.of(direction)
                if var run = openRuns[key], run.state == state, run.last == cycle - 1 {
                    run.last = cycle
                    run.colors.formUnion(colors)
                    openRuns[key] = run
                } else {
                    if let run = openRuns[key] { write(run) }
                    openRuns[key] = LinkRun(pe: pe, direction: direction, state: state, start: cycle, last: cycle, colors: Set(colors))
                }
            }
        }
        closeRuns(before: cycle)
    }

    /// Adds an event and counts it (unless the limit stopped the trace at it).
    private func add(_ event: String, cycle: Int) {
        append(event, cycle: cycle)
        if recording { events += 1 }
    }

    /// Writes the link states that ended before `cycle` (nil: all).
    func closeRuns(before cycle: Int?) {
        guard !openRuns.isEmpty else { return }
        let done = openRuns.filter { run in cycle.map { run.value.last < $0 } ?? true }.sorted { ($0.value.start, $0.key) < ($1.value.start, $1.key) }
        for (key, run) in done {
            openRuns[key] = nil
            write(run)
        }
    }

    /// One link state's run as a duration event on its output's track.
    private func write(_ run: LinkRun) {
        guard recording else { return }
        let track = linkTrack(run.pe, run.direction, cycle: run.start)
        let colors = run.colors.sorted().map(String.init).joined(separator: ",")
        add(
            "{\"name\":\"\(run.state.rawValue)\",\"ph\":\"X\",\"ts\":\(run.start),\"dur\":\(run.last - run.start + 1),\"pid\":\(process),\"tid\":\(track),\"args\":{\"x\":\(run.pe.x),\"y\":\(run.pe.y),\"direction\":\"\(run.direction)\",\"colors\":[\(colors)]}}",
            cycle: run.last)
    }
}
