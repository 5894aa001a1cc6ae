import CEditLine
import CTermShim
import Glibc
import PyFlameShell
import PyFlameViews

/// The interactive line reader: libedit's native API with the shell's prompt, history (loaded from and
/// merged into the history file after every statement) and Tab completion. A thin adapter: what Tab
/// completes and how history de-duplicates live in ``Completer`` and ``HistoryStore``.
public final class LineEditor: LineSource {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?
    private var promptStorage: UnsafeMutablePointer<CChar>
    /// Called with the text left of the cursor when Tab is pressed.
    public var complete: (String) -> Completion = { _ in .none }
    /// Where a history write failure is reported (once).
    public var onHistoryError: (String) -> Void = { _ in }
    private var reportedHistoryError = false

    /// Where the prompt and the line being edited are drawn: stdout, or stderr when stdout is redirected.
    private let terminal: UnsafeMutablePointer<FILE>

    public init(historyPath: String?, editOnStandardError: Bool = false) {
        self.historyPath = historyPath
        self.promptStorage = strdup(ShellLoop.prompt)
        self.history = history_init()
        self.terminal = editOnStandardError ? pfs_stderr() : pfs_stdout()
        self.editLine = el_init("pyflame-shell", pfs_stdin(), terminal, pfs_stderr())
        pfs_history_setsize(history, Int32(HistoryStore.capacity))
        if let historyPath { replaceHistory(with: HistoryStore.load(from: historyPath)) }
        pfs_el_set_editor(editLine, "emacs")
        pfs_el_set_signal(editLine, 1)
        pfs_el_use_history(editLine, history)
        pfs_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        pfs_el_set_prompt(editLine) { el in LineEditor.from(el)?.promptStorage }
        pfs_el_add_function(editLine, "pfs-complete", "Complete the word before the cursor") { el, _ in
            guard let el, let editor = LineEditor.from(el), let info = el_line(el)?.pointee else { return UInt8(CC_ERROR) }
            let bytes = UnsafeRawBufferPointer(start: info.buffer, count: info.cursor - info.buffer)
            switch editor.complete(String(decoding: bytes, as: UTF8.self)) {
            case .none:
                return UInt8(CC_REFRESH_BEEP)
            case .insert(let text):
                el_insertstr(el, text)
                return UInt8(CC_REFRESH)
            case .candidates(let list):
                fputs("\n" + LineEditor.columns(list) + "\n", editor.terminal)
                return UInt8(CC_REDISPLAY)
            }
        }
        pfs_el_bind(editLine, "^I", "pfs-complete")
        el_source(editLine, nil)  // ~/.editrc, as other libedit programs honour it
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(promptStorage)
    }

    public func readLine(prompt: String) -> LineInput {
        free(promptStorage)
        promptStorage = strdup(prompt)
        var count: Int32 = 0
        guard let cLine = el_gets(editLine, &count), count > 0 else {
            // NULL with count 0: Ctrl-D on an empty line; count -1: EINTR (Ctrl-C). Ctrl-C inside a
            // history search (Ctrl-R) also ends el_gets with count 0: the flag tells it from Ctrl-D.
            fputs("\n", terminal)
            if count < 0 || Interrupts.take() { return .interrupted }
            return .end
        }
        var line = String(cString: cLine)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Records a complete statement: merged into the history file, then libedit's list is rebuilt
    /// from the de-duplicated result.
    public func statementCompleted(_ statement: String) {
        let entry = HistoryStore.entry(forStatement: statement)
        guard entry.contains(where: { !$0.isWhitespace }) else { return }
        var store: HistoryStore
        if let historyPath {
            do {
                store = try HistoryStore.append(entry, to: historyPath)
            } catch {
                if !reportedHistoryError { onHistoryError(error.message); reportedHistoryError = true }
                // The session's own history goes on in memory.
                store = HistoryStore(entries: currentEntries + [entry])
            }
        } else {
            store = HistoryStore(entries: currentEntries + [entry])
        }
        replaceHistory(with: store)
    }

    private var currentEntries: [String] = []

    private func replaceHistory(with store: HistoryStore) {
        pfs_history_clear(history)
        for entry in store.entries { pfs_history_enter(history, entry) }
        currentEntries = store.entries
    }

    /// Candidates laid out in columns, as a shell lists them.
    static func columns(_ items: [String], width: Int = 80) -> String {
        let cell = (items.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / max(cell, 1))
        var lines: [String] = []
        var index = 0
        while index < items.count {
            let row = items[index..<min(items.count, index + perLine)]
            lines.append(row.map { $0.padded(to: cell) }.joined().trimmingTrailingSpaces())
            index += perLine
        }
        return lines.joined(separator: "\n")
    }

    private static func from(_ el: OpaquePointer?) -> LineEditor? {
        guard let el, let raw = pfs_el_get_clientdata(el) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue()
    }
}
