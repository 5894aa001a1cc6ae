/// A span of a CSL file, as UTF-8 byte offsets (half-open): `start..<end`.
public struct CSLSourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    public func union(_ other: CSLSourceRange) -> CSLSourceRange {
        CSLSourceRange(min(start, other.start), max(end, other.end))
    }

    public var description: String { "\(start)..<\(end)" }
}

/// A CSL file's path and text with a line index, for turning byte offsets into 1-based line and column numbers
/// (columns count characters, so a caret lines up under non-ASCII text).
public struct CSLSourceFile: Sendable {
    /// The path as the user gave it (or as an import resolved it); diagnostics print it unchanged.
    public let path: String
    public let text: String
    /// The text's UTF-8 bytes: what the lexer reads and what every ``CSLSourceRange`` indexes.
    public let bytes: [UInt8]
    private let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// The number of lines (a file ending in a newline has an empty last line).
    public var lineCount: Int { lineStarts.count }

    /// 1-based line and column (in characters) of a byte offset; offsets past the end clamp to the end.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = min(max(offset, 0), bytes.count)
        // The last line start <= clamped (binary search: files have thousands of lines).
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        let prefix = bytes[lineStarts[low]..<clamped]
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return (low + 1, column)
    }

    /// The byte offset of 1-based `line` and `column` (characters), clamped into the file; for tests and tools.
    public func offset(line: Int, column: Int) -> Int {
        guard line >= 1 && line <= lineStarts.count else { return line < 1 ? 0 : bytes.count }
        let text = self.line(line)
        let prefix = String(text.prefix(max(0, column - 1)))
        return lineStarts[line - 1] + prefix.utf8.count
    }

    /// The text of 1-based line `n`, without its newline (and without a `\r` before it).
    public func line(_ n: Int) -> String {
        guard n >= 1 && n <= lineStarts.count else { return "" }
        let start = lineStarts[n - 1]
        var end = n < lineStarts.count ? lineStarts[n] - 1 : bytes.count
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The text a range covers.
    public func slice(_ range: CSLSourceRange) -> String {
        let s = min(max(range.start, 0), bytes.count)
        let e = min(max(range.end, s), bytes.count)
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}
