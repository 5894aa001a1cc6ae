import PyFlameIR
import PyFlameLowering

extension CSLCheckRun {
    // MARK: Exports pair with @export_name

    /// Every `@export_name` of the layout has an `@export_symbol` of that name in some PE program and back;
    /// a pointer export's element type and mutability match the global (`var` with `true`, `const` with
    /// `false`), and an array is never exported itself (a `[*]T` pointer to it is).
    mutating func exports() {
        var names: [String: CSLExportName] = [:]
        for e in project.exportNames where names[e.name] == nil { names[e.name] = e }
        var symbols = Set<String>()
        for code in project.codes {
            for s in code.program.exports { symbols.insert(s.name) }
        }
        for e in project.exportNames where !symbols.contains(e.name) {
            error("@export_name(\"\(e.name)\", ...) has no @export_symbol(..., \"\(e.name)\") in any PE program", at: e.site)
        }
        for code in project.codes {
            let program = code.program
            for s in program.exports {
                guard let e = names[s.name] else {
                    error("@export_symbol exports \"\(s.name)\", but layout.csl has no @export_name(\"\(s.name)\", ...)", at: s.site)
                    continue
                }
                guard let global = program.globals.first(where: { $0.name == s.symbol }) else { continue }
                switch (e.type, global.type) {
                case (.pointer(let want, true, _), .pointer(let have, true, _)):
                    if want != have {
                        error("`\(s.symbol)` is \(global.type), but @export_name(\"\(e.name)\") says [*]\(want)", at: s.site)
                        note("exported as [*]\(want) here", at: e.site)
                    }
                    if let mutable = e.isMutable, mutable == global.isConst {
                        error(
                            "`\(s.symbol)` is a \(global.isConst ? "const" : "var"), but @export_name(\"\(e.name)\") gives mutability \(mutable) (var pairs with true, const with false)",
                            at: s.site)
                        note("exported with mutability \(mutable) here", at: e.site)
                    }
                case (.pointer, .array):
                    error("`\(s.symbol)` is an array (\(global.type)): export a [*]T pointer to it, never the array", at: s.site)
                case (.function, _):
                    error("\"\(e.name)\" is exported as a function in the layout, but `\(s.symbol)` is a \(global.isConst ? "const" : "var")", at: s.site)
                default:
                    break
                }
            }
        }
    }

    // MARK: Memory per PE

    /// The bytes a PE's program declares against what the PE has: for a project the shell emitted, its
    /// arrays (the lowering's buffers) against the shell's `pe_data_budget`; for any other, every global
    /// against the PE's memory (`Architecture.peMemoryBytes`; its code shares that memory and is not counted).
    mutating func memoryPerPE() {
        let emitted = CSLProjectChecks.isEmitted(project)
        let budget = options.dataBudget ?? (emitted ? options.emittedDataBudget : Architecture.peMemoryBytes)
        let what = options.dataBudget != nil ? "the data budget" : emitted ? "the PE data budget (pe_data_budget)" : "the PE's memory"
        for (index, code) in project.codes.enumerated() {
            if poll() { return }
            let counted = code.program.globals.filter { emitted ? $0.type.isArray : true }
            if let unknown = counted.first(where: { $0.byteSize == nil }) {
                cannotCheck("the size of `\(unknown.name)` (\(unknown.type)) is not known; the memory of \(code.path) is not checked", at: unknown.site)
                continue
            }
            var total = 0
            for g in counted {
                let (sum, o) = total.addingReportingOverflow(g.byteSize ?? 0)
                total = o ? Int.max : sum
            }
            guard total > budget, let largest = counted.max(by: { ($0.byteSize ?? 0) < ($1.byteSize ?? 0) }) else { continue }
            let message =
                "\(code.path) declares \(total) bytes of \(emitted ? "arrays" : "data") at \(PERectangleCover.named(pesOfCode[index])), over \(what) of \(budget) bytes (the largest is `\(largest.name)`, \(largest.byteSize ?? 0) bytes)"
            // An emitted project declares exactly its buffers, all used. In a hand-written one cslc allocates only
            // the globals the code uses (a module's unused FIFO is not placed: pipeline-03-multiple), so the sum
            // of every global is a warning unless the user set a budget.
            if emitted || options.dataBudget != nil {
                error(message, at: largest.site)
            } else {
                add(.warning, message + "; cslc places only the globals the code uses", at: largest.site)
            }
        }
    }
}

extension CSLType {
    var isArray: Bool {
        if case .array = self { return true }
        return false
    }
}
