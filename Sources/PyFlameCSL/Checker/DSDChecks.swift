/// One `@get_dsd(...)` of a PE program: its name, kind and fields, where it is written.
struct CheckedDSD {
    var name: String
    var kind: String
    var fields: [(name: String, value: [CSLToken], line: Int)]
    var line: Int

    func field(_ name: String) -> [CSLToken]? { fields.first { $0.name == name }?.value }
}

/// A PE that runs a PE program: its rectangle coordinates and the program's known values there.
struct CheckedPE {
    var x: Int
    var y: Int
    var env: [String: Int]
}

extension CSLCheckRun {
    // MARK: DSDs: fabric colors against the layout's routes, memory accesses against their arrays

    /// Every DSD of `file`, for every PE that runs it: a fabric DSD's color must have a route at the PE
    /// that takes it from (`fabout_dsd`) or gives it to (`fabin_dsd`) the core; a `mem1d_dsd` must stay
    /// inside its array; an operation on several DSDs must give them the same length (so a fabric DSD's
    /// extent is checked against the memory it moves). Whatever of that the checker cannot evaluate is
    /// a `cannot check` finding, never a silent pass.
    mutating func dsdChecks(_ file: String, _ toks: [CSLToken], pes: [CheckedPE]) {
        let decls = cslTopDecls(toks)
        var dsds: [CheckedDSD] = []
        for i in toks.indices where toks[i].isBuiltin("get_dsd") {
            guard toks[cslAt: i + 1]?.isPunct("(") == true, let close = cslMatching(toks, i + 1) else { continue }
            let args = Self.splitOutsideBars(toks, i + 1, close)
            guard let name = Self.declaredName(toks, before: i) else {
                cannot(file, toks[i].line, "a @get_dsd that is not the value of a named const is not checked")
                continue
            }
            guard args.count == 2, args[0].count == 1, args[0][0].kind == .ident, let fields = Self.structFields(args[1]) else {
                cannot(file, toks[i].line, "DSD `\(name)` is not written @get_dsd(KIND, .{ ... }); its color, extent and memory are not checked")
                continue
            }
            dsds.append(CheckedDSD(name: name, kind: args[0][0].text, fields: fields, line: toks[i].line))
        }
        guard !dsds.isEmpty else { return }
        // Length of each DSD per PE (nil where it did not resolve), for the operations below.
        var lengths: [String: [Int?]] = [:]
        for dsd in dsds {
            if stopped { return }
            switch dsd.kind {
            case "fabin_dsd", "fabout_dsd":
                lengths[dsd.name] = fabricDSD(file, dsd, pes)
            case "mem1d_dsd", "mem4d_dsd":
                lengths[dsd.name] = memoryDSD(file, dsd, pes, decls: decls)
            default:
                cannot(file, dsd.line, "\(dsd.kind) `\(dsd.name)` is not checked (the checker reads mem1d_dsd, mem4d_dsd, fabin_dsd and fabout_dsd)")
            }
        }
        operationLengths(file, toks, dsds: dsds, lengths: lengths, pes: pes)
        queueSharing(file, toks, dsds: dsds)
    }

    /// The tokens strictly between `open` and `close`, split at commas outside brackets and outside the
    /// `|i, j|` of a tensor access.
    static func splitOutsideBars(_ toks: [CSLToken], _ open: Int, _ close: Int) -> [[CSLToken]] {
        var parts: [[CSLToken]] = []
        var current: [CSLToken] = []
        var depth = 0
        var inBars = false
        for t in toks[(open + 1)..<close] {
            if t.kind == .punct && cslOpeners[t.text] != nil { depth += 1 }
            if t.kind == .punct && cslClosers.contains(t.text) { depth -= 1 }
            if depth == 0 && t.isPunct("|") { inBars.toggle() }
            if depth == 0 && !inBars && t.isPunct(",") { parts.append(current); current = [] } else { current.append(t) }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    /// `.{ .a = e, .b = f }` as fields, where a value may hold `|i, j|`.
    static func structFields(_ toks: [CSLToken]) -> [(name: String, value: [CSLToken], line: Int)]? {
        guard toks.count >= 3, toks[0].isPunct("."), toks[1].isPunct("{"), let close = cslMatching(toks, 1), close == toks.count - 1 else { return nil }
        var out: [(name: String, value: [CSLToken], line: Int)] = []
        for part in splitOutsideBars(toks, 1, close) {
            guard part.count >= 3, part[0].isPunct("."), part[1].kind == .ident, part[2].isPunct("=") else { return nil }
            out.append((part[1].text, Array(part[3...]), part[1].line))
        }
        return out
    }

    /// `NAME` of `const NAME = @get_dsd(` / `const NAME: T = @get_dsd(` ending just before token `i`.
    static func declaredName(_ toks: [CSLToken], before i: Int) -> String? {
        guard i >= 2, toks[i - 1].isPunct("=") else { return nil }
        var j = i - 2
        while j >= 1, !(toks[j - 1].isIdent("const") || toks[j - 1].isIdent("var")) {
            if toks[j].isPunct(";") || toks[j].isPunct("{") || toks[j].isPunct("}") || i - j > 8 { return nil }
            j -= 1
        }
        guard j >= 1, toks[j].kind == .ident else { return nil }
        return toks[j].text
    }

    /// Up to 8 PEs, `(x, y), ...`.
    static func peNames(_ pes: [CheckedPE]) -> String {
        pes.prefix(8).map { "(\($0.x), \($0.y))" }.joined(separator: ", ") + (pes.count > 8 ? " and \(pes.count - 8) more" : "")
    }

    /// A fabric DSD: its color's route at each PE, and its extent (returned per PE).
    mutating func fabricDSD(_ file: String, _ dsd: CheckedDSD, _ pes: [CheckedPE]) -> [Int?] {
        let input = dsd.kind == "fabin_dsd"
        guard let colorTokens = dsd.field("fabric_color") else {
            error(file, dsd.line, "\(dsd.kind) `\(dsd.name)` has no .fabric_color")
            return pes.map { _ in nil }
        }
        guard let extentTokens = dsd.field("extent") else {
            error(file, dsd.line, "\(dsd.kind) `\(dsd.name)` has no .extent")
            return pes.map { _ in nil }
        }
        var unresolvedColor: [CheckedPE] = [], noRoute: [(CheckedPE, Int)] = [], wrongWay: [(CheckedPE, Int)] = []
        var unresolvedExtent: [CheckedPE] = [], badExtent: [(CheckedPE, Int)] = []
        var extents: [Int?] = []
        extents.reserveCapacity(pes.count)
        // PEs with the same parameters share the evaluation.
        var memo: [[String: Int]: (extent: Int?, color: Int?)] = [:]
        for pe in pes {
            if poll() { return [] }
            let known = memo[pe.env] ?? (cslEvaluate(extentTokens, pe.env), cslEvaluate(colorTokens, pe.env))
            memo[pe.env] = known
            let extent = known.extent
            extents.append(extent)
            if let e = extent { if e < 1 { badExtent.append((pe, e)) } } else { unresolvedExtent.append(pe) }
            guard let color = known.color else { unresolvedColor.append(pe); continue }
            guard let config = configIndex[CheckedConfigKey(x: pe.x, y: pe.y, color: color)].map({ configs[$0] }) else {
                noRoute.append((pe, color))
                continue
            }
            if !(input ? config.tx : config.rx).contains("RAMP") { wrongWay.append((pe, color)) }
        }
        let colors = { (list: [(CheckedPE, Int)]) in Set(list.map(\.1)).sorted().map(String.init).joined(separator: ", ") }
        if !unresolvedColor.isEmpty {
            cannot(
                file, dsd.line,
                "the color of `\(dsd.name)` is not a literal or a resolvable const at PE \(Self.peNames(unresolvedColor)); its route is not checked")
        }
        if !noRoute.isEmpty {
            let message =
                "`\(dsd.name)` \(input ? "receives" : "sends") on color \(colors(noRoute)), which has no route at PE \(Self.peNames(noRoute.map(\.0))) in layout.csl"
            if complete { error(file, dsd.line, message) } else { cannot(file, dsd.line, message + " (the layout is not fully resolved)") }
        }
        if !wrongWay.isEmpty {
            error(
                file, dsd.line,
                "`\(dsd.name)` \(input ? "receives" : "sends") on color \(colors(wrongWay)), but its route at PE \(Self.peNames(wrongWay.map(\.0))) "
                    + (input ? "does not send to RAMP (.tx has no RAMP)" : "does not take from RAMP (.rx has no RAMP)"))
        }
        if !unresolvedExtent.isEmpty {
            cannot(file, dsd.line, "the extent of `\(dsd.name)` is not a literal or a resolvable const at PE \(Self.peNames(unresolvedExtent))")
        }
        if !badExtent.isEmpty {
            error(
                file, dsd.line, "`\(dsd.name)` has extent \(badExtent[0].1) at PE \(Self.peNames(badExtent.map(\.0))): a fabric DSD moves at least one wavelet")
        }
        return extents
    }

    /// A `mem1d_dsd` with `.tensor_access = |i, ...|{E, ...} -> ARRAY[INDEX]`: every index it visits lies
    /// inside ARRAY. Returns the element count per PE.
    mutating func memoryDSD(_ file: String, _ dsd: CheckedDSD, _ pes: [CheckedPE], decls: [CSLTopDecl]) -> [Int?] {
        let none = pes.map { _ in Int?.none }
        guard let access = dsd.field("tensor_access"), let parsed = Self.tensorAccess(access) else {
            cannot(file, dsd.line, "`\(dsd.name)` has no .tensor_access of the form |i|{N} -> a[i]; its extent and memory are not checked")
            return none
        }
        guard let array = decls.last(where: { $0.name == parsed.array && ($0.keyword == "var" || $0.keyword == "const") }) else {
            cannot(file, dsd.line, "`\(dsd.name)` reads `\(parsed.array)`, which is not a top-level array of \(file); its memory is not checked")
            return none
        }
        // Each variable at most once in the index: the index is then multilinear in them, so its least and
        // greatest values over the box of the extents are at the box's corners.
        let uses = parsed.variables.map { v in parsed.index.reduce(0) { $0 + ($1.isIdent(v) ? 1 : 0) } }
        let cornerable = uses.allSatisfy { $0 <= 1 } && parsed.variables.count <= 6
        var unresolved: [CheckedPE] = [], outside: [(CheckedPE, Int, Int)] = []
        var counts: [Int?] = []
        counts.reserveCapacity(pes.count)
        var memo: [[String: Int]: (count: Int?, reach: (Int, Int)?, size: Int?)] = [:]
        for pe in pes {
            if poll() { return [] }
            let result: (count: Int?, reach: (Int, Int)?, size: Int?)
            if let known = memo[pe.env] {
                result = known
            } else {
                let extents = parsed.extents.map { cslEvaluate($0, pe.env) }
                var count: Int? = 1
                for e in extents {
                    guard let e, e >= 0, let c = count else { count = nil; break }
                    let (p, o) = c.multipliedReportingOverflow(by: e)
                    count = o ? nil : p
                }
                var reach: (Int, Int)?
                if cornerable, let count, count > 0, extents.count == parsed.variables.count {
                    reach = Self.reach(parsed.index, variables: parsed.variables, extents: extents.map { $0! }, env: pe.env)
                } else if count == 0 {
                    reach = (0, -1)
                }
                result = (count, reach, Self.elements(of: array, pe.env))
                memo[pe.env] = result
            }
            counts.append(result.count)
            guard let (low, high) = result.reach, let size = result.size else { unresolved.append(pe); continue }
            if high >= low && (low < 0 || high >= size) { outside.append((pe, low < 0 ? low : high, size)) }
        }
        if !unresolved.isEmpty {
            cannot(
                file, dsd.line,
                "the elements `\(dsd.name)` visits in `\(parsed.array)` do not resolve at PE \(Self.peNames(unresolved)); its extent and memory are not checked"
            )
        }
        if let (_, index, size) = outside.first {
            error(
                file, dsd.line,
                "`\(dsd.name)` reaches \(parsed.array)[\(index)] at PE \(Self.peNames(outside.map(\.0))), outside `\(parsed.array)` (\(size) element\(size == 1 ? "" : "s"))"
            )
        }
        return counts
    }

    /// `|i, j|{E0, E1} -> a[INDEX]` split into its parts (INDEX: the tokens inside the brackets, one flat index).
    static func tensorAccess(_ toks: [CSLToken]) -> (variables: [String], extents: [[CSLToken]], array: String, index: [CSLToken])? {
        guard toks.first?.isPunct("|") == true, let bar = toks.dropFirst().firstIndex(where: { $0.isPunct("|") }) else { return nil }
        let variables = toks[1..<bar].filter { !$0.isPunct(",") }
        guard variables.allSatisfy({ $0.kind == .ident }), toks[cslAt: bar + 1]?.isPunct("{") == true,
            let braceEnd = cslMatching(toks, bar + 1)
        else { return nil }
        let extents = cslSplitTop(toks, bar + 1, braceEnd)
        let rest = Array(toks[(braceEnd + 1)...])
        guard rest.count >= 5, rest[0].isPunct("-"), rest[1].isPunct(">"), rest[2].kind == .ident, rest[3].isPunct("["),
            let close = cslMatching(rest, 3), close == rest.count - 1
        else { return nil }
        let index = cslSplitTop(rest, 3, close)
        guard index.count == 1 else { return nil }
        return (variables.map(\.text), extents, rest[2].text, index[0])
    }

    /// Least and greatest value of `index` with each variable from 0 to its extent − 1 (nil when it does
    /// not resolve), from the corners of the box.
    static func reach(_ index: [CSLToken], variables: [String], extents: [Int], env: [String: Int]) -> (Int, Int)? {
        var low = Int.max, high = Int.min
        for corner in 0..<(1 << variables.count) {
            var e = env
            for (k, v) in variables.enumerated() { e[v] = corner & (1 << k) != 0 ? extents[k] - 1 : 0 }
            guard let value = cslEvaluate(index, e) else { return nil }
            low = min(low, value)
            high = max(high, value)
        }
        return (low, high)
    }

    /// Elements of a declared array `[N]T` / `[R, C]T` (its type, or the type of its `@zeros`/`@constants`).
    static func elements(of decl: CSLTopDecl, _ env: [String: Int]) -> Int? {
        var ty = decl.type
        if ty.isEmpty, decl.value.count >= 2, decl.value[0].isBuiltin("zeros") || decl.value[0].isBuiltin("constants"),
            decl.value[1].isPunct("("), let c = cslMatching(decl.value, 1), let first = cslSplitTop(decl.value, 1, c).first
        {
            ty = first
        }
        guard ty.first?.isPunct("[") == true, ty[cslAt: 1]?.isPunct("*") != true, let close = cslMatching(ty, 0), close == ty.count - 2 else { return nil }
        var count = 1
        for dim in cslSplitTop(ty, 0, close) {
            guard let n = cslEvaluate(dim, env), n >= 0 else { return nil }
            let (p, o) = count.multipliedReportingOverflow(by: n)
            if o { return nil }
            count = p
        }
        return count
    }

    /// Operations (`@fmovs(dst, src)`, `@fadds(dst, a, b)`, ...) whose DSD arguments resolve must give them
    /// one length; a fabric DSD that no such operation pairs with memory keeps an unchecked extent.
    mutating func operationLengths(_ file: String, _ toks: [CSLToken], dsds: [CheckedDSD], lengths: [String: [Int?]], pes: [CheckedPE]) {
        var paired = Set<String>()
        for i in toks.indices where toks[i].kind == .builtin && !toks[i].isBuiltin("get_dsd") {
            guard toks[cslAt: i + 1]?.isPunct("(") == true, let close = cslMatching(toks, i + 1) else { continue }
            let names = cslSplitTop(toks, i + 1, close).compactMap { $0.count == 1 && lengths[$0[0].text] != nil ? $0[0].text : nil }
            guard names.count >= 2 else { continue }
            var mismatch: [CheckedPE] = []
            var example = ""
            var resolvedEverywhere = true
            let columns = names.map { lengths[$0] ?? [] }
            for (k, pe) in pes.enumerated() {
                if poll() { return }
                var first: Int?
                var differ = false, unresolved = false
                for column in columns {
                    guard let value = column[cslAt: k] ?? nil else { unresolved = true; break }
                    if let f = first { if f != value { differ = true } } else { first = value }
                }
                if unresolved { resolvedEverywhere = false; continue }
                if differ {
                    if mismatch.isEmpty { example = zip(names, columns).map { "\($0.0) has \($0.1[k]!)" }.joined(separator: ", ") }
                    mismatch.append(pe)
                }
            }
            if !mismatch.isEmpty {
                error(
                    file, toks[i].line,
                    "@\(toks[i].text)(\(names.joined(separator: ", "))) at PE \(Self.peNames(mismatch)): the DSDs differ in length (\(example))")
            }
            if resolvedEverywhere { paired.formUnion(names) }
        }
        for dsd in dsds where (dsd.kind == "fabin_dsd" || dsd.kind == "fabout_dsd") && !paired.contains(dsd.name) {
            // A control DSD (`.control = true`) moves payloads the <control> library encodes: what their
            // commands do to the switches on the way, and which control tasks they run, is run-time routing.
            if let control = dsd.field("control"), control.count == 1, control[0].isIdent("true") {
                cannot(
                    file, dsd.line,
                    "control: `\(dsd.name)` sends control wavelets; what their commands do to the switches on the way, and which control tasks they run, is not checked"
                )
                continue
            }
            cannot(file, dsd.line, "the extent of `\(dsd.name)` is not compared with any memory: no operation the checker reads pairs it with a memory DSD")
        }
    }
}
