import PyFlameLowering

extension CSLEvaluator {
    /// The value of `name` where it is read: a local, a top-level name of the current module, a type name,
    /// a direction.
    func lookup(_ name: String, range: CSLSourceRange, scope: CSLScope?) throws -> CSLValue {
        // Type names and directions are reserved: they cannot be declared, so they are looked up first.
        if let v = CSLEvaluator.predeclaredNames[name] { return v }
        if let v = scope?.lookup(name) { return v }
        if let m = currentModule, let v = try member(of: m, name, range: range, fromInside: true) { return v }
        throw error("unknown name '\(name)'", at: range)
    }

    /// Types, directions and the other names every CSL file sees.
    static func predeclared(_ name: String) -> CSLValue? { predeclaredNames[name] }

    static let predeclaredNames: [String: CSLValue] = {
        var table: [String: CSLValue] = [
            "NORTH": .direction(.north), "EAST": .direction(.east), "SOUTH": .direction(.south), "WEST": .direction(.west), "RAMP": .direction(.ramp),
            "true": .bool(true), "false": .bool(false), "anytype": .type(.opaque("anytype")), "noreturn": .type(.void),
        ]
        for name in CSLType.builtinTypeNames { if let t = CSLType.named(name) { table[name] = .type(t) } }
        return table
    }()

    /// A module's top-level name (evaluated on first read), its function, or a library's member; nil when it
    /// has none.
    func member(of m: CSLModuleInstance, _ name: String, range: CSLSourceRange, fromInside: Bool = false) throws -> CSLValue? {
        switch m.kind {
        case .library(let library):
            return try library.member(name, module: m, range: range, evaluator: self)
        case .file:
            if let f = m.functions[name] {
                m.usedFunctions.insert(name)
                return .function(CSLFunctionRef(moduleID: m.id, name: name, type: functionType(f, in: m), isTask: m.taskNames.contains(name)))
            }
            guard let binding = m.bindings[name] else { return nil }
            switch binding {
            case .value(let v, _):
                if let d = m.deferredErrors.removeValue(forKey: name) { report(d) }
                return v
            case .evaluating:
                throw error("'\(name)' depends on its own value", at: range)
            case .pending(let index):
                let v = try evaluateTopLevel(m, index: index)
                if let d = m.deferredErrors.removeValue(forKey: name) { report(d) }
                return v
            }
        }
    }

    /// Evaluates top-level declaration `index` of `m` (once), records it with the sink and binds its value.
    /// An error is reported at the declaration and the name reads as an unknown value afterwards.
    @discardableResult
    func evaluateTopLevel(_ m: CSLModuleInstance, index: Int) throws -> CSLValue {
        guard let tree = m.tree, tree.declarations.indices.contains(index) else { return .opaque("?") }
        let decl = tree.declarations[index]
        guard let name = decl.name else { return .void }
        if case .value(let v, _)? = m.bindings[name] { return v }
        m.bindings[name] = .evaluating
        let savedResolving = resolvingOnly
        resolvingOnly = false
        defer { resolvingOnly = savedResolving }
        var result: CSLValue = .opaque("error")
        var isConst = true
        do {
            try within(m) {
                try deeper(at: decl.range) {
                    switch decl.kind {
                    case .variable(let v):
                        isConst = v.isConst
                        let declared = try v.type.map { try evaluateType($0, scope: nil) }
                        var value: CSLValue
                        if let e = v.value {
                            value = try evaluate(e, scope: nil, typeHint: declared, declarationName: v.name)
                            if let declared { value = try coerce(value, to: declared, at: e.range) }
                        } else if let declared {
                            value = v.modifiers.isExtern ? .runtime(declared) : .runtime(declared)
                        } else {
                            throw error("'\(v.name)' needs a type or a value", at: v.nameRange)
                        }
                        if case .type(.structType(let sname, let fields)) = value, sname == "struct" {
                            value = .type(.structType(name: v.name, fields: fields))
                        } else if case .type(.enumType(let ename, let cases)) = value, ename == "enum" {
                            value = .type(.enumType(name: v.name, cases: cases))
                        }
                        sink?.declaration(v, value: value, declaredType: declared, range: decl.range, evaluator: self)
                        // A global `var` holds its value only at run time: comptime code cannot read it.
                        result = v.isConst ? value : .runtime(declared ?? value.type)
                    case .param(let p):
                        let declared = try p.type.map { try evaluateType($0, scope: nil) }
                        if let given = m.params[p.name] {
                            result = try declared.map { try coerce(given, to: $0, at: p.nameRange, what: "param '\(p.name)'") } ?? given
                        } else if let d = p.defaultValue {
                            let v = try evaluate(d, scope: nil, typeHint: declared)
                            result = try declared.map { try coerce(v, to: $0, at: d.range) } ?? v
                        } else {
                            throw error(missingParamMessage(p.name, in: m), at: p.nameRange)
                        }
                    default:
                        result = .void
                    }
                }
            }
        } catch CSLEvalError.diagnostic(let d) {
            if d.severity == .error { m.deferredErrors[name] = d } else { report(d) }
            result = .opaque("error")
        }
        m.bindings[name] = .value(result, isConst: isConst)
        return result
    }

    func missingParamMessage(_ name: String, in m: CSLModuleInstance) -> String {
        if m.path == layoutModulePath {
            return "param '\(name)' has no value: give it on the command line (--params=\(name):VALUE)"
        }
        return "param '\(name)' has no value: the parameters given to \(m.path.asPath.lastComponent) have no .\(name)"
    }

    /// The type of a declared function.
    func functionType(_ f: CSLFunctionDecl, in m: CSLModuleInstance) -> CSLType {
        let result = (try? within(m) { try evaluateTypeQuietly(f.returnType) }) ?? .opaque("?")
        let params = f.parameters.map { p in (try? within(m) { try evaluateTypeQuietly(p.type) }) ?? .opaque("?") }
        return .function(parameters: params, result: result)
    }

    /// A type expression's type without reporting (nil → opaque).
    func evaluateTypeQuietly(_ e: CSLExpr) throws -> CSLType {
        if case .identifier(let n) = e.kind, let t = CSLType.named(n) { return t }
        return (try? evaluateType(e, scope: nil)) ?? .opaque("?")
    }
}

/// The last path component of a path string (without Foundation bridging).
struct NSStringish {
    let text: String
    var lastComponent: String { text.split(separator: "/").last.map(String.init) ?? text }
}

extension String {
    var asPath: NSStringish { NSStringish(text: self) }
}
