import Foundation

/// A script's transcript as script mode prints it (no colors): what `--check` compares with `.out`.
public enum Transcript {
    public static func replay(_ text: String, base: String, columns: Int = 120, keepGoing: Bool = false, templates: String? = nil) -> String {
        let shell = Shell(baseDirectory: base, terminalWidth: columns)
        shell.templatesFolder = templates
        var source = ArrayLineSource(text: text)
        var lines: [String] = []
        _ = ShellLoop.run(&source, shell: shell, echo: true, keepGoing: keepGoing) { lines.append($0.text) }
        lines += shell.endSession().map(\.text)
        return lines.map { $0 + "\n" }.joined()
    }

    /// Replays a script as ``replay(_:base:columns:keepGoing:templates:)`` does, but in a scratch copy of
    /// its folder (files it reads are there; what it writes — `:emit`, `:export`, `:save` — lands in the
    /// copy, which is removed afterwards), so checking a transcript never writes beside the script.
    /// Sub-folders named `out` and hidden entries are not copied (earlier emissions).
    public static func replayInScratchCopy(
        _ text: String, base: String, columns: Int = 120, keepGoing: Bool = false,
        templates: String? = nil
    ) -> String {
        let files = FileManager.default
        let scratch = files.temporaryDirectory.appendingPathComponent("pyflame-check-\(UUID().uuidString)")
        defer { try? files.removeItem(at: scratch) }
        do {
            try files.createDirectory(at: scratch, withIntermediateDirectories: true)
            let source = URL(fileURLWithPath: base.isEmpty ? "." : base)
            try copyRegularEntries(from: source.path, to: scratch.path, top: true)
        } catch {
            return "error: cannot make a scratch copy of \(base.isEmpty ? "." : base) to replay in: \(error.localizedDescription)\n"
        }
        return replay(text, base: scratch.path, columns: columns, keepGoing: keepGoing, templates: templates)
    }

    /// Copies the regular files and folders below `from` (symlinks as links), skipping FIFOs, devices and
    /// sockets (opening a FIFO would block), hidden entries, and `out` at the top; iterative, so no depth
    /// of folders can overflow the stack.
    private static func copyRegularEntries(from: String, to: String, top: Bool) throws {
        let files = FileManager.default
        var pending = [(from, to, top)]
        while let (source, destination, isTop) = pending.popLast() {
            for name in try files.contentsOfDirectory(atPath: source) where !name.hasPrefix(".") && !(isTop && name == "out") {
                let path = source + "/" + name, target = destination + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    try files.createDirectory(atPath: target, withIntermediateDirectories: false)
                    pending.append((path, target, false))
                case S_IFREG:
                    try files.copyItem(atPath: path, toPath: target)
                case S_IFLNK:
                    try files.createSymbolicLink(atPath: target, withDestinationPath: files.destinationOfSymbolicLink(atPath: path))
                default:
                    continue
                }
            }
        }
    }
}
