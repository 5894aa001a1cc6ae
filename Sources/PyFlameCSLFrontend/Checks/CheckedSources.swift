import Foundation

/// The parsed files of a project, for checks that point at a declaration the elaborated model does not
/// record (the `const` that holds a task ID a binding names). Each file is parsed once, when first asked.
struct CheckedSources {
    let files: [String: CSLSourceFile]
    private var trees: [String: CSLSyntaxTree] = [:]

    init(files: [String: CSLSourceFile]) {
        self.files = files
    }

    mutating func tree(_ path: String) -> CSLSyntaxTree? {
        if let tree = trees[path] { return tree }
        guard let file = files[path] else { return nil }
        let tree = CSLParser.parse(file).0
        trees[path] = tree
        return tree
    }

    /// The top-level `const`/`var` named `name` in `path`: the site of its value (or of the whole
    /// declaration when it has none).
    mutating func topLevelDeclaration(_ name: String, in path: String) -> CSLSite? {
        guard let tree = tree(path) else { return nil }
        for decl in tree.declarations {
            if case .variable(let v) = decl.kind, v.name == name { return CSLSite(path: path, range: v.value?.range ?? decl.range) }
        }
        return nil
    }

    /// The identifier a `@bind_..._task(task, ID)` call at `site` gives as its ID, when it is a plain name.
    func boundIDName(at site: CSLSite) -> String? {
        guard let file = files[site.path] else { return nil }
        let text = file.slice(site.range)
        guard let open = text.firstIndex(of: "("), let comma = text[open...].firstIndex(of: ","), let close = text.lastIndex(of: ")"), comma < close
        else { return nil }
        let name = text[text.index(after: comma)..<close].trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = name.first, first.isLetter || first == "_", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return name
    }
}

extension CheckedSources {
    /// The byte ranges of `if`/`else` branches inside the `fn` and `task` bodies of `path`: what is declared
    /// there runs only where the condition holds, which is decided at run time.
    mutating func conditionalRanges(in path: String) -> [CSLSourceRange] {
        guard let tree = tree(path) else { return [] }
        var ranges: [CSLSourceRange] = []
        for decl in tree.declarations {
            switch decl.kind {
            case .function(let f), .task(let f):
                if let body = f.body { Self.branches(in: body.statements, depth: 0, into: &ranges) }
            default:
                continue
            }
        }
        return ranges
    }

    private static func branches(in statements: [CSLStmt], depth: Int, into ranges: inout [CSLSourceRange]) {
        guard depth < 200 else { return }
        for statement in statements {
            switch statement.kind {
            case .ifStmt(let s):
                ranges.append(s.then.range)
                if let otherwise = s.otherwise { ranges.append(otherwise.range) }
                branches(in: [s.then] + (s.otherwise.map { [$0] } ?? []), depth: depth + 1, into: &ranges)
            case .block(let b):
                branches(in: b.statements, depth: depth + 1, into: &ranges)
            case .whileStmt(let s):
                branches(in: [s.body], depth: depth + 1, into: &ranges)
            case .forStmt(let s):
                branches(in: [s.body], depth: depth + 1, into: &ranges)
            default:
                break
            }
        }
    }
}

extension CheckedSources {
    /// Whether the file at `path` gives the DSD `name` a new base address or length at run time
    /// (`@set_dsd_base_addr(name, ...)`, `@set_dsd_length(name, ...)`): the pattern of a DSD declared on a
    /// placeholder buffer. Read from the file's tokens, so a comment or a string never counts.
    func rebasesDSD(named name: String, in path: String) -> Bool {
        guard let file = files[path] else { return false }
        let tokens = CSLLexer.tokenize(file).tokens
        func text(_ t: CSLToken) -> String {
            guard t.range.start >= 0, t.range.end <= file.bytes.count, t.range.start <= t.range.end else { return "" }
            return String(decoding: file.bytes[t.range.start..<t.range.end], as: UTF8.self)
        }
        var i = 0
        while i + 2 < tokens.count {
            if tokens[i].kind == .builtin, ["@set_dsd_base_addr", "@set_dsd_length"].contains(text(tokens[i])),
                tokens[i + 1].kind == .symbol(.lParen), tokens[i + 2].kind == .identifier, text(tokens[i + 2]) == name
            {
                return true
            }
            i += 1
        }
        return false
    }
}
