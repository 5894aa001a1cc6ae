import PyFlameIR
import PyFlameLowering

/// How a route's switches, range filter and color swap read in `@set_color_config` (SDK 1.4, as the
/// tutorials `topic-06-switches`, `topic-08-filters` and `topic-14-color-swap` write them): the text that
/// goes inside `.routes` (color swap), the fields after it (`.switches`, `.filter`), and a comment that
/// says in words what they do. A route without any gives empty text, so static routes read as before.
enum RouteConfigText {
    /// A direction set as a field value: one bare direction (`WEST`) or a tuple (`.{ RAMP, EAST }`).
    static func directions(_ set: DirectionSet) -> String {
        let names = set.sorted.map(\.description)
        return names.count == 1 ? names[0] : ".{ " + names.joined(separator: ", ") + " }"
    }

    /// `, .color_swap_x = true` (inside `.routes`, as `topic-14-color-swap` writes it), or empty.
    static func swapFields(_ route: RouteConfig) -> String {
        (route.colorSwapX ? ", .color_swap_x = true" : "") + (route.colorSwapY ? ", .color_swap_y = true" : "")
    }

    /// `, .switches = .{ ... }, .filter = .{ ... }` (after `.routes`), or empty.
    static func extraFields(_ route: RouteConfig) -> String {
        var fields: [String] = []
        if let s = route.switches {
            var items: [String] = []
            for (k, p) in s.positions.enumerated() {
                var parts: [String] = []
                if let rx = p.rx { parts.append(".rx = " + directions(rx)) }
                if let tx = p.tx { parts.append(".tx = " + directions(tx)) }
                items.append(".pos\(k + 1) = .{ " + parts.joined(separator: ", ") + " }")
            }
            if s.currentPosition != 0 { items.append(".current_switch_pos = \(s.currentPosition)") }
            if s.ringMode { items.append(".ring_mode = true") }
            switch s.popMode {
            case .noPop: break  // the default
            case .alwaysPop: items.append(".pop_mode = .{ .always_pop = true }")
            case .popOnAdvance: items.append(".pop_mode = .{ .pop_on_advance = true }")
            }
            fields.append(".switches = .{ " + items.joined(separator: ", ") + " }")
        }
        if let f = route.filter {
            fields.append(".filter = .{ .kind = .{ .range = true }, .min_idx = \(f.minIndex), .max_idx = \(f.maxIndex) }")
        }
        return fields.map { ", " + $0 }.joined()
    }

    /// What the switches, filter and color swap do, in words, for the comment above the config (nil
    /// for a static route).
    static func note(_ route: RouteConfig) -> String? {
        var parts: [String] = []
        if let s = route.switches {
            let positions = s.positions.enumerated().map { k, p in
                "pos\(k + 1)" + (p.rx.map { " rx \($0)" } ?? "") + (p.tx.map { " tx \($0)" } ?? "")
            }
            let last = s.positions.count
            parts.append(
                "switch: " + positions.joined(separator: ", ") + "; starts at "
                    + (s.currentPosition == 0 ? "the base route" : "pos\(s.currentPosition)")
                    + "; a control wavelet's SWITCH_ADV moves it on (routed by the position before it moves), "
                    + (s.ringMode ? "from pos\(last) back to the base (ring mode)" : "staying at pos\(last)")
                    + "; SWITCH_RST goes back to the base"
                    + (s.popMode == .noPop
                        ? ""
                        : s.popMode == .alwaysPop
                            ? "; this router pops each command (always_pop)" : "; this router pops a SWITCH_ADV (pop_on_advance)"))
        }
        if let f = route.filter {
            parts.append(
                "range filter: the core takes only wavelets whose index (upper 16 bits) is \(f.minIndex) to \(f.maxIndex); every wavelet still goes on to the other outputs"
            )
        }
        if route.colorSwapX || route.colorSwapY {
            let axes = route.colorSwapX && route.colorSwapY ? "any side" : route.colorSwapX ? "east or west" : "north or south"
            parts.append(
                "color swap (WSE-2): a wavelet leaving \(axes) arrives as color \(route.color ^ 1), the other of the pair \(route.color & ~1)/\(route.color | 1)"
            )
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
