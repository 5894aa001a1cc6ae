extension CSLEvaluator {
    /// `@import_module(name, params)`: an SDK library (`<memcpy/memcpy>`) or a file relative to the importing
    /// file. Each distinct (name, parameters) is evaluated once in the current context.
    func importModule(_ name: String, params: CSLStructValue, range: CSLSourceRange, nameRange: CSLSourceRange) throws -> CSLValue {
        sink?.imported(name)
        var values: [String: CSLValue] = [:]
        for f in params.fields { values[f.name] = f.value }
        if name.hasPrefix("<") {
            guard let library = SDKLibrary.named(name) else {
                throw error("\(name) is not a library of \(options.dialect.displayName) CSL", at: nameRange)
            }
            if library.usesMemcpy { importsMemcpy = true }
            let key = CSLModuleKey(name: name, params: params.fields)
            if let id = moduleCache[key], let m = modules[id] { return .module(CSLModuleRef(id: m.id, name: m.name)) }
            if case .opaque = library {
                opaqueLibraryImports.append((library: name, importer: currentModule?.path ?? ""))
                cannotCheck("\(name) is a library this shell does not model: what it configures (routes, tasks, queues) is not checked", at: nameRange)
            }
            if library == .collectivesPE {
                cannotCheck("the routes, tasks and queues <collectives_2d/pe> configures are not modelled", at: nameRange)
            }
            if library == .memcpyGetParams {
                for needed in ["width", "height"] where values[needed] == nil {
                    throw error("<memcpy/get_params> needs .\(needed) (the program rectangle's \(needed))", at: range)
                }
            }
            let m = makeModule(name: name, kind: .library(library), params: values)
            moduleCache[key] = m.id
            return .module(CSLModuleRef(id: m.id, name: name))
        }
        let path = resolve(name, from: currentModule?.path)
        let key = CSLModuleKey(name: path, params: params.fields)
        if let id = moduleCache[key], let m = modules[id] { return .module(CSLModuleRef(id: m.id, name: m.name)) }
        guard let tree = tree(at: path) else { throw error("cannot read the module file \(name) (looked for \(path))", at: nameRange) }
        let m = makeModule(name: path, kind: .file(tree), params: values)
        moduleCache[key] = m.id
        try checkParams(of: m, given: params, at: range)
        try evaluateBody(of: m)
        return .module(CSLModuleRef(id: m.id, name: path))
    }

    /// Every parameter given must be a `param` of the file.
    func checkParams(of m: CSLModuleInstance, given: CSLStructValue, at range: CSLSourceRange) throws {
        guard let tree = m.tree else { return }
        var declared: Set<String> = []
        for d in tree.declarations { if case .param(let p) = d.kind { declared.insert(p.name) } }
        for f in given.fields where !declared.contains(f.name) {
            throw error("\(m.path.asPath.lastComponent) has no param '\(f.name)'", at: range)
        }
    }

    /// Evaluates a file module's top level: every declaration in order, then its `comptime { }` blocks (a
    /// `layout { }` block only for the layout file, by the caller), then walks function and task bodies for
    /// their names.
    func evaluateBody(of m: CSLModuleInstance) throws {
        guard let tree = m.tree else { return }
        try within(m) {
            for (k, decl) in tree.declarations.enumerated() {
                switch decl.kind {
                case .variable, .param:
                    try evaluateTopLevel(m, index: k)
                case .comptimeBlock(let block):
                    _ = try execute(block, scope: CSLScope(parent: nil))
                default: break
                }
            }
            for decl in tree.declarations {
                if case .task(let f) = decl.kind { sink?.task(f, range: decl.range, evaluator: self) }
            }
            // Walk the bodies of the functions and tasks something uses, and of those they use, in turn.
            var walkedSome = true
            while walkedSome {
                walkedSome = false
                for decl in tree.declarations {
                    switch decl.kind {
                    case .task(let f), .function(let f):
                        guard m.usedFunctions.contains(f.name), !m.walkedFunctions.contains(f.name) else { continue }
                        m.walkedFunctions.insert(f.name)
                        walkedSome = true
                        try resolveBody(of: f, in: m)
                    default: break
                    }
                }
            }
        }
    }

    /// Walks a function's or task's body without running it: names must resolve; DSDs whose fields are known
    /// at comptime are recorded; everything else is a run-time value.
    func resolveBody(of f: CSLFunctionDecl, in m: CSLModuleInstance) throws {
        guard let body = f.body else { return }
        let savedResolving = resolvingOnly, savedFunction = resolvingFunction
        resolvingOnly = true
        resolvingFunction = f.name
        defer {
            resolvingOnly = savedResolving
            resolvingFunction = savedFunction
        }
        let scope = CSLScope(parent: nil)
        for p in f.parameters {
            guard let name = p.name else { continue }
            let t = (try? evaluateType(p.type, scope: scope)) ?? .opaque("?")
            scope.names[name] = p.isComptime ? .opaque(name) : .runtime(t)
            scope.mutable.insert(name)
        }
        _ = try execute(body, scope: scope)
    }
}
