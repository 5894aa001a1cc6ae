struct CheckedExportSymbol { var file: String; var line: Int; var name: String; var symbol: String?; var decl: CSLTopDecl? }

extension CSLCheckRun {
    // MARK: Exports (collected) and PE-only checks

    mutating func peChecks(_ file: String, _ toks: [CSLToken]) {
        for (i, t) in toks.enumerated() where t.kind == .builtin && t.text == "set_color_config" {
            _ = i
            error(file, t.line, "@set_color_config belongs in the layout; a PE program uses @set_local_color_config")
        }
    }

    func exportSymbols(_ file: String, _ toks: [CSLToken]) -> [CheckedExportSymbol] {
        let decls = cslTopDecls(toks)
        var out: [CheckedExportSymbol] = []
        for i in toks.indices where toks[i].isBuiltin("export_symbol") {
            guard toks[cslAt: i + 1]?.isPunct("(") == true, let c = cslMatching(toks, i + 1) else { continue }
            let args = cslSplitTop(toks, i + 1, c)
            let sym = args.first.flatMap { $0.count == 1 && $0[0].kind == .ident ? $0[0].text : nil }
            var name: String?
            if args.count == 2, args[1].count == 1, args[1][0].kind == .string { name = args[1][0].text } else if args.count == 1 { name = sym }
            guard let n = name else { continue }
            out.append(
                CheckedExportSymbol(
                    file: file, line: toks[i].line, name: n, symbol: sym,
                    decl: sym.flatMap { s in decls.last { $0.name == s } }))
        }
        return out
    }

    mutating func checkExports(_ peFiles: [String: [CSLToken]]) {
        var symbols: [CheckedExportSymbol] = []
        for file in peFiles.keys.sorted() {
            symbols += exportSymbols(file, peFiles[file]!)
            // also report export_symbol calls whose name could not be read
            let toks = peFiles[file]!
            for i in toks.indices where toks[i].isBuiltin("export_symbol") {
                if !symbols.contains(where: { $0.file == file && $0.line == toks[i].line }) {
                    cannot(file, toks[i].line, "@export_symbol name is not a string literal")
                }
            }
        }
        for e in exports where !symbols.contains(where: { $0.name == e.name }) {
            if complete {
                error("layout.csl", e.line, "@export_name(\"\(e.name)\") has no @export_symbol(..., \"\(e.name)\") in any PE program")
            } else {
                cannot("layout.csl", e.line, "@export_name(\"\(e.name)\") has no @export_symbol in the PE programs found (layout not fully resolved)")
            }
        }
        for s in symbols {
            guard let e = exports.first(where: { $0.name == s.name }) else {
                if complete {
                    error(s.file, s.line, "@export_symbol \"\(s.name)\" has no @export_name(\"\(s.name)\", ...) in layout.csl")
                } else {
                    cannot(s.file, s.line, "@export_symbol \"\(s.name)\" has no @export_name in the resolved layout")
                }
                continue
            }
            guard let d = s.decl else {
                cannot(s.file, s.line, "cannot find the top-level declaration of the exported symbol for \"\(s.name)\"")
                continue
            }
            switch e.kind {
            case .unknown:
                cannot("layout.csl", e.line, "@export_name(\"\(e.name)\") type is neither [*]T nor fn()void")
            case .function:
                if d.keyword != "fn" { error(s.file, s.line, "\"\(s.name)\" is exported as a function in layout.csl:\(e.line) but `\(d.name)` is not a fn") }
            case .pointer(let elem, let mutable):
                guard d.keyword == "var" || d.keyword == "const" else {
                    error(s.file, s.line, "\"\(s.name)\" is exported as [*]\(elem) in layout.csl:\(e.line) but `\(d.name)` is a \(d.keyword)")
                    continue
                }
                let ty = d.type
                guard ty.count == 4, ty[0].isPunct("["), ty[1].isPunct("*"), ty[2].isPunct("]"), ty[3].kind == .ident else {
                    if ty.first?.isPunct("[") == true, ty[cslAt: 1]?.isPunct("*") != true {
                        error(s.file, s.line, "`\(d.name)` is an array: export a [*]\(elem) pointer, never an array")
                    } else {
                        cannot(s.file, s.line, "type of `\(d.name)` is not a written [*]T pointer type")
                    }
                    continue
                }
                if ty[3].text != elem {
                    error(s.file, s.line, "`\(d.name)` is [*]\(ty[3].text) but layout.csl:\(e.line) exports \"\(s.name)\" as [*]\(elem)")
                }
                guard let m = mutable else {
                    cannot("layout.csl", e.line, "@export_name(\"\(e.name)\") mutability is not a literal true/false")
                    continue
                }
                let isVar = d.keyword == "var"
                if isVar != m {
                    error(
                        s.file, s.line,
                        "`\(d.name)` is a \(d.keyword) pointer but layout.csl:\(e.line) exports \"\(s.name)\" with mutability \(m) (var pairs with true, const with false)"
                    )
                }
            }
        }
    }

    // MARK: The PE data budget

    mutating func checkBudget(_ peFiles: [String: [CSLToken]]) {
        let tilesOfFile = Dictionary(grouping: tiles, by: \.file)
        for file in peFiles.keys.sorted() {
            let decls = cslTopDecls(peFiles[file]!)
            var over: [(CheckedTileCall, Int)] = []
            var firstLine: Int?
            // The arrays' bytes for one set of tile-code parameters (PEs with the same parameters share
            // it), saturating at Int.max, and the arrays whose size does not resolve.
            func bytes(_ params: [String: Int]) -> (total: Int, unresolved: [CSLTopDecl]) {
                let env = cslFileEnv(decls, params: params)
                var total = 0
                var unresolved: [CSLTopDecl] = []
                for d in decls where d.keyword == "var" || d.keyword == "const" {
                    var ty = d.type
                    if ty.isEmpty, d.value.count >= 2, d.value[0].isBuiltin("zeros") || d.value[0].isBuiltin("constants"),
                        d.value[1].isPunct("("), let c = cslMatching(d.value, 1), let first = cslSplitTop(d.value, 1, c).first
                    {
                        ty = first
                    }
                    guard ty.first?.isPunct("[") == true, ty[cslAt: 1]?.isPunct("*") != true else { continue }
                    firstLine = firstLine ?? d.line
                    var bytes = 1
                    var j = 0
                    var ok = true
                    func times(_ n: Int) {
                        let (p, o) = bytes.multipliedReportingOverflow(by: n)
                        bytes = o || p < 0 ? Int.max : p
                    }
                    while j < ty.count, ty[j].isPunct("[") {
                        guard let c = cslMatching(ty, j) else { ok = false; break }
                        for dim in cslSplitTop(ty, j, c) { if let n = cslEvaluate(dim, env), n >= 0 { times(n) } else { ok = false } }
                        j = c + 1
                    }
                    if ok, j == ty.count - 1, let size = cslElementSize[ty[j].text] { times(size) } else { ok = false }
                    if !ok {
                        unresolved.append(d)
                        continue
                    }
                    let (sum, o) = total.addingReportingOverflow(bytes)
                    total = o ? Int.max : sum
                }
                return (total, unresolved)
            }
            var memo: [[String: Int]: (total: Int, unresolved: [CSLTopDecl])] = [:]
            for pe in tilesOfFile[file] ?? [] {
                if poll() { return }
                let result = memo[pe.params] ?? bytes(pe.params)
                memo[pe.params] = result
                for d in result.unresolved {
                    cannot(file, d.line, "size of array `\(d.name)` is not resolvable for PE (\(pe.x), \(pe.y))")
                }
                if result.unresolved.isEmpty { declaredData.append(DeclaredData(x: pe.x, y: pe.y, file: file, bytes: result.total)) }
                if result.total > budget { over.append((pe, result.total)) }
            }
            if !over.isEmpty {
                let most = over.map(\.1).max()!
                let pes = over.prefix(8).map { "(\($0.0.x), \($0.0.y))" }.joined(separator: ", ") + (over.count > 8 ? ", ..." : "")
                error(file, firstLine ?? 1, "\(file) declares \(most) bytes of arrays, over the PE data budget of \(budget) bytes (used by PE \(pes))")
            }
        }
    }
}
