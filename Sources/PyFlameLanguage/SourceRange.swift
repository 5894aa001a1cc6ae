/// A span of a statement's text, as UTF-8 byte offsets (half-open). Statements may span several
/// physical lines (open brackets, trailing `\`); ``SourceText`` turns offsets into line and column.
public struct SourceRange: Hashable, Sendable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}

/// A statement's text with a line index, for turning offsets into 1-based line and column numbers.
public struct SourceText: Sendable {
    public let text: String
    public let bytes: [UInt8]
    private let lineStarts: [Int]

    public init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// 1-based line and column (in characters) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = min(max(offset, 0), bytes.count)
        var line = 0
        while line + 1 < lineStarts.count && lineStarts[line + 1] <= clamped { line += 1 }
        let prefix = bytes[lineStarts[line]..<clamped]
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return (line + 1, column)
    }

    /// The text of 1-based line `n`, without its newline.
    public func line(_ n: Int) -> String {
        guard n >= 1 && n <= lineStarts.count else { return "" }
        let start = lineStarts[n - 1]
        let end = n < lineStarts.count ? lineStarts[n] - 1 : bytes.count
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The text a range covers.
    public func slice(_ range: SourceRange) -> String {
        let s = min(max(range.start, 0), bytes.count), e = min(max(range.end, s), bytes.count)
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}
