import Foundation

/// The owner of a fabric's flat memory: every `Slab` (and so every `ActivityBits` and `Rings`) is made
/// through it and freed with it, in one place, when its fabric goes.
final class SlabArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    /// `count` copies of `value`.
    func slab<T>(_ count: Int, _ value: T, alignment: Int = MemoryLayout<T>.alignment) -> Slab<T> {
        let slab = Slab(count, value, alignment: alignment)
        blocks.append(UnsafeMutableRawPointer(slab.pointer))
        return slab
    }

    /// The values of an array.
    func slab<T>(_ values: [T]) -> Slab<T> {
        let slab = Slab(values)
        blocks.append(UnsafeMutableRawPointer(slab.pointer))
        return slab
    }

    deinit {
        for block in blocks { block.deallocate() }
    }
}

/// A fixed-size array in manually managed memory: the simulator's flat state (no per-wavelet objects,
/// no bounds checks in the hot loop, no copy-on-write), made by and freed with a `SlabArena`. Large
/// slabs sit in 2 MiB-aligned memory marked for transparent huge pages where the system offers them
/// (fewer TLB misses across a wafer's state).
struct Slab<T> {
    let pointer: UnsafeMutablePointer<T>
    let count: Int

    fileprivate init(_ count: Int, _ value: T, alignment: Int) {
        self.count = count
        pointer = Slab.allocate(max(count, 1), alignment: alignment)
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    fileprivate init(_ values: [T]) {
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
}

/// A set of indices (busy PEs, occupied core queues) walked in increasing order: a bit per index,
/// a summary bit per word of those, a top bit per summary word; an empty set costs a few words to
/// walk. A word is nonzero only with its summary bit set, and a summary word only with its top bit.
struct ActivityBits {
    let bits: UnsafeMutablePointer<UInt64>
    let summary: UnsafeMutablePointer<UInt64>
    let top: UnsafeMutablePointer<UInt64>
    let words: Int, summaryWords: Int, topWords: Int

    init(count: Int, memory: SlabArena) {
        words = (count + 63) / 64
        summaryWords = (words + 63) / 64
        topWords = (summaryWords + 63) / 64
        bits = memory.slab(words, 0).pointer
        summary = memory.slab(summaryWords, 0).pointer
        top = memory.slab(topWords, 0).pointer
    }

    @inline(__always) func mark(_ r: Int) {
        let old = bits[r &>> 6]
        bits[r &>> 6] = old | 1 &<< UInt64(r & 63)
        if old == 0 {
            summary[r &>> 12] |= 1 &<< UInt64((r &>> 6) & 63)
            top[r &>> 18] |= 1 &<< UInt64((r &>> 12) & 63)
        }
    }

    /// Removes index r (clearing its word's summary bit, and that one's top bit, when they empty).
    @inline(__always) func unmark(_ r: Int) {
        let word = bits[r &>> 6] & ~(1 &<< UInt64(r & 63))
        bits[r &>> 6] = word
        if word != 0 { return }
        let s = summary[r &>> 12] & ~(1 &<< UInt64((r &>> 6) & 63))
        summary[r &>> 12] = s
        if s == 0 { top[r &>> 18] &= ~(1 &<< UInt64((r &>> 12) & 63)) }
    }

    /// Sets word w (of an empty word) to `value` (nonzero), with its summary and top bits.
    @inline(__always) func setWord(_ w: Int, _ value: UInt64) {
        bits[w] = value
        summary[w &>> 6] |= 1 &<< UInt64(w & 63)
        top[w &>> 12] |= 1 &<< UInt64((w &>> 6) & 63)
    }

    var isEmpty: Bool {
        for w in 0..<topWords where top[w] != 0 { return false }
        return true
    }

    /// The one walk of the three levels: `visit` gets each nonzero word (its index w, for indices
    /// w * 64 ..< w * 64 + 64, and its bits) in increasing order and returns false to stop. With `taking`,
    /// each word, summary word and top word is cleared as the walk takes it (the set is empty after a
    /// full walk; indices marked meanwhile belong in another set); without, `visit` may `unmark` the
    /// indices of the word it is given. (Nested loops around an inlined closure: an iterator's state, live
    /// across the router loop, cost it 14% more instructions, measured.)
    @inline(__always) func forEachWord(taking: Bool, _ visit: (_ index: Int, _ bits: UInt64) -> Bool) {
        for tw in 0..<topWords {
            var tbits = top[tw]
            if tbits == 0 { continue }
            if taking { top[tw] = 0 }
            while tbits != 0 {
                let sw = tw &<< 6 | tbits.trailingZeroBitCount
                tbits &= tbits &- 1
                var sbits = summary[sw]
                if taking { summary[sw] = 0 }
                while sbits != 0 {
                    let w = sw &<< 6 | sbits.trailingZeroBitCount
                    sbits &= sbits &- 1
                    let word = bits[w]
                    if taking { bits[w] = 0 }
                    if !visit(w, word) { return }
                }
            }
        }
    }

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
