extension CSLEvaluator {
    /// Runs a block's statements in `scope` (the caller makes the block's scope).
    func execute(_ block: CSLBlock, scope: CSLScope) throws -> CSLFlow {
        for s in block.statements {
            let flow = try execute(s, scope: scope)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    /// Runs one statement. In `layout { }` and `comptime { }` an error in one statement is reported and the
    /// next statement runs.
    func execute(_ s: CSLStmt, scope: CSLScope) throws -> CSLFlow {
        try deeper(at: s.range) {
            do {
                return try executeKind(s, scope: scope)
            } catch CSLEvalError.diagnostic(let d) {
                report(d)
                return .normal
            }
        }
    }

    private func executeKind(_ s: CSLStmt, scope: CSLScope) throws -> CSLFlow {
        switch s.kind {
        case .declaration(let decl):
            try declareLocal(decl, scope: scope)
            return .normal
        case .expression(let e):
            _ = try evaluate(e, scope: scope)
            return .normal
        case .assignment(let a):
            try assign(a, scope: scope, range: s.range)
            return .normal
        case .block(let b):
            return try execute(b, scope: CSLScope(parent: scope))
        case .ifStmt(let i):
            let c = try evaluate(i.condition, scope: scope)
            guard let b = c.boolValue else {
                guard isUnknown(c) else { throw error("an if condition must be a bool, not \(c)", at: i.condition.range) }
                if !resolvingOnly {
                    cannotCheck("the condition is not known at comptime; neither branch is evaluated", at: i.condition.range)
                    return .normal
                }
                _ = try execute(i.then, scope: CSLScope(parent: scope))
                if let o = i.otherwise { _ = try execute(o, scope: CSLScope(parent: scope)) }
                return .normal
            }
            if b { return try execute(i.then, scope: CSLScope(parent: scope)) }
            if let o = i.otherwise { return try execute(o, scope: CSLScope(parent: scope)) }
            return .normal
        case .whileStmt(let w):
            return try runWhile(w, scope: scope)
        case .forStmt(let f):
            return try runFor(f, scope: scope)
        case .returnStmt(let e):
            return .returned(try e.map { try evaluate($0, scope: scope) } ?? .void)
        case .breakStmt: return .breakLoop
        case .continueStmt: return .continueLoop
        }
    }

    /// A local `const`/`var` (a nested `fn` or `comptime { }` is walked, not bound).
    func declareLocal(_ decl: CSLDecl, scope: CSLScope) throws {
        switch decl.kind {
        case .variable(let v):
            let declared = try v.type.map { try evaluateType($0, scope: scope) }
            var value: CSLValue
            if let e = v.value {
                do {
                    value = try evaluate(e, scope: scope, typeHint: declared, declarationName: v.name)
                } catch CSLEvalError.diagnostic(let d) where resolvingOnly && d.severity != .error {
                    value = .runtime(declared ?? .opaque("?"))
                }
                if let declared { value = try coerce(value, to: declared, at: e.range) }
                if !v.isConst && resolvingOnly { value = .runtime(declared ?? value.type) }
            } else {
                value = .runtime(declared ?? .opaque("?"))
            }
            scope.names[v.name] = value
            if !v.isConst { scope.mutable.insert(v.name) }
        case .comptimeBlock(let b):
            _ = try execute(b, scope: CSLScope(parent: scope))
        default:
            break
        }
    }

    private func assign(_ a: CSLAssignment, scope: CSLScope, range: CSLSourceRange) throws {
        let value = try evaluate(a.value, scope: scope)
        guard case .identifier(let name) = a.target.kind else {
            // `p.* = v`, `a[i] = v`, `s.f = v`: run-time stores; check the target's names.
            _ = try evaluate(a.target, scope: scope)
            return
        }
        var newValue = value
        if let op = a.op.binaryOperator {
            let current = try lookup(name, range: a.target.range, scope: scope)
            newValue = try evaluate(
                CSLExpr(.binary(op, CSLExpr(.identifier("\u{1}lhs"), a.target.range), CSLExpr(.identifier("\u{1}rhs"), a.value.range)), range),
                scope: {
                    let s = CSLScope(parent: scope)
                    s.names["\u{1}lhs"] = current
                    s.names["\u{1}rhs"] = value
                    return s
                }())
        }
        if let owner = scope.owner(of: name) {
            guard owner.mutable.contains(name) else { throw error("cannot assign to constant '\(name)'", at: a.target.range) }
            let old = owner.names[name] ?? .void
            owner.names[name] = resolvingOnly ? old : try coerce(newValue, to: old.type, at: a.value.range)
            return
        }
        guard let m = currentModule, case .file = m.kind else { throw error("unknown name '\(name)'", at: a.target.range) }
        guard let current = try member(of: m, name, range: a.target.range) else { throw error("unknown name '\(name)'", at: a.target.range) }
        guard case .value(_, let isConst)? = m.bindings[name] else { return }
        if isConst { throw error("cannot assign to constant '\(name)'", at: a.target.range) }
        if !resolvingOnly {
            m.bindings[name] = .value(try coerce(newValue, to: current.type, at: a.value.range), isConst: false)
        }
    }

    private func runWhile(_ w: CSLWhileStmt, scope: CSLScope) throws -> CSLFlow {
        if resolvingOnly {
            _ = try evaluate(w.condition, scope: scope)
            let inner = CSLScope(parent: scope)
            _ = try execute(w.body, scope: inner)
            if let c = w.continueStatement { _ = try execute(c, scope: inner) }
            return .normal
        }
        while true {
            try tick()
            let c = try evaluate(w.condition, scope: scope)
            guard let b = c.boolValue else {
                if isUnknown(c) {
                    cannotCheck("the loop condition is not known at comptime; the loop is not evaluated", at: w.condition.range)
                    return .normal
                }
                throw error("a while condition must be a bool, not \(c)", at: w.condition.range)
            }
            guard b else { return .normal }
            let flow = try execute(w.body, scope: CSLScope(parent: scope))
            switch flow {
            case .breakLoop: return .normal
            case .returned: return flow
            default: break
            }
            if let c = w.continueStatement { _ = try execute(c, scope: scope) }
        }
    }

    private func runFor(_ f: CSLForStmt, scope: CSLScope) throws -> CSLFlow {
        // `for (@range(T, stop))`, `for (@range(T, start, stop, step))`, or a list/array.
        if case .builtinCall(let name, _, let args) = f.iterable.kind, name == "range" {
            if let message = CSLBuiltin.check("range", argumentCount: args.count) { throw error(message, at: f.iterable.range) }
            let values = try args.map { try evaluate($0, scope: scope) }
            guard case .type(let t) = values[0], t.isInteger else {
                throw error("@range's first argument is an integer type, not \(values[0])", at: args[0].range)
            }
            if resolvingOnly || values.dropFirst().contains(where: isUnknown) {
                if !resolvingOnly { cannotCheck("the range's bounds are not known at comptime; the loop is not evaluated", at: f.iterable.range) }
                let inner = CSLScope(parent: scope)
                inner.names[f.element.name] = .runtime(t)
                if let i = f.index { inner.names[i.name] = .runtime(.int(signed: false, bits: 16)) }
                if resolvingOnly { _ = try execute(f.body, scope: inner) }
                return .normal
            }
            let ints = values.dropFirst().map(\.intValue)
            guard ints.allSatisfy({ $0 != nil }) else { throw error("@range's bounds must be integers", at: f.iterable.range) }
            let (start, stop, step) = values.count == 2 ? (0, ints[0]!, 1) : (ints[0]!, ints[1]!, ints[2]!)
            guard step != 0 else { throw error("@range's step is 0", at: args[3].range) }
            var i = start
            var k = 0
            while step > 0 ? i < stop : i > stop {
                try tick()
                let inner = CSLScope(parent: scope)
                guard CSLIntArithmetic.fits(i, t) else { throw error("the loop index \(i) does not fit \(t)", at: f.iterable.range) }
                inner.names[f.element.name] = .int(i, t)
                if let index = f.index { inner.names[index.name] = .int(k, .comptimeInt) }
                let flow = try execute(f.body, scope: inner)
                switch flow {
                case .breakLoop: return .normal
                case .returned: return flow
                default: break
                }
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
                k += 1
            }
            return .normal
        }
        let iterable = try evaluate(f.iterable, scope: scope)
        var items: [CSLValue]?
        var elementType: CSLType = .opaque("?")
        switch iterable {
        case .tuple(let xs): items = xs
        case .array(let a):
            items = a.elements
            if case .array(_, let e) = a.type { elementType = e }
        case .runtime(.array(_, let e)): elementType = e
        default: break
        }
        guard let items, !resolvingOnly else {
            let inner = CSLScope(parent: scope)
            inner.names[f.element.name] = .runtime(elementType)
            if let i = f.index { inner.names[i.name] = .runtime(.int(signed: false, bits: 16)) }
            if resolvingOnly {
                _ = try execute(f.body, scope: inner)
            } else if !isUnknown(iterable) {
                throw error("a for loop runs over @range(...) or an array, not \(iterable)", at: f.iterable.range)
            } else {
                cannotCheck("the loop runs over a value not known at comptime; it is not evaluated", at: f.iterable.range)
            }
            return .normal
        }
        for (k, item) in items.enumerated() {
            try tick()
            let inner = CSLScope(parent: scope)
            inner.names[f.element.name] = item
            if let index = f.index { inner.names[index.name] = .int(k, .comptimeInt) }
            let flow = try execute(f.body, scope: inner)
            switch flow {
            case .breakLoop: return .normal
            case .returned: return flow
            default: break
            }
        }
        return .normal
    }

    /// `f(args)`: a comptime call of a declared `fn` (its body runs), a library's native function, or a
    /// run-time call (its result is a run-time value of the return type).
    func call(_ callee: CSLExpr, _ arguments: [CSLExpr], scope: CSLScope?, range: CSLSourceRange) throws -> CSLValue {
        let f = try evaluate(callee, scope: scope)
        let args = try arguments.map { try evaluate($0, scope: scope) }
        switch f {
        case .function(let ref):
            guard let m = modules[ref.moduleID] else { return .opaque(ref.name) }
            if case .library(let library) = m.kind {
                return try library.call(ref.name, args, argumentRanges: arguments.map(\.range), module: m, range: range, evaluator: self)
            }
            guard let decl = m.functions[ref.name] else { return .opaque(ref.name) }
            if ref.isTask { throw error("task '\(ref.name)' cannot be called; activate it or bind it", at: range) }
            let required = decl.parameters.count
            guard args.count == required else {
                throw error("'\(ref.name)' takes \(required) argument\(required == 1 ? "" : "s"), got \(args.count)", at: range)
            }
            let result: CSLType
            if case .function(_, let r) = ref.type { result = r } else { result = .opaque("?") }
            if resolvingOnly || args.contains(where: isUnknown) || decl.body == nil {
                return .runtime(result)
            }
            return try within(m) {
                let inner = CSLScope(parent: nil)
                for (p, a) in zip(decl.parameters, args) {
                    guard let name = p.name else { continue }
                    let t = try evaluateType(p.type, scope: inner)
                    inner.names[name] = try coerce(a, to: t, at: range)
                    inner.mutable.insert(name)
                }
                guard let body = decl.body else { return .runtime(result) }
                if case .returned(let v) = try execute(body, scope: inner) {
                    return (try? coerce(v, to: result, at: range)) ?? v
                }
                return .void
            }
        case .type(let t):
            // A type used as a conversion `T(x)` is not CSL; report it.
            throw error("\(t) is a type, not a function", at: callee.range)
        case .runtime, .opaque:
            return f
        default:
            throw error("\(f) is not a function", at: callee.range)
        }
    }
}
