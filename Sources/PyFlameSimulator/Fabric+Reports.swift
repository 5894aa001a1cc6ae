import PyFlameIR
import PyFlameLowering

/// What `:stats` and stall reports read from the fabric: the wavelets routers hold and the per-output counts.
extension Fabric {
    /// Routers holding wavelets: where, on which color, from which side, toward which outputs, and the
    /// state of the head wavelet in the SDK GUI's words: Active (still crossing the link, or free to
    /// move), Delayed (its outputs are free of backpressure, so it waits for a shared output),
    /// Backpressure (a destination is full).
    public func heldWavelets(now: Int = Int.max) -> [(pe: PECoord, color: Int, count: Int, from: Direction, to: String, state: LinkState)] {
        var result: [(PECoord, Int, Int, Direction, String, LinkState)] = []
        for f in 0..<fifoCount where fifoSize(f) > 0 {
            let s = Int(fifoSlot[f])
            let pe = coordinate(Int(routerPE[Int(slotRouter[s])]))
            // A route with a switch sends where its position now says (the base tx otherwise).
            var tx = slotTx[s]
            if fifos[f].isDynamic {
                let d = fifos[f].route
                tx = dynamicRoutes[d].tx[Int(dynamicStates[d].position)]
            }
            let to = (0..<5).filter { tx & (1 << $0) != 0 }.map { Port.direction($0).description }.joined(separator: "+")
            var state = LinkState.active
            if now == Int.max || !fifos[f].headReady.isAfter(Stamp(cycle: now - 1)) {
                var full = false
                for p in 0..<5 where tx & (1 << p) != 0 {
                    if p == Port.ramp {
                        let q = Int(slotCoreQueue[s])
                        if q >= 0 && coreQueueSize[q] >= coreQueueCapacity[q] { full = true }
                    } else {
                        let t = slotTarget(s, port: p)
                        if t.isFifo && fifoSize(t.fifo) >= fifoCapacity(t.fifo) { full = true }
                    }
                }
                state = full ? .backpressure : .delayed
            }
            result.append((pe, Int(slotColor[s]), fifoSize(f), Port.direction(Int(fifoPort[f])), to, state))
        }
        return result.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    /// Router r's outputs (N, E, S, W, RAMP): the wavelets each has carried (its FIFOs' pops).
    func outputActivity(router r: Int) -> [Int] {
        var active = [0, 0, 0, 0, 0]
        let pe = Int(routerPE[r])
        for f in Int(peFifoStart[pe])..<Int(peFifoStart[pe + 1]) {
            for p in 0..<5 where fifos[f].tx & (1 << p) != 0 { active[p] += Int(fifos[f].pops) }
        }
        if hasDynamicColors { for p in 0..<5 { active[p] += Int(dynamicActive[r * 5 + p]) } }
        return active
    }

    /// Per router output: cycles Active, Delayed and Backpressure, for `:stats`.
    public func linkStatistics() -> [(pe: PECoord, direction: Direction, active: Int, delayed: Int, backpressure: Int)] {
        var result: [(PECoord, Direction, Int, Int, Int)] = []
        for r in 0..<routerCount {
            let active = outputActivity(router: r)
            for p in 0..<5 {
                let a = active[p], d = Int(outDelayed[r * 5 + p]), b = Int(outBackpressure[r * 5 + p])
                if a + d + b > 0 { result.append((coordinate(Int(routerPE[r])), Port.direction(p), a, d, b)) }
            }
        }
        return result
    }

}
