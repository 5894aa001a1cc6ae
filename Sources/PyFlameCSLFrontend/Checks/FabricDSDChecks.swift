import PyFlameIR
import PyFlameLowering

extension CSLCheckRun {
    // MARK: Fabric DSDs against the routes at every PE that runs them

    /// A `fabin_dsd` receives what its color's route delivers to the PE's core (RAMP in the route's tx); a
    /// `fabout_dsd` sends into the route (RAMP in its rx). Checked at every PE that runs the DSD's code,
    /// against the layout's `@set_color_config` there (or the program's `@set_local_color_config`); a switch
    /// position that has RAMP counts. A DSD on one of memcpy's colors is memcpy's stream and routed by it.
    mutating func fabricDSDs() {
        let memcpyColors = project.memcpyReservations.map { Set($0.colors) } ?? []
        for (index, code) in project.codes.enumerated() {
            for dsd in code.program.dsds where dsd.value.kind.isFabric {
                if poll() { return }
                guard let color = dsd.value.fabricColor else {
                    cannotCheck("the color of \(dsd.label) is not known at compile time; its route is not checked", at: dsd.site)
                    continue
                }
                if memcpyColors.contains(color) { continue }
                guard Architecture.colors.contains(color) else {
                    error("\(dsd.label) is on color \(color), which is not routable: colors are \(Architecture.colorsText)", at: dsd.site)
                    continue
                }
                let input = dsd.value.kind == .fabin
                var noRoute: [PECoord] = [], wrongWay: [PECoord] = []
                var wrongRoute: RouteConfig?
                for pe in pesOfCode[index] {
                    if poll() { return }
                    guard let route = route(at: pe, color: color, code: index) else {
                        noRoute.append(pe)
                        continue
                    }
                    let ok = input ? route.anyTx.contains(.ramp) : route.anyRx.contains(.ramp)
                    if !ok {
                        wrongWay.append(pe)
                        if wrongRoute == nil { wrongRoute = route }
                    }
                }
                let verb = input ? "receives" : "sends"
                if !noRoute.isEmpty {
                    error(
                        "\(dsd.label) \(verb) on color \(color), but \(PERectangleCover.named(noRoute)) running \(code.path) \(noRoute.count == 1 ? "has" : "have") no route for color \(color)",
                        at: dsd.site)
                }
                if !wrongWay.isEmpty, let route = wrongRoute {
                    let need = input ? "deliver it to the core (RAMP in .tx)" : "take it from the core (RAMP in .rx)"
                    error(
                        "\(dsd.label) \(verb) on color \(color), but the route of color \(color) at \(PERectangleCover.named(wrongWay)) (rx \(route.rx), tx \(route.tx)) does not \(need)",
                        at: dsd.site)
                    if let i = project.routes.firstIndex(where: { $0.color == color && $0.pe == wrongWay[0] }), project.routeSites.indices.contains(i) {
                        note("the route of color \(color) at \(PERectangleCover.named([wrongWay[0]])) is configured here", at: project.routeSites[i])
                    }
                }
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
