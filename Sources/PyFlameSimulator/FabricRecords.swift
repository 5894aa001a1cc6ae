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

/// Where a wavelet leaving a router goes, in 32 bits: a neighbour's input FIFO (its index, 0 or more),
/// a core queue (−4 − its index), or, toward a neighbour that does not take the wavelet, why not (a
/// misroute: −1 the neighbour has no route for the color, −2 the side is not in its route's rx, −3 there
/// is no neighbour). Every code is made and read through these names; each test is a compare or two.
struct RouteTarget: Equatable {
    var code: Int32

    /// Input FIFO `f` of the neighbour.
    @inline(__always) static func fifo(_ f: Int) -> RouteTarget { RouteTarget(code: Int32(truncatingIfNeeded: f)) }
    /// Core queue `q` (down the ramp).
    @inline(__always) static func coreQueue(_ q: Int) -> RouteTarget { RouteTarget(code: Int32(truncatingIfNeeded: -4 &- q)) }
    /// A misroute: the neighbour has no route for the color.
    static let noRoute = RouteTarget(code: -1)
    /// A misroute: the neighbour's route for the color does not list the side in its rx.
    static let notInRx = RouteTarget(code: -2)
    /// A misroute: there is no neighbour (the wavelet would leave the fabric).
    static let offFabric = RouteTarget(code: -3)

    @inline(__always) var isFifo: Bool { code >= 0 }
    @inline(__always) var isCoreQueue: Bool { code <= -4 }
    /// The FIFO's index (when `isFifo`).
    @inline(__always) var fifo: Int { Int(code) }
    /// The core queue's index (when `isCoreQueue`).
    @inline(__always) var coreQueue: Int { -4 &- Int(code) }
}

/// Where a route's wavelets go through the four link ports N, E, S, W (`RouteTarget`s, a FIFO or a
/// misroute each; `offFabric` for a port not in tx). Four 32-bit words: the router loop reads port p's
/// as word p (`load`).
struct LinkTargets {
    var north = RouteTarget.offFabric, east = RouteTarget.offFabric, south = RouteTarget.offFabric, west = RouteTarget.offFabric

    subscript(p: Int) -> RouteTarget {
        get {
            switch p {
            case Port.north: return north
            case Port.east: return east
            case Port.south: return south
            default: return west
            }
        }
        set {
            switch p {
            case Port.north: north = newValue
            case Port.east: east = newValue
            case Port.south: south = newValue
            default: west = newValue
            }
        }
    }

    /// Port p's target from `LinkTargets` at `base` (no switch: word p).
    @inline(__always) static func load(_ base: UnsafeRawPointer, port p: Int) -> RouteTarget {
        base.load(fromByteOffset: p &* MemoryLayout<RouteTarget>.stride, as: RouteTarget.self)
    }
}

/// Where the wavelets of FIFOs and core queues wait behind the first two (which their records hold):
/// ring r is `base[r << shift ..< (r + 1) << shift]`, and in it the k-th wavelet (the head is 0) of a
/// ring whose head has been popped `pops` times is at `(pops + k) & mask` (consecutive places, modulo a
/// power of two at least the capacity less 2). The one ring convention of FIFOs and core queues.
struct Rings {
    let base: UnsafeMutablePointer<Entry>
    let shift: Int
    /// Entries in all rings.
    let count: Int

    /// Rings of `count` rings for queues of at most `capacity` wavelets (at least 1 place each).
    init(memory: SlabArena, rings count: Int, capacity: Int) {
        var shift = 0
        while 1 << shift < capacity - 2 { shift += 1 }
        self.shift = shift
        self.count = count << shift
        base = memory.slab(count << shift, Entry(ready: Stamp(cycle: 0), value: 0), alignment: 64).pointer
    }

    @inline(__always) var mask: Int { (1 &<< shift) &- 1 }

    /// The place of the k-th wavelet (k >= 2) of ring r, popped `pops` times (any count: only its low bits matter).
    @inline(__always) func place(_ r: Int, pops: Int, _ k: Int) -> Int { r &<< shift | (pops &+ k) & mask }

    subscript(r: Int, pops pops: Int, k k: Int) -> Entry {
        @inline(__always) get { base[place(r, pops: pops, k)] }
        @inline(__always) nonmutating set { base[place(r, pops: pops, k)] = newValue }
    }
}

/// An input FIFO (one per route and rx port), 32 bytes (two to a cache line): all that its sender reads
/// and writes to push into it and all that its router reads and writes to forward its head. It holds
/// its first two wavelets itself (at hop latency 1, all a free-flowing stream puts in it); the ones
/// behind those two wait in its ring of `Fabric.fifoRings`.
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
    /// Where the head goes: `target` (one link out, or RAMP alone) or `route` (several outputs).
    private var targetOrRoute: Int32 = RouteTarget.offFabric.code
    /// The wavelets it holds (head included).
    var size: UInt8 = 0
    /// Its route's tx (low 5 bits, bit p for port p) and which way the router loop takes it:
    /// `oneLink` (exactly one of N, E, S, W), `rampOnly`, or `dynamic` (a FIFO of a color with switches,
    /// filters, color swap or control wavelets: tx 0 and `route` its `DynamicRoute`, handled apart by
    /// `Fabric.routeDynamic`, Fabric+Dynamics.swift).
    var txAndKind: UInt8
    /// The color (low 5 bits) and bit 7 set when its slot has several rx FIFOs (arrivals are then
    /// checked for races, see `FifoArrivalRecord`).
    var colorAndShared: UInt8

    static let oneLink: UInt8 = 0x20, rampOnly: UInt8 = 0x40, dynamic: UInt8 = 0x80

    init(tx: UInt8, color: UInt8, shared: Bool, dynamic: Bool = false) {
        let oneLink = tx != 0 && tx & (tx - 1) == 0 && tx < 1 << Port.ramp
        if dynamic {
            txAndKind = FifoRecord.dynamic
        } else {
            txAndKind = tx | (oneLink ? FifoRecord.oneLink : 0) | (tx == 1 << Port.ramp ? FifoRecord.rampOnly : 0)
        }
        colorAndShared = color | (shared ? 0x80 : 0)
    }

    var isDynamic: Bool { txAndKind & FifoRecord.dynamic != 0 }

    var tx: UInt8 { txAndKind & 0x1F }
    var color: UInt8 { colorAndShared & 0x1F }
    var shared: Bool { colorAndShared & 0x80 != 0 }

    /// With `oneLink` or `rampOnly`: the neighbour FIFO (or misroute), or the core queue.
    var target: RouteTarget {
        @inline(__always) get { RouteTarget(code: targetOrRoute) }
        set { targetOrRoute = newValue.code }
    }

    /// With several outputs: its `FifoRoute` in `Fabric.fifoRoutes`; with `dynamic`: its `DynamicRoute`
    /// in `Fabric.dynamicRoutes`.
    var route: Int {
        @inline(__always) get { Int(targetOrRoute) }
        set { targetOrRoute = Int32(newValue) }
    }
}

/// Where a FIFO with several outputs sends its head: its route's link targets, and the core queue with
/// RAMP in tx.
struct FifoRoute {
    var links = LinkTargets()
    var coreQueue: Int32 = -1
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

/// A wavelet behind the first two of a FIFO or core queue, in its ring (`Rings`): the cycle it may leave
/// (or arrived), and its payload.
struct Entry {
    var ready: Stamp
    var value: UInt32
}

/// A route (slot): its neighbour targets (N, E, S, W), core queue, tx and color, as built. (The
/// router loop reads its FIFOs' copies: `FifoRecord.target`, `FifoRoute`.)
struct SlotRecord {
    /// For each link port in tx: the neighbour FIFO a wavelet enters, or the misroute.
    var links = LinkTargets()
    /// With RAMP in tx: the core queue it delivers into.
    var coreQueue: Int32 = -1
    var tx: UInt8
    var color: UInt8
}

/// A core input queue, 24 bytes, holding its first two wavelets itself (the ones behind them wait in its
/// ring of `Fabric.coreRings`), so a queue that its core keeps up with never touches the rings.
struct CoreQueueRecord {
    var lastPop: Stamp = .beforeStart
    /// The head's arrival cycle and payload (valid while `size > 0`).
    var headReady: Stamp = Stamp(cycle: 0)
    var headValue: UInt32 = 0
    /// The second wavelet's (valid while `size > 1`).
    var secondReady: Stamp = Stamp(cycle: 0)
    var secondValue: UInt32 = 0
    /// Pops since the start, modulo 256 (the `Rings` count: every ring is at most 256 places).
    var pops: UInt8 = 0
    var size: UInt8 = 0
    var capacity: UInt8
    var color: UInt8
}

/// A push decided during a cycle, applied later in it (see `Fabric.step`).
struct PendingPush {
    var ready: Stamp
    /// A neighbour FIFO or a core queue.
    var target: RouteTarget
    var value: UInt32
    /// The PE of the target FIFO (busy next cycle).
    var pe: Int32
}
