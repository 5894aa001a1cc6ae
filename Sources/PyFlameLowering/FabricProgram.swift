import PyFlameIR

/// A router port: the four neighbours and the PE's own core (RAMP), as CSL spells them.
public enum Direction: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case north, east, south, west, ramp

    public var description: String {
        switch self {
        case .north: return "NORTH"
        case .east: return "EAST"
        case .south: return "SOUTH"
        case .west: return "WEST"
        case .ramp: return "RAMP"
        }
    }

    /// The side a wavelet sent this way arrives from at the neighbour.
    public var opposite: Direction {
        switch self {
        case .north: return .south
        case .south: return .north
        case .east: return .west
        case .west: return .east
        case .ramp: return .ramp
        }
    }

    /// The neighbour's offset (x, y); y grows southward.
    public var step: (dx: Int, dy: Int) {
        switch self {
        case .north: return (0, -1)
        case .south: return (0, 1)
        case .east: return (1, 0)
        case .west: return (-1, 0)
        case .ramp: return (0, 0)
        }
    }

    public static func < (a: Direction, b: Direction) -> Bool { a.rawValue < b.rawValue }
}

/// A set of router ports, printed `{WEST}` or `{RAMP, EAST}` in CSL's order of `.rx`/`.tx` tuples.
public struct DirectionSet: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public private(set) var bits: UInt8

    public init(_ directions: [Direction] = []) {
        bits = 0
        for d in directions { insert(d) }
    }

    public init(arrayLiteral elements: Direction...) { self.init(elements) }

    public mutating func insert(_ d: Direction) { bits |= 1 << UInt8(d.rawValue) }
    public func contains(_ d: Direction) -> Bool { bits & (1 << UInt8(d.rawValue)) != 0 }
    public var isEmpty: Bool { bits == 0 }
    public var count: Int { bits.nonzeroBitCount }

    /// RAMP first, then the compass in N, E, S, W order.
    public var sorted: [Direction] {
        ([.ramp] + [.north, .east, .south, .west]).filter(contains)
    }

    public var description: String { "{" + sorted.map(\.description).joined(separator: ", ") + "}" }
}

/// A routable color: 0–23 on both architectures; memcpy reserves 21–23 in emitted programs.
public typealias ColorID = Int

/// What a color carries, for `:colors`.
public struct ColorUse: Sendable, Equatable {
    public var id: ColorID
    /// A symbolic name: `c7_reduce_east_0` (op id, pattern, index).
    public var name: String
    /// One line: which op, which data, which direction (the first flow given this color).
    public var carries: String
    /// How many flows share the color (they never meet at a PE).
    public var flows: Int
    /// The IR nodes whose flows use it.
    public var nodes: [NodeID]
}

/// One router configuration: on `color` at `pe`, accept from `rx` and send to `tx` (multicast when
/// several). One per (PE, color) — the `@set_color_config` of the layout file.
public struct RouteConfig: Hashable, Sendable {
    public var pe: PECoord
    public var color: ColorID
    public var rx: DirectionSet
    public var tx: DirectionSet

    public init(pe: PECoord, color: ColorID, rx: DirectionSet, tx: DirectionSet) {
        self.pe = pe
        self.color = color
        self.rx = rx
        self.tx = tx
    }
}

/// A (PE, color) pair: where one route of a program is configured.
public struct RouteKey: Hashable, Sendable {
    public var pe: PECoord
    public var color: ColorID

    public init(_ pe: PECoord, _ color: ColorID) {
        self.pe = pe
        self.color = color
    }
}

/// A PE buffer: a named block of elements, allocated for the span of steps that use it.
public struct Buffer: Sendable, Equatable {
    public var name: String
    public var dtype: DType
    public var count: Int
    /// The tile shape it holds (for 2-D accesses); `[count]` for a flat buffer.
    public var shape: [Int]
    /// First and last step index (in the PE's step list) that touch it; host inputs start at -1,
    /// host outputs end at `Int.max` (read back after the program).
    public var firstUse: Int
    public var lastUse: Int
    /// The IR node whose data it holds.
    public var node: NodeID

    public var bytes: Int { count * dtype.byteSize }
}

/// An affine view of a buffer: `extents` elements per dimension, `strides` apart, from `offset`
/// (a DSD `tensor_access` in CSL). Elements are visited in row-major order of the extents.
public struct BufferAccess: Sendable, Equatable, CustomStringConvertible {
    public var buffer: Int
    public var offset: Int
    public var extents: [Int]
    public var strides: [Int]

    public init(buffer: Int, offset: Int = 0, extents: [Int], strides: [Int]? = nil) {
        self.buffer = buffer
        self.offset = offset
        self.extents = extents
        if let strides {
            self.strides = strides
        } else {
            var s = [Int](repeating: 1, count: extents.count)
            for i in stride(from: extents.count - 2, through: 0, by: -1) { s[i] = s[i + 1] * extents[i + 1] }
            self.strides = s
        }
    }

    /// Elements the access visits.
    public var count: Int { extents.reduce(1, *) }

    /// The buffer offsets visited, in order.
    public func offsets() -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        guard count > 0 else { return result }
        var index = [Int](repeating: 0, count: extents.count)
        while true {
            var at = offset
            for d in 0..<extents.count { at += index[d] * strides[d] }
            result.append(at)
            var d = extents.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < extents[d] { break }
                index[d] = 0
                d -= 1
            }
            if d < 0 { return result }
        }
    }

    public var description: String {
        let e = extents.map(String.init).joined(separator: "x")
        let s = strides.map(String.init).joined(separator: ",")
        return "b\(buffer)[\(offset) +\(e) step \(s)]"
    }
}

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

/// Back-end-neutral compute kernels with typed parameters; the CSL back end maps each kind to a
/// template, the simulator runs it with the compute cost model.
public enum Kernel: Sendable, Equatable {
    /// `out[i] = expression(inputs[..][i])` over `count` elements (a fused chain of elementwise ops).
    case elementwise(out: BufferAccess, inputs: [BufferAccess], expression: KernelExpression, count: Int)
    /// Reduce `input` (viewed as [outer, reduced, inner]) along the middle axis into `out` (combining
    /// with `out` when `accumulate`). A mean is a sum followed by one `scale` where the result ends.
    case reduce(ReduceFunction, out: BufferAccess, input: BufferAccess, outer: Int, reduced: Int, inner: Int, accumulate: Bool)
    /// `out[i] = out[i] / divisor` — the one division of a mean, at its end.
    case scale(out: BufferAccess, divisor: Double)
    /// C[m×n] += A[m×k] · B[k×n] (row-major tiles).
    case matmulAccumulate(c: BufferAccess, a: BufferAccess, b: BufferAccess, m: Int, k: Int, n: Int)
    /// Copy elements between two accesses of equal count (local part of a data movement).
    case copy(out: BufferAccess, input: BufferAccess)

    /// The name of the kernel kind (what `:lower` shows and the template registry keys on).
    public var kind: String {
        switch self {
        case .elementwise: return "elementwise"
        case .reduce: return "reduce"
        case .scale: return "scale"
        case .matmulAccumulate: return "matmul_accumulate"
        case .copy: return "copy"
        }
    }
}

/// A fused elementwise expression over kernel inputs (`in0`, `in1`, ...) and constants.
public indirect enum KernelExpression: Sendable, Equatable, CustomStringConvertible {
    case input(Int)
    case constant(Double)
    case unary(UnaryFunction, KernelExpression)
    case binary(BinaryFunction, KernelExpression, KernelExpression)

    public var description: String {
        switch self {
        case .input(let i): return "in\(i)"
        case .constant(let v): return v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .unary(let f, let e): return "\(f.rawValue)(\(e))"
        case .binary(let f, let a, let b): return "(\(a) \(f.symbol) \(b))"
        }
    }

    /// The ops of the chain, innermost first (for `:lower`'s fused-ops line).
    public var opNames: [String] {
        switch self {
        case .input, .constant: return []
        case .unary(let f, let e): return e.opNames + [f.rawValue]
        case .binary(let f, let a, let b): return a.opNames + b.opNames + [f.rawValue]
        }
    }
}
