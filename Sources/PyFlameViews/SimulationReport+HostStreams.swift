import PyFlameLowering
import PyFlameSimulator

extension SimulationReport {
    /// `:status`'s line for the playground's host streams (none without them): which host transfer memcpy
    /// runs and how far each stream got.
    /// `host     transfer 1 of 2 running: stream in at (0,0) on color 0, 14 of 15 in; stream out ... 0 of 15 read`.
    public static func hostStreamStatus(_ sim: Simulation) -> [String] {
        guard let edges = sim.hostEdges, !edges.streams.isEmpty else { return [] }
        let n = edges.streams.count
        let head =
            edges.current >= n ? "all \(n) transfer\(n == 1 ? "" : "s") done" : "transfer \(edges.current + 1) of \(n) running"
        let each = edges.streams.indices.prefix(8).map { k -> String in
            let s = edges.streams[k]
            return s.isToDevice
                ? "stream in at \(s.pe) on color \(s.color), \(edges.moved[k]) of \(s.count) in"
                : "stream out at \(s.pe) on color \(s.color), \(edges.moved[k]) of \(s.count) read"
        }
        return ["host     \(head): " + each.joined(separator: "; ") + (n > 8 ? "; ... \(n - 8) more" : "")]
    }
}
