/// Where an expression is: its module instance and its byte range (nested expressions may start at the
/// same byte, so the range's end is part of it).
struct CSLExprSite: Hashable {
    var module: Int
    var start: Int
    var end: Int
}

/// A cached verdict on an expression: it reads a local name or has an effect (evaluate it every time), or
/// its value (the same every time it is evaluated in its module instance).
enum CSLPureEntry {
    case impure
    case value(CSLValue)
}

extension CSLEvaluator {
    /// Builtins whose value depends only on their arguments and the compile options.
    static let pureBuiltins: Set<String> = [
        "get_color", "get_local_task_id", "get_control_task_id", "get_data_task_id", "get_input_queue", "get_output_queue", "concat_structs", "as",
        "is_arch",
    ]

    /// The value of an aggregate or call expression that reads no local name and has no effect, from the cache
    /// (evaluated once per module instance); nil when the expression is not such (the caller evaluates it).
    /// Layouts of the whole wafer repeat the same route and parameter literals hundreds of thousands of times.
    func cachedPureValue(_ e: CSLExpr, scope: CSLScope?, compute: () throws -> CSLValue) throws -> CSLValue? {
        guard !resolvingOnly, let m = currentModule else { return nil }
        let site = CSLExprSite(module: m.id, start: e.range.start, end: e.range.end)
        switch pureCache[site] {
        case .impure?: return nil
        case .value(let v)?: return v
        case nil:
            guard isPure(e, scope: scope, module: m) else {
                pureCache[site] = .impure
                return nil
            }
            let v = try compute()
            pureCache[site] = .value(v)
            return v
        }
    }

    /// Whether `e` reads only literals, predeclared names, module constants and library functions, and calls
    /// only pure builtins and library functions.
    private func isPure(_ e: CSLExpr, scope: CSLScope?, module m: CSLModuleInstance) -> Bool {
        switch e.kind {
        case .integer, .float, .string, .character, .bool: return true
        case .identifier(let name):
            if CSLEvaluator.predeclaredNames[name] != nil { return true }
            if scope?.lookup(name) != nil { return false }
            return isModuleConstant(name, in: m)
        case .member(let base, _, _): return isPure(base, scope: scope, module: m)
        case .structInit(nil, let fields): return fields.allSatisfy { isPure($0.value, scope: scope, module: m) }
        case .tupleInit(nil, let elements): return elements.allSatisfy { isPure($0, scope: scope, module: m) }
        case .builtinCall(let name, _, let args):
            return CSLEvaluator.pureBuiltins.contains(name) && args.allSatisfy { isPure($0, scope: scope, module: m) }
        case .call(let callee, let args):
            guard case .member(let base, _, _) = callee.kind, case .identifier(let moduleName) = base.kind, isPure(base, scope: scope, module: m),
                case .module(let ref)? = try? member(of: m, moduleName, range: base.range), let library = modules[ref.id], case .library = library.kind
            else { return false }
            return args.allSatisfy { isPure($0, scope: scope, module: m) }
        case .unary(let op, let a): return op != .addressOf && isPure(a, scope: scope, module: m)
        case .binary(_, let a, let b): return isPure(a, scope: scope, module: m) && isPure(b, scope: scope, module: m)
        case .ifExpr(let c, let a, let b):
            return isPure(c, scope: scope, module: m) && isPure(a, scope: scope, module: m) && isPure(b, scope: scope, module: m)
        default: return false
        }
    }

    /// Whether `name` is a top-level `const` or `param` of `m` (its value never changes).
    private func isModuleConstant(_ name: String, in m: CSLModuleInstance) -> Bool {
        if m.functions[name] != nil { return true }
        switch m.bindings[name] {
        case .value(_, let isConst)?: return isConst
        case .pending(let k)?:
            guard let tree = m.tree, tree.declarations.indices.contains(k) else { return false }
            switch tree.declarations[k].kind {
            case .variable(let v): return v.isConst
            case .param: return true
            default: return false
            }
        default: return false
        }
    }
}
