// The lean kernel: the yardstick pyflame-bench measures the simulator against. It is the simplest fast
// hop-by-hop mesh simulator we know how to write in Swift on one core, with none of the simulator's
// features: one virtual channel, wavelets that carry their destination (routed X first, then Y),
// four-deep input buffers on every port, one cycle per hop, and a two-phase cycle (moves are decided
// against the buffers as they were, then land). A delivered wavelet is injected again at the same PE
// with a new random destination, so the number of wavelets stays constant (random traffic: the
// memory-bound case).
//
// Build: swiftc -Ounchecked lean-kernel.swift -o lean-kernel   (pyflame-bench sim does this itself)
// Run:   ./lean-kernel WIDTH HEIGHT WAVELETS CYCLES            e.g. ./lean-kernel 750 994 1000000 300
// Prints one line with cycles/s and flit-hops/s (link crossings per second).
import Foundation

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
guard arguments.count == 4, arguments.allSatisfy({ $0 > 0 }), arguments[0] < 65_536, arguments[1] < 65_536 else {
    FileHandle.standardError.write(Data("usage: lean-kernel WIDTH HEIGHT WAVELETS CYCLES (positive; sides below 65536)\n".utf8))
    exit(2)
}
let width = arguments[0], height = arguments[1], population = arguments[2], cycleCount = arguments[3]

// Ports of a router, in the order the round-robin walks them; `ramp` is the PE's own core.
let north = 0, south = 1, east = 2, west = 3, ramp = 4
let portCount = 5
let bufferDepth = 4  // a power of two: ring positions wrap with a mask
let peCount = width * height

/// xorshift64 with a fixed seed: the same workload on every run and every machine.
var randomState: UInt64 = 88_172_645_463_325_252
@inline(__always) func nextRandom() -> UInt64 {
    randomState ^= randomState << 13
    randomState ^= randomState >> 7
    randomState ^= randomState << 17
    return randomState
}

/// A random destination, packed as y << 16 | x (multiply-shift keeps it uniform without division).
@inline(__always) func randomDestination() -> UInt32 {
    let r = nextRandom()
    let x = UInt32(((r & 0xFFFF_FFFF) &* UInt64(width)) >> 32)
    let y = UInt32(((r >> 32) &* UInt64(height)) >> 32)
    return y << 16 | x
}

// Structure of arrays, one entry per (PE, port): a ring of `bufferDepth` wavelets, its head and its fill.
let buffers = UnsafeMutablePointer<UInt32>.allocate(capacity: peCount * portCount * bufferDepth)
let ringHead = UnsafeMutablePointer<UInt8>.allocate(capacity: peCount * portCount)
ringHead.initialize(repeating: 0, count: peCount * portCount)
let ringFill = UnsafeMutablePointer<UInt8>.allocate(capacity: peCount * portCount)
ringFill.initialize(repeating: 0, count: peCount * portCount)
/// Per PE: a bit per port whose buffer holds a wavelet, and the port the round-robin starts at.
let occupiedPorts = UnsafeMutablePointer<UInt8>.allocate(capacity: peCount)
occupiedPorts.initialize(repeating: 0, count: peCount)
let roundRobin = UnsafeMutablePointer<UInt8>.allocate(capacity: peCount)
roundRobin.initialize(repeating: 0, count: peCount)

// PEs to visit this cycle and next, as bitmaps walked in address order.
let wordCount = (peCount + 63) / 64
var activeNow = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
activeNow.initialize(repeating: 0, count: wordCount)
var activeNext = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
activeNext.initialize(repeating: 0, count: wordCount)
@inline(__always) func markActive(_ bitmap: UnsafeMutablePointer<UInt64>, _ pe: Int) { bitmap[pe >> 6] |= 1 << UInt64(pe & 63) }

// Moves decided this cycle, landed after every PE has been visited.
let pendingCapacity = peCount * portCount
let pendingPE = UnsafeMutablePointer<Int>.allocate(capacity: pendingCapacity)
let pendingPort = UnsafeMutablePointer<UInt8>.allocate(capacity: pendingCapacity)
let pendingValue = UnsafeMutablePointer<UInt32>.allocate(capacity: pendingCapacity)

@inline(__always) func enqueue(_ pe: Int, _ port: Int, _ wavelet: UInt32) {
    let slot = pe * portCount + port
    buffers[slot * bufferDepth + ((Int(ringHead[slot]) + Int(ringFill[slot])) & (bufferDepth - 1))] = wavelet
    ringFill[slot] &+= 1
    occupiedPorts[pe] |= UInt8(1 << port)
}

@inline(__always) func dequeue(_ pe: Int, _ port: Int) {
    let slot = pe * portCount + port
    ringHead[slot] = (ringHead[slot] &+ 1) & UInt8(bufferDepth - 1)
    ringFill[slot] &-= 1
    if ringFill[slot] == 0 { occupiedPorts[pe] &= ~UInt8(1 << port) }
}

// The initial population: wavelets waiting on the ramps of random PEs (never more than a buffer holds).
var placed = 0
while placed < population {
    let pe = Int(((nextRandom() & 0xFFFF_FFFF) &* UInt64(peCount)) >> 32)
    guard ringFill[pe * portCount + ramp] < bufferDepth else { continue }
    enqueue(pe, ramp, randomDestination())
    markActive(activeNow, pe)
    placed += 1
}

var hops: UInt64 = 0, delivered: UInt64 = 0
let start = DispatchTime.now().uptimeNanoseconds
for _ in 0..<cycleCount {
    var pendingCount = 0
    for word in 0..<wordCount {
        var bits = activeNow[word]
        if bits == 0 { continue }
        activeNow[word] = 0
        while bits != 0 {
            let pe = word * 64 + bits.trailingZeroBitCount
            bits &= bits &- 1
            let y = pe / width, x = pe - y * width
            // The occupied ports, rotated so the walk starts at this PE's round-robin port.
            let occupied = UInt32(occupiedPorts[pe]), first = UInt32(roundRobin[pe])
            var candidates = ((occupied >> first) | (occupied << (UInt32(portCount) - first))) & 31
            var outputsTaken: UInt32 = 0
            while candidates != 0 {
                let k = candidates.trailingZeroBitCount
                candidates &= candidates &- 1
                var port = k + Int(first)
                if port >= portCount { port -= portCount }
                let slot = pe * portCount + port
                let wavelet = buffers[slot * bufferDepth + Int(ringHead[slot])]
                let toX = Int(wavelet & 0xFFFF), toY = Int(wavelet >> 16)
                let output = toX > x ? east : toX < x ? west : toY > y ? south : toY < y ? north : ramp
                // One wavelet per output per cycle.
                if outputsTaken & (1 << UInt32(output)) != 0 { continue }
                if output == ramp {
                    // Delivered: the core sends a new wavelet from here.
                    outputsTaken |= 1 << UInt32(output)
                    dequeue(pe, port)
                    delivered += 1
                    pendingPE[pendingCount] = pe
                    pendingPort[pendingCount] = UInt8(ramp)
                    pendingValue[pendingCount] = randomDestination()
                    pendingCount += 1
                    continue
                }
                let neighbour: Int, arrivesOn: Int
                switch output {
                case east: (neighbour, arrivesOn) = (pe + 1, west)
                case west: (neighbour, arrivesOn) = (pe - 1, east)
                case south: (neighbour, arrivesOn) = (pe + width, north)
                default: (neighbour, arrivesOn) = (pe - width, south)
                }
                // Backpressure: only into room (as the buffer was at the start of the cycle).
                if ringFill[neighbour * portCount + arrivesOn] >= bufferDepth { continue }
                outputsTaken |= 1 << UInt32(output)
                dequeue(pe, port)
                hops += 1
                pendingPE[pendingCount] = neighbour
                pendingPort[pendingCount] = UInt8(arrivesOn)
                pendingValue[pendingCount] = wavelet
                pendingCount += 1
            }
            roundRobin[pe] = first + 1 == UInt32(portCount) ? 0 : UInt8(first + 1)
            if occupiedPorts[pe] != 0 { markActive(activeNext, pe) }
        }
    }
    // The second phase: decided moves land where there is still room.
    for k in 0..<pendingCount {
        let pe = pendingPE[k], port = Int(pendingPort[k])
        if ringFill[pe * portCount + port] >= bufferDepth { continue }
        enqueue(pe, port, pendingValue[k])
        markActive(activeNext, pe)
    }
    swap(&activeNow, &activeNext)
}
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
print(
    String(
        format: "swift W=%d H=%d pop=%d cycles=%d time=%.3fs cycles/s=%.1f flit-hops=%llu flit-hops/s=%.3g ns/flit-hop=%.2f delivered=%llu",
        width, height, population, cycleCount, seconds, Double(cycleCount) / seconds, hops, Double(hops) / seconds,
        1e9 * seconds / Double(max(hops, 1)), delivered))
