import PyFlameIR
import PyFlameLowering

/// A wavelet a router holds, as the views show it: its payload and its command word (0 for data).
public struct HeldWavelet: Sendable, Equatable {
    public var payload: UInt32
    /// The control commands it still carries (`ControlWavelet.commandWord`), 0 for a data wavelet.
    public var commandWord: UInt32

    public init(payload: UInt32, commandWord: UInt32 = 0) {
        self.payload = payload
        self.commandWord = commandWord
    }

    public var isControl: Bool { commandWord != 0 }
}

/// Read-only looks into the routers' input FIFOs for the views (`:view`'s cursor panel and control-wavelet
/// glyphs): nothing here runs in a cycle.
extension Fabric {
    /// The wavelets held at `pe`'s router inputs, head first, per color and side they came from (`.ramp`:
    /// from the core).
    public func heldWavelets(at pe: PECoord) -> [(color: Int, from: Direction, wavelets: [HeldWavelet])] {
        guard pe.x >= 0, pe.y >= 0, pe.x < width, pe.y < height else { return [] }
        let index = pe.y * width + pe.x
        var result: [(color: Int, from: Direction, wavelets: [HeldWavelet])] = []
        for f in Int(peFifoStart[index])..<Int(peFifoStart[index + 1]) where fifoSize(f) > 0 {
            result.append((Int(slotColor[Int(fifoSlot[f])]), Port.direction(Int(fifoPort[f])), contents(ofFifo: f)))
        }
        return result.sorted { ($0.color, $0.from) < ($1.color, $1.from) }
    }

    /// The router inputs whose head is a control wavelet (only colors with dynamic routes carry them).
    public func heldControlHeads() -> [(pe: PECoord, color: Int, from: Direction)] {
        guard hasDynamicColors else { return [] }
        var result: [(pe: PECoord, color: Int, from: Direction)] = []
        for f in 0..<fifoCount where fifoSize(f) > 0 && fifos[f].isDynamic && fifoTags[tagPlace(f, k: 0)] != 0 {
            let s = Int(fifoSlot[f])
            result.append((coordinate(Int(routerPE[Int(slotRouter[s])])), Int(slotColor[s]), Port.direction(Int(fifoPort[f]))))
        }
        return result
    }

    /// FIFO f's wavelets, head first.
    func contents(ofFifo f: Int) -> [HeldWavelet] {
        let record = fifos[f]
        let size = Int(record.size)
        return (0..<size).map { k in
            let value: UInt32
            switch k {
            case 0: value = record.headValue
            case 1: value = record.secondValue
            default: value = fifoRings[f, pops: Int(record.pops), k: k].value
            }
            return HeldWavelet(payload: value, commandWord: record.isDynamic ? fifoTags[tagPlace(f, k: k)] : 0)
        }
    }
}
