import PyFlameIR
@testable import PyFlameSimulator
import Testing

/// The encodings and walks the router loop is built on: `RouteTarget`, `Rings`, `ActivityBits`.
@Suite struct FlatStateTests {
    @Test func routeTargetsDecodeWhatTheyEncode() {
        for i in [0, 1, 2, 3, 4, 1_000, 3_000_000] {
            let fifo = RouteTarget.fifo(i), queue = RouteTarget.coreQueue(i)
            #expect(fifo.isFifo && !fifo.isCoreQueue && fifo.fifo == i)
            #expect(queue.isCoreQueue && !queue.isFifo && queue.coreQueue == i)
        }
        let misroutes: [RouteTarget] = [.noRoute, .notInRx, .offFabric]
        for m in misroutes { #expect(!m.isFifo && !m.isCoreQueue) }
        #expect(Set(misroutes.map(\.code)).count == 3)
        var links = LinkTargets()
        for p in 0..<4 { links[p] = .fifo(10 + p) }
        withUnsafeBytes(of: links) { raw in
            for p in 0..<4 { #expect(LinkTargets.load(raw.baseAddress!, port: p) == .fifo(10 + p) && links[p] == .fifo(10 + p)) }
        }
    }

    /// A ring's k-th wavelet keeps its place as the head is popped (k falls by one per pop), the places
    /// of one ring never meet another's, and wrap round within the ring.
    @Test func ringPlacesFollowTheWavelets() {
        let memory = SlabArena()
        for capacity in [1, 3, 4, 5, 9, 66, 255] {
            let rings = Rings(memory: memory, rings: 3, capacity: capacity)
            let size = rings.mask + 1
            #expect(size >= capacity - 2 && size >= 1)
            for r in 0..<3 {
                for pops in [0, 1, 200, 255, 256, 70_000] {
                    let places = (2..<(2 + size)).map { rings.place(r, pops: pops, $0) }
                    #expect(Set(places).count == size && places.allSatisfy { $0 >> rings.shift == r })
                    for k in 3..<(2 + size) { #expect(rings.place(r, pops: pops &+ 1, k - 1) == rings.place(r, pops: pops, k)) }
                    // A core queue counts its pops modulo 256: the same places.
                    #expect(rings.place(r, pops: pops & 255, 2) == rings.place(r, pops: pops, 2))
                }
            }
        }
    }

    /// Marks, unmarks and the walks of a three-level set agree with a plain set, over more indices
    /// than one top word covers.
    @Test func activityBitsWalkLikeASet() {
        let memory = SlabArena()
        let count = 300_000
        let bits = ActivityBits(count: count, memory: memory)
        var expected = Set<Int>()
        var rng = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let i = Int(rng.next() % UInt64(count))
            bits.mark(i)
            expected.insert(i)
        }
        for i in [0, 63, 64, 4_095, 4_096, 262_143, 262_144, count - 1] {
            bits.mark(i)
            expected.insert(i)
        }
        func indices() -> [Int] {
            var out: [Int] = []
            bits.forEachWord(taking: false) { w, word in
                #expect(word != 0)
                for b in 0..<64 where word & (1 << UInt64(b)) != 0 { out.append(w * 64 + b) }
                return true
            }
            return out
        }
        #expect(indices() == expected.sorted())
        // Unmarking during a walk (as the sinks do): every other index goes.
        var kept: [Int] = []
        var n = 0
        bits.forEachWord(taking: false) { w, word in
            for b in 0..<64 where word & (1 << UInt64(b)) != 0 {
                n += 1
                if n % 2 == 0 { bits.unmark(w * 64 + b) } else { kept.append(w * 64 + b) }
            }
            return true
        }
        #expect(indices() == kept)
        #expect(!bits.isEmpty)
        // A walk stops when asked.
        var visited = 0
        bits.forEachWord(taking: false) { _, _ in
            visited += 1
            return visited < 3
        }
        #expect(visited == 3)
        // Taking the words empties the set; setting them back restores it.
        var taken: [(Int, UInt64)] = []
        bits.forEachWord(taking: true) { w, word in
            taken.append((w, word))
            return true
        }
        #expect(bits.isEmpty && indices().isEmpty)
        for (w, word) in taken { bits.setWord(w, word) }
        #expect(indices() == kept)
    }
}
