import Foundation
import PyFlameShell
import PyFlameTerminal
import PyFlameViews

/// Script mode and `--check`: the shell loop over a file's lines, echoing each statement.
enum ScriptMode {
    static func run(_ path: String, keepGoing: Bool, console: Console, columns: Int, templates: String?) -> Int32 {
        guard let text = read(path, console: console) else { return 2 }
        let shell = makeShell(base: folder(of: path), columns: columns, templates: templates)
        var source = ArrayLineSource(text: text)
        let outcome = ShellLoop.run(&source, shell: shell, echo: true, keepGoing: keepGoing) { console.write($0) }
        let ending = shell.endSession()
        ending.forEach(console.write)
        return status(outcome, console: console, sessionEndFailed: ending.contains { $0.style == .error })
    }

    /// 0, 1 when a statement failed (or the session could not be finished: a trace left unwritten), 130
    /// (128 + SIGINT, as shells report it) when Ctrl-C stopped the script, 143 or 129 when SIGTERM or
    /// SIGHUP did (the session still ended first: a trace is closed).
    static func status(_ outcome: ShellLoop.Outcome, console: Console, sessionEndFailed: Bool) -> Int32 {
        if let signal = Interrupts.terminationSignal {
            console.write(OutputLine("error: \(terminationName(signal)): the script stopped", .error))
            return 128 + signal
        }
        if outcome.interrupted {
            console.write(OutputLine("error: interrupted (Ctrl-C): the script stopped", .error))
            return 130
        }
        return outcome.failures > 0 || sessionEndFailed ? 1 : 0
    }

    /// How a termination signal reads in the last message: `terminated (SIGTERM)`, `hung up (SIGHUP)`.
    static func terminationName(_ signal: Int32) -> String {
        signal == SIGHUP ? "hung up (SIGHUP)" : signal == SIGTERM ? "terminated (SIGTERM)" : "stopped by signal \(signal)"
    }

    static func runStandardInput(keepGoing: Bool, console: Console, columns: Int, templates: String?) -> Int32 {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let shell = makeShell(base: "", columns: columns, templates: templates)
        var source = ArrayLineSource(text: String(decoding: data, as: UTF8.self))
        let outcome = ShellLoop.run(&source, shell: shell, echo: true, keepGoing: keepGoing) { console.write($0) }
        let ending = shell.endSession()
        ending.forEach(console.write)
        return status(outcome, console: console, sessionEndFailed: ending.contains { $0.style == .error })
    }

    /// Replays `path` and compares the transcript with the `.out` beside it.
    static func check(_ path: String, columns: Int, templates: String?) -> Int32 {
        let console = Console(useColor: false)
        guard let text = read(path, console: console) else { return 2 }
        let expectedPath = (path.hasSuffix(".pfs") ? String(path.dropLast(4)) : path) + ".out"
        guard let expectedData = FileManager.default.contents(atPath: expectedPath) else {
            console.write(OutputLine("error: no expected transcript \(expectedPath)", .error))
            return 2
        }
        let transcript = Transcript.replayInScratchCopy(text, base: folder(of: path), columns: columns, templates: templates)
        if let diff = TranscriptDiff.unified(
            expected: String(decoding: expectedData, as: UTF8.self), actual: transcript,
            expectedName: expectedPath, actualName: "replay of \(path)")
        {
            print(diff)
            console.write(OutputLine("error: \(path): the replay differs from \(expectedPath)", .error))
            return 1
        }
        print("\(path): transcript matches \(expectedPath)")
        return 0
    }

    private static func read(_ path: String, console: Console) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            console.write(
                OutputLine(
                    "error: cannot read \(path): \(FileManager.default.fileExists(atPath: path) ? "permission denied or a folder" : "no such file")", .error))
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func folder(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    static func makeShell(base: String, columns: Int, templates: String?) -> Shell {
        let shell = Shell(baseDirectory: base, terminalWidth: columns, shouldStop: { Interrupts.pending })
        shell.templatesFolder = templates
        // Frames in scripts are plain ASCII (the same transcript everywhere); :view --frame --unicode asks for more.
        shell.viewStyle = ViewStyle(color: false, unicode: false)
        if let lines = ProcessInfo.processInfo.environment["LINES"].flatMap(Int.init) { shell.terminalHeight = lines }
        return shell
    }
}
