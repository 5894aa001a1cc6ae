import PyFlameIR
import PyFlameLowering

/// The control wavelets a playground program's senders put on the fabric, per PE and send buffer, for
/// writing them with SDK 1.4's `<control>` library (`ctrl.encode_single_payload`, a `fabout_dsd` with
/// `.control = true`, as the `topic-06-switches` and `topic-07-switches-entrypt` tutorials do). Read from
/// `FabricProgram.playgroundCommandWords` (the commands, aligned with each color's `sent_` host input) and
/// the host input's values (the entry point and argument, `ControlWavelet.payload`).
struct ControlSends {
    /// One control wavelet of a send: where it is in the buffer and what it carries.
    struct Wavelet: Equatable {
        var index: Int
        var item: ControlItem
        var entryPoint: Int?
        var argument: UInt16

        /// `ctrl.encode_single_payload(ctrl.opcode.SWITCH_ADV, true, {}, 0)`: the opcode, ce_ignore, the
        /// control task entry point (`{}` for none) and the 16-bit argument.
        var encoded: String {
            let opcode =
                switch item.command {
                case .nop: "NOP"
                case .switchAdvance: "SWITCH_ADV"
                case .switchReset: "SWITCH_RST"
                case .teardown: "TEARDOWN"
                }
            let entry = entryPoint.map { ControlSends.taskName($0) } ?? "{}"
            return "ctrl.encode_single_payload(ctrl.opcode.\(opcode), \(item.ceIgnore), \(entry), \(argument))"
        }

        /// What it does, for the comment beside it.
        var comment: String {
            let what =
                switch item.command {
                case .nop: "NOP (moves no switch)"
                case .switchAdvance: "SWITCH_ADV: each router's switch on the way moves to its next position after routing it"
                case .switchReset: "SWITCH_RST: each router's switch on the way goes back to the base route"
                case .teardown: "TEARDOWN: the color stops at each router on the way until its core reconfigures it"
                }
            let core =
                item.ceIgnore
                ? "no core takes it (ce_ignore)"
                : entryPoint.map { "a core it reaches runs control task \($0) with argument \(argument)" } ?? "a core it reaches takes it"
            return "wavelet \(index): control, \(what); \(core)"
        }
    }

    /// No control wavelets (a lowered program's).
    static let none = ControlSends()

    private init() {}

    /// PE → send buffer → its control wavelets in order (only sends that have some).
    private(set) var byPE: [PECoord: [Int: [Wavelet]]] = [:]

    /// The name of the `control_task_id` constant for entry point `n`.
    static func taskName(_ n: Int) -> String { "control_task_\(n)" }

    /// Refuses a control wavelet of several commands (`encode_single_payload` carries one).
    init(_ program: FabricProgram, data: HostData) throws(EmitError) {
        for transfer in program.hostInputs {
            guard case .playgroundSends(let color) = transfer.source, let words = program.playgroundCommandWords[color] else { continue }
            let values = data.inputs[transfer.source]?.elements ?? []
            for piece in transfer.pieces {
                let range = piece.tile.ranges[0]
                var wavelets: [Wavelet] = []
                for (k, i) in range.enumerated() where i < words.count && words[i] != 0 {
                    let word = words[i]
                    let commands = (0..<ControlWavelet.maxCommands).filter { word >> (4 * UInt32($0)) & 8 != 0 }.count
                    guard commands == 1, let item = ControlWavelet.first(of: word) else {
                        throw EmitError(.controlCommands(pe: piece.pe, color: color, wavelet: k, commands: commands))
                    }
                    let payload = i < values.count ? UInt32(truncatingIfNeeded: Int64(exactly: values[i].rounded()) ?? 0) : 0
                    wavelets.append(
                        Wavelet(
                            index: k, item: item, entryPoint: ControlWavelet.entryPoint(ofPayload: payload),
                            argument: ControlWavelet.argument(ofPayload: payload)))
                }
                if !wavelets.isEmpty { byPE[piece.pe, default: [:]][piece.buffer] = wavelets }
            }
        }
    }

    /// What a PE program's code must say about its control wavelets: per send with control wavelets (in
    /// step order), the wavelets and the stream's length. PEs of a role with different layouts need a
    /// file each.
    struct Layout: Equatable {
        var sends: [(wavelets: [Wavelet], count: Int)]

        static func == (a: Layout, b: Layout) -> Bool {
            a.sends.count == b.sends.count && zip(a.sends, b.sends).allSatisfy { $0.wavelets == $1.wavelets && $0.count == $1.count }
        }
    }

    func layout(_ p: PEProgram) -> Layout {
        guard byPE[p.pe] != nil else { return Layout(sends: []) }
        var sends: [(wavelets: [Wavelet], count: Int)] = []
        for case .fabric(let ops) in p.steps {
            for case .send(let access, _) in ops where !wavelets(p.pe, buffer: access.buffer).isEmpty {
                sends.append((wavelets(p.pe, buffer: access.buffer), access.count))
            }
        }
        return Layout(sends: sends)
    }

    /// The control wavelets of buffer `buffer` at `pe` (empty when it sends data only).
    func wavelets(_ pe: PECoord, buffer: Int) -> [Wavelet] { byPE[pe]?[buffer] ?? [] }

    /// Every entry point the control wavelets of `pe` name, in order.
    func entryPoints(_ pe: PECoord) -> [Int] {
        Set((byPE[pe] ?? [:]).values.flatMap { $0.compactMap(\.entryPoint) }).sorted()
    }
}

/// A core that takes control wavelets and runs no program (the receivers of `topic-07-switches-entrypt`):
/// the colors they arrive on, the control task entry points they name, and how many it takes. Its PE
/// program binds a control task to each entry point and unblocks each color (WSE-3: the queue bound to it),
/// since no data task reads it.
public struct ControlReceiver: Sendable, Equatable, Hashable {
    public var colors: [ColorID]
    public var entryPoints: [Int]
    public var count: Int

    public init(colors: [ColorID], entryPoints: [Int], count: Int) {
        self.colors = colors
        self.entryPoints = entryPoints
        self.count = count
    }
}
