import PyFlameIR

/// Where a PE's buffers live in its memory: one array (a slot) per group of buffers that are never live at
/// the same step, so a buffer takes the memory of one whose last use came before its first. The lowering's
/// memory figure (``PEProgram/peakBytes``), its `pe_data_budget` refusal and the arrays an emitted PE
/// program declares all come from this plan: the emitter declares exactly its slots.
///
/// A slot holds buffers of one dtype (the code reads them as that type) and is as large as the largest of
/// them. The plan depends only on the buffers' dtypes, sizes and live spans (``Buffer/firstUse`` to
/// ``Buffer/lastUse``), so PEs with the same buffers get the same plan.
public struct MemoryPlan: Sendable, Equatable {
    /// One array of PE memory and the buffers that take turns in it.
    public struct Slot: Sendable, Equatable {
        public var dtype: DType
        /// Elements: those of its largest buffer.
        public var count: Int
        /// The buffers it holds (indices into ``PEProgram/buffers``), in the order they become live.
        public var buffers: [Int]

        public var bytes: Int { count * dtype.byteSize }
    }

    /// The arrays, in the order of their first buffer (the lowest index).
    public var slots: [Slot]
    /// The slot of each buffer (same indices as ``PEProgram/buffers``).
    public var slotOf: [Int]

    /// Bytes of data the PE holds: the slots' sum.
    public var bytes: Int { slots.reduce(0) { $0 + $1.bytes } }

    /// The plan of `buffers`: largest first, each buffer joins the smallest slot of its dtype none of whose
    /// buffers is live at a step it is live (a slot is as large as its first buffer, so it never grows), or
    /// takes a slot of its own. A buffer is live from its first use to its last, both included.
    public init(_ buffers: [Buffer]) {
        var groups: [Slot] = []
        let order = buffers.indices.sorted { (-buffers[$0].count, buffers[$0].firstUse, $0) < (-buffers[$1].count, buffers[$1].firstUse, $1) }
        for b in order {
            let buffer = buffers[b]
            var best: Int?
            for k in groups.indices where groups[k].dtype == buffer.dtype {
                let apart = groups[k].buffers.allSatisfy { buffers[$0].lastUse < buffer.firstUse || buffer.lastUse < buffers[$0].firstUse }
                if apart, best.map({ groups[k].count < groups[$0].count }) ?? true { best = k }
            }
            if let k = best {
                groups[k].buffers.append(b)
            } else {
                groups.append(Slot(dtype: buffer.dtype, count: buffer.count, buffers: [b]))
            }
        }
        for k in groups.indices { groups[k].buffers.sort { (buffers[$0].firstUse, $0) < (buffers[$1].firstUse, $1) } }
        groups.sort { $0.buffers.min()! < $1.buffers.min()! }
        slots = groups
        slotOf = [Int](repeating: 0, count: buffers.count)
        for (k, slot) in groups.enumerated() { for b in slot.buffers { slotOf[b] = k } }
    }
}

extension PEProgram {
    /// Where the PE's buffers live (``MemoryPlan``): what the emitted PE program declares.
    public var memoryPlan: MemoryPlan { MemoryPlan(buffers) }
}
