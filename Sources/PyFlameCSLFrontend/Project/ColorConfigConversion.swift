import PyFlameIR
import PyFlameLowering

/// Turns the configuration value of `@set_color_config(x, y, color, CONFIG)` (or
/// `@set_local_color_config(color, CONFIG)`) into the fabric model's `RouteConfig`:
///
/// - `.routes = .{ .rx = .{ WEST }, .tx = .{ RAMP, EAST }, .color_swap_x = true }`
/// - `.switches = .{ .pos1 = .{ .tx = WEST }, .pos2 = .{ .rx = EAST }, .pos3 = ..., .current_switch_pos = 1,
///   .ring_mode = true, .pop_mode = .{ .pop_on_advance = true } }`
/// - `.filter = .{ .kind = .{ .range = true }, .min_idx = 0, .max_idx = 3 }`
///
/// What the fabric model cannot express (counter filters, `.teardown`) is a `cannot check` issue; a field
/// SDK 1.4 does not have, or a value of the wrong kind, is an error.
public enum ColorConfigConversion {
    /// A problem with the configuration value; the message names the field (`.switches.pos1.tx`).
    public struct Issue: Sendable, Equatable {
        public var severity: CSLDiagnostic.Severity
        public var message: String

        public init(_ severity: CSLDiagnostic.Severity, _ message: String) {
            self.severity = severity
            self.message = message
        }
    }

    /// The route for `color` at `pe`, or nil when the configuration has an error; and its issues.
    public static func route(pe: PECoord, color: Int, config: CSLValue) -> (RouteConfig?, [Issue]) {
        var issues: [Issue] = []
        guard let top = config.structValue else {
            return (
                nil, [Issue(.error, "the route configuration must be a struct such as .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP } } }, not \(config)")]
            )
        }
        var rx = DirectionSet()
        var tx = DirectionSet()
        var swapX = false
        var swapY = false
        var switches: RouteSwitches?
        var filter: RouteFilter?
        var failed = false
        for field in top.fields {
            switch field.name {
            case "routes":
                guard let routes = field.value.structValue else {
                    issues.append(Issue(.error, ".routes must be a struct with .rx and .tx, not \(field.value)"))
                    failed = true
                    continue
                }
                for r in routes.fields {
                    switch r.name {
                    case "rx", "tx":
                        switch directions(r.value) {
                        case .success(let set):
                            if r.name == "rx" { rx = set } else { tx = set }
                        case .failure(let message):
                            issues.append(Issue(message.isUnknown ? .cannotCheck : .error, ".routes.\(r.name): \(message.text)"))
                            failed = true
                        }
                    case "color_swap_x", "color_swap_y":
                        guard let b = r.value.boolValue else {
                            issues.append(Issue(.error, ".routes.\(r.name) must be true or false, not \(r.value)"))
                            failed = true
                            continue
                        }
                        if r.name == "color_swap_x" { swapX = b } else { swapY = b }
                    default:
                        issues.append(Issue(.error, ".routes has no field .\(r.name) (it has .rx, .tx, .color_swap_x and .color_swap_y)"))
                        failed = true
                    }
                }
            case "switches":
                switch convertSwitches(field.value, issues: &issues) {
                case .switches(let s): switches = s
                case .noPositions: break
                case .failed: failed = true
                }
            case "filter":
                switch convertFilter(field.value, issues: &issues) {
                case .some(let f): filter = f
                case .none: break
                }
            case "teardown":
                issues.append(Issue(.cannotCheck, ".teardown on color \(color) at \(pe): the fabric model does not model teardown mode"))
            default:
                issues.append(Issue(.error, "a color configuration has no field .\(field.name) (it has .routes, .switches, .filter and .teardown)"))
                failed = true
            }
        }
        if failed || issues.contains(where: { $0.severity == .error }) { return (nil, issues) }
        let route = RouteConfig(pe: pe, color: color, rx: rx, tx: tx, switches: switches, filter: filter, colorSwapX: swapX, colorSwapY: swapY)
        return (route, issues)
    }

    /// `.{ WEST }`, `.{ RAMP, EAST }` or a lone `WEST` → a direction set.
    static func directions(_ value: CSLValue) -> Result<DirectionSet, Message> {
        switch value {
        case .direction(let d): return .success(DirectionSet([d]))
        case .tuple(let items):
            var set = DirectionSet()
            for item in items {
                if isUnknown(item) { return .failure(Message(unknown: item)) }
                guard case .direction(let d) = item else { return .failure(Message("expected directions (NORTH, EAST, SOUTH, WEST, RAMP), found \(item)")) }
                set.insert(d)
            }
            return .success(set)
        case _ where isUnknown(value):
            return .failure(Message(unknown: value))
        default:
            return .failure(Message("expected directions such as .{ RAMP, EAST }, found \(value)"))
        }
    }

    /// A value from a library this shell does not model, or known only at run time.
    static func isUnknown(_ v: CSLValue) -> Bool {
        switch v {
        case .opaque, .runtime: return true
        default: return false
        }
    }

    struct Message: Error {
        var text: String
        /// The directions are not known (a library's value): `cannot check`, not an error.
        var isUnknown = false
        init(_ text: String) { self.text = text }
        init(unknown value: CSLValue) {
            text = "the directions (\(value)) come from a library this shell does not model"
            isUnknown = true
        }
    }

    /// What a `.switches` field gives a route: switches, none to model (a pop mode alone keeps the route), or a
    /// failure (an error, or a position the model cannot hold: the route is not kept).
    private enum SwitchesConversion {
        case switches(RouteSwitches)
        case noPositions
        case failed
    }

    private static func convertSwitches(_ value: CSLValue, issues: inout [Issue]) -> SwitchesConversion {
        guard let s = value.structValue else {
            issues.append(Issue(.error, ".switches must be a struct such as .{ .pos1 = .{ .tx = WEST } }, not \(value)"))
            return .failed
        }
        var positions: [Int: SwitchPosition] = [:]
        var current = 0
        var ring = false
        var pop = PopMode.noPop
        var ok = true
        for f in s.fields {
            switch f.name {
            case "pos1", "pos2", "pos3":
                let k = Int(f.name.dropFirst(3)) ?? 1
                guard let p = f.value.structValue else {
                    issues.append(Issue(.error, ".switches.\(f.name) must be a struct such as .{ .rx = WEST, .tx = EAST }, not \(f.value)"))
                    ok = false
                    continue
                }
                var position = SwitchPosition()
                for pf in p.fields {
                    if pf.name == "invalid" {
                        issues.append(Issue(.cannotCheck, ".switches.\(f.name) is marked .invalid: the fabric model has no invalid switch position"))
                        ok = false
                        continue
                    }
                    guard pf.name == "rx" || pf.name == "tx" else {
                        issues.append(Issue(.error, ".switches.\(f.name) has no field .\(pf.name) (it has .rx, .tx and .invalid)"))
                        ok = false
                        continue
                    }
                    switch directions(pf.value) {
                    case .success(let set):
                        if pf.name == "rx" { position.rx = set } else { position.tx = set }
                    case .failure(let m):
                        issues.append(Issue(m.isUnknown ? .cannotCheck : .error, ".switches.\(f.name).\(pf.name): \(m.text)"))
                        ok = false
                    }
                }
                positions[k] = position
            case "current_switch_pos":
                guard let v = f.value.intValue, (0...RouteSwitches.maxPositions).contains(v) else {
                    issues.append(Issue(.error, ".switches.current_switch_pos must be 0 to \(RouteSwitches.maxPositions), not \(f.value)"))
                    ok = false
                    continue
                }
                current = v
            case "ring_mode":
                guard let b = f.value.boolValue else {
                    issues.append(Issue(.error, ".switches.ring_mode must be true or false, not \(f.value)"))
                    ok = false
                    continue
                }
                ring = b
            case "pop_mode":
                guard let m = f.value.structValue, m.fields.count == 1, let mode = PopMode(rawValue: m.fields[0].name),
                    m.fields[0].value.boolValue == true
                else {
                    issues.append(
                        Issue(
                            .error,
                            ".switches.pop_mode must be one of .{ .no_pop = true }, .{ .always_pop = true }, .{ .pop_on_advance = true }, not \(f.value)"))
                    ok = false
                    continue
                }
                pop = mode
            default:
                issues.append(
                    Issue(.error, ".switches has no field .\(f.name) (it has .pos1, .pos2, .pos3, .current_switch_pos, .ring_mode and .pop_mode)"))
                ok = false
            }
        }
        guard ok else { return .failed }
        // Positions must be pos1, pos1-pos2 or pos1-pos3 (no gap).
        let count = positions.keys.max() ?? 0
        for k in stride(from: 1, through: count, by: 1) where positions[k] == nil {
            issues.append(Issue(.error, ".switches has .pos\(count) but no .pos\(k)"))
            return .failed
        }
        if count == 0 {
            // Only a pop mode (fft's `.switches = .{ .pop_mode = .{ .always_pop = true } }`): no position to
            // move, but control wavelets lose commands here, which a route without switches cannot say.
            guard current == 0 else {
                issues.append(Issue(.error, ".switches.current_switch_pos is \(current), but the switch has no position beyond the base"))
                return .failed
            }
            if pop != .noPop {
                issues.append(
                    Issue(
                        .cannotCheck, ".switches sets only .pop_mode (\(pop.rawValue)): the fabric model keeps pop modes only on routes with switch positions"))
            }
            return .noPositions
        }
        if current > count {
            issues.append(Issue(.error, ".switches.current_switch_pos is \(current), but the switch has positions 0 to \(count)"))
            return .failed
        }
        let list = (1...count).compactMap { positions[$0] }
        return .switches(RouteSwitches(positions: list, currentPosition: current, ringMode: ring, popMode: pop))
    }

    private static func convertFilter(_ value: CSLValue, issues: inout [Issue]) -> RouteFilter? {
        guard let f = value.structValue else {
            issues.append(Issue(.error, ".filter must be a struct such as .{ .kind = .{ .range = true }, .min_idx = 0, .max_idx = 3 }, not \(value)"))
            return nil
        }
        guard let kind = f["kind"]?.structValue, kind.fields.count == 1, kind.fields[0].value.boolValue == true else {
            issues.append(Issue(.error, ".filter.kind must be .{ .range = true } (or another filter kind), not \(f["kind"]?.description ?? "missing")"))
            return nil
        }
        let kindName = kind.fields[0].name
        guard kindName == "range" else {
            if ["counter", "sparse_counter"].contains(kindName) {
                issues.append(Issue(.cannotCheck, "a .\(kindName) filter: the fabric model models only range filters"))
            } else {
                issues.append(Issue(.error, ".filter.kind .\(kindName) is not a filter kind of SDK 1.4 (range, counter, sparse_counter)"))
            }
            return nil
        }
        var minIndex: UInt16 = 0
        var maxIndex: UInt16 = 0
        var ok = true
        for field in f.fields {
            switch field.name {
            case "kind": continue
            case "min_idx", "max_idx":
                guard let v = field.value.intValue, let u = UInt16(exactly: v) else {
                    issues.append(Issue(.error, ".filter.\(field.name) must be an index 0 to \(UInt16.max), not \(field.value)"))
                    ok = false
                    continue
                }
                if field.name == "min_idx" { minIndex = u } else { maxIndex = u }
            default:
                issues.append(Issue(.error, "a range filter has no field .\(field.name) (it has .kind, .min_idx and .max_idx)"))
                ok = false
            }
        }
        if f["max_idx"] == nil && ok {
            issues.append(Issue(.error, "a range filter needs .max_idx"))
            ok = false
        }
        return ok ? RouteFilter(minIndex: minIndex, maxIndex: maxIndex) : nil
    }
}
