import PyFlameIR
extension CSLCheckRun {
    // MARK: One layout block, and the layout interpreter

    mutating func interpretLayout() {
        let toks = layoutToks
        let rects = toks.filter { $0.isBuiltin("set_rectangle") }
        var layoutBlocks: [Int] = []
        for i in toks.indices where toks[i].isIdent("layout") && i + 1 < toks.count && toks[i + 1].isPunct("{") { layoutBlocks.append(i) }
        if layoutBlocks.isEmpty { error("layout.csl", 1, "layout.csl has no `layout { }` block") }
        for extra in layoutBlocks.dropFirst() { error("layout.csl", toks[extra].line, "a second `layout { }` block: there must be exactly one") }
        if rects.isEmpty { error("layout.csl", layoutBlocks.first.map { toks[$0].line } ?? 1, "no @set_rectangle(W, H) in layout.csl") }
        for extra in rects.dropFirst() { error("layout.csl", extra.line, "a second @set_rectangle: there must be exactly one") }

        var env = cslFileEnv(cslTopDecls(toks).filter { $0.keyword != "param" }, params: [:])
        for d in cslTopDecls(toks) where d.keyword == "param" { env[d.name] = nil }
        guard let start = layoutBlocks.first, let close = cslMatching(toks, start + 1) else {
            complete = false
            return
        }
        var budget = 20_000_000  // loop iterations: a whole wafer's tiles and routes, with room
        exec(start + 2, close, env, &budget)
    }

    mutating func exec(_ lo: Int, _ hi: Int, _ outer: [String: Int], _ budget: inout Int) {
        let toks = layoutToks
        var env = outer
        var i = lo
        func statementEnd(_ from: Int) -> Int {
            var j = from
            while j < hi {
                if toks[j].isPunct(";") { return j + 1 }
                if toks[j].kind == .punct, cslOpeners[toks[j].text] != nil {
                    guard let c = cslMatching(toks, j) else { return hi }
                    if toks[j].isPunct("{") && !(j > 0 && toks[j - 1].isPunct(".")) && toks[cslAt: c + 1]?.isIdent("else") != true { return c + 1 }
                    j = c + 1
                    continue
                }
                j += 1
            }
            return hi
        }
        while i < hi {
            if stopped { return }
            let t = toks[i]
            if t.isPunct(";") { i += 1; continue }
            if t.isPunct("{"), let c = cslMatching(toks, i) {
                exec(i + 1, c, env, &budget)
                i = c + 1
                continue
            }
            if t.kind == .builtin, toks[cslAt: i + 1]?.isPunct("(") == true, let c = cslMatching(toks, i + 1) {
                let args = cslSplitTop(toks, i + 1, c)
                switch t.text {
                case "set_rectangle": setRectangle(t, args, env)
                case "set_tile_code": setTileCode(t, args, env)
                case "set_color_config": setColorConfig(t, args, env)
                case "export_name": exportName(t, args)
                default: break
                }
                i = c + 1
                continue
            }
            if t.isIdent("const") || t.isIdent("var"), let name = toks[cslAt: i + 1], name.kind == .ident {
                let end = statementEnd(i)
                if let eq = (i..<end).first(where: { toks[$0].isPunct("=") }) {
                    let valueEnd = toks[end - 1].isPunct(";") ? end - 1 : end
                    env[name.text] = cslEvaluate(Array(toks[(eq + 1)..<valueEnd]), env)
                } else {
                    env[name.text] = nil
                }
                i = end
                continue
            }
            if t.isIdent("for"), toks[cslAt: i + 1]?.isPunct("(") == true, let c = cslMatching(toks, i + 1),
                toks[cslAt: i + 2]?.isBuiltin("range") == true, toks[cslAt: i + 3]?.isPunct("(") == true,
                let rc = cslMatching(toks, i + 3), rc + 1 == c,
                toks[cslAt: c + 1]?.isPunct("|") == true, let v = toks[cslAt: c + 2], v.kind == .ident,
                toks[cslAt: c + 3]?.isPunct("|") == true, toks[cslAt: c + 4]?.isPunct("{") == true,
                let bodyEnd = cslMatching(toks, c + 4)
            {
                let args = cslSplitTop(toks, i + 3, rc).dropFirst().map { cslEvaluate($0, env) }
                var bounds: (Int, Int, Int)?
                if args.count == 1, let stop = args[0] { bounds = (0, stop, 1) }
                if args.count == 3, let a = args[0], let b = args[1], let s = args[2], s > 0 { bounds = (a, b, s) }
                if let (a, b, s) = bounds {
                    var x = a
                    while x < b {
                        if poll() { return }
                        budget -= 1
                        if budget < 0 { cannot("layout.csl", t.line, "loop expansion too large"); complete = false; break }
                        var inner = env
                        inner[v.text] = x
                        exec(c + 5, bodyEnd, inner, &budget)
                        let (after, overflow) = x.addingReportingOverflow(s)
                        if overflow { break }
                        x = after
                    }
                } else {
                    cannot("layout.csl", t.line, "loop bounds are not literal or resolvable const integers")
                    complete = false
                }
                i = bodyEnd + 1
                continue
            }
            if t.isIdent("if") {
                cannot("layout.csl", t.line, "`if` in the layout is not evaluated; the tiles, colors and routes it guards are not checked")
                complete = false
                i = statementEnd(i)
                continue
            }
            cannot("layout.csl", t.line, "statement `\(t.text)` in the layout is not understood")
            complete = false
            i = statementEnd(i)
        }
    }

    mutating func setRectangle(_ t: CSLToken, _ args: [[CSLToken]], _ env: [String: Int]) {
        rectLine = t.line
        guard args.count == 2, let w = cslEvaluate(args[0], env), let h = cslEvaluate(args[1], env) else {
            cannot("layout.csl", t.line, "@set_rectangle size is not literal or resolvable const integers")
            complete = false
            return
        }
        if rect == nil { rect = (w, h) }
    }

    mutating func setTileCode(_ t: CSLToken, _ args: [[CSLToken]], _ env: [String: Int]) {
        guard args.count >= 3, let x = cslEvaluate(args[0], env), let y = cslEvaluate(args[1], env) else {
            cannot("layout.csl", t.line, "@set_tile_code coordinates are not resolvable integers")
            complete = false
            return
        }
        guard args[2].count == 1, args[2][0].kind == .string else {
            cannot("layout.csl", t.line, "@set_tile_code file name is not a string literal")
            complete = false
            return
        }
        var params: [String: Int] = [:]
        if args.count >= 4, let fields = cslStructFields(args[3]) {
            for f in fields { if let v = cslEvaluate(f.value, env) { params[f.name] = v } }
        }
        tiles.append(CheckedTileCall(x: x, y: y, file: args[2][0].text, line: t.line, params: params))
    }

    mutating func setColorConfig(_ t: CSLToken, _ args: [[CSLToken]], _ env: [String: Int]) {
        guard args.count == 4, let x = cslEvaluate(args[0], env), let y = cslEvaluate(args[1], env), let color = cslEvaluate(args[2], env) else {
            cannot("layout.csl", t.line, "@set_color_config coordinates or color are not resolvable")
            complete = false
            return
        }
        if !Architecture.colors.contains(color) {
            error("layout.csl", t.line, "color \(color) out of range: colors are \(Architecture.colorsText)")
        } else if Architecture.memcpyColors.contains(color) {
            error("layout.csl", t.line, "color \(color) is reserved by memcpy (\(Architecture.memcpyColors.map(String.init).joined(separator: ", ")))")
        }
        guard let fields = cslStructFields(args[3]) else {
            cannot("layout.csl", t.line, "@set_color_config configuration is not a literal .{ ... } struct")
            complete = false
            return
        }
        guard let routes = fields.first(where: { $0.name == "routes" }) else {
            error("layout.csl", t.line, "@set_color_config for (\(x), \(y)) color \(color) has no .routes")
            return
        }
        guard let rfields = cslStructFields(routes.value) else {
            cannot("layout.csl", t.line, ".routes is not a literal .{ .rx = ..., .tx = ... } struct")
            complete = false
            return
        }
        func dirs(_ name: String, in rfields: [(name: String, value: [CSLToken], line: Int)]) -> [String] {
            guard let f = rfields.first(where: { $0.name == name }) else { return [] }
            var items: [[CSLToken]]
            if f.value.count >= 2, f.value[0].isPunct("."), f.value[1].isPunct("{"), let c = cslMatching(f.value, 1), c == f.value.count - 1 {
                items = cslSplitTop(f.value, 1, c)
            } else {
                items = [f.value]
            }
            var out: [String] = []
            for item in items {
                if item.count == 1, item[0].kind == .ident, cslDirections.contains(item[0].text) {
                    out.append(item[0].text)
                } else if item.count == 2, item[0].isPunct("."), cslDirections.contains(item[1].text) {
                    error("layout.csl", t.line, ".\(item[1].text) is not a direction: write the bare \(item[1].text)")
                    out.append(item[1].text)
                } else {
                    error("layout.csl", t.line, "`\(item.map(\.text).joined())` in .\(name) is not one of NORTH SOUTH EAST WEST RAMP")
                }
            }
            return out
        }
        var cfg = CheckedColorConfig(x: x, y: y, color: color, line: t.line, rx: dirs("rx", in: rfields), tx: dirs("tx", in: rfields))
        let baseRx = cfg.rx
        var positionRx: [[String]] = []
        func flag(_ name: String, in fields: [(name: String, value: [CSLToken], line: Int)]) -> Bool {
            fields.first { $0.name == name }.map { $0.value.count == 1 && $0.value[0].isIdent("true") } ?? false
        }
        cfg.swapX = flag("color_swap_x", in: rfields)
        cfg.swapY = flag("color_swap_y", in: rfields)
        let arch = target
        if cfg.swapX || cfg.swapY, arch == Architecture.wse3.rawValue {
            error("layout.csl", t.line, "(\(x), \(y)) color \(color) swaps colors, but color swap exists only on wse2 (commands.sh compiles for wse3)")
        }
        if let switches = fields.first(where: { $0.name == "switches" }) {
            // Every position's rx and tx join the base's: the route checks below hold whichever position is
            // current. Which one is current when a wavelet passes depends on the control wavelets sent at
            // run time, which the checker does not follow.
            if let sfields = cslStructFields(switches.value) {
                for p in 1...3 {
                    guard let pos = sfields.first(where: { $0.name == "pos\(p)" }) else { continue }
                    guard let pfields = cslStructFields(pos.value) else {
                        cannot("layout.csl", t.line, ".pos\(p) of (\(x), \(y)) color \(color) is not a literal .{ .rx = ..., .tx = ... } struct")
                        complete = false
                        continue
                    }
                    let prx = dirs("rx", in: pfields), ptx = dirs("tx", in: pfields)
                    positionRx.append(prx.isEmpty ? baseRx : prx)
                    cfg.rx += prx.filter { !cfg.rx.contains($0) }
                    cfg.tx += ptx.filter { !cfg.tx.contains($0) }
                }
            } else {
                cannot("layout.csl", t.line, ".switches of (\(x), \(y)) color \(color) is not a literal .{ ... } struct; its positions are not checked")
                complete = false
            }
            if let arch, let target = Architecture(rawValue: arch), !target.switchColors.contains(color) {
                error(
                    "layout.csl", t.line,
                    "(\(x), \(y)) color \(color) has switches, but \(arch) allows switches only on colors \(target.switchColorsText)")
            }
            noteOnce(
                t.line,
                "switches: which position of (\(x), \(y)) color \(color) routes each wavelet depends on the control wavelets sent at run time; its routes are checked with every position's rx and tx at once"
            )
        }
        if fields.contains(where: { $0.name == "filter" }) {
            noteOnce(
                t.line,
                "filter: which wavelets the filter of (\(x), \(y)) color \(color) lets into the core depends on the wavelets sent at run time; it is not checked"
            )
        }
        let key = CheckedConfigKey(x: x, y: y, color: color)
        if let prev = configIndex[key] {
            error("layout.csl", t.line, "second @set_color_config for (\(x), \(y)) color \(color); the first is on line \(configs[prev].line)")
            return
        }
        configIndex[key] = configs.count
        // Several rx in one position (the base or a switch position): wavelets arriving together.
        if let several = ([baseRx] + positionRx).first(where: { $0.count > 1 }) {
            warn(
                "layout.csl", t.line,
                "(\(x), \(y)) color \(color) receives from several directions (\(several.joined(separator: ", "))): wavelets arriving together are undefined behaviour"
            )
        }
        configs.append(cfg)
    }

    /// A `cannot check` finding for a switch or filter, once per layout line (a loop configures many PEs
    /// on one line).
    mutating func noteOnce(_ line: Int, _ message: String) {
        let kind = String(message.prefix { $0 != ":" })
        guard !notedDynamic.contains("\(line) \(kind)") else { return }
        notedDynamic.insert("\(line) \(kind)")
        cannot("layout.csl", line, message)
    }

    mutating func exportName(_ t: CSLToken, _ args: [[CSLToken]]) {
        guard args.count >= 2, args[0].count == 1, args[0][0].kind == .string else {
            cannot("layout.csl", t.line, "@export_name name is not a string literal")
            return
        }
        let type = args[1]
        var kind = CheckedExportKind.unknown
        if type.count == 4, type[0].isPunct("["), type[1].isPunct("*"), type[2].isPunct("]"), type[3].kind == .ident {
            var m: Bool?
            if args.count == 3, args[2].count == 1 { m = args[2][0].isIdent("true") ? true : args[2][0].isIdent("false") ? false : nil }
            kind = .pointer(elem: type[3].text, mutable: m)
        } else if type.first?.isIdent("fn") == true {
            kind = .function
        }
        if !exports.contains(where: { $0.name == args[0][0].text }) {
            exports.append(CheckedExportName(name: args[0][0].text, line: t.line, kind: kind))
        }
    }

    // MARK: One tile code per PE of the rectangle

    mutating func checkTiles() {
        guard let (w, h) = rect else { return }
        var seen: [String: Int] = [:]
        for t in tiles {
            if t.x < 0 || t.y < 0 || t.x >= w || t.y >= h {
                error("layout.csl", t.line, "@set_tile_code for (\(t.x), \(t.y)) is outside the \(w)x\(h) rectangle")
            } else if let first = seen["\(t.x),\(t.y)"] {
                error("layout.csl", t.line, "second @set_tile_code for (\(t.x), \(t.y)); the first is on line \(first)")
            } else {
                seen["\(t.x),\(t.y)"] = t.line
            }
        }
        guard complete, w > 0, h > 0 else { return }
        // Missing tiles: how many (without visiting a rectangle that may be huge), and the first 8.
        let (area, overflow) = w.multipliedReportingOverflow(by: h)
        let missingCount = overflow ? Int.max : area - seen.count
        var missing: [String] = []
        scan: for y in 0..<h where missingCount > 0 {
            for x in 0..<w where seen["\(x),\(y)"] == nil {
                missing.append("(\(x), \(y))")
                if missing.count > 8 || missing.count == missingCount { break scan }
            }
            if poll() { return }
        }
        if !missing.isEmpty {
            let shown = missing.prefix(8).joined(separator: ", ") + (missingCount > 8 ? ", ..." : "")
            error("layout.csl", rectLine, "no @set_tile_code for \(shown) of the \(w)x\(h) rectangle")
        }
    }

    // MARK: Routes that meet their neighbours

    mutating func checkRoutes() {
        guard let (w, h) = rect else { return }
        for c in configs {
            if c.x < 0 || c.y < 0 || c.x >= w || c.y >= h {
                error("layout.csl", c.line, "@set_color_config for (\(c.x), \(c.y)) is outside the \(w)x\(h) rectangle")
                continue
            }
            for d in c.tx where d != "RAMP" {
                let (dx, dy) = cslStep[d]!
                let nx = c.x + dx, ny = c.y + dy
                if nx < 0 || ny < 0 || nx >= w || ny >= h {
                    error("layout.csl", c.line, "(\(c.x), \(c.y)) sends color \(c.color) \(d), off the \(w)x\(h) rectangle")
                    continue
                }
                guard complete else { continue }
                let opp = cslOpposite[d]!
                // With color swap on this axis the wavelet arrives as the other color of its even/odd pair.
                let swapped = (d == "EAST" || d == "WEST") ? c.swapX : c.swapY
                let arriving = swapped ? c.color ^ 1 : c.color
                if !(configIndex[CheckedConfigKey(x: nx, y: ny, color: arriving)].map { configs[$0].rx.contains(opp) } ?? false) {
                    error(
                        "layout.csl", c.line,
                        "(\(c.x), \(c.y)) sends color \(c.color) \(d)"
                            + (swapped ? " (arriving as color \(arriving): color swap)" : "")
                            + " but (\(nx), \(ny)) has no config on color \(arriving) receiving from \(opp)")
                }
            }
        }
    }
}

extension Array {
    subscript(cslAt i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
