/// Values of literal tokens: integers in any radix with `_` separators, floats, and string or character escapes.
enum CSLLiterals {
    /// The value of `42`, `0x1F`, `0b1010`, `0o17`, `1_000`; nil when it does not fit an `Int`.
    static func integerValue(_ text: String) -> Int? {
        var digits = Substring(text)
        var radix = 10
        if digits.count > 2 && digits.first == "0" {
            switch digits.dropFirst().first {
            case "x", "X": radix = 16
            case "b", "B": radix = 2
            case "o", "O": radix = 8
            default: break
            }
            if radix != 10 { digits = digits.dropFirst(2) }
        }
        var value = 0
        var sawDigit = false
        for character in digits where character != "_" {
            guard let digit = character.hexDigitValue, digit < radix else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: radix)
            let (next, o2) = shifted.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = next
            sawDigit = true
        }
        return sawDigit ? value : nil
    }

    static func floatValue(_ text: String) -> Double {
        Double(text.filter { $0 != "_" }) ?? .nan
    }

    /// The characters of `"..."` with escapes decoded: `\n \r \t \\ \' \" \xNN \u{N...}`.
    static func decodeString(_ text: String, at range: CSLSourceRange, in file: CSLSourceFile) throws(CSLDiagnostic) -> String {
        var scalars = String.UnicodeScalarView()
        try decode(text, at: range, in: file) { scalars.append($0) }
        return String(scalars)
    }

    /// The scalar of `'a'` or `'\n'`: exactly one.
    static func decodeCharacter(_ text: String, at range: CSLSourceRange, in file: CSLSourceFile) throws(CSLDiagnostic) -> UInt32 {
        var scalars: [Unicode.Scalar] = []
        try decode(text, at: range, in: file) { scalars.append($0) }
        guard scalars.count == 1, let only = scalars.first else {
            throw .error("a character literal holds exactly one character", in: file, at: range)
        }
        return only.value
    }

    private static func decode(
        _ text: String, at range: CSLSourceRange, in file: CSLSourceFile, _ emit: (Unicode.Scalar) -> Void
    ) throws(CSLDiagnostic) {
        let inner = Array(text.unicodeScalars.dropFirst().dropLast())
        var i = 0
        while i < inner.count {
            let c = inner[i]
            i += 1
            guard c == "\\" else {
                emit(c)
                continue
            }
            guard i < inner.count else { throw .error("unfinished escape sequence", in: file, at: range) }
            let e = inner[i]
            i += 1
            switch e {
            case "n": emit("\n")
            case "r": emit("\r")
            case "t": emit("\t")
            case "\\", "'", "\"": emit(e)
            case "x":
                guard i + 2 <= inner.count, let v = UInt32(String(String.UnicodeScalarView(inner[i..<i + 2])), radix: 16),
                    let scalar = Unicode.Scalar(v)
                else { throw .error("'\\x' takes two hex digits", in: file, at: range) }
                emit(scalar)
                i += 2
            case "u":
                guard i < inner.count, inner[i] == "{", let close = inner[i...].firstIndex(of: "}"),
                    let v = UInt32(String(String.UnicodeScalarView(inner[(i + 1)..<close])), radix: 16), let scalar = Unicode.Scalar(v)
                else { throw .error("'\\u' takes a code point in braces, as in \\u{41}", in: file, at: range) }
                emit(scalar)
                i = close + 1
            default:
                throw .error("unknown escape sequence '\\\(e)'", in: file, at: range)
            }
        }
    }
}
