import PyFlameIR

/// The playground's sends as the cycle loop walks them: one 16-byte cursor per send (its injection
/// FIFO, PE index, next value and count) in a flat array, the sends with values left in the order of
/// their FIFOs, and the values in the sends' own arrays (not copied).
struct PlaygroundSends {
    /// One send as the cycle loop walks it.
    struct Cursor {
        /// The injection FIFO, or -1 when the route is missing (the checked path reports it).
        var fifo: Int32
        var pe: Int32
        var next: Int32
        var count: Int32
    }

    private(set) var sources: [PlaygroundSend]
    private(set) var cursors: [Cursor]
    /// Each send's values (the sources' arrays, shared).
    private let values: [[UInt32]]
    /// Each send's command words (empty: all data).
    private let words: [[UInt32]]
    /// Sends with values left, by index, in the order of their PEs (stable: the sends of one PE keep the
    /// order written, which decides which of them the ramp takes), so a cycle's injections walk the
    /// FIFOs, grouped by PE, forward; in index order when a route is missing (the error then names the
    /// first such send, after the sends before it inject).
    private(set) var active: [Int32]
    private(set) var done = 0
    /// Whether every send's route exists (then a cycle's sends go through `Fabric.injectSends`).
    private let routed: Bool

    init(_ sends: [PlaygroundSend], fabric: Fabric) {
        sources = sends
        values = sends.map(\.values)
        words = sends.map(\.commandWords)
        cursors = sends.map {
            Cursor(
                fifo: Int32(fabric.injectionFifo(pe: $0.pe, color: $0.color) ?? -1), pe: Int32($0.pe.y * fabric.width + $0.pe.x),
                next: 0, count: Int32($0.values.count))
        }
        var list = sends.indices.filter { !sends[$0].values.isEmpty }
        done = sends.count - list.count
        let cursors = self.cursors
        // Sends on dynamic colors, and control wavelets, take the checked path, which keeps their command words.
        routed = !cursors.contains(where: { $0.fifo < 0 }) && !fabric.hasDynamicColors && !sends.contains(where: \.hasControl)
        if routed {
            list = list.enumerated().sorted { (cursors[$0.element].pe, $0.offset) < (cursors[$1.element].pe, $1.offset) }.map(\.element)
        }
        active = list.map { Int32($0) }
    }

    var count: Int { sources.count }
    var pending: Int { sources.count - done }
    var isEmpty: Bool { active.isEmpty }

    /// The sends with how far each has got.
    var states: [Simulation.SendState] {
        zip(sources, cursors).map { Simulation.SendState(pe: $0.pe, color: $0.color, values: $0.values, next: Int($1.next)) }
    }

    /// One cycle: each send with values left puts its next one on the ramp if its FIFO has room.
    /// Returns how many did, or nil on an error (a send whose route is missing).
    mutating func step(now: Int, fabric: Fabric) -> Int? {
        if routed {
            let count = active.count
            let (injected, keep) = values.withUnsafeBufferPointer { values in
                cursors.withUnsafeMutableBufferPointer { cursors in
                    active.withUnsafeMutableBufferPointer { active in
                        fabric.injectSends(cursors.baseAddress!, active.baseAddress!, count: count, values: values.baseAddress!, now: now)
                    }
                }
            }
            done += count - keep
            active.removeLast(count - keep)
            return injected
        }
        var keep = 0, finished = 0, injected = 0
        var failed = false
        let sources = self.sources, words = self.words
        values.withUnsafeBufferPointer { values in
            cursors.withUnsafeMutableBufferPointer { cursors in
                active.withUnsafeMutableBufferPointer { active in
                    for k in 0..<active.count {
                        let i = Int(active[k])
                        let f = Int(cursors[i].fifo)
                        let next = Int(cursors[i].next)
                        if f >= 0 {
                            if fabric.canInject(fifo: f, pe: Int(cursors[i].pe), now: now) {
                                fabric.inject(
                                    fifo: f, pe: Int(cursors[i].pe), value: values[i].withUnsafeBufferPointer { $0[next] }, now: now,
                                    commandWord: words[i].isEmpty ? 0 : words[i][next])
                                cursors[i].next = Int32(truncatingIfNeeded: next &+ 1)
                                injected &+= 1
                            }
                        } else if fabric.canInject(pe: sources[i].pe, color: sources[i].color, now: now) {
                            fabric.inject(pe: sources[i].pe, color: sources[i].color, value: sources[i].values[next], now: now)
                            cursors[i].next = Int32(truncatingIfNeeded: next &+ 1)
                            injected &+= 1
                        }
                        if cursors[i].next < cursors[i].count {
                            active[keep] = Int32(truncatingIfNeeded: i)
                            keep &+= 1
                        } else {
                            finished &+= 1
                        }
                        if f < 0 && fabric.error != nil { failed = true; break }
                    }
                }
            }
        }
        done += finished
        if failed { return nil }
        active.removeLast(active.count - keep)
        return injected
    }
}

extension Fabric {
    /// One cycle of playground sends whose routes all exist (`active[0..<count]`, sends by index, by PE
    /// and then in the order written): each puts its next value on the ramp if its FIFO has room, as `inject` does. The
    /// sends with values left move to the front of `active`; returns how many injected and how many
    /// are left.
    func injectSends(
        _ cursors: UnsafeMutablePointer<PlaygroundSends.Cursor>, _ active: UnsafeMutablePointer<Int32>, count: Int,
        values: UnsafePointer<[UInt32]>, now: Int
    ) -> (injected: Int, kept: Int) {
        let fifos = self.fifos.pointer, fifoRings = self.fifoRings
        let now32 = Stamp(cycle: now), ready = Stamp(cycle: now &+ model.rampLatency)
        let capacity = rampCapacity
        precondition(now > clock, "sends at cycle \(now) after step(now: \(clock)): a cycle's injections come before its step")
        let inFlightByColor = self.inFlightByColor.pointer, busy = self.active
        let rampCycle = self.routerRampCycle.pointer, peRouter = self.peRouter.pointer
        var injected = 0, keep = 0
        for a in 0..<count {
            let i = Int(active[a])
            let f = Int(cursors[i].fifo)
            var next = Int(cursors[i].next)
            // The ramp takes one wavelet a cycle, whatever the color: the PE's first send written whose FIFO has room.
            let router = Int(peRouter[Int(cursors[i].pe)])
            if rampCycle[router] != now && Fabric.hasRoom(f, capacity: capacity, now: now32, fifos) {
                rampCycle[router] = now
                let value = values[i].withUnsafeBufferPointer { $0[next] }
                Fabric.push(f, value: value, ready: ready, fifos, fifoRings)
                inFlightByColor[Int(fifos[f].color)] &+= 1
                busy.mark(Int(cursors[i].pe))
                next &+= 1
                cursors[i].next = Int32(truncatingIfNeeded: next)
                injected &+= 1
            }
            if next < Int(cursors[i].count) {
                active[keep] = Int32(truncatingIfNeeded: i)
                keep &+= 1
            }
        }
        return (injected, keep)
    }
}
