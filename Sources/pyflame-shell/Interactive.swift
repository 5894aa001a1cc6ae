import Foundation
import PyFlameShell
import PyFlameTerminal
import PyFlameViews

/// The interactive shell: the banner, then the same loop over the line editor.
enum Interactive {
    /// Returns the exit status: 0, or 128 + the signal when SIGTERM or SIGHUP ended the session.
    static func run(console: Console, editOnStandardError: Bool, columns: Int, templates: String?) -> Int32 {
        let shell = Shell(baseDirectory: "", terminalWidth: columns, shouldStop: { Interrupts.pending })
        shell.templatesFolder = templates
        // Wide output (:pes, :view --frame, :help) fits the window as it is now, resized or not.
        if Console.stdoutIsTerminal { shell.terminalSize = { Pager.terminalSize } }
        // A :run that takes a while shows its progress on the terminal (never in scripts).
        if isatty(STDERR_FILENO) == 1 { shell.onRunProgress = { Console.paintProgress($0) } }
        let historyPath = HistoryStore.defaultPath(environment: ProcessInfo.processInfo.environment)
        let editor = LineEditor(historyPath: historyPath, editOnStandardError: editOnStandardError)
        editor.complete = { before in Completer(session: shell.session).complete(before) }
        editor.onHistoryError = { console.write(OutputLine("warning: history not saved: \($0)", .warning)) }
        shell.canOpenView = CursesScreen.isUsable
        shell.viewStyle = ViewStyle(color: console.useColor, unicode: CursesScreen.localeIsUTF8)
        console.writeToTerminal(OutputLine(shell.banner))
        var source = InteractiveSource(editor: editor)
        let pager = PagerPolicy.command(environment: ProcessInfo.processInfo.environment)
        let present = { (lines: [OutputLine]) -> Bool in
            guard let pager,
                PagerPolicy.shouldPage(lineCount: lines.count, terminalRows: Pager.terminalRows, interactive: Console.isInteractive && Console.stdoutIsTerminal)
            else { return false }
            return Pager.show(lines.map { console.render($0) + "\n" }.joined(), command: pager)
        }
        let openView = {
            if let problem = FabricViewRunner.run(
                snapshot: shell.currentViewSnapshot, panel: shell.currentViewPanel,
                step: shell.viewStep, wantColor: console.useColor, unicode: shell.viewStyle.unicode,
                cyclesPerSecond: shell.viewStartingSpeed())
            {
                console.write(OutputLine("error: " + problem, .error))
            }
        }
        _ = ShellLoop.run(&source, shell: shell, echo: false, keepGoing: true, onView: openView, present: present) { line in
            console.write(line)
        }
        shell.endSession().forEach(console.write)
        return Interrupts.terminationSignal.map { 128 + $0 } ?? 0
    }
}

/// The line editor as the loop's line source; clears a Ctrl-C that arrived during a statement, and
/// ends (as Ctrl-D does) once SIGTERM or SIGHUP asked the shell to end.
struct InteractiveSource: LineSource {
    let editor: LineEditor

    mutating func readLine(prompt: String) -> LineInput {
        Interrupts.take()
        guard Interrupts.terminationSignal == nil else { return .end }
        let input = editor.readLine(prompt: prompt)
        return Interrupts.terminationSignal == nil ? input : .end
    }

    mutating func statementCompleted(_ text: String) { editor.statementCompleted(text) }
}
