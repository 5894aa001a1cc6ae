import Foundation
import PyFlameIR
import PyFlameLowering

/// Opens a CSL project as `cslc` would: evaluates its layout file with the compile options, then each
/// distinct (file, parameters) of `@set_tile_code` once, and returns the elaborated project (never throws:
/// what goes wrong is in its diagnostics).
public enum CSLProjectLoader {
    /// The project in `directory` whose layout file is `layout` (relative to it).
    public static func open(directory: String, layout: String = "layout.csl", options: CSLCompileOptions, shouldStop: () -> Bool) -> CSLElaboratedProject {
        let layoutPath = layout.hasPrefix("/") ? layout : (directory as NSString).appendingPathComponent(layout)
        return withoutActuallyEscaping(shouldStop) { stop in
            elaborate(layoutPath: layoutPath, options: options, readFile: readTextFile, shouldStop: stop)
        }
    }

    /// Reads a file as UTF-8 text (nil when it cannot be read).
    static func readTextFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Elaborates the project whose layout file is `layoutPath`, reading files through `readFile` (tests
    /// give files from memory).
    public static func elaborate(
        layoutPath: String, options: CSLCompileOptions, readFile: @escaping (String) -> String?, shouldStop: @escaping () -> Bool
    ) -> CSLElaboratedProject {
        var project = CSLElaboratedProject(layoutPath: layoutPath, options: options)
        let root = (layoutPath as NSString).deletingLastPathComponent
        let evaluator = CSLEvaluator(options: options, rootDirectory: root, readFile: readFile, shouldStop: shouldStop)
        evaluator.layoutModulePath = layoutPath
        let layout = LayoutElaboration(layoutPath: layoutPath, options: options)
        var codes: [CSLPECode] = []
        do {
            guard let tree = evaluator.tree(at: layoutPath) else {
                project.diagnostics = [CSLDiagnostic(.error, "cannot read the layout file", path: layoutPath)]
                return project
            }
            var params: [String: CSLValue] = [:]
            var declared: Set<String> = []
            for d in tree.declarations { if case .param(let p) = d.kind { declared.insert(p.name) } }
            let given =
                options.params.map { ($0.key, CSLValue.int($0.value, .comptimeInt), "--params") }
                + options.colors.map { ($0.key, CSLValue.color($0.value), "--colors") }
            for (name, v, flag) in given.sorted(by: { $0.0 < $1.0 }) {
                params[name] = v
                if !declared.contains(name) {
                    evaluator.report(CSLDiagnostic(.warning, "\(flag) gives \(name), but the layout file has no param '\(name)'", path: layoutPath))
                }
            }
            evaluator.sink = layout
            let module = evaluator.makeModule(name: layoutPath, kind: .file(tree), params: params)
            try evaluator.evaluateBody(of: module)
            var layoutBlocks = 0
            try evaluator.within(module) {
                for decl in tree.declarations {
                    guard case .layoutBlock(let block) = decl.kind else { continue }
                    layoutBlocks += 1
                    if layoutBlocks > 1 {
                        evaluator.report(evaluator.diagnostic(.error, "the layout file has a second layout { } block", at: decl.range))
                        continue
                    }
                    evaluator.inLayout = true
                    defer { evaluator.inLayout = false }
                    _ = try evaluator.execute(block, scope: CSLScope(parent: nil))
                }
            }
            if layoutBlocks == 0 {
                evaluator.report(CSLDiagnostic(.error, "the layout file has no layout { } block", path: layoutPath, range: CSLSourceRange(0, 0)))
            } else if layout.rectangle == nil {
                evaluator.report(CSLDiagnostic(.error, "the layout { } block never calls @set_rectangle", path: layoutPath))
            }
            // Each distinct (file, parameters), once.
            for (key, site) in layout.codes {
                try evaluator.tick()
                codes.append(try elaborateCode(key, site: site, evaluator: evaluator))
            }
        } catch CSLEvalError.interrupted(let message) {
            evaluator.report(CSLDiagnostic(.error, message, path: layoutPath))
        } catch CSLEvalError.diagnostic(let d) {
            evaluator.report(d)
        } catch {
            evaluator.report(CSLDiagnostic(.error, "\(error)", path: layoutPath))
        }
        project.rectangle = layout.rectangle ?? PERect(x: 0, y: 0, width: 0, height: 0)
        project.rectangleSite = layout.rectangleSite
        project.codes = codes
        project.exportNames = layout.exportNames
        var routes = layout.routes
        var sites = layout.routeSites
        var configured = layout.configuredColors
        let width = project.rectangle.width
        var pes: [PECoord: Int] = [:]
        pes.reserveCapacity(layout.codeIndex.count)
        let withLocal = Set(codes.indices.filter { !codes[$0].program.localColorConfigs.isEmpty })
        for (cell, code) in layout.codeIndex.enumerated() where code >= 0 && Int(code) < codes.count {
            let pe = PECoord(cell % width, cell / width)
            pes[pe] = Int(code)
            guard withLocal.contains(Int(code)) else { continue }
            for local in codes[Int(code)].program.localColorConfigs {
                let bit = UInt32(1) << UInt32(local.color)
                if configured[cell] & bit != 0 {
                    evaluator.report(
                        CSLDiagnostic(
                            .error,
                            "color \(local.color) at PE \(pe) is configured by the layout and by @set_local_color_config in \(local.path.asPath.lastComponent)",
                            path: local.site.path, range: local.site.range))
                    continue
                }
                var route = local.route
                route.pe = pe
                configured[cell] |= bit
                routes.append(route)
                sites.append(local.site)
            }
        }
        for code in codes { project.localColorConfigs.append(contentsOf: code.program.localColorConfigs) }
        project.codeOfPE = pes
        // Sorted by (color, PE in address order): one integer key per route.
        let cells = max(1, layout.codeIndex.count)
        var keyed: [(key: Int, index: Int)] = []
        keyed.reserveCapacity(routes.count)
        for (k, r) in routes.enumerated() { keyed.append(((r.color * cells + r.pe.y * width + r.pe.x), k)) }
        keyed.sort { $0.key < $1.key }
        project.routes = keyed.map { routes[$0.index] }
        project.routeSites = keyed.map { sites[$0.index] }
        project.importsMemcpy = evaluator.importsMemcpy
        project.opaqueLayoutLibrary = evaluator.opaqueLibraryImports.first { $0.importer == layoutPath }?.library
        project.files = evaluator.files
        var diagnostics = evaluator.diagnostics
        if evaluator.droppedDiagnostics > 0 {
            diagnostics.append(CSLDiagnostic(.note, "\(evaluator.droppedDiagnostics) more diagnostics not shown", path: layoutPath))
        }
        project.diagnostics = diagnostics
        return project
    }

    /// Evaluates one PE file with its parameters in a context of its own (its imports are its own).
    static func elaborateCode(_ key: CSLCodeKey, site: CSLSite, evaluator: CSLEvaluator) throws -> CSLPECode {
        let path = evaluator.resolve(key.path, from: evaluator.layoutModulePath)
        let sink = PEProgramElaboration(path: path, params: key.params)
        let savedSink = evaluator.sink, savedCache = evaluator.moduleCache
        evaluator.sink = sink
        evaluator.moduleCache = [:]
        defer {
            evaluator.sink = savedSink
            evaluator.moduleCache = savedCache
        }
        guard let tree = evaluator.tree(at: path) else {
            evaluator.report(
                CSLDiagnostic(.error, "cannot read \(key.path), which @set_tile_code names (looked for \(path))", path: site.path, range: site.range))
            return CSLPECode(path: key.path, params: key.params, program: sink.program, site: site)
        }
        var values: [String: CSLValue] = [:]
        for f in key.params { values[f.name] = f.value }
        let module = evaluator.makeModule(name: path, kind: .file(tree), params: values)
        var declared: Set<String> = []
        for d in tree.declarations { if case .param(let p) = d.kind { declared.insert(p.name) } }
        for f in key.params where !declared.contains(f.name) {
            evaluator.report(
                CSLDiagnostic(.error, "\(key.path) has no param '\(f.name)', but @set_tile_code gives .\(f.name)", path: site.path, range: site.range))
        }
        do {
            try evaluator.evaluateBody(of: module)
        } catch CSLEvalError.diagnostic(let d) {
            evaluator.report(d)
        }
        return CSLPECode(path: key.path, params: key.params, program: sink.program, site: site)
    }
}
