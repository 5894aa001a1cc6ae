import PyFlameIR
import PyFlameLowering

/// A distinct (file, parameters) of `@set_tile_code`.
struct CSLCodeKey: Hashable {
    var path: String
    var params: [CSLStructField]
}

/// What `layout { }` does: the rectangle, each PE's code, routes and exports, kept flat for the whole wafer
/// (a PE's code is an index in a flat array over the rectangle; routes are an array with an index by (PE, color)).
final class LayoutElaboration: CSLEvaluatorSink {
    let layoutPath: String
    let architecture: Architecture
    let fabricDims: CSLCompileOptions.FabricDims?
    let fabricOffsets: CSLCompileOptions.FabricOffsets?
    var rectangle: PERect?
    var rectangleSite: CSLSite?
    /// Code index per PE, row-major over the rectangle (-1: no code).
    var codeIndex: [Int32] = []
    var codeKeys: [CSLCodeKey: Int] = [:]
    var codes: [(key: CSLCodeKey, site: CSLSite)] = []
    private var lastCode: (key: CSLCodeKey, index: Int)?
    var routes: [RouteConfig] = []
    var routeSites: [CSLSite] = []
    /// Per PE (row-major over the rectangle), a bit per color already configured.
    var configuredColors: [UInt32] = []
    var exportNames: [CSLExportName] = []

    init(layoutPath: String, options: CSLCompileOptions) {
        self.layoutPath = layoutPath
        self.architecture = options.architecture
        self.fabricDims = options.fabricDims
        self.fabricOffsets = options.fabricOffsets
    }

    func site(_ range: CSLSourceRange, _ evaluator: CSLEvaluator) -> CSLSite {
        CSLSite(path: evaluator.currentModule?.path ?? layoutPath, range: range)
    }

    /// A PE coordinate argument pair, checked against the rectangle.
    private func pe(_ args: [CSLValue], _ ranges: [CSLSourceRange], _ name: String, _ evaluator: CSLEvaluator) throws -> PECoord? {
        guard let r = rectangle else { throw evaluator.error("@\(name) before @set_rectangle: the rectangle must be set first", at: ranges.first) }
        guard let x = args[0].intValue, let y = args[1].intValue else {
            if evaluator.isUnknown(args[0]) || evaluator.isUnknown(args[1]) {
                evaluator.cannotCheck("@\(name)'s PE coordinates are not known at comptime", at: ranges[0].union(ranges[1]))
                return nil
            }
            throw evaluator.error(
                "@\(name)'s PE coordinates must be integers, not \(args[0].intValue == nil ? args[0] : args[1])", at: ranges[0].union(ranges[1]))
        }
        guard x >= 0 && x < r.width && y >= 0 && y < r.height else {
            throw evaluator.error(
                "PE (\(x),\(y)) is outside the rectangle \(r.width)×\(r.height) of @set_rectangle (columns 0 to \(r.width - 1), rows 0 to \(r.height - 1))",
                at: ranges[0].union(ranges[1]))
        }
        return PECoord(x, y)
    }

    private func arity(_ name: String, _ args: [CSLValue], _ counts: ClosedRange<Int>, _ range: CSLSourceRange, _ evaluator: CSLEvaluator) throws {
        guard counts.contains(args.count) else {
            let want = counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) or \(counts.upperBound)"
            throw evaluator.error("@\(name) takes \(want) arguments, got \(args.count)", at: range)
        }
    }

    func layoutBuiltin(_ name: String, arguments args: [CSLValue], argumentRanges ranges: [CSLSourceRange], range: CSLSourceRange, evaluator: CSLEvaluator)
        throws -> CSLValue?
    {
        switch name {
        case "set_rectangle":
            try arity(name, args, 2...2, range, evaluator)
            guard rectangle == nil else { throw evaluator.error("@set_rectangle is called twice", at: range) }
            guard let w = args[0].intValue, let h = args[1].intValue else {
                throw evaluator.error("@set_rectangle takes the width and height as comptime integers", at: range)
            }
            guard w > 0 && h > 0 else { throw evaluator.error("@set_rectangle(\(w), \(h)): the width and height must be positive", at: range) }
            if let dims = fabricDims {
                let ox = fabricOffsets?.x ?? 0, oy = fabricOffsets?.y ?? 0
                if ox + w > dims.width || oy + h > dims.height {
                    throw evaluator.error(
                        "the rectangle \(w)×\(h) at offset (\(ox),\(oy)) does not fit the fabric \(dims.width)×\(dims.height) of --fabric-dims", at: range)
                }
            }
            let (cells, overflow) = w.multipliedReportingOverflow(by: h)
            guard !overflow, cells <= Int(Int32.max) else { throw evaluator.error("@set_rectangle(\(w), \(h)) is too large", at: range) }
            rectangle = PERect(x: 0, y: 0, width: w, height: h)
            evaluator.rectangle = rectangle
            rectangleSite = site(range, evaluator)
            codeIndex = Array(repeating: -1, count: cells)
            configuredColors = Array(repeating: 0, count: cells)
            return .void
        case "set_tile_code":
            try arity(name, args, 3...4, range, evaluator)
            guard let p = try pe(args, ranges, name, evaluator) else { return .void }
            guard case .string(let file) = args[2] else {
                throw evaluator.error("@set_tile_code's third argument is the file name, not \(args[2])", at: ranges[2])
            }
            var params: [CSLStructField] = []
            if args.count == 4 {
                guard let s = args[3].structValue else {
                    if evaluator.isUnknown(args[3]) {
                        evaluator.cannotCheck("the parameters of \(file) at PE \(p) are not known at comptime", at: ranges[3])
                        return .void
                    }
                    throw evaluator.error("@set_tile_code's parameters must be a struct, not \(args[3])", at: ranges[3])
                }
                params = s.fields
            }
            let key = CSLCodeKey(path: file, params: params)
            let index: Int
            // Loops give one code to many PEs in a row: compare with the last key before hashing.
            if let last = lastCode, last.key == key {
                index = last.index
            } else if let k = codeKeys[key] {
                index = k
            } else {
                index = codes.count
                codeKeys[key] = index
                codes.append((key, site(range, evaluator)))
            }
            lastCode = (key, index)
            let cell = p.y * (rectangle?.width ?? 0) + p.x
            if codeIndex[cell] >= 0 { throw evaluator.error("PE \(p) is given code twice (@set_tile_code)", at: range) }
            codeIndex[cell] = Int32(index)
            return .void
        case "set_color_config":
            try arity(name, args, 4...4, range, evaluator)
            guard let p = try pe(args, ranges, name, evaluator) else { return .void }
            guard case .color(let c) = args[2] else {
                if evaluator.isUnknown(args[2]) { return .void }
                throw evaluator.error("@set_color_config's third argument is a color, not \(args[2])", at: ranges[2])
            }
            let (route, issues) = ColorConfigConversion.route(pe: p, color: c, config: args[3])
            for issue in issues { evaluator.report(evaluator.diagnostic(issue.severity, issue.message, at: ranges[3])) }
            guard let route else { return .void }
            if let refusal = route.refusal(on: architecture) { throw evaluator.error(refusal, at: ranges[3]) }
            let cell = p.y * (rectangle?.width ?? 0) + p.x
            let bit = UInt32(1) << UInt32(c)
            if configuredColors[cell] & bit != 0 { throw evaluator.error("color \(c) at PE \(p) is configured twice (@set_color_config)", at: range) }
            configuredColors[cell] |= bit
            routes.append(route)
            routeSites.append(site(range, evaluator))
            return .void
        case "export_name":
            try arity(name, args, 2...3, range, evaluator)
            guard case .string(let exported) = args[0] else {
                throw evaluator.error("@export_name's first argument is the host name, not \(args[0])", at: ranges[0])
            }
            guard case .type(let t) = args[1] else { throw evaluator.error("@export_name's second argument is a type, not \(args[1])", at: ranges[1]) }
            var mutable: Bool?
            if args.count == 3 {
                guard let b = args[2].boolValue else {
                    throw evaluator.error("@export_name's third argument (mutable) is a bool, not \(args[2])", at: ranges[2])
                }
                mutable = b
            } else if case .function = t {
            } else {
                throw evaluator.error("@export_name of a data symbol takes 3 arguments (name, type, mutable)", at: range)
            }
            if exportNames.contains(where: { $0.name == exported }) { throw evaluator.error("\"\(exported)\" is exported twice (@export_name)", at: ranges[0]) }
            exportNames.append(CSLExportName(name: exported, type: t, isMutable: mutable, site: site(range, evaluator)))
            return .void
        default:
            return nil
        }
    }

    func programBuiltin(
        _ name: String, arguments: [CSLValue], argumentNames: [String?], argumentRanges: [CSLSourceRange], range: CSLSourceRange, evaluator: CSLEvaluator
    ) throws {
        throw evaluator.error("@\(name) belongs in a PE program, not in the layout file", at: range)
    }

    func dsd(_ value: CSLDSDValue, name: String?, range: CSLSourceRange, evaluator: CSLEvaluator) {}
    func declaration(_ decl: CSLVariableDecl, value: CSLValue, declaredType: CSLType?, range: CSLSourceRange, evaluator: CSLEvaluator) {}
    func imported(_ name: String) {}
    func task(_ decl: CSLFunctionDecl, range: CSLSourceRange, evaluator: CSLEvaluator) {}
}
