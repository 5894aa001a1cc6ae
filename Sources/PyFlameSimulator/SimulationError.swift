import PyFlameIR
import PyFlameLowering

/// Something the simulation refuses to do silently: a ``Kind`` with the PE, color, cycle and directions it
/// is about, the cycle the simulation stopped at, and the message rendered from the kind (here and nowhere
/// else).
public struct SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, with the values the message names.
    public enum Kind: Sendable, Equatable {
        /// Two wavelets on `color` arrive at `pe` in one cycle, from two directions.
        case race(color: Int, pe: PECoord, cycle: Int, from: Direction, and: Direction)
        /// `pe` sends `direction` at `cycle` where there is no PE `next`.
        case leavesFabric(pe: PECoord, color: Int, direction: Direction, cycle: Int, next: PECoord)
        /// The wavelet `pe` sends `direction` would reach `next` (from `from`, at `arrival`), which has no
        /// route for `color`.
        /// `arrivesAs`: the color the wavelet arrives on when a color swap changed it on the way.
        case unrouted(pe: PECoord, color: Int, direction: Direction, cycle: Int, next: PECoord, from: Direction, arrival: Int, arrivesAs: Int? = nil)
        /// ... whose route for `color` does not take `from` in its rx.
        case wrongDirection(pe: PECoord, color: Int, direction: Direction, cycle: Int, next: PECoord, from: Direction, arrival: Int, arrivesAs: Int? = nil)
        /// The core at `pe` sends on `color` at `cycle`, but `pe` has no route for it (`hasRoute` false) or no
        /// RAMP in its rx.
        case coreSendUnrouted(pe: PECoord, color: Int, cycle: Int, hasRoute: Bool)
        /// The core at `pe` receives on `color`, which no route delivers to its RAMP.
        case coreReceiveUnrouted(pe: PECoord, color: Int)
        /// Nothing moved or worked for `stallLimit` cycles with wavelets held (`stuck`: the routers holding
        /// them; `waiting`: the cores waiting, both as the message lists them).
        case deadlock(stallLimit: Int, stuck: [String], waiting: [String])
        /// No progress for `stallLimit` cycles and nothing in flight.
        case starvation(stallLimit: Int, stuck: [String], waiting: [String])
        /// Wavelets on `colors` circle through `pes` for `stallLimit` cycles without reaching a core.
        case livelock(colors: [Int], stallLimit: Int, wavelets: Int, pes: [PECoord])
        /// A program's host input has no value.
        case missingHostInput(name: String)
        /// The playground's send values of a color (`sent_red`) are missing, or miss a PE's segment.
        case missingPlaygroundValues(name: String, pe: PECoord?)
        /// A playground send value that is no 32-bit payload.
        case playgroundPayload(name: String, value: Double)
        /// A PE's kernel failed.
        case kernel(pe: PECoord, reason: String)
        /// The trace file could not be written.
        case traceFile(reason: String)
        /// A host stream (`stream in` when `toDevice`, else `stream out`) at `pe` on `color` across the `side`
        /// edge that no route carries.
        case hostStreamUnrouted(pe: PECoord, color: Int, side: Direction, toDevice: Bool, why: HostStreamRefusal)
        /// No progress for `stallLimit` cycles while the host stream into `pe` on `color` has `left` of its
        /// `total` wavelets still to hand over: `outstanding` are in the fabric (and memcpy's buffers), the
        /// last entered at `lastEntry` (-1: none did); `queue` is the input queue the core at `pe` reads the color through;
        /// `after` names the host streams waiting for it (memcpy runs them one at a time). (The cores are not
        /// listed: one that relays the stream is held up by what follows it, not waiting for wavelets.)
        case hostStreamStall(
            stallLimit: Int, pe: PECoord, color: Int, side: Direction, queue: Int?, total: Int, left: Int, outstanding: Int, lastEntry: Int,
            after: [String])
    }

    /// Why a host stream has no route.
    public enum HostStreamRefusal: Sendable, Equatable {
        /// The PE is not in the rectangle's first column (WEST) or row (NORTH).
        case notOnEdge
        /// The PE has no route for the color.
        case noRoute
        /// The PE's route for the color does not take the side in (to the device) or send out to it (to the host).
        case sideNotInRoute
    }

    /// The kinds grouped as `:status` and the view name them.
    public enum Category: String, Sendable {
        case unrouted, wrongDirection, race, deadlock, livelock, stall, starvation, leavesFabric, program
    }

    public var kind: Kind
    /// The cycle the simulation stops at.
    public var cycle: Int

    public init(_ kind: Kind, cycle: Int) {
        self.kind = kind
        self.cycle = cycle
    }

    public var description: String { message }

    public var category: Category {
        switch kind {
        case .race: .race
        case .leavesFabric: .leavesFabric
        case .unrouted, .coreSendUnrouted: .unrouted
        case .wrongDirection: .wrongDirection
        case .coreReceiveUnrouted, .starvation: .starvation
        case .deadlock: .deadlock
        case .livelock: .livelock
        case .missingHostInput, .missingPlaygroundValues, .playgroundPayload, .kernel, .traceFile: .program
        case .hostStreamUnrouted: .unrouted
        case .hostStreamStall: .stall
        }
    }

    /// Whether a run stopped by this error ran out of progress (a deadlock, livelock, stall or
    /// starvation): its message names no cycle of its own, so whoever reports the stop says where.
    public var isStall: Bool { [.deadlock, .livelock, .stall, .starvation].contains(category) }

    /// The message, rendered from the kind.
    /// `, which leaves as color 1 (color swap at (0,0))` when a swap changed the color on the way.
    static func swapNote(_ swapped: Int?, _ pe: PECoord) -> String {
        swapped.map { ", which leaves as color \($0) (color swap at \(pe))" } ?? ""
    }

    public var message: String {
        switch kind {
        case .race(let color, let pe, let cycle, let from, let and):
            return "two wavelets on color \(color) arrive at \(pe) in cycle \(cycle), from \(from) and from \(and): undefined in hardware"
        case .leavesFabric(let pe, let color, let direction, let cycle, let next):
            return "at cycle \(cycle), \(pe) sends a wavelet on color \(color) \(direction), where there is no PE \(next): it would leave the fabric"
        case .unrouted(let pe, let color, let direction, let cycle, let next, let from, let arrival, let swapped):
            let on = swapped ?? color
            return
                "at cycle \(cycle), \(pe) sends a wavelet on color \(color) \(direction)\(Self.swapNote(swapped, pe)); it would arrive at \(next) from \(from) at cycle \(arrival), but \(next) has no route for color \(on)"
        case .wrongDirection(let pe, let color, let direction, let cycle, let next, let from, let arrival, let swapped):
            let on = swapped ?? color
            return
                "at cycle \(cycle), \(pe) sends a wavelet on color \(color) \(direction)\(Self.swapNote(swapped, pe)); it would arrive at \(next) from \(from) at cycle \(arrival), which is not in the rx of \(next)'s route for color \(on)"
        case .coreSendUnrouted(let pe, let color, let cycle, let hasRoute):
            let why = hasRoute ? "has no RAMP in the rx of color \(color)" : "has no route for color \(color)"
            return "the core at \(pe) sends on color \(color) at cycle \(cycle), but \(pe) \(why)"
        case .coreReceiveUnrouted(let pe, let color):
            return "the core at \(pe) receives on color \(color), but no route delivers color \(color) to its RAMP"
        case .deadlock(let limit, let stuck, let waiting):
            return Self.stalled("deadlock: no wavelet moved and no core worked for \(limit) cycles", stuck, waiting)
        case .starvation(let limit, let stuck, let waiting):
            return Self.stalled(
                "stall: no progress for \(limit) cycles and no wavelet in flight: nothing will send what the cores wait for", stuck, waiting)
        case .livelock(let colors, let limit, let wavelets, let pes):
            let shown = pes.prefix(16).map(\.description).joined(separator: ", ") + (pes.count > 16 ? ", ... \(pes.count - 16) more" : "")
            return
                "livelock: wavelets on color\(colors.count == 1 ? "" : "s") \(colors.map(String.init).joined(separator: ", ")) circle for \(limit) cycles without reaching a core (no core sent, received or worked); "
                + "\(wavelets) wavelet\(wavelets == 1 ? "" : "s") go round through \(shown)"
        case .missingHostInput(let name):
            return "no value for host input \(name)"
        case .missingPlaygroundValues(let name, nil):
            return "no values for the playground's \(name)"
        case .missingPlaygroundValues(let name, let pe?):
            return "the playground's \(name) has no values for \(pe)"
        case .playgroundPayload(let name, let value):
            return "the playground's \(name) holds \(value), not a 32-bit wavelet"
        case .kernel(let pe, let reason):
            return "PE \(pe): \(reason)"
        case .traceFile(let reason):
            return reason
        case .hostStreamUnrouted(let pe, let color, let side, let toDevice, let why):
            let stream =
                toDevice ? "the host stream into \(pe) on color \(color) enters from \(side)" : "the host stream out of \(pe) on color \(color) leaves \(side)"
            switch why {
            case .notOnEdge:
                return "\(stream), but \(pe) is not on the \(side == .west ? "west edge (column 0)" : "north edge (row 0)") of the fabric"
            case .noRoute:
                return "\(stream), but \(pe) has no route for color \(color)"
            case .sideNotInRoute:
                return toDevice
                    ? "\(stream), but \(side) is not in the rx of \(pe)'s route for color \(color)"
                    : "\(stream), but \(pe)'s route for color \(color) does not send \(side)"
            }
        case .hostStreamStall(let limit, let pe, let color, let side, let queue, let total, let left, let outstanding, let lastEntry, let after):
            let through = queue.map { " and its input queue \($0)" } ?? ""
            var message =
                "stall: no progress for \(limit) cycles: the host stream into \(pe) on color \(color) (from \(side)) cannot finish, "
                + "\(outstanding) wavelet\(outstanding == 1 ? " is" : "s are") outstanding and \(left) of its \(total) still wait\(left == 1 ? "s" : "") at the host; "
                + "no more fit into \(pe)'s route\(through) " + (lastEntry < 0 ? "from the start of this stream" : "since cycle \(lastEntry)")
            if !after.isEmpty {
                message +=
                    "; memcpy runs host streams one at a time, so " + after.prefix(4).joined(separator: ", ") + " wait\(after.count == 1 ? "s" : "") for it"
            }
            return message
        }
    }

    private static func stalled(_ head: String, _ stuck: [String], _ waiting: [String]) -> String {
        var message = head
        if !stuck.isEmpty { message += "; stuck: " + stuck.joined(separator: "; ") }
        if !waiting.isEmpty { message += "; " + waiting.prefix(8).joined(separator: "; ") }
        return message
    }
}
