import PyFlameIR
import PyFlameLowering

extension Simulation {
    /// The host streams at the edges and how far each has got; nil when the program has none.
    public var hostEdges: HostEdgeState? { fabric.hostEdges }

    /// A stall while memcpy's current host transfer is a stream to the device that cannot hand over its
    /// wavelets: names the stream, its PE's input queue, the outstanding count and the streams waiting
    /// behind it. Nil when the current transfer is not such a stream.
    func hostStreamStall() -> SimulationError? {
        guard let edges = fabric.hostEdges, edges.current < edges.streams.count else { return nil }
        let k = edges.current
        let stream = edges.streams[k]
        guard stream.isToDevice else { return nil }
        let pe = stream.pe
        let queue = fabric.coreQueueIndex[Fabric.key(pe.y * fabric.width + pe.x, stream.color)].map { fabric.coreQueueID[Int($0)] }
        let after = edges.streams[(k + 1)...].map(\.name)
        let kind = SimulationError.Kind.hostStreamStall(
            stallLimit: model.stallLimit, pe: pe, color: stream.color, side: stream.side, queue: queue, total: stream.count,
            left: stream.count - edges.moved[k], outstanding: edges.outstanding, lastEntry: edges.lastMoveCycle[k], after: after)
        return SimulationError(kind, cycle: cycle)
    }

    /// The streams to the host that still wait for wavelets, as a stall message lists waiting cores.
    func hostStreamsWaiting() -> [String] {
        guard let edges = fabric.hostEdges else { return [] }
        return edges.streams.indices.compactMap { k in
            let s = edges.streams[k]
            guard !s.isToDevice, edges.moved[k] < s.count else { return nil }
            return "\(s.name) waits for \(s.count - edges.moved[k]) more"
        }
    }
}

extension HostStream {
    /// `the host stream out of (0,0) on color 1`, as messages name it.
    public var name: String {
        isToDevice ? "the host stream into \(pe) on color \(color)" : "the host stream out of \(pe) on color \(color)"
    }
}
