import PyFlameIR

/// The pieces of one data movement that travel from one source PE to one destination PE: they leave in
/// order as one stream of wavelets (a parcel) and arrive in that order.
struct MovementParcel {
    var source: PECoord
    var destination: PECoord
    var pieces: [MovementPiece]

    /// Wavelets the parcel carries.
    var count: Int { pieces.reduce(0) { $0 + $1.sourceAccess.count } }
}

/// How a data movement crosses the fabric when its point-to-point flows would crowd a PE's colors: every
/// parcel is relayed hop by hop through the cores of the PEs on its X-then-Y path (store and forward), and
/// each link direction uses two colors alternating by the sender's parity: PE x sends east on `E[x % 2]`
/// and receives from the west on `E[(x + 1) % 2]`, and the same for west (by x), south and north (by y).
/// A PE therefore routes at most ``colorsPerPE`` colors for the movement, whatever its size.
///
/// Every PE on a parcel's path (its source, the relays — PEs of other blocks and PEs with no program of
/// their own included — and its destination) handles the parcels that pass it in one global order (by
/// source, then destination): a relay receives the parcel into a transit buffer and then sends it on.
///
/// Why it cannot deadlock: by induction on that global order. Suppose every parcel before P has reached
/// its destination. At a PE on P's path, every operation before P's is for an earlier parcel (done), so
/// every step before the one holding P's operation can finish: a relay's receive always ends its step, so
/// no step holds a relay's receive of P together with an operation of a later parcel. Along one link and
/// color the sender sends, and the receiver receives, the parcels crossing that link in the same global
/// order, one at a time (a step never holds two operations on one color), so the wavelets ahead of P's on
/// that color are earlier parcels', already taken. Hence P's source sends, each relay (by induction along
/// the path) receives all of P and then sends it, and the destination receives it; operations of later
/// parcels that share a step with P's send or final receive run beside it and hold nothing P needs.
///
/// Transit memory: two transit buffers per relay PE, each as large as the largest parcel it relays, used
/// alternately. A relay's send of one parcel can share a step with its receive of the next, so the two
/// never use one buffer at once, and the receive after that comes a step later (the receive ends its
/// step). Two buffers rather than one per parcel keep the memory plan and what an emitted program declares
/// the same small amount however many parcels pass the PE.
enum HopRelay {
    /// A movement keeps one point-to-point flow per (source, destination) pair while no PE carries more
    /// than this many of them (so earlier programs keep their routes); beyond, it is relayed.
    static let directFlowLimit = 6
    /// Colors a relayed movement routes at one PE at most: two per link direction.
    static let colorsPerPE = 8

    /// The X-then-Y path of a parcel (source first).
    static func path(from: PECoord, to: PECoord) -> [PECoord] {
        var path: [PECoord] = [from]
        var at = from
        while at.x != to.x { at = PECoord(at.x + (to.x > at.x ? 1 : -1), at.y); path.append(at) }
        while at.y != to.y { at = PECoord(at.x, at.y + (to.y > at.y ? 1 : -1)); path.append(at) }
        return path
    }

    static func direction(from a: PECoord, to b: PECoord) -> Direction {
        b.x > a.x ? .east : b.x < a.x ? .west : b.y > a.y ? .south : .north
    }
}

/// One operation of a relayed movement at a PE, before the PE's operations are cut into steps.
private struct RelayOperation {
    var operation: FabricOperation
    /// A relay's receive: the step ends after it (see ``HopRelay``).
    var endsStep: Bool
}

extension Lowering {
    /// The most point-to-point paths of `parcels` that pass one PE (the colors direct flows need there),
    /// counted until it passes ``HopRelay/directFlowLimit``.
    mutating func directLoad(_ parcels: [MovementParcel]) throws(LoweringError) -> Int {
        var load: [PECoord: Int] = [:]
        var most = 0
        for parcel in parcels {
            try poll()
            for pe in HopRelay.path(from: parcel.source, to: parcel.destination) {
                let n = load[pe, default: 0] + 1
                load[pe] = n
                most = max(most, n)
            }
            if most > HopRelay.directFlowLimit { break }
        }
        return most
    }

    /// Relays `parcels` hop by hop (``HopRelay``): colors two per link direction, transit buffers on the
    /// relays, and every PE's operations in the parcels' order. Returns the colors used.
    mutating func relay(
        _ parcels: [MovementParcel], dtype: DType, carries: String, label: String, node: Node
    ) throws(LoweringError) -> [ColorID] {
        // Each parcel's path, and every hop (a link crossed in one direction) in first-use order.
        var paths: [[PECoord]] = []
        paths.reserveCapacity(parcels.count)
        var largest: [PECoord: Int] = [:]
        var hops: [Hop] = []
        var seen: Set<Hop> = []
        for parcel in parcels {
            try poll()
            let path = HopRelay.path(from: parcel.source, to: parcel.destination)
            paths.append(path)
            for i in 0..<(path.count - 1) {
                let hop = Hop(from: path[i], to: path[i + 1])
                if seen.insert(hop).inserted { hops.append(hop) }
                if i > 0 { largest[path[i]] = max(largest[path[i], default: 0], parcel.count) }
            }
        }
        // One flow per hop: a neighbour-to-neighbour route, the same for every relayed movement that crosses
        // that link that way, so the allocator gives it the same color every time (relays of the whole
        // program share them: at most 8 per PE, one per link direction in and out). The greedy lowest-color
        // choice comes out as two alternating colors per direction along a line.
        var hopColor: [Hop: ColorID] = [:]
        var used: [ColorID] = []
        for hop in hops {
            try poll()
            let way = HopRelay.direction(from: hop.from, to: hop.to)
            let flow = Flow.pointToPoint(
                from: hop.from, to: hop.to, carries: "\(carries), relayed \(way.description.lowercased()) from \(hop.from) to \(hop.to)",
                label: "\(label)_relay_\(way.description.prefix(1).lowercased())", node: node.id, opName: describe(node))
            let c = try colors.assign(flow)
            hopColor[hop] = c
            if !used.contains(c) { used.append(c) }
        }
        func color(_ from: PECoord, _ to: PECoord) -> ColorID { hopColor[Hop(from: from, to: to)]! }
        // Transit buffers: two per relay PE (one when it relays one parcel), the size of its largest parcel.
        var transit: [PECoord: [Int]] = [:]
        var relayed: [PECoord: Int] = [:]
        for path in paths {
            for pe in path.dropFirst().dropLast() { relayed[pe, default: 0] += 1 }
        }
        for pe in largest.keys.sorted() {
            try poll()
            let size = largest[pe]!
            transit[pe] = (0..<min(2, relayed[pe] ?? 1)).map { _ in
                addBuffer(pe, name: "\(label)_transit", dtype: dtype, shape: [size], node: node.id)
            }
        }
        // Every PE's operations, in the parcels' order.
        var perPE: [PECoord: [RelayOperation]] = [:]
        var nextTransit: [PECoord: Int] = [:]
        for (parcel, path) in zip(parcels, paths) {
            try poll()
            let count = parcel.count
            for (i, pe) in path.enumerated() {
                if i == 0 {
                    let c = color(pe, path[1])
                    for piece in parcel.pieces {
                        perPE[pe, default: []].append(RelayOperation(operation: .send(piece.sourceAccess, color: c), endsStep: false))
                    }
                } else if i == path.count - 1 {
                    let c = color(path[i - 1], pe)
                    for piece in parcel.pieces {
                        perPE[pe, default: []].append(
                            RelayOperation(operation: .receive(piece.destinationAccess, color: c, combine: .store), endsStep: false))
                    }
                } else {
                    let buffers = transit[pe]!
                    let k = nextTransit[pe, default: 0]
                    nextTransit[pe] = (k + 1) % buffers.count
                    let access = BufferAccess(buffer: buffers[k], extents: [count])
                    perPE[pe, default: []].append(
                        RelayOperation(operation: .receive(access, color: color(path[i - 1], pe), combine: .store), endsStep: true))
                    perPE[pe, default: []].append(RelayOperation(operation: .send(access, color: color(pe, path[i + 1])), endsStep: false))
                }
            }
        }
        for pe in perPE.keys.sorted() {
            try poll()
            var segment: [FabricOperation] = []
            for op in perPE[pe]! {
                segment.append(op.operation)
                if op.endsStep {
                    addFabricSteps(pe, segment, node: node.id)
                    segment = []
                }
            }
            if !segment.isEmpty { addFabricSteps(pe, segment, node: node.id) }
        }
        return used.sorted()
    }
}

/// A link crossed in one direction: from a PE to its neighbour.
struct Hop: Hashable {
    var from: PECoord
    var to: PECoord
}
