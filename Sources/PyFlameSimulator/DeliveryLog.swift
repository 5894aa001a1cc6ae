import Foundation

/// A wavelet that reached a core queue: the queue (whose PE and color it has), its payload and the
/// cycle it arrives (after the ramp).
struct LoggedDelivery {
    var queue: Int32
    var payload: UInt32
    var cycle: Int
}

/// Every wavelet delivered into a core queue, in delivery order, in manually managed memory: the
/// router loop appends to it directly (through `Appender`, which holds the pointer and count in
/// locals for a cycle), and the simulation moves the recorded front into its per-PE lists.
final class DeliveryLog {
    private(set) var entries: UnsafeMutablePointer<LoggedDelivery>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
        entries = DeliveryLog.resize(nil, to: capacity)
    }

    deinit { free(entries) }

    /// `realloc`: a large log grows by remapping its pages, without copying them.
    static func resize(_ entries: UnsafeMutablePointer<LoggedDelivery>?, to capacity: Int) -> UnsafeMutablePointer<LoggedDelivery> {
        guard let raw = realloc(entries, capacity * MemoryLayout<LoggedDelivery>.stride) else {
            fatalError("out of memory for \(capacity) deliveries")
        }
        return raw.bindMemory(to: LoggedDelivery.self, capacity: capacity)
    }

    var isEmpty: Bool { count == 0 }

    subscript(k: Int) -> LoggedDelivery { entries[k] }

    /// Drops the first `n` entries.
    func removeFirst(_ n: Int) {
        precondition(n <= count)
        if n == 0 { return }
        // Overlapping ranges: memmove (the entries are trivial values).
        UnsafeMutableRawPointer(entries).copyMemory(from: entries + n, byteCount: (count - n) * MemoryLayout<LoggedDelivery>.stride)
        count -= n
    }

    /// The log's end for one cycle of appends: `finish` stores it back.
    struct Appender {
        var entries: UnsafeMutablePointer<LoggedDelivery>
        var count: Int
        var capacity: Int

        @inline(__always) mutating func append(queue: Int, payload: UInt32, cycle: Int) {
            if count == capacity { grow() }
            entries[count] = LoggedDelivery(queue: Int32(truncatingIfNeeded: queue), payload: payload, cycle: cycle)
            count &+= 1
        }

        @inline(never) private mutating func grow() {
            entries = DeliveryLog.resize(entries, to: capacity * 2)
            capacity *= 2
        }
    }

    var appender: Appender { Appender(entries: entries, count: count, capacity: capacity) }

    func finish(_ appender: Appender) {
        entries = appender.entries
        count = appender.count
        capacity = appender.capacity
    }
}
