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
}
