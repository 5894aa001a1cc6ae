import Foundation
import PyFlameLanguage

/// `:save FILE`: the session's statements as a script that replays from wherever it is saved. The log keeps
/// each `load("...")` path absolute (a relative one is taken from the folder it was read in, which differs
/// inside a `:load`ed script); `:save` writes it relative to the saved script's folder when the file lies
/// in that folder or below, and absolute otherwise.
extension Shell {
    /// The text of a statement as the log keeps it: relative `load` paths made absolute.
    func loggedStatement(_ text: String, value: Expr) -> String {
        var base: String?
        return Self.rewritingLoadPaths(text, value) { path in
            guard !path.hasPrefix("/") && !path.hasPrefix("~") else { return nil }
            let folder = base ?? absoluteFolder(baseDirectory)
            base = folder
            return Self.normalized(folder + "/" + path)
        }
    }

    /// The script `:save` writes to `path`.
    func savedScript(at path: String) -> String {
        let file = path.hasPrefix("/") ? path : absoluteFolder(baseDirectory) + "/" + path
        let folder = Self.normalized((file as NSString).deletingLastPathComponent)
        let statements = session.log.map { text -> String in
            guard case .assignment(_, _, let value, _)? = try? Parser.parse(text) else { return text }
            return Self.rewritingLoadPaths(text, value) { file in
                guard file.hasPrefix("/") else { return nil }
                let normalized = Self.normalized(file)
                return normalized.hasPrefix(folder + "/") ? String(normalized.dropFirst(folder.count + 1)) : nil
            }
        }
        return "# saved by pyflame-shell \(PyFlameShellVersion.string)\n" + statements.map { $0 + "\n" }.joined()
    }

    /// `folder` (relative to the working directory when it is) as an absolute path.
    func absoluteFolder(_ folder: String) -> String {
        if folder.hasPrefix("/") { return Self.normalized(folder) }
        let cwd = FileManager.default.currentDirectoryPath
        return Self.normalized(folder.isEmpty ? cwd : cwd + "/" + folder)
    }

    /// `path` without `.`, `..` and doubled slashes (by name: symlinks are not followed).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `text` with the string argument of every `load(...)` in `value` replaced by `rewrite(path)` (kept when nil).
    static func rewritingLoadPaths(_ text: String, _ value: Expr, _ rewrite: (String) -> String?) -> String {
        var literals: [(SourceRange, String)] = []
        var pending = [value]
        while let e = pending.popLast() {
            switch e.kind {
            case .call(let name, _, let arguments):
                if name == "load", let file = arguments.first(where: { $0.label == nil || $0.label == "file" }),
                    case .string(let path) = file.value.kind, let replacement = rewrite(path)
                {
                    literals.append((file.value.range, replacement))
                }
                pending += arguments.map(\.value)
            case .binary(_, let a, let b, _): pending += [a, b]
            case .negate(let a): pending.append(a)
            case .index(let a, let items): pending += [a] + items.flatMap { [$0.start, $0.stop].compactMap { $0 } }
            case .list(let items): pending += items
            case .integer, .float, .string, .name: break
            }
        }
        var bytes = Array(text.utf8)
        for (range, path) in literals.sorted(by: { $0.0.start > $1.0.start }) where range.end <= bytes.count {
            bytes.replaceSubrange(range.start..<range.end, with: Array(stringLiteral(path).utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A string literal of the language for `text`.
    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for c in text {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(c)
            }
        }
        return out + "\""
    }
}
