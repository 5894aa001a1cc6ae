import Foundation

/// A fixed-size array in manually managed memory: the simulator's flat state (no per-wavelet objects,
/// no bounds checks in the hot loop, no copy-on-write). Large slabs sit in 2 MiB-aligned memory
/// marked for transparent huge pages where the system offers them (fewer TLB misses across a
/// wafer's state).
struct Slab<T> {
    let pointer: UnsafeMutablePointer<T>
    let count: Int

    init(_ count: Int, _ value: T, alignment: Int = MemoryLayout<T>.alignment) {
        self.count = count
        pointer = Slab.allocate(max(count, 1), alignment: alignment)
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    init(_ values: [T]) {
        count = values.count
        pointer = Slab.allocate(max(values.count, 1), alignment: MemoryLayout<T>.alignment)
        if values.isEmpty { return }
        values.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: values.count) }
    }

    private static func allocate(_ count: Int, alignment: Int) -> UnsafeMutablePointer<T> {
        let bytes = count * MemoryLayout<T>.stride
        let huge = 2 << 20
        let large = bytes >= 2 * huge
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: large ? huge : max(alignment, MemoryLayout<T>.alignment))
        #if os(Linux)
            if large { _ = madvise(raw, bytes / huge * huge, MADV_HUGEPAGE) }
        #endif
        return raw.bindMemory(to: T.self, capacity: count)
    }

    subscript(i: Int) -> T {
        @inline(__always) get { pointer[i] }
        @inline(__always) nonmutating set { pointer[i] = newValue }
    }

    func free() { UnsafeMutableRawPointer(pointer).deallocate() }
}

/// A set of indices (busy PEs, occupied core queues) walked in increasing order: a bit per index,
/// a summary bit per word of those, a top bit per summary word; an empty set costs a few words to
/// walk. A word is nonzero only with its summary bit set, and a summary word only with its top bit.
struct ActivityBits {
    let bits: UnsafeMutablePointer<UInt64>
    let summary: UnsafeMutablePointer<UInt64>
    let top: UnsafeMutablePointer<UInt64>
    let words: Int, summaryWords: Int, topWords: Int

    init(count: Int) {
        words = (count + 63) / 64
        summaryWords = (words + 63) / 64
        topWords = (summaryWords + 63) / 64
        bits = Slab(words, 0).pointer
        summary = Slab(summaryWords, 0).pointer
        top = Slab(topWords, 0).pointer
    }

    @inline(__always) func mark(_ r: Int) {
        let old = bits[r &>> 6]
        bits[r &>> 6] = old | 1 &<< UInt64(r & 63)
        if old == 0 {
            summary[r &>> 12] |= 1 &<< UInt64((r &>> 6) & 63)
            top[r &>> 18] |= 1 &<< UInt64((r &>> 12) & 63)
        }
    }

    var isEmpty: Bool {
        for w in 0..<topWords where top[w] != 0 { return false }
        return true
    }

    func free() { UnsafeMutableRawPointer(bits).deallocate(); UnsafeMutableRawPointer(summary).deallocate(); UnsafeMutableRawPointer(top).deallocate() }
}

/// One field of a `Slab` of records, read and written like a `Slab` of its own.
struct Field<Record, T> {
    let base: UnsafeMutableRawPointer

    init(_ slab: Slab<Record>, _ key: WritableKeyPath<Record, T>) {
        base = UnsafeMutableRawPointer(slab.pointer) + MemoryLayout<Record>.offset(of: key)!
    }

    subscript(i: Int) -> T {
        @inline(__always) get { base.load(fromByteOffset: i &* MemoryLayout<Record>.stride, as: T.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: i &* MemoryLayout<Record>.stride, as: T.self) }
    }
}
