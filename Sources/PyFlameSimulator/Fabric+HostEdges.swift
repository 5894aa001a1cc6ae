import PyFlameIR
import PyFlameLowering

/// Host streams at the edges (docs/fabric-model.md, "Host edges"): wavelets the host pushes into a PE's
/// route from the west or north edge, and wavelets a route sends off that edge to the host. An entering
/// wavelet takes a place in the route's FIFO on that side as one from a neighbour would (the link's
/// pipeline stages and the router's buffer: `hop_latency + buffer_depth`), one a cycle; a leaving one
/// goes when the host side takes it. The colors with a stream to the host are dynamic colors, so their
/// routes run through `routeDynamic`, which hands a wavelet for the edge to ``takeAtHostExit``; nothing
/// of this runs on a fabric without host streams.
extension Fabric {
    /// Connects `streams` to the routes: refused when a stream's PE is not on its edge, has no route for
    /// its color, or its route does not take the edge side in (to the device) or send out to it (to the host).
    func attachHostStreams(_ streams: [HostStream]) throws(SimulationError) {
        var entryFifo: [Int32] = []
        var entryPE: [Int32] = []
        var exits: [Int: [Int]] = [:]
        for (k, stream) in streams.enumerated() {
            let pe = stream.pe
            let toDevice = stream.isToDevice
            func refuse(_ why: SimulationError.HostStreamRefusal) -> SimulationError {
                SimulationError(.hostStreamUnrouted(pe: pe, color: stream.color, side: stream.side, toDevice: toDevice, why: why), cycle: 0)
            }
            guard pe.x >= 0, pe.y >= 0, pe.x < width, pe.y < height, HostStream.edgeRefusal(pe: pe, side: stream.side) == nil else {
                throw refuse(.notOnEdge)
            }
            guard let s = slot(pe: pe, color: stream.color) else { throw refuse(.noRoute) }
            let index = pe.y * width + pe.x
            let port = Port.of(stream.side)
            if toDevice {
                var fifo: Int32 = -1
                for f in Int(peFifoStart[index])..<Int(peFifoStart[index + 1]) where Int(fifoSlot[f]) == s && Int(fifoPort[f]) == port {
                    fifo = Int32(f)
                }
                guard fifo >= 0 else { throw refuse(.sideNotInRoute) }
                entryFifo.append(fifo)
                entryPE.append(Int32(index))
            } else {
                guard case .offFabric = slotTarget(s, port: port), slotDynamic[s] != nil else { throw refuse(.sideNotInRoute) }
                exits[s * 5 + port, default: []].append(k)
                entryFifo.append(-1)
                entryPE.append(-1)
            }
        }
        hostEdges = HostEdgeState(streams: streams, entryFifo: entryFifo, entryPE: entryPE, exits: exits, model: model)
    }

    /// The host's side of cycle `now`, before the routers: every started stream to the device with
    /// wavelets left puts its next one into its PE's route from the edge when that FIFO has room (one a
    /// cycle per FIFO). Returns how many entered.
    func pushHostStreams(now: Int) -> Int {
        guard var edges = hostEdges else { return 0 }
        // Taken out while it changes, so its arrays stay uniquely held (no copy per cycle).
        hostEdges = nil
        edges.takenThisCycle = 0
        var entered = 0
        var used: [Int32] = []
        let fifos = self.fifos.pointer
        let now32 = Stamp(cycle: now)
        for k in edges.streams.indices where k <= edges.current {
            guard case .toDevice(let values) = edges.streams[k].way, edges.moved[k] < values.count else { continue }
            let f = edges.entryFifo[k]
            guard !used.contains(f), Fabric.hasRoom(Int(f), capacity: linkCapacity, now: now32, fifos) else { continue }
            used.append(f)
            let ready = Stamp(cycle: now &+ model.hopLatency)
            if fifos[Int(f)].shared { checkRace(Int(f), ready: ready) }
            if fifos[Int(f)].isDynamic { tagNext(Int(f), 0) }
            Fabric.push(Int(f), value: values[edges.moved[k]], ready: ready, fifos, fifoRings)
            inFlightByColor[edges.streams[k].color] &+= 1
            active.mark(Int(edges.entryPE[k]))
            edges.moved[k] += 1
            edges.lastMoveCycle[k] = now
            entered += 1
        }
        edges.advanceCurrent()
        hostEdges = edges
        return entered
    }

    /// After the routers of a cycle: the wavelets the edge took, and memcpy moves on past finished transfers.
    func finishHostCycle() -> Int {
        guard var edges = hostEdges else { return 0 }
        hostEdges = nil
        let taken = edges.takenThisCycle
        edges.takenThisCycle = 0
        edges.advanceCurrent()
        hostEdges = edges
        return taken
    }

    /// For `routeDynamic`: whether the wavelet slot `s` sends toward link port `p` goes to the host (nil:
    /// no host stream leaves there, a misroute), and if so whether the host side takes it this cycle.
    func hostExitRoom(slot s: Int, port p: Int) -> Bool? {
        guard let edges = hostEdges, edges.exits[s * 5 + p] != nil else { return nil }
        return edges.exitTaker(s * 5 + p) != nil
    }

    /// For `routeDynamic`: the host side takes `value`, leaving slot `s` toward port `p` in cycle `now`
    /// (after ``hostExitRoom(slot:port:)`` said it has room).
    func takeAtHostExit(slot s: Int, port p: Int, value: UInt32, now: Int) {
        guard var edges = hostEdges, let k = edges.exitTaker(s * 5 + p) else { return }
        hostEdges = nil
        edges.moved[k] += 1
        edges.received[k].append(value)
        edges.lastMoveCycle[k] = now
        edges.takenThisCycle += 1
        hostEdges = edges
    }
}
