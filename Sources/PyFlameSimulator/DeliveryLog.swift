import Foundation

/// A wavelet that reached a core queue: the queue (whose PE and color it has), its payload and the
/// cycle it arrives (after the ramp).
struct LoggedDelivery {
    var queue: Int32
    var payload: UInt32
    var cycle: Int
}

/// Every wavelet delivered into a core queue, in delivery order: 8 bytes each (queue and payload) in
/// manually managed memory, and the cycle once per run of deliveries that arrive in the same cycle
/// (every delivery of a cycle arrives one ramp latency later, so cycles never decrease along the
/// log). The router loop appends through `Appender`, which holds the pointer and count in locals for
/// a cycle; the simulation moves the recorded front into its per-PE lists.
final class DeliveryLog {
    /// One delivery: its core queue (with `controlFlag` set for a control wavelet) and payload.
    struct Entry {
        var queue: Int32
        var payload: UInt32
    }

    /// Set in `Entry.queue` when the delivered wavelet is a control wavelet.
    static let controlFlag: Int32 = 1 << 30

    /// A run of deliveries arriving in one cycle, from entry `start` to the next run's start.
    struct Run {
        var cycle: Int
        var start: Int
    }

    private(set) var entries: UnsafeMutablePointer<Entry>
    private(set) var count = 0
    private(set) var capacity: Int
    private(set) var runs: [Run] = []

    init(capacity: Int = 1024) {
        self.capacity = capacity
        entries = DeliveryLog.resize(nil, to: capacity)
    }

    deinit { free(entries) }

    /// `realloc`: a large log grows by remapping its pages, without copying them.
    static func resize(_ entries: UnsafeMutablePointer<Entry>?, to capacity: Int) -> UnsafeMutablePointer<Entry> {
        guard let raw = realloc(entries, capacity * MemoryLayout<Entry>.stride) else {
            fatalError("out of memory for \(capacity) deliveries")
        }
        return raw.bindMemory(to: Entry.self, capacity: capacity)
    }

    /// The cycle entry `k` arrives, with `run` the index of a run at or before its own (advanced to it).
    @inline(__always) func cycle(ofEntry k: Int, run: inout Int) -> Int {
        while run + 1 < runs.count && runs[run + 1].start <= k { run += 1 }
        return runs[run].cycle
    }

    /// How many entries arrive by cycle `now` (a prefix of the log).
    func countArrived(by now: Int) -> Int {
        var lo = 0, hi = runs.count  // the first run arriving after `now`
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].cycle <= now { lo = mid + 1 } else { hi = mid }
        }
        return lo < runs.count ? runs[lo].start : count
    }

    subscript(k: Int) -> LoggedDelivery {
        var lo = 0, hi = runs.count - 1  // the last run starting at or before k
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if runs[mid].start <= k { lo = mid } else { hi = mid - 1 }
        }
        return LoggedDelivery(queue: entries[k].queue, payload: entries[k].payload, cycle: runs[lo].cycle)
    }

    /// Drops the first `n` entries.
    func removeFirst(_ n: Int) {
        precondition(n <= count)
        if n == 0 { return }
        // Overlapping ranges: memmove (the entries are trivial values).
        UnsafeMutableRawPointer(entries).copyMemory(from: entries + n, byteCount: (count - n) * MemoryLayout<Entry>.stride)
        count -= n
        if count == 0 {
            runs = []
            return
        }
        // Runs that ended within the dropped entries go; the others start n earlier (not below 0).
        var kept: [Run] = []
        for i in runs.indices {
            let end = i + 1 < runs.count ? runs[i + 1].start : count + n
            if end > n { kept.append(Run(cycle: runs[i].cycle, start: max(runs[i].start - n, 0))) }
        }
        runs = kept
    }

    /// The log's end for one cycle of appends: `finish` stores it back.
    struct Appender {
        var entries: UnsafeMutablePointer<Entry>
        var count: Int
        var capacity: Int
        /// The cycle of the last run.
        var lastCycle: Int
        let log: DeliveryLog

        @inline(__always) mutating func append(queue: Int, payload: UInt32, cycle: Int) {
            if count == capacity { grow() }
            if cycle != lastCycle { startRun(cycle) }
            entries[count] = Entry(queue: Int32(truncatingIfNeeded: queue), payload: payload)
            count &+= 1
        }

        /// The last appended delivery is a control wavelet.
        mutating func markLastControl() { entries[count &- 1].queue |= DeliveryLog.controlFlag }

        @inline(never) private mutating func grow() {
            entries = DeliveryLog.resize(entries, to: capacity * 2)
            capacity *= 2
        }

        @inline(never) private mutating func startRun(_ cycle: Int) {
            precondition(cycle > lastCycle, "deliveries logged out of cycle order")
            log.runs.append(Run(cycle: cycle, start: count))
            lastCycle = cycle
        }
    }

    var appender: Appender {
        Appender(entries: entries, count: count, capacity: capacity, lastCycle: runs.last?.cycle ?? Int.min, log: self)
    }

    func finish(_ appender: Appender) {
        entries = appender.entries
        count = appender.count
        capacity = appender.capacity
    }

    /// The entries and runs, copied (for a checkpoint).
    struct Copy {
        var entries: [Entry]
        var runs: [Run]
        var byteCount: Int { entries.count * MemoryLayout<Entry>.stride + runs.count * MemoryLayout<Run>.stride }
    }

    func copied() -> Copy {
        Copy(entries: Array(UnsafeBufferPointer(start: entries, count: count)), runs: runs)
    }

    /// Replaces the log with a copy (the capacity stays, or grows to hold it).
    func restore(_ copy: Copy) {
        if copy.entries.count > capacity {
            entries = DeliveryLog.resize(entries, to: copy.entries.count)
            capacity = copy.entries.count
        }
        copy.entries.withUnsafeBufferPointer { if let b = $0.baseAddress { entries.update(from: b, count: copy.entries.count) } }
        count = copy.entries.count
        runs = copy.runs
    }
}
