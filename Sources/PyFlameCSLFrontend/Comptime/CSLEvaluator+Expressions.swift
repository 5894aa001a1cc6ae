import PyFlameLowering

extension CSLEvaluator {
    /// The value of an expression. `typeHint` is the declared type the value initialises (for `.{ ... }` of a
    /// struct type, `.NAME` of an enum); `declarationName` names a DSD a declaration builds.
    func evaluate(_ e: CSLExpr, scope: CSLScope?, typeHint: CSLType? = nil, declarationName: String? = nil) throws -> CSLValue {
        try deeper(at: e.range) {
            switch e.kind {
            case .structInit(nil, _), .tupleInit(nil, _), .builtinCall, .call:
                if typeHint == nil && declarationName == nil,
                    let v = try cachedPureValue(e, scope: scope, compute: { try evaluateKind(e, scope: scope, typeHint: nil, declarationName: nil) })
                {
                    return v
                }
            default: break
            }
            return try evaluateKind(e, scope: scope, typeHint: typeHint, declarationName: declarationName)
        }
    }

    private func evaluateKind(_ e: CSLExpr, scope: CSLScope?, typeHint: CSLType?, declarationName: String?) throws -> CSLValue {
        switch e.kind {
        case .integer(let text, let value):
            guard let value else { throw error("integer \(text) does not fit 64 bits", at: e.range) }
            return .int(value, .comptimeInt)
        case .float(_, let value): return .float(value, .comptimeFloat)
        case .string(let s): return .string(s)
        case .character(let c): return .int(Int(c), .comptimeInt)
        case .bool(let b): return .bool(b)
        case .null: return .opaque("null")
        case .undefined: return .runtime(typeHint ?? .opaque("undefined"))
        case .unreachable: return .runtime(.void)
        case .identifier(let name):
            return try lookup(name, range: e.range, scope: scope)
        case .enumLiteral(let name):
            if case .enumType(let tname, let cases)? = typeHint, let k = cases.firstIndex(of: name) {
                return .enumCase(type: tname, name: name, value: k)
            }
            return .opaque(".\(name)")
        case .member(let base, let name, let nameRange):
            return try memberAccess(base, name, nameRange: nameRange, scope: scope)
        case .dereference(let base):
            let v = try evaluate(base, scope: scope)
            if case .pointer(let p) = v { return .runtime(pointee(p.type)) }
            return runtimeOrOpaque(v, .opaque("?"))
        case .index(let base, let indices):
            return try indexValue(base, indices, scope: scope, range: e.range)
        case .slice(let base, _, _):
            let v = try evaluate(base, scope: scope)
            return runtimeOrOpaque(v, v.type)
        case .call(let callee, let arguments):
            return try call(callee, arguments, scope: scope, range: e.range)
        case .builtinCall(let name, let nameRange, let arguments):
            return try builtin(name, nameRange: nameRange, arguments, scope: scope, range: e.range, typeHint: typeHint, declarationName: declarationName)
        case .unary(let op, let operand):
            return try unary(op, operand, scope: scope, range: e.range)
        case .binary(let op, let a, let b):
            return try binary(op, a, b, scope: scope, range: e.range)
        case .structInit(let type, let fields):
            return try structInit(type, fields, scope: scope, typeHint: typeHint, range: e.range)
        case .tupleInit(let type, let elements):
            return try tupleInit(type, elements, scope: scope, typeHint: typeHint, range: e.range)
        case .tensorAccess:
            return .opaque("tensor access")
        case .ifExpr(let condition, let then, let otherwise):
            let c = try evaluate(condition, scope: scope)
            guard let b = c.boolValue else {
                if isUnknown(c) { return .runtime(typeHint ?? .opaque("?")) }
                throw error("an if condition must be a bool, not \(c)", at: condition.range)
            }
            return try evaluate(b ? then : otherwise, scope: scope, typeHint: typeHint, declarationName: declarationName)
        case .switchExpr(let sw):
            return try switchValue(sw, scope: scope, typeHint: typeHint, range: e.range)
        case .comptime(let inner):
            return try evaluate(inner, scope: scope, typeHint: typeHint, declarationName: declarationName)
        case .block(let block):
            if block.statements.isEmpty { return .void }
            let inner = CSLScope(parent: scope)
            if case .returned(let v) = try execute(block, scope: inner) { return v }
            return .void
        case .arrayType, .pointerType, .optionalType, .functionType, .structType, .enumType, .unionType:
            return .type(try evaluateType(e, scope: scope))
        }
    }

    /// Whether a value is known only at run time (or not modelled): operations on it give unknown values
    /// rather than errors.
    func isUnknown(_ v: CSLValue) -> Bool {
        switch v {
        case .runtime, .opaque: return true
        default: return false
        }
    }

    func runtimeOrOpaque(_ v: CSLValue, _ type: CSLType) -> CSLValue {
        if case .opaque = v { return v }
        return .runtime(type)
    }

    func pointee(_ t: CSLType) -> CSLType {
        if case .pointer(let to, _, _) = t { return to }
        return .opaque("?")
    }

    // MARK: - Members and indices

    private func memberAccess(_ base: CSLExpr, _ name: String, nameRange: CSLSourceRange, scope: CSLScope?) throws -> CSLValue {
        let v = try evaluate(base, scope: scope)
        switch v {
        case .module(let ref):
            guard let m = modules[ref.id] else { return .opaque(name) }
            if let value = try member(of: m, name, range: nameRange) { return value }
            throw error("module \(m.name.asPath.lastComponent) has no member '\(name)'", at: nameRange)
        case .structValue(let s):
            if let f = s[name] { return f }
            let known = s.fields.map { ".\($0.name)" }.joined(separator: ", ")
            throw error("the struct has no field .\(name)" + (known.isEmpty ? "" : " (it has \(known))"), at: nameRange)
        case .tuple(let items):
            if name == "len" { return .int(items.count, .comptimeInt) }
            throw error("a list .{ ... } has no field .\(name)", at: nameRange)
        case .array(let a):
            if name == "len", case .array(let dims, _) = a.type, let first = dims.first { return .int(first, .comptimeInt) }
            throw error("an array has no field .\(name)", at: nameRange)
        case .type(.enumType(let tname, let cases)):
            if let k = cases.firstIndex(of: name) { return .enumCase(type: tname, name: name, value: k) }
            throw error("enum \(tname) has no member .\(name)", at: nameRange)
        case .type(.structType(let sname, _)):
            return .opaque("\(sname).\(name)")
        case .type(.array(let dims, _)) where name == "len":
            return .int(dims.first ?? 0, .comptimeInt)
        case .runtime(let t):
            if case .structType(_, let fields) = t, let f = fields.first(where: { $0.name == name }) { return .runtime(f.type) }
            if case .array = t, name == "len" { return .runtime(.int(signed: false, bits: 16)) }
            return .runtime(.opaque("?"))
        case .opaque:
            return .opaque(name)
        case .dsd, .pointer:
            return .runtime(.opaque("?"))
        default:
            throw error("\(v) has no field .\(name)", at: nameRange)
        }
    }

    private func indexValue(_ base: CSLExpr, _ indices: [CSLExpr], scope: CSLScope?, range: CSLSourceRange) throws -> CSLValue {
        let v = try evaluate(base, scope: scope)
        let ks = try indices.map { try evaluate($0, scope: scope) }
        switch v {
        case .tuple(let items):
            guard ks.count == 1, let k = ks[0].intValue else { return .runtime(.opaque("?")) }
            guard items.indices.contains(k) else { throw error("index \(k) is outside the list of \(items.count)", at: indices[0].range) }
            return items[k]
        case .array(let a):
            guard case .array(let dims, let element) = a.type else { return .runtime(.opaque("?")) }
            let known = ks.compactMap(\.intValue)
            guard known.count == ks.count, known.count == dims.count, let elements = a.elements else { return .runtime(element) }
            var flat = 0
            for (k, (i, d)) in zip(known, dims).enumerated() {
                guard i >= 0 && i < d else { throw error("index \(i) is outside dimension \(k + 1) of \(a.type) (0 to \(d - 1))", at: indices[k].range) }
                flat = flat * d + i
            }
            return elements.indices.contains(flat) ? elements[flat] : .runtime(element)
        case .runtime(.array(_, let element)):
            return .runtime(element)
        case .runtime(.pointer(let to, _, _)):
            return .runtime(to)
        case .pointer(let p):
            return .runtime(pointee(p.type))
        case .opaque: return v
        case .runtime: return .runtime(.opaque("?"))
        default:
            throw error("\(v) cannot be indexed", at: range)
        }
    }

    // MARK: - Operators

    private func unary(_ op: CSLUnaryOperator, _ operand: CSLExpr, scope: CSLScope?, range: CSLSourceRange) throws -> CSLValue {
        if op == .addressOf { return try addressOf(operand, scope: scope, range: range) }
        let v = try evaluate(operand, scope: scope)
        switch (op, v) {
        case (.negate, .int(let x, let t)), (.wrappingNegate, .int(let x, let t)):
            switch CSLIntArithmetic.apply(op == .negate ? .subtract : .wrappingSubtract, 0, t, x, t) {
            case .success(let r): return r
            case .failure(let f): throw error(arithmeticMessage(f), at: range)
            }
        case (.negate, .float(let x, let t)): return .float(-x, t)
        case (.not, .bool(let b)): return .bool(!b)
        case (.bitNot, .int(let x, let t)):
            guard t != .comptimeInt else { throw error("~ needs a fixed-width integer, not a comptime_int (use @as)", at: range) }
            return .int(CSLIntArithmetic.wrap(~x, to: t), t)
        case (_, .runtime(let t)): return .runtime(op == .not ? .bool : t)
        case (_, .opaque): return v
        default:
            throw error("\(op.rawValue) cannot apply to \(v)", at: range)
        }
    }

    /// `&name` or `&name[k]`: a pointer to a global of the current module (locals: an unknown pointer).
    private func addressOf(_ operand: CSLExpr, scope: CSLScope?, range: CSLSourceRange) throws -> CSLValue {
        var target = operand
        var offset = 0
        if case .index(let base, let indices) = operand.kind {
            target = base
            if indices.count == 1, let k = try evaluate(indices[0], scope: scope).intValue { offset = k }
        }
        let v = try evaluate(target, scope: scope)
        guard case .identifier(let name) = target.kind else { return .runtime(.pointer(to: v.type, many: false, const: false)) }
        if scope?.lookup(name) != nil { return .runtime(.pointer(to: v.type, many: false, const: false)) }
        return .pointer(CSLPointerValue(global: name, elementOffset: offset, type: .pointer(to: v.type, many: false, const: false)))
    }

    func arithmeticMessage(_ f: CSLIntArithmetic.Failure) -> String {
        switch f {
        case .overflow(let what): return "integer overflow: \(what) does not fit 64 bits"
        case .divisionByZero: return "division by zero"
        case .doesNotFit(let v, let t):
            return "integer overflow: \(v) does not fit \(t) (\(t.integerRange.map { "\($0.lowerBound) to \($0.upperBound)" } ?? ""))"
        case .negativeShift: return "a shift by a negative amount"
        }
    }

    private func binary(_ op: CSLBinaryOperator, _ ae: CSLExpr, _ be: CSLExpr, scope: CSLScope?, range: CSLSourceRange) throws -> CSLValue {
        let a = try evaluate(ae, scope: scope)
        if op == .and || op == .or {
            if let x = a.boolValue, x == (op == .or) { return .bool(x) }
            let b = try evaluate(be, scope: scope)
            if let x = a.boolValue, let y = b.boolValue { return .bool(op == .and ? x && y : x || y) }
            if isUnknown(a) || isUnknown(b) { return .runtime(.bool) }
            throw error("\(op.rawValue) needs bools, not \(a.boolValue == nil ? a : b)", at: range)
        }
        let b = try evaluate(be, scope: scope)
        if isUnknown(a) || isUnknown(b) {
            if case .opaque = a { return a }
            if case .opaque = b { return b }
            return .runtime(op.isComparison ? .bool : (isUnknownType(a) ? b.type : a.type))
        }
        if op.isComparison { return try compare(op, a, b, range: range) }
        switch (a, b) {
        case (.int(let x, let xt), .int(let y, let yt)):
            guard let iop = CSLIntArithmetic.Operator(rawValue: op.rawValue) else {
                throw error("\(op.rawValue) cannot apply to integers", at: range)
            }
            switch CSLIntArithmetic.apply(iop, x, xt, y, yt) {
            case .success(let r): return r
            case .failure(let f): throw error(arithmeticMessage(f), at: range)
            }
        case (.int, .float), (.float, .int), (.float, .float):
            let x = floatOf(a), y = floatOf(b)
            let t: CSLType = a.type.isFloat && a.type != .comptimeFloat ? a.type : (b.type.isFloat ? b.type : .comptimeFloat)
            switch op {
            case .add: return .float(x + y, t)
            case .subtract: return .float(x - y, t)
            case .multiply: return .float(x * y, t)
            case .divide:
                guard y != 0 else { throw error("division by zero", at: range) }
                return .float(x / y, t)
            default: throw error("\(op.rawValue) cannot apply to floats", at: range)
            }
        case (.tuple(let x), .tuple(let y)) where op == .concatenate:
            return .tuple(x + y)
        default:
            throw error("\(op.rawValue) cannot apply to \(a) and \(b)", at: range)
        }
    }

    private func isUnknownType(_ v: CSLValue) -> Bool {
        if case .runtime(.opaque) = v { return true }
        return false
    }

    func floatOf(_ v: CSLValue) -> Double {
        switch v {
        case .int(let x, _): return Double(x)
        case .float(let x, _): return x
        default: return 0
        }
    }

    private func compare(_ op: CSLBinaryOperator, _ a: CSLValue, _ b: CSLValue, range: CSLSourceRange) throws -> CSLValue {
        switch (a, b) {
        case (.int(let x, _), .int(let y, _)):
            return .bool(CSLIntArithmetic.compare(op.rawValue, x, y) ?? false)
        case (.int, .float), (.float, .int), (.float, .float):
            let x = floatOf(a), y = floatOf(b)
            switch op {
            case .equal: return .bool(x == y)
            case .notEqual: return .bool(x != y)
            case .less: return .bool(x < y)
            case .lessOrEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            default: return .bool(x >= y)
            }
        default:
            guard op == .equal || op == .notEqual else { throw error("\(op.rawValue) cannot compare \(a) and \(b)", at: range) }
            let same: Bool
            if case .type(let x) = a, case .type(let y) = b {
                same = x.description == y.description
            } else {
                same = a == b
            }
            return .bool(op == .equal ? same : !same)
        }
    }

    // MARK: - Aggregates

    private func structInit(_ type: CSLExpr?, _ fields: [CSLFieldInit], scope: CSLScope?, typeHint: CSLType?, range: CSLSourceRange) throws -> CSLValue {
        var declared: CSLType? = typeHint
        if let type { declared = try evaluateType(type, scope: scope) }
        var values: [CSLStructField] = []
        values.reserveCapacity(fields.count)
        for f in fields {
            guard !values.contains(where: { $0.name == f.name }) else { throw error("field .\(f.name) is given twice", at: f.nameRange) }
            var hint: CSLType?
            if case .structType(_, let decl)? = declared {
                guard let fd = decl.first(where: { $0.name == f.name }) else {
                    throw error("\(declared!) has no field .\(f.name)", at: f.nameRange)
                }
                hint = fd.type
            }
            var v = try evaluate(f.value, scope: scope, typeHint: hint)
            if let hint { v = try coerce(v, to: hint, at: f.value.range) }
            values.append(CSLStructField(f.name, v))
        }
        if case .structType(let name, _)? = declared { return .structValue(CSLStructValue(typeName: name, fields: values)) }
        if case .array? = declared, values.isEmpty { return .runtime(declared!) }
        return .structValue(CSLStructValue(fields: values))
    }

    private func tupleInit(_ type: CSLExpr?, _ elements: [CSLExpr], scope: CSLScope?, typeHint: CSLType?, range: CSLSourceRange) throws -> CSLValue {
        guard let type else {
            let items = try elements.map { try evaluate($0, scope: scope) }
            if case .array(let dims, let element)? = typeHint, dims.count == 1, dims[0] == items.count {
                return .array(
                    CSLArrayValue(
                        type: .array(dimensions: dims, element: element), elements: try zip(items, elements).map { try coerce($0, to: element, at: $1.range) }))
            }
            return .tuple(items)
        }
        // `[N]T{ ... }` or `[_]T{ ... }`.
        guard case .arrayType(let at) = type.kind else {
            let t = try evaluateType(type, scope: scope)
            return .runtime(t)
        }
        let element = try evaluateType(at.element, scope: scope)
        var dims: [Int] = []
        for d in at.dimensions {
            if let d {
                dims.append(try arrayBound(d, scope: scope))
            } else {
                dims.append(elements.count)
            }
        }
        let count = dims.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard count == elements.count else {
            throw error(
                "the array literal has \(elements.count) elements, but its type [\(dims.map(String.init).joined(separator: ", "))] holds \(count)", at: range)
        }
        let items = try elements.map { try coerce(try evaluate($0, scope: scope, typeHint: element), to: element, at: $0.range) }
        return .array(CSLArrayValue(type: .array(dimensions: dims, element: element), elements: items))
    }

    private func switchValue(_ sw: CSLSwitch, scope: CSLScope?, typeHint: CSLType?, range: CSLSourceRange) throws -> CSLValue {
        let subject = try evaluate(sw.subject, scope: scope)
        if isUnknown(subject) {
            if resolvingOnly {
                for prong in sw.prongs { _ = try? evaluate(prong.body, scope: scope, typeHint: typeHint) }
            }
            return .runtime(typeHint ?? .opaque("?"))
        }
        var elseProng: CSLSwitchProng?
        for prong in sw.prongs {
            if prong.isElse {
                elseProng = prong
                continue
            }
            for item in prong.items {
                switch item {
                case .value(let e):
                    let v = try evaluate(e, scope: scope, typeHint: subject.type)
                    if case .bool(true) = try compare(.equal, subject, v, range: e.range) { return try prongValue(prong, subject, scope, typeHint) }
                case .range(let lo, let hi):
                    let l = try evaluate(lo, scope: scope), h = try evaluate(hi, scope: scope)
                    if let s = subject.intValue, let l = l.intValue, let h = h.intValue, l <= s && s <= h {
                        return try prongValue(prong, subject, scope, typeHint)
                    }
                }
            }
        }
        if let elseProng { return try prongValue(elseProng, subject, scope, typeHint) }
        throw error("no prong of the switch matches \(subject)", at: range)
    }

    private func prongValue(_ prong: CSLSwitchProng, _ subject: CSLValue, _ scope: CSLScope?, _ typeHint: CSLType?) throws -> CSLValue {
        var s = scope
        if let c = prong.capture {
            let inner = CSLScope(parent: scope)
            inner.names[c.name] = subject
            s = inner
        }
        return try evaluate(prong.body, scope: s, typeHint: typeHint)
    }

    /// An array dimension: a comptime integer ≥ 0.
    func arrayBound(_ e: CSLExpr, scope: CSLScope?) throws -> Int {
        let v = try evaluate(e, scope: scope)
        guard let n = v.intValue else {
            // An earlier error (already reported) made the bound unknown.
            if case .opaque("error") = v { return 0 }
            if case .opaque = v {
                throw CSLEvalError.diagnostic(diagnostic(.cannotCheck, "the array bound comes from a library this shell does not model", at: e.range))
            }
            throw error("the array bound is not known at comptime (\(v))", at: e.range)
        }
        guard n >= 0 else { throw error("the array bound is negative (\(n))", at: e.range) }
        return n
    }
}
