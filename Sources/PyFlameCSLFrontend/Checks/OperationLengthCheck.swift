import PyFlameIR
import PyFlameLowering

extension CSLCheckRun {
    // MARK: An operation's DSDs have one length

    /// A DSD operation (`@fmovs(out, in)`, `@fadds(out, in, mem, .{ ... })`) names DSDs that should have one
    /// length: a warning compares a fabric DSD's `.extent` with the memory DSD it fills or sends (a warning, as
    /// the SDK's `topic-12-debug-library` sends with a fabout_dsd of extent 1 over five elements). Calls are found in every `fn` and `task` body (nested blocks,
    /// `if`, loops); a DSD argument is a name declared by `@get_dsd` in that body or at top level.
    mutating func operationLengths() {
        for code in project.codes {
            if poll() { return }
            let program = code.program
            guard let path = program.dsds.first?.site.path, let tree = sources.tree(path) else { continue }
            for decl in tree.declarations {
                let function: CSLFunctionDecl
                switch decl.kind {
                case .function(let f), .task(let f): function = f
                default: continue
                }
                guard let body = function.body else { continue }
                var calls: [(name: String, range: CSLSourceRange, arguments: [String])] = []
                Self.collectCalls(in: body.statements, depth: 0, into: &calls)
                for call in calls {
                    var lengths: [(String, Int)] = []
                    for argument in call.arguments {
                        let dsd =
                            program.dsds.first { $0.name == argument && $0.inFunction == function.name }
                            ?? program.dsds.first { $0.name == argument && $0.inFunction == nil }
                        if let dsd, let length = dsd.value.extent { lengths.append((argument, length)) }
                    }
                    guard lengths.count >= 2, Set(lengths.map(\.1)).count > 1 else { continue }
                    let list = lengths.map { "`\($0.0)` \($0.1)" }.joined(separator: ", ")
                    // A warning: the SDK's own tutorials pair a fabout_dsd of extent 1 with a longer memory DSD.
                    add(
                        .warning, "@\(call.name)(\(call.arguments.joined(separator: ", "))) in \(function.name): its DSDs differ in length (\(list))",
                        at: CSLSite(path: path, range: call.range))
                }
            }
        }
    }

    /// Builtin calls made as statements (and inside nested blocks), with the plain names among their
    /// arguments. Nesting deeper than 200 levels is not followed.
    static func collectCalls(in statements: [CSLStmt], depth: Int, into calls: inout [(name: String, range: CSLSourceRange, arguments: [String])]) {
        guard depth < 200 else { return }
        for statement in statements {
            switch statement.kind {
            case .expression(let e):
                if case .builtinCall(let name, _, let arguments) = e.kind {
                    let names = arguments.compactMap { a -> String? in
                        if case .identifier(let n) = a.kind { return n }
                        return nil
                    }
                    calls.append((name, e.range, names))
                }
            case .block(let b):
                collectCalls(in: b.statements, depth: depth + 1, into: &calls)
            case .ifStmt(let s):
                collectCalls(in: [s.then] + (s.otherwise.map { [$0] } ?? []), depth: depth + 1, into: &calls)
            case .whileStmt(let s):
                collectCalls(in: [s.body], depth: depth + 1, into: &calls)
            case .forStmt(let s):
                collectCalls(in: [s.body], depth: depth + 1, into: &calls)
            default:
                break
            }
        }
    }
}
