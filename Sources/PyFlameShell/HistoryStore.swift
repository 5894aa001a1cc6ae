import Foundation
import PyFlameIR

/// The persistent history: de-duplicated (a repeated statement moves to the end), capped, and saved
/// after every statement by merging with what is on disk and renaming a temporary file over it, under an
/// exclusive lock on a lock file beside it (`history.lock`), so two shells sharing one file both keep
/// every line and never corrupt it. A file that does not start with the history header is someone
/// else's and is never rewritten.
public struct HistoryStore: Sendable, Equatable {
    public static let capacity = 1000
    public static let header = "# pyflame-shell history v1"

    public private(set) var entries: [String]
    public let capacity: Int

    public init(entries: [String] = [], capacity: Int = HistoryStore.capacity) {
        self.capacity = capacity
        self.entries = []
        for e in entries { add(e) }
    }

    /// Adds a statement: an earlier identical one is removed, the oldest beyond the cap are dropped.
    public mutating func add(_ entry: String) {
        guard entry.contains(where: { !$0.isWhitespace }) else { return }
        entries.removeAll { $0 == entry }
        entries.append(entry)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    /// The file's text: a header line, then one entry a line with `\` and newlines escaped.
    public func encoded() -> String {
        ([HistoryStore.header] + entries.map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n") })
            .joined(separator: "\n") + "\n"
    }

    /// Reads a history file's text; anything unreadable is skipped, never fatal.
    public static func decode(_ text: String, capacity: Int = HistoryStore.capacity) -> HistoryStore {
        var entries: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line != header {
            var out = ""
            var escaped = false
            for c in line {
                if escaped { out.append(c == "n" ? "\n" : c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
            }
            entries.append(out)
        }
        return HistoryStore(entries: entries, capacity: capacity)
    }

    /// `$PYFLAME_HISTORY`, else `$XDG_STATE_HOME/pyflame-shell/history`, else `~/.pyflame_history`.
    /// `PYFLAME_HISTORY=none` (or a path that is not a regular file, such as /dev/null) keeps no history; a
    /// symlink to a history file is followed.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let path = environment["PYFLAME_HISTORY"], !path.isEmpty {
            if path == "none" { return nil }
            var info = stat()
            if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG { return nil }
            return path
        }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/pyflame-shell/history" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.pyflame_history" }
        return nil
    }

    /// The history in the file at `path`: empty when there is none, or when the file is not a history file.
    public static func load(from path: String) -> HistoryStore {
        guard let data = FileManager.default.contents(atPath: path), isHistory(data) else { return HistoryStore() }
        return decode(String(decoding: data, as: UTF8.self))
    }

    /// Whether a file's bytes are a history file (or empty: a new one).
    static func isHistory(_ data: Data) -> Bool {
        data.isEmpty || data.starts(with: Array((header + "\n").utf8)) || data == Data(header.utf8)
    }

    /// Merges `entry` into the file at `path` (re-read first, so another shell's lines survive) and
    /// writes it back atomically, holding the lock file beside it from the read to the rename. Returns
    /// the merged history. A file that is not a history file is left as it is (an error says so).
    @discardableResult
    public static func append(_ entry: String, to path: String) throws(HistoryError) -> HistoryStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let lock = try HistoryLock(beside: SafeFileWriter.finalPath(path), shown: path)
        defer { lock.release() }
        var store = HistoryStore()
        if let data = FileManager.default.contents(atPath: path) {
            guard isHistory(data) else {
                throw HistoryError("\(path) is not a pyflame-shell history file (its first line is not \"\(header)\"); it is left as it is")
            }
            store = decode(String(decoding: data, as: UTF8.self))
        }
        store.add(entry)
        do { try SafeFileWriter.write(store.encoded(), to: path) } catch { throw HistoryError(error.message) }
        return store
    }

    /// One history entry for a statement typed over several lines: joined into one line when that
    /// means the same (newlines inside brackets and after `\` are whitespace), kept as is otherwise.
    public static func entry(forStatement text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1, !lines.dropLast().contains(where: { $0.contains("#") }) else { return text }
        return lines.map { line -> String in
            var s = String(line)
            while s.last == " " { s.removeLast() }
            if s.hasSuffix("\\") { s.removeLast() }
            return s.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
