extension CSLCheckRun {
    // MARK: Queues: operations started together never share a queue ID

    /// A fabric DSD's queue ID is its microthread: the fabric operations of one step (the DSDs of one
    /// function, an operation's DSDs named `sS_J_...`) must not name two queues with one ID, input or
    /// output (an input and an output queue with the same ID clash when they run at once). The queue IDs
    /// are read from the file's `const q: input_queue = @get_input_queue(N)` declarations, as the lowering
    /// assigned them (`PEProgram.queues`); a queue whose ID is not a literal is left to the ID-range rule.
    mutating func queueSharing(_ file: String, _ toks: [CSLToken], dsds: [CheckedDSD]) {
        var idOf: [String: Int] = [:]
        for decl in cslTopDecls(toks) where decl.keyword == "const" {
            guard let builtin = decl.value.first, builtin.isBuiltin("get_input_queue") || builtin.isBuiltin("get_output_queue"),
                decl.value.count == 4, let id = cslEvaluate([decl.value[2]], [:])
            else { continue }
            idOf[decl.name] = id
        }
        guard !idOf.isEmpty else { return }
        // The line span of every function body.
        var functions: [(name: String, lines: ClosedRange<Int>)] = []
        for i in toks.indices where toks[i].isIdent("fn") || toks[i].isIdent("task") {
            guard let name = toks[cslAt: i + 1], name.kind == .ident,
                let open = toks[(i + 1)...].firstIndex(where: { $0.isPunct("{") }), let close = cslMatching(toks, open)
            else { continue }
            functions.append((name.text, toks[open].line...toks[close].line))
        }
        // Per function: each queue ID's first user (the operation, its queue, the DSD).
        var users: [String: [Int: (operation: String, queue: String, dsd: String)]] = [:]
        for dsd in dsds where dsd.kind == "fabin_dsd" || dsd.kind == "fabout_dsd" {
            guard let function = functions.first(where: { $0.lines.contains(dsd.line) })?.name,
                let field = dsd.field("input_queue") ?? dsd.field("output_queue"), field.count == 1, let id = idOf[field[0].text]
            else { continue }
            let operation = dsd.name.firstMatch(of: /^s\d+_\d+_/).map { String($0.output) } ?? dsd.name
            if let first = users[function]?[id] {
                // One operation may name one ID twice (a forward's input and output, a stream sent in pieces).
                if first.operation != operation {
                    error(
                        file, dsd.line,
                        "`\(dsd.name)` (\(field[0].text)) and `\(first.dsd)` (\(first.queue)) in fn \(function) both use queue ID \(id): a fabric DSD's queue ID is its microthread, and operations started together must not share one"
                    )
                }
            } else {
                users[function, default: [:]][id] = (operation, field[0].text, dsd.name)
            }
        }
    }
}
