import Foundation

/// A CSL token: identifier, builtin (`@name`), number, string or one punctuation character.
struct CSLToken: Equatable {
    enum Kind: Equatable { case ident, builtin, number, string, punct }
    var kind: Kind
    var text: String
    var line: Int

    func isPunct(_ c: String) -> Bool { kind == .punct && text == c }
    func isIdent(_ s: String) -> Bool { kind == .ident && text == s }
    func isBuiltin(_ s: String) -> Bool { kind == .builtin && text == s }
}

/// Splits CSL source into tokens, dropping `//` comments and whitespace. Strings become one token.
func cslTokenize(_ source: String) -> [CSLToken] {
    var tokens: [CSLToken] = []
    let chars = Array(source.unicodeScalars)
    var i = 0
    var line = 1
    func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.properties.isAlphabetic && c.isASCII) }
    func isIdentChar(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) }
    while i < chars.count {
        let c = chars[i]
        if c == "\n" { line += 1; i += 1; continue }
        if c == " " || c == "\t" || c == "\r" { i += 1; continue }
        if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" {
            while i < chars.count && chars[i] != "\n" { i += 1 }
            continue
        }
        if c == "\"" {
            var s = ""
            i += 1
            while i < chars.count && chars[i] != "\"" && chars[i] != "\n" {
                if chars[i] == "\\" && i + 1 < chars.count { s.unicodeScalars.append(chars[i + 1]); i += 2; continue }
                s.unicodeScalars.append(chars[i]); i += 1
            }
            if i < chars.count && chars[i] == "\"" { i += 1 }
            tokens.append(CSLToken(kind: .string, text: s, line: line))
            continue
        }
        if c == "'" {  // character literal: skip it
            i += 1
            while i < chars.count && chars[i] != "'" && chars[i] != "\n" { i += chars[i] == "\\" ? 2 : 1 }
            i += 1
            tokens.append(CSLToken(kind: .number, text: "0", line: line))
            continue
        }
        if c == "@" || isIdentStart(c) {
            var s = ""
            var j = c == "@" ? i + 1 : i
            while j < chars.count && isIdentChar(chars[j]) { s.unicodeScalars.append(chars[j]); j += 1 }
            tokens.append(CSLToken(kind: c == "@" ? .builtin : .ident, text: s, line: line))
            i = j
            continue
        }
        if ("0"..."9").contains(c) {
            var s = ""
            var j = i
            while j < chars.count && (isIdentChar(chars[j]) || (chars[j] == "." && j + 1 < chars.count && ("0"..."9").contains(chars[j + 1]))) {
                s.unicodeScalars.append(chars[j]); j += 1
            }
            tokens.append(CSLToken(kind: .number, text: s, line: line))
            i = j
            continue
        }
        tokens.append(CSLToken(kind: .punct, text: String(c), line: line))
        i += 1
    }
    return tokens
}

/// Deepest bracket nesting the checker reads, as the language's parser (`Parser.maxDepth`): deeper
/// files are not checked (the checker's walks recurse once per level).
let cslMaxDepth = 256

/// The first token where brackets nest deeper than ``cslMaxDepth``, if any (one pass, no recursion).
func cslTooDeep(_ toks: [CSLToken]) -> CSLToken? {
    var depth = 0
    for t in toks where t.kind == .punct {
        if cslOpeners[t.text] != nil {
            depth += 1
            if depth > cslMaxDepth { return t }
        } else if cslClosers.contains(t.text) {
            depth = max(0, depth - 1)
        }
    }
    return nil
}

let cslOpeners: [String: String] = ["(": ")", "[": "]", "{": "}"]
let cslClosers: Set<String> = [")", "]", "}"]

/// Index of the bracket closing the one at `open`, or nil when unbalanced.
func cslMatching(_ toks: [CSLToken], _ open: Int) -> Int? {
    var depth = 0
    var i = open
    while i < toks.count {
        let t = toks[i]
        if t.kind == .punct {
            if cslOpeners[t.text] != nil { depth += 1 } else if cslClosers.contains(t.text) { depth -= 1; if depth == 0 { return i } }
        }
        i += 1
    }
    return nil
}

/// Splits the tokens strictly between `open` and `close` at top-level commas (a trailing comma adds no argument).
func cslSplitTop(_ toks: [CSLToken], _ open: Int, _ close: Int) -> [[CSLToken]] {
    var parts: [[CSLToken]] = []
    var cur: [CSLToken] = []
    var depth = 0
    var i = open + 1
    while i < close {
        let t = toks[i]
        if t.kind == .punct && cslOpeners[t.text] != nil { depth += 1 }
        if t.kind == .punct && cslClosers.contains(t.text) { depth -= 1 }
        if depth == 0 && t.isPunct(",") { parts.append(cur); cur = [] } else { cur.append(t) }
        i += 1
    }
    if !cur.isEmpty { parts.append(cur) }
    return parts
}

/// Parses a leading integer literal (decimal, hex, binary, with `_`).
func cslIntLiteral(_ s: String) -> Int? {
    let t = s.replacingOccurrences(of: "_", with: "")
    if t.hasPrefix("0x") { return Int(t.dropFirst(2), radix: 16) }
    if t.hasPrefix("0b") { return Int(t.dropFirst(2), radix: 2) }
    return Int(t)
}

/// Evaluates an integer expression over literals, names in `env`, `+ - * / %`, parentheses,
/// `@get_color(e)` and `@as(T, e)`. Nil when anything is outside that subset, when an intermediate
/// value overflows `Int`, or when it nests deeper than ``cslMaxDepth`` (brackets and unary minus).
func cslEvaluate(_ toks: [CSLToken], _ env: [String: Int], depth: Int = 0) -> Int? {
    var p = 0
    var level = depth
    func primary() -> Int? {
        guard p < toks.count, level < cslMaxDepth else { return nil }
        level += 1
        defer { level -= 1 }
        let t = toks[p]
        switch t.kind {
        case .number:
            p += 1
            return cslIntLiteral(t.text)
        case .ident:
            p += 1
            return env[t.text]
        case .builtin where t.text == "get_color" || t.text == "as":
            guard p + 1 < toks.count, toks[p + 1].isPunct("("), let close = cslMatching(toks, p + 1) else { return nil }
            let args = cslSplitTop(toks, p + 1, close)
            p = close + 1
            if t.text == "get_color", args.count == 1 { return cslEvaluate(args[0], env, depth: level) }
            if t.text == "as", args.count == 2 { return cslEvaluate(args[1], env, depth: level) }
            return nil
        case .punct where t.text == "(":
            p += 1
            guard let v = sum(), p < toks.count, toks[p].isPunct(")") else { return nil }
            p += 1
            return v
        case .punct where t.text == "-":
            p += 1
            guard let v = primary() else { return nil }
            let (r, o) = (0).subtractingReportingOverflow(v)
            return o ? nil : r
        default:
            return nil
        }
    }
    func product() -> Int? {
        guard var v = primary() else { return nil }
        while p < toks.count, toks[p].kind == .punct, ["*", "/", "%"].contains(toks[p].text) {
            let op = toks[p].text
            p += 1
            guard let r = primary() else { return nil }
            let (result, overflow): (Int, Bool)
            if op == "*" {
                (result, overflow) = v.multipliedReportingOverflow(by: r)
            } else if r == 0 {
                return nil
            } else if op == "/" {
                (result, overflow) = v.dividedReportingOverflow(by: r)
            } else {
                (result, overflow) = v.remainderReportingOverflow(dividingBy: r)
            }
            if overflow { return nil }
            v = result
        }
        return v
    }
    func sum() -> Int? {
        guard var v = product() else { return nil }
        while p < toks.count, toks[p].isPunct("+") || toks[p].isPunct("-") {
            let op = toks[p].text
            p += 1
            guard let r = product() else { return nil }
            let (result, overflow) = op == "+" ? v.addingReportingOverflow(r) : v.subtractingReportingOverflow(r)
            if overflow { return nil }
            v = result
        }
        return v
    }
    guard let v = sum(), p == toks.count else { return nil }
    return v
}

/// Parses `.{ .a = e, .b = f }` into field name → value tokens. Nil if not a literal anonymous struct.
func cslStructFields(_ toks: [CSLToken]) -> [(name: String, value: [CSLToken], line: Int)]? {
    guard toks.count >= 3, toks[0].isPunct("."), toks[1].isPunct("{"), let close = cslMatching(toks, 1),
        close == toks.count - 1
    else { return nil }
    var out: [(String, [CSLToken], Int)] = []
    for part in cslSplitTop(toks, 1, close) {
        guard part.count >= 3, part[0].isPunct("."), part[1].kind == .ident, part[2].isPunct("=") else { return nil }
        out.append((part[1].text, Array(part[3...]), part[1].line))
    }
    return out
}
