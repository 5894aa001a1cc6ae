import PyFlameIR
import PyFlameLanguage

/// The text of `:help` and its topics.
enum HelpText {
    /// The widest usage the overview puts beside its summary (longer ones get a line of their own).
    static let usageColumn = 26
    static func lines(for topic: CommandWord?, session: Session) throws(Diagnostic) -> [String] {
        guard let topic else { return overview() }
        let name = topic.text.hasPrefix(":") ? String(topic.text.dropFirst()) : topic.text
        switch name {
        case "set", "settings": return settings(session)
        case "functions": return functions()
        case "layouts": return layouts()
        case "playground", "routing", "color", "route", "send", "on", "unroute", "unsend", "stream": return playground()
        default:
            guard let spec = CommandCatalog.spec(name) else {
                let hint =
                    Suggestions.closest(to: name, in: CommandCatalog.names + ["set", "functions", "layouts", "playground"]).map { " (did you mean \($0)?)" }
                    ?? ""
                throw .error("no help for '\(topic.text)'\(hint)", at: topic.range)
            }
            return ["usage: \(spec.usage)", "  \(spec.summary)"] + spec.details.map { "  " + $0 } + ["example:", "  pyflame> \(spec.example)"]
        }
    }

    static func overview() -> [String] {
        var lines = [
            "Statements:",
            "  NAME = EXPR [on LAYOUT]     define a tensor (its value prints)      c = a + b on RowPartition(4)",
            "  EXPR [on LAYOUT]            evaluate and print                       relu(a - 2)",
            "  fabric WxH | wse2 | wse3    the program rectangle (columns x rows)   fabric 8x8",
            "  target wse2 | wse3          the architecture                         target wse3",
            "  set NAME VALUE              a setting (:help set)                    set pe_data_budget 32768",
            "Commands:",
        ]
        // The summaries start in one column; a usage too long for it gets a line of its own and its summary
        // goes on the next (so one long usage does not push every summary off an 80-column screen).
        let width = min(CommandCatalog.all.map(\.usage.count).max() ?? 0, HelpText.usageColumn)
        for spec in CommandCatalog.all {
            if spec.usage.count > width {
                lines.append("  " + spec.usage)
                lines.append("  " + String(repeating: " ", count: width + 2) + spec.summary)
            } else {
                lines.append("  " + spec.usage.padding(toLength: width + 2, withPad: " ", startingAt: 0) + spec.summary)
            }
        }
        lines.append("More: :help COMMAND, :help functions, :help layouts, :help set, :help playground (color, route, send, on).")
        return lines
    }

    static func settings(_ session: Session) -> [String] {
        var lines = ["Settings (set NAME VALUE; sizes take K/Ki and M/Mi suffixes):"]
        let width = Settings.definitions.map(\.name.rawValue.count).max() ?? 0
        for d in Settings.definitions {
            let current = session.settings[d.name]
            let unit: String
            switch d.kind {
            case .integer(_, let u), .decimal(_, let u): unit = " " + u
            case .path: unit = ""
            }
            let shown = current.isEmpty ? "(built-in)" : current + unit
            let marker = current == d.defaultValue ? "" : " (default \(d.defaultValue.isEmpty ? "built-in" : d.defaultValue))"
            lines.append("  " + d.name.rawValue.padding(toLength: width + 2, withPad: " ", startingAt: 0) + shown + marker)
            lines.append("  " + String(repeating: " ", count: width + 2) + d.summary)
        }
        lines.append("example:")
        lines.append("  pyflame> set hop_latency 1")
        return lines
    }

    static func functions() -> [String] {
        [
            "Constructors (host tensors; dtype=f32 unless dtype= says otherwise):",
            "  arange(stop) arange(start, stop[, step])   ones(shape) zeros(shape) full(shape, fill_value)",
            "  randn(shape, seed=S)   tensor([...])   load(\"FILE.npy\")",
            "Elementwise: a + b, a - b, a * b, a / b (a number may stand on either side), and",
            "  " + UnaryFunction.allCases.map(\.rawValue).joined(separator: " ") + "   (gelu is the tanh approximation)",
            "Reductions: sum mean max min   (x, dim=D, keepdim=true; no dim = every element)",
            "Linear algebra: matmul(a, b) or a @ b; transpose(x[, dim0, dim1]); reshape(x, [16, -1])",
            "  (A @ v with a vector v also runs on Grid(r, c): rows chain-reduce to the first column)",
            "Slices and moves: x[1:-1]  x[:, 0:8]  x[2] (literal bounds, step 1; negative from the end)",
            "  concat([a, b], dim=0)   shift(x, k, dim=0): r[i] = x[i - k], 0 where nothing shifts in",
            "  stencil: 0.25 * shift(x, 1) + 0.5 * x + 0.25 * shift(x, -1)",
            "Casts: cast(x, f32) or x.astype(f32)   (NumPy's astype: round to nearest even, overflow to inf)",
            "  f16 data, f32 sum: s = sum(cast(h, f32))",
            "dtypes: " + DType.allCases.map(\.rawValue).joined(separator: " ") + "   (no promotion: both operands of an op share one)",
            "example:",
            "  pyflame> y = relu(x @ w + b)",
        ]
    }

    /// `:help playground`: the routing playground's statements, an example each.
    static func playground() -> [String] {
        [
            "The routing playground (docs/language.md §5; :sim with no NAME simulates it):",
            "  color NAME = ID                       a name for a color (\(Architecture.colorsText))         color red = 0",
            "  route NAME (x,y)[..(x,y)]: RX -> TX   a route at a PE or a rectangle    route red (1,0)..(2,0): WEST -> RAMP, EAST",
            "  send NAME (x,y) [VALUES]              wavelets queued at a PE's ramp    send red (0,0) [1, 2, -1]",
            "Wavelet payloads (32 bits, or 16-bit data with a 16-bit index in the upper half); every view prints",
            "them the way the send wrote them:",
            "  [1, -1, 4294967295]     whole numbers (shown signed)      send red (0,0) [1, -1]",
            "  f32 [1.5, -2]           f32 values                        send red (0,0) f32 [1.5, -2]",
            "  f16 [0.5]               an f16 value in the lower half    send red (0,0) f16 [0.5]",
            "  [0x3f800000]            raw bits in hex                   send red (0,0) [0x3f800000]",
            "  [(0, 10.0), (1, 11.0)]  (index, f16 data) pairs           send red (0,0) [(0, 10.0), (1, 11.0)]",
            "A color carries one kind: a send in another kind than the color's earlier sends is refused.",
            "Route modifiers, after a route's directions (one line; each at most once):",
            "  switch POS, POS.. [at N] [ring] [pop always|advance|none]   switch positions 1 to 3, each rx DIRS and/or",
            "      tx DIRS; at: the starting position (0 the base); ring: advance wraps to the base",
            "      route red (1,1): RAMP -> NORTH switch tx WEST, tx EAST, tx SOUTH at 1 ring",
            "  filter MIN..MAX    the core takes only wavelets whose index is in range; all still forward",
            "      route blue (1,0): WEST -> RAMP, EAST filter 3..5",
            "  swap x|y|xy        color swap (wse2): the color flips to its even/odd partner crossing the axis",
            "      route red (1,0): WEST -> EAST swap x",
            "Control wavelets in a send list: commands nop, advance, reset, teardown (up to 8, each with an optional",
            "ignore: the core does not receive it), then task N arg N (a control task entry point and argument):",
            "      send red (1,1) [advance ignore, 0, advance ignore, 2]      send red (0,0) [nop task 40 arg 2]",
            "A control wavelet goes the way the switch points before it moves. :emit --playground writes switches,",
            "filters and swap in @set_color_config and one-command control wavelets with the <control> library.",
            "Cores that react (one per PE; a later one replaces it). They run on the core model of lowered programs:",
            "start-up (send_startup) before they send, one wavelet a cycle, a chain cell's add stage of one cycle.",
            "  on (x,y) receive N COLOR                     take N wavelets           on (3,0) receive 4 red",
            "  on (x,y) receive N COLOR then send COLOR2    ... then send them on     on (1,0) receive 4 red then send blue",
            "  on (x,y) receive N COLOR then send COLOR2 [VALUES]   ... or its own    on (1,0) receive 4 red then send blue [1, 2]",
            "  on (x,y) forward [N] COLOR -> COLOR2         a FIFO relay (no N: every on (1,0) forward red -> blue",
            "                                               wavelet sent on COLOR)",
            "  on (x,y) chain COLOR -> COLOR2 add|max [VALUES]   a chain cell: each   on (2,0) chain red -> blue add [1, 2, 3, 4]",
            "                                               wavelet combined with its own value, sent on",
            "A reacting core needs a route that brings its color down to its RAMP (and one that takes what it sends",
            "up from it); without one a note says so and the run stops with a routing error.",
            "Its own values may hold control wavelets, so a core moves switches downstream when it is ready:",
            "      on (1,0) receive 2 red then send blue [advance ignore, 5, 6]",
            "Taking back (a route over an existing one replaces it and says what it was):",
            "  unroute NAME (x,y)[..(x,y)]   the color's routes at those PEs      unroute red (1,0)",
            "  unsend NAME (x,y)             the color's sends at that PE         unsend red (0,0)",
            "  :undo                         the playground's last statement (up to 64, newest first)",
            "Host streams (memcpy's streaming mode) cross the west edge (column 0) or the north edge (row 0); memcpy",
            "runs them one at a time, in the order written:",
            "  stream in NAME (x,y) [from west|north] [VALUES]   the host pushes VALUES     stream in h2d (0,0) [1, 2, 3]",
            "                                               into (x,y)'s route from the edge",
            "  stream out NAME (x,y) COUNT [to west|north]  the host reads COUNT wavelets   stream out d2h (0,0) 3",
            "                                               that (x,y)'s route sends off the edge",
            "A stream in that cannot hand over its last wavelet stalls the run (pipeline-01: more than 14 outstanding);",
            "memcpy's buffering at the edge: set host_in_buffer / host_out_buffer.",
        ]
    }

    static func layouts() -> [String] {
        [
            "Layouts (the `on` clause; the default is auto):",
            "  SinglePE              the whole tensor on one PE",
            "  RowPartition(n)       dim 0 split over n PEs in one column (1 wide, n tall)",
            "  ColPartition(n)       dim 1 (dim 0 of a 1-D tensor) split over n PEs in one row",
            "  Grid(rows, cols)      dims 0 and 1 over a rows x cols block of PEs",
            "  auto                  an operand's layout, SinglePE, fewest PEs (1-D), squarest grid (2-D)",
            "Tiles are contiguous blocks of ceil(n/p) elements; a split that leaves a PE empty is refused.",
            "example:",
            "  pyflame> s = sum(w, dim=0) on Grid(4, 4)",
        ]
    }
}
