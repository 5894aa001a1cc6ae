import PyFlameIR

/// How received wavelets meet what the buffer holds.
public enum Combine: String, Sendable, Equatable {
    case store, add, max, min
}

/// One step of a PE's task program. Steps run in order; a step's fabric operations are asynchronous
/// (they overlap, as async DSD operations do) and the next step starts when the step's last
/// operation has finished.
public enum PEStep: Sendable, Equatable {
    /// Local compute over tiles.
    case compute(Kernel)
    /// Several fabric operations started together.
    case fabric([FabricOperation])
}

extension PEStep {
    /// The buffers the step writes: a kernel's output, a receive's destination (a forward writes nothing
    /// locally). The emitter's "first product into C" rule and the tests' interpreter read it.
    public var writtenBuffers: [Int] {
        switch self {
        case .compute(let k):
            switch k {
            case .elementwise(let out, _, _, _), .reduce(_, let out, _, _, _, _, _), .scale(let out, _), .copy(let out, _): return [out.buffer]
            case .matmulAccumulate(let c, _, _, _, _, _): return [c.buffer]
            }
        case .fabric(let ops):
            return ops.compactMap { if case .receive(let a, _, _) = $0 { return a.buffer } else { return nil } }
        }
    }
}

/// A fabric operation of a step.
public enum FabricOperation: Sendable, Equatable {
    /// Stream the elements of `source` onto `color` (out through the PE's RAMP).
    case send(BufferAccess, color: ColorID)
    /// Take `access.count` wavelets from `color` into `access`, combined with what is there.
    case receive(BufferAccess, color: ColorID, combine: Combine)
    /// Stream: for each element, receive from `from`, combine with the local element, send on `to`
    /// (the chain-reduce cell: one DSD operation from fabric to fabric).
    case forward(BufferAccess, from: ColorID, to: ColorID, combine: Combine)

    public var color: [ColorID] {
        switch self {
        case .send(_, let c), .receive(_, let c, _): return [c]
        case .forward(_, let a, let b, _): return [a, b]
        }
    }

    /// Wavelets the operation moves (on each of its colors).
    public var count: Int {
        switch self {
        case .send(let a, _), .receive(let a, _, _), .forward(let a, _, _, _): return a.count
        }
    }
}
