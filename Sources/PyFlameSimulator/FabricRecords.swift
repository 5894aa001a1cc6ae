import PyFlameIR
import PyFlameLowering

// The records of the fabric's flat state (see `Fabric`): small fixed-size values in `Slab`s, laid out
// so that one cycle of a busy fabric touches as few cache lines as it can.

/// The low 32 bits of a cycle, as FIFOs, core queues and their entries keep them (half the memory
/// of a full cycle number in the hot state). Compared with wrap-around arithmetic, which is exact
/// while every stamp is within 2^31 cycles of the clock: `Fabric.rebaseStamps` keeps them within 2^30.
/// A type of its own, so a stamp cannot be mixed up with a payload or a count.
struct Stamp: Equatable {
    var bits: UInt32

    @inline(__always) init(cycle: Int) { bits = UInt32(truncatingIfNeeded: cycle) }
    @inline(__always) init(bits: UInt32) { self.bits = bits }

    /// Cycle −1: before anything happened (what `lastPop` starts as).
    static let beforeStart = Stamp(cycle: -1)

    /// Whether this stamp is a later cycle than `now`.
    @inline(__always) func isAfter(_ now: Stamp) -> Bool { cycles(since: now) > 0 }

    /// This stamp's cycle minus `other`'s (negative when it is earlier).
    @inline(__always) func cycles(since other: Stamp) -> Int { Int(Int32(bitPattern: bits &- other.bits)) }

    /// The stamp `cycles` earlier.
    @inline(__always) func back(_ cycles: Int) -> Stamp { Stamp(bits: bits &- UInt32(truncatingIfNeeded: cycles)) }
}

/// An input FIFO (one per route and rx port), 32 bytes (two to a cache line): all that its sender reads
/// and writes to push into it and all that its router reads and writes to forward its head. It holds
/// its first two wavelets itself (at hop latency 1, all a free-flowing stream puts in it); only the
/// wavelets behind those two sit in storage, the k-th (k >= 2, the head is 0) at
/// `storage[f << fifoShift | (pops + k) & fifoMask]` (consecutive places, so a ring of capacity − 2).
struct FifoRecord {
    /// Pops since the start: the head's position in the ring, and the Active count of every output in tx.
    var pops: UInt32 = 0
    /// The cycle of the last pop (its slot is not free again until the next cycle).
    var lastPop: Stamp = .beforeStart
    /// The head's payload and the cycle it may leave (valid while `size > 0`).
    var headValue: UInt32 = 0
    var headReady: Stamp = Stamp(cycle: 0)
    /// The wavelet behind the head (valid while `size > 1`).
    var secondValue: UInt32 = 0
    var secondReady: Stamp = Stamp(cycle: 0)
    /// Where the head goes. One link out: the neighbour FIFO, or a negative error code (-1 no route
    /// there, -2 not in its rx, -3 off the fabric). RAMP alone: the core queue. Several outputs: its
    /// `FifoRoute` in `Fabric.fifoRoutes`.
    var target: Int32 = -3
    /// The wavelets it holds (head included).
    var size: UInt8 = 0
    /// Its route's tx (low 5 bits, bit p for port p) and which way the router loop takes it:
    /// `oneLink` (exactly one of N, E, S, W) or `rampOnly`.
    var txAndKind: UInt8
    /// The color (low 5 bits) and bit 7 set when its slot has several rx FIFOs (arrivals are then
    /// checked for races, see `FifoArrivalRecord`).
    var colorAndShared: UInt8

    static let oneLink: UInt8 = 0x20, rampOnly: UInt8 = 0x40

    init(tx: UInt8, color: UInt8, shared: Bool) {
        let oneLink = tx != 0 && tx & (tx - 1) == 0 && tx < 1 << Port.ramp
        txAndKind = tx | (oneLink ? FifoRecord.oneLink : 0) | (tx == 1 << Port.ramp ? FifoRecord.rampOnly : 0)
        colorAndShared = color | (shared ? 0x80 : 0)
    }

    var tx: UInt8 { txAndKind & 0x1F }
    var color: UInt8 { colorAndShared & 0x1F }
    var shared: Bool { colorAndShared & 0x80 != 0 }
}

/// Where a FIFO with several outputs sends its head: a neighbour FIFO (or negative error code) per
/// link port N, E, S, W, and the core queue with RAMP in tx.
struct FifoRoute {
    var target: (Int32, Int32, Int32, Int32) = (-3, -3, -3, -3)
    var coreQueue: Int32 = -1

    func target(_ p: Int) -> Int32 {
        switch p {
        case 0: return target.0
        case 1: return target.1
        case 2: return target.2
        default: return target.3
        }
    }
}

/// Where an input FIFO is (its slot and rx port) and, in a slot's first FIFO, the slot's last arrival:
/// what error reports and the race check of a slot with several rx FIFOs read, apart from the hot state.
struct FifoArrivalRecord {
    /// In the slot's first FIFO: the cycle and port of the slot's last arrival (race detection).
    var lastArrival = -1
    var slot: Int32
    var port: UInt8
    var lastArrivalPort: UInt8 = 0
    /// This FIFO's index minus the index of its slot's first FIFO.
    var fromFirst: UInt8
}

/// A wavelet behind the first two of a FIFO or core queue, in storage: the cycle it may leave (or
/// arrived), and its payload.
struct Entry {
    var ready: Stamp
    var value: UInt32
}

/// A route (slot): its neighbour targets (N, E, S, W), core queue, tx and color, as built. (The
/// router loop reads its FIFOs' copies: `FifoRecord.target`, `FifoRoute`.)
struct SlotRecord {
    /// For port p (N, E, S, W): the neighbour FIFO a wavelet enters, or a negative error code.
    var target: (Int32, Int32, Int32, Int32) = (-3, -3, -3, -3)
    /// With RAMP in tx: the core queue it delivers into.
    var coreQueue: Int32 = -1
    var tx: UInt8
    var color: UInt8

    func target(_ p: Int) -> Int32 { FifoRoute(target: target).target(p) }

    mutating func setTarget(_ p: Int, _ f: Int32) {
        switch p {
        case 0: target.0 = f
        case 1: target.1 = f
        case 2: target.2 = f
        default: target.3 = f
        }
    }
}

/// A core input queue, 24 bytes, holding its first two wavelets itself (the ones behind them are in
/// `Fabric.coreStorage`), so a queue that its core keeps up with never touches storage.
struct CoreQueueRecord {
    var lastPop: Stamp = .beforeStart
    /// The head's arrival cycle and payload (valid while `size > 0`).
    var headReady: Stamp = Stamp(cycle: 0)
    var headValue: UInt32 = 0
    /// The second wavelet's (valid while `size > 1`).
    var secondReady: Stamp = Stamp(cycle: 0)
    var secondValue: UInt32 = 0
    /// The head's position in the ring (pops modulo 256).
    var head: UInt8 = 0
    var size: UInt8 = 0
    var capacity: UInt8
    var color: UInt8
}

/// A push decided during a cycle, applied later in it (see `Fabric.step`).
struct PendingPush {
    var ready: Stamp
    /// A FIFO index, or -(core queue + 1).
    var target: Int32
    var value: UInt32
    /// The PE of the target FIFO (busy next cycle).
    var pe: Int32
}
