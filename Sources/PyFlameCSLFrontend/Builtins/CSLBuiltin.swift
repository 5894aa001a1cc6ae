import PyFlameLanguage

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
        // The shell's one edit distance (PyFlameLanguage's Suggestions); a name far longer than any builtin
        // is nobody's typo and costs nothing.
        let near =
            bare.utf8.count > Suggestions.maxWordLength
            ? [] : sdk14BuiltinTable.map(\.name).filter { abs($0.count - bare.count) <= 2 && Suggestions.distance($0, bare) <= 2 }.sorted()
        let hint = near.isEmpty ? "" : " (did you mean " + near.prefix(3).map { "@" + $0 }.joined(separator: " or ") + "?)"
        return "@\(bare) is not a builtin of SDK 1.4 CSL\(hint)"
    }

    private static let byName: [String: CSLBuiltinSignature] = Dictionary(
        sdk14BuiltinTable.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
}
