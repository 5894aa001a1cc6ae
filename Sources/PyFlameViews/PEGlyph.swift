import PyFlameIR
import PyFlameLowering

/// The characters that mark a PE in `:pes`, the fabric view and the view's help: one table, so the
/// three always agree on what `+` or `:` means.
public enum PEGlyph {
    static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// The letter of the op at `index` in a program (A, B, ...; `*` past Z).
    public static func op(_ index: Int) -> Character { index >= 0 && index < letters.count ? letters[index] : "*" }

    /// A PE that runs more than one op of the program.
    public static let severalOps: Character = "+"
    /// A PE that runs no op but whose router carries wavelets.
    public static let routesOnly: Character = ":"
    /// A PE the program does not use.
    public static func unused(unicode: Bool) -> Character { unicode ? "·" : "." }

    /// A playground PE whose core sends wavelets (`send`).
    public static let sender: Character = "S"
    public static let senderMeaning = "sends"
    /// A playground PE whose core receives wavelets and sends none (a route's tx includes RAMP).
    public static let receiver: Character = "R"
    public static let receiverMeaning = "receives"

    /// A playground PE whose core reacts (`on (x,y) ...`).
    public static let reactingCore: Character = "@"
    public static let reactingCoreMeaning = "a core that reacts (on (x,y) receive, forward or chain)"

    /// For the color shown: a router a teardown froze on it (nothing moves until its core reconfigures it).
    public static let tornDown: Character = "#"
    public static let tornDownMeaning = "torn down: the color stops at this router"
    /// For the color shown: a router whose range filter kept wavelets from its core.
    public static let filterDropped: Character = "%"
    public static let filterDroppedMeaning = "its filter dropped wavelets (they still went on)"
    /// For the color shown: a router with a switch, as the digit of its position now (0 the base).
    public static func switchPosition(_ position: Int) -> Character {
        position >= 0 && position <= 9 ? Character(String(position)) : "?"
    }
    public static let switchPositionMeaning = "a switch at that position (0 the base; the arrows are its rx/tx)"
    /// A control wavelet on a link or ramp, whatever its color (its color shows in its foreground).
    public static func controlWavelet(unicode: Bool) -> Character { unicode ? "¤" : "&" }
    public static let controlWaveletMeaning = "a control wavelet"

    public static let severalOpsMeaning = "a PE that runs several ops"
    public static let routesOnlyMeaning = "only passes wavelets on"
    public static let unusedMeaning = "unused"

    /// The glyph of every PE a program uses: its op's letter, `+` when it runs several, `:` when it only
    /// routes. PEs it does not use are absent.
    public static func map(_ program: FabricProgram) -> [PECoord: Character] {
        var opsAt: [PECoord: Int] = [:]
        var several = Set<PECoord>()
        for (i, op) in program.ops.enumerated() {
            for local in op.layout.pes {
                let pe = PECoord(op.origin.x + local.x, op.origin.y + local.y)
                if let other = opsAt[pe], other != i { several.insert(pe) }
                opsAt[pe] = i
            }
        }
        var map: [PECoord: Character] = [:]
        for route in program.routes { map[route.pe] = routesOnly }
        for (pe, i) in opsAt { map[pe] = several.contains(pe) ? severalOps : op(i) }
        return map
    }

    /// The glyph of every PE a playground uses: `:` for each PE with a route (playground PEs run no op), `R`
    /// for a core that receives, `S` for one that sends (whether or not it also receives), `@` for a PE
    /// whose core reacts.
    public static func map(
        playground routes: [RouteConfig], reacting: Set<PECoord> = [], senders: Set<PECoord> = [], receivers: Set<PECoord> = []
    ) -> [PECoord: Character] {
        var map: [PECoord: Character] = [:]
        for route in routes { map[route.pe] = routesOnly }
        for pe in receivers { map[pe] = receiver }
        for pe in senders { map[pe] = sender }
        for pe in reacting { map[pe] = reactingCore }
        return map
    }

    /// The PEs of a playground program whose cores send (`send`) and those whose cores receive (a route
    /// there delivers to RAMP).
    public static func playgroundEnds(_ program: FabricProgram) -> (senders: Set<PECoord>, receivers: Set<PECoord>) {
        var senders = Set<PECoord>()
        for transfer in program.hostInputs {
            if case .playgroundSends = transfer.source { for piece in transfer.pieces { senders.insert(piece.pe) } }
        }
        let receivers = Set(
            program.routes.filter { $0.tx.contains(.ramp) || ($0.switches?.positions.contains { $0.tx?.contains(.ramp) ?? false } ?? false) }.map(\.pe))
        return (senders, receivers)
    }

    /// Legend lines for the glyphs other than op letters that occur in `map`.
    public static func otherLegend(_ map: [PECoord: Character]) -> [(Character, String)] {
        let used = Set(map.values)
        var legend: [(Character, String)] = []
        if used.contains(severalOps) { legend.append((severalOps, severalOpsMeaning)) }
        if used.contains(sender) { legend.append((sender, senderMeaning)) }
        if used.contains(receiver) { legend.append((receiver, receiverMeaning)) }
        if used.contains(routesOnly) { legend.append((routesOnly, routesOnlyMeaning)) }
        if used.contains(reactingCore) { legend.append((reactingCore, reactingCoreMeaning)) }
        return legend
    }
}
