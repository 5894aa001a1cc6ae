import PyFlameIR
import PyFlameLowering

extension CSLEvaluator {
    /// Where a builtin with an effect belongs: layout builtins (the table's `.layout` place) only inside
    /// `layout { }`; program builtins are recorded by the PE elaboration.
    enum EffectBuiltin { case layout, program }
    static let programEffectBuiltins: Set<String> = [
        "bind_data_task", "bind_local_task", "bind_control_task", "export_symbol", "initialize_queue", "set_local_color_config",
    ]

    static func effect(of name: String) -> EffectBuiltin? {
        if CSLBuiltin.lookup(name)?.place == .layout { return .layout }
        return programEffectBuiltins.contains(name) ? .program : nil
    }

    /// `@name(arguments)`: the builtins comptime evaluation computes; any other builtin is a run-time
    /// operation whose arguments are evaluated for their names (the builtin table checks its signature).
    func builtin(
        _ name: String, nameRange: CSLSourceRange, _ arguments: [CSLExpr], scope: CSLScope?, range: CSLSourceRange, typeHint: CSLType?,
        declarationName: String?
    ) throws -> CSLValue {
        // One owner for builtin signatures: the table (Builtins/CSLBuiltinTable.swift) checks every call's
        // argument count; a builtin it does not have is run-time code the front end cannot check.
        if let signature = CSLBuiltin.lookup(name) {
            if let message = signature.check(argumentCount: arguments.count) { throw error(message, at: range) }
        } else if !resolvingOnly {
            report(diagnostic(.cannotCheck, "@\(name) is not in the front end's table of SDK 1.4 builtins: its arguments are not checked", at: nameRange))
        }
        func values() throws -> [CSLValue] { try arguments.map { try evaluate($0, scope: scope) } }
        func int(_ v: CSLValue, _ k: Int, _ what: String) throws -> Int? {
            if let i = v.intValue { return i }
            if isUnknown(v) { return nil }
            throw error("@\(name)'s \(what) must be an integer, not \(v)", at: arguments[k].range)
        }

        let effect = CSLEvaluator.effect(of: name)
        switch name {
        case _ where effect == .layout:
            let vs = try values()
            if resolvingOnly { return .void }
            guard inLayout, let result = try sink?.layoutBuiltin(name, arguments: vs, argumentRanges: arguments.map(\.range), range: range, evaluator: self)
            else {
                throw error("@\(name) belongs in the layout file's layout { } block", at: nameRange)
            }
            return result
        case _ where effect == .program:
            let vs = try values()
            if resolvingOnly { return .void }
            if inLayout && name != "set_local_color_config" { throw error("@\(name) belongs in a PE program, not in layout { }", at: nameRange) }
            let names: [String?] = arguments.map {
                if case .identifier(let n) = $0.kind { return n }
                return nil
            }
            try sink?.programBuiltin(name, arguments: vs, argumentNames: names, argumentRanges: arguments.map(\.range), range: range, evaluator: self)
            return .void
        case "get_color":
            let v = try evaluate(arguments[0], scope: scope)
            guard let c = try int(v, 0, "color") else { return .runtime(.color) }
            guard Architecture.colors.contains(c) else {
                throw error("color \(c) does not exist: colors are \(Architecture.colorsText)", at: arguments[0].range)
            }
            return .color(c)
        case "get_local_task_id", "get_control_task_id":
            let kind: CSLTaskKind = name == "get_local_task_id" ? .local : .control
            let v = try evaluate(arguments[0], scope: scope)
            guard let id = try int(v, 0, "task ID") else { return .runtime(.taskID(kind)) }
            guard id >= 0 && id <= ControlWavelet.maxEntryPoint else {
                throw error("task ID \(id) does not exist: task IDs are 0 to \(ControlWavelet.maxEntryPoint)", at: arguments[0].range)
            }
            return .taskID(kind, id)
        case "get_data_task_id":
            let v = try evaluate(arguments[0], scope: scope)
            switch v {
            case .color(let c): return .taskID(.data, c)
            case .inputQueue(let q):
                guard options.architecture == .wse3 else {
                    throw error("@get_data_task_id takes a color on wse2 (an input queue only on wse3)", at: arguments[0].range)
                }
                return .taskID(.data, q)
            default:
                if isUnknown(v) { return .runtime(.taskID(.data)) }
                throw error("@get_data_task_id takes a color (wse2) or an input queue (wse3), not \(v)", at: arguments[0].range)
            }
        case "get_input_queue", "get_output_queue":
            let v = try evaluate(arguments[0], scope: scope)
            guard let q = try int(v, 0, "queue") else { return .runtime(name == "get_input_queue" ? .inputQueue : .outputQueue) }
            guard q >= 0 && q < Architecture.queueCount else {
                throw error("queue \(q) does not exist: queues are 0 to \(Architecture.queueCount - 1)", at: arguments[0].range)
            }
            return name == "get_input_queue" ? .inputQueue(q) : .outputQueue(q)
        case "is_arch":
            let v = try evaluate(arguments[0], scope: scope)
            guard case .string(let s) = v else { throw error("@is_arch takes \"wse2\" or \"wse3\", not \(v)", at: arguments[0].range) }
            guard let arch = Architecture(rawValue: s) else { throw error("@is_arch: \"\(s)\" is not an architecture (wse2, wse3)", at: arguments[0].range) }
            return .bool(arch == options.architecture)
        case "comptime_assert":
            let v = try evaluate(arguments[0], scope: scope)
            if resolvingOnly { return .void }
            guard let b = v.boolValue else {
                if isUnknown(v) { return .void }
                throw error("@comptime_assert takes a bool, not \(v)", at: arguments[0].range)
            }
            if !b {
                var message = "@comptime_assert failed"
                if arguments.count == 2, case .string(let s) = try evaluate(arguments[1], scope: scope) { message += ": \(s)" }
                throw error(message, at: range)
            }
            return .void
        case "comptime_print", "assert":
            _ = try values()
            return .void
        case "concat_structs":
            let vs = try values()
            guard let a = vs[0].structValue, let b = vs[1].structValue else {
                if vs.contains(where: isUnknown) { return .opaque("struct") }
                throw error("@concat_structs takes two structs, not \(vs[0].structValue == nil ? vs[0] : vs[1])", at: range)
            }
            for f in b.fields where a[f.name] != nil {
                throw error("@concat_structs: both structs have .\(f.name)", at: arguments[1].range)
            }
            return .structValue(CSLStructValue(fields: a.fields + b.fields))
        case "import_module":
            let vs = try values()
            guard case .string(let moduleName) = vs[0] else {
                throw error("@import_module takes a file name or <library>, not \(vs[0])", at: arguments[0].range)
            }
            var params = CSLStructValue(fields: [])
            if vs.count == 2 {
                if let s = vs[1].structValue {
                    params = s
                } else if !isUnknown(vs[1]) {
                    throw error("@import_module's parameters must be a struct, not \(vs[1])", at: arguments[1].range)
                }
            }
            return try importModule(moduleName, params: params, range: range, nameRange: arguments[0].range)
        case "as":
            let t = try evaluateType(arguments[0], scope: scope)
            let v = try evaluate(arguments[1], scope: scope, typeHint: t)
            return try convert(v, to: t, at: arguments[1].range)
        case "zeros", "constants":
            let t = try evaluateType(arguments[0], scope: scope)
            let fill = arguments.count == 2 ? try evaluate(arguments[1], scope: scope) : nil
            return Self.filledArray(t, with: fill) ?? .runtime(t)
        case "get_dsd":
            return try getDSD(arguments, scope: scope, range: range, declarationName: declarationName)
        case "type_of":
            return .type(try evaluate(arguments[0], scope: scope).type)
        case "is_same_type":
            let a = try evaluateType(arguments[0], scope: scope), b = try evaluateType(arguments[1], scope: scope)
            return .bool(a.description == b.description)
        case "get_rectangle":
            guard let r = rectangle else { return .runtime(.comptimeStruct) }
            return .structValue(
                CSLStructValue(fields: [CSLStructField("width", .int(r.width, .comptimeInt)), CSLStructField("height", .int(r.height, .comptimeInt))]))
        case "range":
            throw error("@range belongs in a for loop: for (@range(i16, N)) |i| { ... }", at: range)
        case "allocate_fifo":
            _ = try values()
            return .runtime(.fifo)
        case "get_dsr":
            _ = try values()
            return .runtime(.dsr)
        case "bitcast", "ptrcast":
            let t = try evaluateType(arguments[0], scope: scope)
            _ = try evaluate(arguments[1], scope: scope)
            return .runtime(t)
        case "increment_dsd_offset", "set_dsd_base_addr", "set_dsd_length", "set_dsd_stride":
            let vs = try values()
            return .runtime(vs.first?.type ?? .opaque("dsd"))
        default:
            // A run-time builtin (DSD operations, @activate, @block ...): its arguments are names to resolve.
            _ = try values()
            return .runtime(.void)
        }
    }

    /// `@as(T, v)`: integer ↔ integer (the value must fit), integer ↔ float, float ↔ float.
    func convert(_ v: CSLValue, to t: CSLType, at range: CSLSourceRange) throws -> CSLValue {
        switch (v, t) {
        case (.int(let x, _), .int), (.int(let x, _), .comptimeInt):
            guard CSLIntArithmetic.fits(x, t) else {
                throw error("integer overflow: @as(\(t), \(x)): \(x) does not fit \(t)", at: range)
            }
            return .int(x, t)
        case (.int(let x, _), .float), (.int(let x, _), .comptimeFloat): return .float(Double(x), t)
        case (.float(let x, _), .float), (.float(let x, _), .comptimeFloat): return .float(x, t)
        case (.float(let x, _), .int):
            guard x.isFinite, let i = Int(exactly: x.rounded(.towardZero)), CSLIntArithmetic.fits(i, t) else {
                throw error("@as(\(t), \(x)): the value does not fit \(t)", at: range)
            }
            return .int(i, t)
        case (.bool(let b), .int): return .int(b ? 1 : 0, t)
        case (.runtime, _): return .runtime(t)
        case (.opaque, _): return v
        default: return try coerce(v, to: t, at: range)
        }
    }

    /// `@get_dsd(kind, .{ ... })`: the DSD's kind and the fields the checks read; recorded with the sink.
    private func getDSD(_ arguments: [CSLExpr], scope: CSLScope?, range: CSLSourceRange, declarationName: String?) throws -> CSLValue {
        let kindType = try evaluateType(arguments[0], scope: scope)
        guard case .dsd(let kind) = kindType else {
            throw error("@get_dsd's first argument is a DSD type (mem1d_dsd, mem4d_dsd, fabin_dsd, fabout_dsd), not \(kindType)", at: arguments[0].range)
        }
        var d = CSLDSDValue(kind: kind)
        guard case .structInit(nil, let fields) = arguments[1].kind else {
            _ = try evaluate(arguments[1], scope: scope)
            return .runtime(.dsd(kind))
        }
        for f in fields {
            switch f.name {
            case "tensor_access":
                guard case .tensorAccess(let ta) = f.value.kind else {
                    _ = try evaluate(f.value, scope: scope)
                    continue
                }
                try analyse(ta, into: &d, scope: scope)
            case "base_address":
                let v = try evaluate(f.value, scope: scope)
                if case .pointer(let p) = v {
                    d.baseBuffer = p.global
                    d.offset = p.elementOffset
                }
            case "extent":
                let v = try evaluate(f.value, scope: scope)
                if let n = v.intValue {
                    guard n >= 0 else { throw error(".extent is negative (\(n))", at: f.value.range) }
                    d.extent = n
                }
            case "fabric_color":
                let v = try evaluate(f.value, scope: scope)
                switch v {
                case .color(let c): d.fabricColor = c
                case _ where isUnknown(v): break
                default: throw error(".fabric_color must be a color, not \(v)", at: f.value.range)
                }
            case "input_queue", "output_queue":
                let v = try evaluate(f.value, scope: scope)
                switch (f.name, v) {
                case ("input_queue", .inputQueue(let q)), ("output_queue", .outputQueue(let q)): d.queue = q
                case _ where isUnknown(v): break
                default: throw error(".\(f.name) must be an \(f.name == "input_queue" ? "input_queue" : "output_queue"), not \(v)", at: f.value.range)
                }
            case "control":
                d.control = try evaluate(f.value, scope: scope).boolValue ?? false
            default:
                _ = try evaluate(f.value, scope: scope)
                d.otherFields.append(f.name)
            }
        }
        if kind.isFabric {
            if d.fabricColor == nil && !fields.contains(where: { $0.name == "fabric_color" }) {
                throw error("a \(kind.rawValue) needs .fabric_color in \(options.dialect.displayName) CSL (it names the color it moves on)", at: range)
            }
        } else if d.dimensions.isEmpty, let extent = d.extent {
            d.dimensions = [extent]
            d.strides = [1]
            if d.offset == nil && d.baseBuffer != nil { d.offset = 0 }
        }
        if !kind.isFabric, d.extent == nil, !d.dimensions.isEmpty {
            d.extent = d.dimensions.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        }
        sink?.dsd(d, name: declarationName, range: range, evaluator: self)
        return .dsd(d)
    }

    /// `|i, j|{M, N} -> A[e]`: the dimensions, the buffer, and the offset and strides of `e` (evaluated with the
    /// indices at 0 and each at 1: the access is affine in them).
    private func analyse(_ ta: CSLTensorAccess, into d: inout CSLDSDValue, scope: CSLScope?) throws {
        d.dimensions = try ta.extents.map { try arrayBound($0, scope: scope) }
        guard ta.indices.count == ta.extents.count else {
            throw error("the tensor access has \(ta.indices.count) indices for \(ta.extents.count) extents", at: ta.access.range)
        }
        guard case .index(let base, let idx) = ta.access.kind, case .identifier(let buffer) = base.kind else {
            _ = try? evaluate(ta.access, scope: scope)
            return
        }
        d.baseBuffer = buffer
        let bufferValue = try evaluate(base, scope: scope)
        var dims: [Int] = []
        if case .array(let bd, _) = bufferValue.type { dims = bd }
        func linear(_ at: [Int]) throws -> Int? {
            let s = CSLScope(parent: scope)
            for (c, v) in zip(ta.indices, at) { s.names[c.name] = .int(v, .comptimeInt) }
            let ks = try idx.map { try evaluate($0, scope: s).intValue }
            guard ks.allSatisfy({ $0 != nil }) else { return nil }
            let values = ks.map { $0! }
            if values.count == 1 { return values[0] }
            guard values.count == dims.count else { return nil }
            var flat = 0
            for (v, dim) in zip(values, dims) { flat = flat * dim + v }
            return flat
        }
        let zero = Array(repeating: 0, count: ta.indices.count)
        guard let base0 = try linear(zero) else { return }
        var strides: [Int] = []
        for k in ta.indices.indices {
            var at = zero
            at[k] = 1
            guard let v = try linear(at) else { return }
            strides.append(v - base0)
        }
        d.offset = base0
        d.strides = strides
    }
}

extension CSLEvaluator {
    /// The most elements `@zeros`/`@constants` spell out at comptime (a layout's `for (@zeros([W]u8)) |_, x|`
    /// iterates them); a larger array stays a run-time value.
    static let comptimeArrayLimit = 1 << 16

    /// `@zeros([N]T)` / `@constants([N]T, v)` as a comptime array: every element zero (or `v`) of T.
    static func filledArray(_ t: CSLType, with fill: CSLValue?) -> CSLValue? {
        guard case .array(let dimensions, let element) = t else { return nil }
        var count = 1
        for d in dimensions {
            guard d >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= comptimeArrayLimit else { return nil }
            count = product
        }
        let value: CSLValue
        if let fill {
            switch fill {
            case .int, .float, .bool: value = fill
            default: return nil
            }
        } else if element.isInteger {
            value = .int(0, element)
        } else if case .float = element {
            value = .float(0, element)
        } else {
            return nil
        }
        return .array(CSLArrayValue(type: t, elements: Array(repeating: value, count: count)))
    }
}
