/// The builtins of SDK 1.4 CSL that Cerebras' 1.4 examples call, each with its documented signature
/// (CSLBuiltinTable.swift holds them). The front end looks a call up here to check its arity and, where it
/// knows them, its arguments' kinds.
public enum CSLBuiltin {
    /// The signature of `@name` (with or without the `@`), or nil for a builtin the table does not have.
    public static func lookup(_ name: String) -> CSLBuiltinSignature? {
        byName[name.hasPrefix("@") ? String(name.dropFirst()) : name]
    }

    /// Every builtin of the table, in the order of the table (by topic).
    public static var all: [CSLBuiltinSignature] { sdk14BuiltinTable }

    /// Why `@name(...)` with `argumentCount` arguments is wrong: an unknown builtin or a wrong count; nil
    /// when it is right.
    public static func check(_ name: String, argumentCount: Int) -> String? {
        guard let signature = lookup(name) else { return unknownMessage(name) }
        return signature.check(argumentCount: argumentCount)
    }

    /// "@fadd is not a builtin of SDK 1.4 CSL (did you mean @fadds?)".
    public static func unknownMessage(_ name: String) -> String {
        let bare = name.hasPrefix("@") ? String(name.dropFirst()) : name
        let near = sdk14BuiltinTable.map(\.name).filter { editDistance($0, bare, limit: 2) <= 2 }.sorted()
        let hint = near.isEmpty ? "" : " (did you mean " + near.prefix(3).map { "@" + $0 }.joined(separator: " or ") + "?)"
        return "@\(bare) is not a builtin of SDK 1.4 CSL\(hint)"
    }

    private static let byName: [String: CSLBuiltinSignature] = Dictionary(
        sdk14BuiltinTable.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// Levenshtein distance, giving up (returning limit + 1) once every path exceeds `limit`.
    private static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            if current.min() ?? 0 > limit { return limit + 1 }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
