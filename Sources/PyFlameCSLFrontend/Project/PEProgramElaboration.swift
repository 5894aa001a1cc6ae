import PyFlameIR
import PyFlameLowering

/// Records what a PE file (and the files it imports) declares at top level into a `CSLElaboratedPEProgram`.
final class PEProgramElaboration: CSLEvaluatorSink {
    var program: CSLElaboratedPEProgram

    init(path: String, params: [CSLStructField]) {
        program = CSLElaboratedPEProgram(path: path, params: params)
    }

    private func site(_ range: CSLSourceRange, _ evaluator: CSLEvaluator) -> CSLSite {
        CSLSite(path: evaluator.currentModule?.path ?? program.path, range: range)
    }

    func layoutBuiltin(_ name: String, arguments: [CSLValue], argumentRanges: [CSLSourceRange], range: CSLSourceRange, evaluator: CSLEvaluator) throws
        -> CSLValue?
    { nil }

    func programBuiltin(
        _ name: String, arguments args: [CSLValue], argumentNames: [String?], argumentRanges ranges: [CSLSourceRange], range: CSLSourceRange,
        evaluator: CSLEvaluator
    ) throws {
        func arity(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(args.count) else {
                let want = counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) or \(counts.upperBound)"
                throw evaluator.error("@\(name) takes \(want) arguments, got \(args.count)", at: range)
            }
        }
        switch name {
        case "bind_data_task", "bind_local_task", "bind_control_task":
            try arity(2...2)
            let kind: CSLTaskKind = name == "bind_data_task" ? .data : name == "bind_local_task" ? .local : .control
            guard case .function(let f) = args[0], f.isTask else {
                if evaluator.isUnknown(args[0]) { return }
                throw evaluator.error("@\(name) binds a task, not \(args[0])", at: ranges[0])
            }
            switch args[1] {
            case .taskID(let k, let id):
                guard k == kind else { throw evaluator.error("@\(name) takes a \(kind.typeName), not a \(k.typeName)", at: ranges[1]) }
                let viaQueue = kind == .data && evaluator.options.architecture == .wse3
                program.taskBindings.append(CSLTaskBinding(task: f.name, kind: kind, id: id, viaInputQueue: viaQueue, site: site(range, evaluator)))
            case _ where evaluator.isUnknown(args[1]):
                evaluator.cannotCheck("the task ID bound to \(f.name) is not known at comptime", at: ranges[1])
            default:
                throw evaluator.error("@\(name) takes a \(kind.typeName), not \(args[1])", at: ranges[1])
            }
        case "export_symbol":
            try arity(1...2)
            var symbol = argumentNames[0]
            if symbol == nil, case .function(let f) = args[0] { symbol = f.name }
            guard let symbol else { throw evaluator.error("@export_symbol takes a global or a function by name", at: ranges[0]) }
            var exported = symbol
            if args.count == 2 {
                guard case .string(let s) = args[1] else {
                    throw evaluator.error("@export_symbol's second argument is the host name, not \(args[1])", at: ranges[1])
                }
                exported = s
            }
            program.exports.append(CSLExportSymbol(symbol: symbol, name: exported, site: site(range, evaluator)))
        case "initialize_queue":
            try arity(2...2)
            switch args[0] {
            case .inputQueue, .outputQueue: break
            case _ where evaluator.isUnknown(args[0]): return
            default: throw evaluator.error("@initialize_queue takes an input or output queue, not \(args[0])", at: ranges[0])
            }
            var color: Int?
            if let s = args[1].structValue, case .color(let c)? = s["color"] { color = c }
            program.queueInitializations.append(CSLQueueInitialization(queue: args[0], color: color, site: site(range, evaluator)))
        case "set_local_color_config":
            try arity(2...2)
            guard case .color(let c) = args[0] else {
                if evaluator.isUnknown(args[0]) { return }
                throw evaluator.error("@set_local_color_config's first argument is a color, not \(args[0])", at: ranges[0])
            }
            let (route, issues) = ColorConfigConversion.route(pe: PECoord(0, 0), color: c, config: args[1])
            for issue in issues { evaluator.report(evaluator.diagnostic(issue.severity, issue.message, at: ranges[1])) }
            guard let route else { return }
            if let refusal = route.refusal(on: evaluator.options.architecture) {
                throw evaluator.error(refusal.replacingOccurrences(of: " at (0,0)", with: ""), at: ranges[1])
            }
            let s = site(range, evaluator)
            program.localColorConfigs.append(CSLLocalColorConfig(route: route, site: s))
        default:
            break
        }
    }

    func dsd(_ value: CSLDSDValue, name: String?, range: CSLSourceRange, evaluator: CSLEvaluator) {
        program.dsds.append(CSLDSDDecl(name: name, value: value, site: site(range, evaluator), inFunction: evaluator.resolvingFunction))
    }

    func declaration(_ decl: CSLVariableDecl, value: CSLValue, declaredType: CSLType?, range: CSLSourceRange, evaluator: CSLEvaluator) {
        let s = CSLSite(path: evaluator.currentModule?.path ?? program.path, range: decl.nameRange)
        switch value {
        case .color:
            program.colors.append(CSLNamedResource(name: decl.name, value: value, site: s))
            return
        case .inputQueue, .outputQueue:
            program.queues.append(CSLNamedResource(name: decl.name, value: value, site: s))
            return
        case .taskID:
            program.taskIDs.append(CSLNamedResource(name: decl.name, value: value, site: s))
            return
        default: break
        }
        let type = declaredType ?? value.type
        switch type {
        case .int, .float, .bool, .array, .structType, .enumType, .pointer:
            // A `const` scalar is folded at comptime; a `var`, or any array, lives in memory.
            if decl.isConst, case .array = type {
            } else if decl.isConst {
                return
            }
            if case .pointer = type, decl.isConst { return }
            program.globals.append(CSLGlobal(name: decl.name, type: type, isConst: decl.isConst, byteSize: type.byteSize, site: s))
        default:
            break
        }
    }

    func task(_ decl: CSLFunctionDecl, range: CSLSourceRange, evaluator: CSLEvaluator) {
        program.tasks.append(CSLTaskDecl(name: decl.name, parameterCount: decl.parameters.count, site: site(decl.nameRange, evaluator)))
    }

    func imported(_ name: String) {
        if !program.importedModules.contains(name) { program.importedModules.append(name) }
    }
}
