import PyFlameIR
import PyFlameLowering

/// The host streams at the rectangle's west and north edges (memcpy's streaming mode) as a run walks them:
/// how far each has got, which host transfer memcpy runs now, and where the wavelets of the streams to the
/// host leave the fabric. A value (copied whole into a checkpoint); the fabric holds it only when a
/// program has host streams, so a run without them never looks at it.
///
/// memcpy runs host transfers one at a time, in the order written (`current`): a stream to the device
/// finishes when the host has handed over its last wavelet (into the fabric, or into memcpy's buffer at
/// the edge, `FabricModel.hostInBuffer`); a stream to the host finishes when it has read its count. Before
/// its turn, a stream to the host takes at most `FabricModel.hostOutBuffer` wavelets (what memcpy's border
/// holds for it); after, one a cycle (the link's bandwidth).
public struct HostEdgeState: Sendable {
    public let streams: [HostStream]
    /// Per stream to the device: the FIFO of its PE's route on its edge side, and the PE index.
    let entryFifo: [Int32]
    let entryPE: [Int32]
    /// (slot * 5 + port) → the streams to the host leaving there, in order.
    let exits: [Int: [Int]]
    let inBuffer: Int
    let outBuffer: Int
    /// Per stream: wavelets that entered the fabric (to the device) or that the edge took (to the host).
    public internal(set) var moved: [Int]
    /// Per stream to the host: the payloads the edge took, in order (empty for streams to the device).
    public internal(set) var received: [[UInt32]]
    /// Per stream: the cycle its last wavelet moved (-1: none yet).
    public internal(set) var lastMoveCycle: [Int]
    /// The host transfer memcpy runs now (`streams.count` when all have finished).
    public internal(set) var current = 0
    /// Wavelets the edge took in the cycle being run (progress for stall detection).
    var takenThisCycle = 0

    init(streams: [HostStream], entryFifo: [Int32], entryPE: [Int32], exits: [Int: [Int]], model: FabricModel) {
        self.streams = streams
        self.entryFifo = entryFifo
        self.entryPE = entryPE
        self.exits = exits
        inBuffer = model.hostInBuffer
        outBuffer = model.hostOutBuffer
        moved = Array(repeating: 0, count: streams.count)
        received = Array(repeating: [], count: streams.count)
        lastMoveCycle = Array(repeating: -1, count: streams.count)
    }

    /// Whether stream `k` has finished, as memcpy sees it (the next transfer may start).
    public func isComplete(_ k: Int) -> Bool {
        let s = streams[k]
        return s.isToDevice ? s.count - moved[k] <= inBuffer : moved[k] >= s.count
    }

    /// Streams with wavelets still to move (a stream to the device whose last wavelets wait in memcpy's
    /// buffer counts until they are in the fabric).
    public var pending: Int {
        var n = 0
        for k in streams.indices where moved[k] < streams[k].count { n += 1 }
        return n
    }

    /// Moves `current` past every finished transfer.
    mutating func advanceCurrent() {
        while current < streams.count && isComplete(current) { current += 1 }
    }

    /// The stream to the host that takes a wavelet leaving at `key` (slot * 5 + port) now, if any: the
    /// first of them with wavelets left to read whose turn has come, or whose border buffer has room.
    func exitTaker(_ key: Int) -> Int? {
        guard let list = exits[key] else { return nil }
        for k in list where moved[k] < streams[k].count {
            return k <= current || moved[k] < outBuffer ? k : nil
        }
        return nil
    }

    /// Wavelets that entered from the host and have not left to it: in the fabric, in core queues and
    /// cores, and in memcpy's buffers at the edges.
    public var outstanding: Int {
        var n = 0
        for k in streams.indices {
            let s = streams[k]
            // Before its turn, what a stream to the host took waits in memcpy's border: still outstanding.
            let started = k <= current
            n += s.isToDevice ? moved[k] + (started ? min(inBuffer, s.count - moved[k]) : 0) : (started ? -moved[k] : 0)
        }
        return max(n, 0)
    }
}
