import PyFlameIR
import PyFlameLowering

extension CSLCheckRun {
    // MARK: Fabric DSDs against the routes at every PE that runs them

    /// A `fabin_dsd` receives what its color's route delivers to the PE's core (RAMP in the route's tx); a
    /// `fabout_dsd` sends into the route (RAMP in its rx). Checked at every PE that runs the DSD's code,
    /// against the layout's `@set_color_config` there (or the program's `@set_local_color_config`); a switch
    /// position that has RAMP counts. A DSD on one of memcpy's colors, or on a streaming color the layout gave
    /// `<memcpy/get_params>`, is memcpy's stream and routed by it.
    mutating func fabricDSDs() {
        let memcpyColors = project.memcpyReservations.map { Set($0.colors) } ?? []
        // A DSD declared in an `if` branch (or at top level, where any function may use it) is used only where
        // a condition holds (decided at run time): it must work at some PE running its file, and is an error
        // only where it works at none. A DSD a function body declares outside any branch is checked PE by PE.
        var conditional: [String: [CSLSourceRange]] = [:]
        var worksSomewhere: Set<String> = []
        var deferred: [(key: String, run: (inout CSLCheckRun) -> Void)] = []
        for (index, code) in project.codes.enumerated() {
            for dsd in code.program.dsds where dsd.value.kind.isFabric {
                let path = dsd.site.path
                if conditional[path] == nil { conditional[path] = sources.conditionalRanges(in: path) }
                // Declared at top level, a DSD may be used by any function or branch: its use is not visible.
                let isConditional =
                    dsd.inFunction == nil || conditional[path]!.contains { $0.start <= dsd.site.range.start && dsd.site.range.end <= $0.end }
                let key = "\(path)|\(dsd.site.range.start)"
                if poll() { return }
                guard let color = dsd.value.fabricColor else {
                    cannotCheck("the color of \(dsd.label) is not known at compile time; its route is not checked", at: dsd.site)
                    continue
                }
                if memcpyColors.contains(color) || code.memcpyStreamingColors.contains(color) { continue }
                guard Architecture.colors.contains(color) else {
                    error("\(dsd.label) is on color \(color), which is not routable: colors are \(Architecture.colorsText)", at: dsd.site)
                    continue
                }
                let input = dsd.value.kind == .fabin
                var failing: [PECoord] = []
                for pe in pesOfCode[index] {
                    if poll() { return }
                    if let route = route(at: pe, color: color, code: index), input ? route.anyTx.contains(.ramp) : route.anyRx.contains(.ramp) { continue }
                    failing.append(pe)
                }
                if failing.count < pesOfCode[index].count { worksSomewhere.insert(key) }
                guard isConditional else {
                    reportFabricDSD(dsd, color: color, code: index, failing: failing)
                    continue
                }
                let codeIndex = index
                deferred.append((key, { run in run.reportFabricDSD(dsd, color: color, code: codeIndex, failing: failing, used: false) }))
            }
        }
        for (key, report) in deferred where !worksSomewhere.contains(key) { report(&self) }
    }

    /// The findings of a fabric DSD whose route fails at `failing` (PEs running code `code`): PEs with no
    /// route for its color, and PEs whose route does not reach (or leave from) the core, each an error at
    /// the DSD (with a note at the first such route).
    /// `used` false: the DSD's use is not visible (top level, an `if` branch): a warning, as `cslc` drops a
    /// DSD nothing uses.
    mutating func reportFabricDSD(_ dsd: CSLDSDDecl, color: Int, code index: Int, failing: [PECoord], used: Bool = true) {
        guard !failing.isEmpty else { return }
        let severity: CSLDiagnostic.Severity = used ? .error : .warning
        let unlessUnused = used ? "" : " (if the code uses it there)"
        let code = project.codes[index]
        let input = dsd.value.kind == .fabin
        var noRoute: [PECoord] = [], wrongWay: [PECoord] = []
        var wrongRoute: RouteConfig?
        for pe in failing {
            if let route = route(at: pe, color: color, code: index) {
                wrongWay.append(pe)
                if wrongRoute == nil { wrongRoute = route }
            } else {
                noRoute.append(pe)
            }
        }
        let verb = input ? "receives" : "sends"
        if !noRoute.isEmpty {
            add(
                severity,
                "\(dsd.label) \(verb) on color \(color), but \(PERectangleCover.named(noRoute)) running \(code.path) \(noRoute.count == 1 ? "has" : "have") no route for color \(color)\(unlessUnused)",
                at: dsd.site)
        }
        if !wrongWay.isEmpty, let route = wrongRoute {
            let need = input ? "deliver it to the core (RAMP in .tx)" : "take it from the core (RAMP in .rx)"
            add(
                severity,
                "\(dsd.label) \(verb) on color \(color), but the route of color \(color) at \(PERectangleCover.named(wrongWay)) (rx \(route.rx), tx \(route.tx)) does not \(need)\(unlessUnused)",
                at: dsd.site)
            if let i = project.routes.firstIndex(where: { $0.color == color && $0.pe == wrongWay[0] }), project.routeSites.indices.contains(i) {
                note("the route of color \(color) at \(PERectangleCover.named([wrongWay[0]])) is configured here", at: project.routeSites[i])
            }
        }
    }

    // MARK: Memory DSDs against their buffers

    /// A `mem1d_dsd`/`mem4d_dsd` touches only elements of its buffer: its first element is at an offset of
    /// at least 0 and its last (offset + Σ (extent − 1)·stride) inside the buffer's elements. The error is at
    /// the DSD, with a note at the buffer's declaration (either may be the one to change).
    mutating func memoryDSDs() {
        for code in project.codes {
            if poll() { return }
            let program = code.program
            var globals: [String: CSLGlobal] = [:]
            for g in program.globals where globals[g.name] == nil { globals[g.name] = g }
            for dsd in program.dsds where !dsd.value.kind.isFabric {
                guard let base = dsd.value.baseBuffer else {
                    cannotCheck("the buffer \(dsd.label) reads or writes is not known at compile time; its extent is not checked", at: dsd.site)
                    continue
                }
                guard let buffer = globals[base] else {
                    cannotCheck("\(dsd.label) accesses `\(base)`, which is not a global of \(code.path); its extent is not checked", at: dsd.site)
                    continue
                }
                guard let elements = buffer.type.elementCount else {
                    cannotCheck("the size of `\(base)` (\(buffer.type)) is not known; \(dsd.label)'s extent is not checked", at: dsd.site)
                    continue
                }
                guard let offset = dsd.value.offset, let last = dsd.value.lastElementIndex else {
                    cannotCheck("the elements \(dsd.label) touches in `\(base)` are not known at compile time", at: dsd.site)
                    continue
                }
                let extent = dsd.value.extent.map { " (extent \($0))" } ?? ""
                if let name = dsd.name, sources.rebasesDSD(named: name, in: dsd.site.path) {
                    // The tutorials' "dummy DSD": its base and length are set at run time before any use, so the
                    // buffer it was declared on says nothing about what it touches.
                    if last >= elements || offset < 0 {
                        cannotCheck(
                            "\(dsd.label)\(extent) goes beyond `\(base)`, but the code moves it with @set_dsd_base_addr/@set_dsd_length before use: what it touches is known only at run time",
                            at: dsd.site)
                    }
                    continue
                }
                if offset < 0 {
                    error("\(dsd.label)\(extent) starts at \(base)[\(offset)], before the first element of `\(base)`", at: dsd.site)
                    note("`\(base)` is declared here as \(buffer.type)", at: buffer.site)
                } else if last >= elements {
                    error(
                        "\(dsd.label)\(extent) reaches \(base)[\(last)], beyond the \(elements) element\(elements == 1 ? "" : "s") of `\(base)`: the buffer is too small for the DSD or the DSD too long for the buffer",
                        at: dsd.site)
                    note("`\(base)` is declared here as \(buffer.type), \(elements) element\(elements == 1 ? "" : "s")", at: buffer.site)
                }
            }
        }
    }
}

extension CSLPECode {
    /// The streaming colors the layout gave `<memcpy/get_params>` (`.MEMCPYH2D_1 = ...`), as this PE's
    /// `memcpy_params` carries them: memcpy routes them, so a fabric DSD on one is memcpy's stream.
    var memcpyStreamingColors: Set<Int> {
        guard let memcpy = params.first(where: { $0.name == "memcpy_params" })?.value.structValue else { return [] }
        var colors = Set<Int>()
        for field in memcpy.fields where field.name.hasPrefix("MEMCPY") {
            if case .color(let c) = field.value { colors.insert(c) }
        }
        return colors
    }
}

extension CSLType {
    /// The elements an array holds (a scalar: 1), when its size is known.
    var elementCount: Int? {
        switch self {
        case .array(let dims, _):
            var n = 1
            for d in dims {
                guard d >= 0 else { return nil }
                let (p, o) = n.multipliedReportingOverflow(by: d)
                if o { return nil }
                n = p
            }
            return n
        case .int, .float, .bool: return 1
        default: return nil
        }
    }
}
