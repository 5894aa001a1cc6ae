import ArgumentParser
import Foundation
import PyFlameShell
import PyFlameTerminal

/// The `pyflame-shell` command line: wiring only. Interactive on a terminal; otherwise (a script
/// file, or stdin that is not a terminal) the same loop replays statements with their echo.
struct PyFlameShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pyflame-shell",
        abstract: "An interactive shell for PyFlame's CSL back end: tensors, layouts, lowering and the wafer fabric.",
        discussion: """
            With no SCRIPT and stdin a terminal, starts the interactive shell (with stdout redirected, values go \
            there and the prompt and messages to the terminal). With SCRIPT (or stdin that is not a \
            terminal) replays its statements, echoing each after the prompt, and exits non-zero if any failed. \
            Set NO_COLOR to turn colors off; PYFLAME_HISTORY names the history file.
            """,
        version: PyFlameShellVersion.string
    )

    @Argument(help: "A .pfs script to replay.", completion: .file(extensions: ["pfs"]))
    var script: String?

    @Flag(help: "Go on after a failed statement (also: a first line `# pfs: keep-going`).")
    var keepGoing = false

    @Flag(help: "No colors (also: a non-empty NO_COLOR).")
    var noColor = false

    @Option(name: .customLong("check"), help: ArgumentHelp("Replay FILE.pfs and compare with FILE.out; print a diff, exit 1 if they differ.", valueName: "FILE.pfs"))
    var checkScript: String?

    @Option(name: .customLong("templates"), help: ArgumentHelp("Render CSL from the .template files in DIR instead of the built-in ones (edited copies of templates/).", valueName: "DIR"),
            completion: .directory)
    var templates: String?

    func validate() throws {
        if let templates {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: templates, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--templates \(templates): no such folder")
            }
        }
        if checkScript != nil && script != nil { throw ValidationError("give either SCRIPT or --check FILE.pfs, not both") }
    }

    /// `--templates DIR` as an absolute path (scripts resolve their own paths against their folder).
    var templatesFolder: String? {
        templates.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    func run() throws {
        Interrupts.install()
        let console = Console(useColor: Console.colorWanted(noColorFlag: noColor))
        let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 120
        if let checkScript {
            throw ExitCode(ScriptMode.check(checkScript, columns: columns, templates: templatesFolder))
        }
        if let script {
            throw ExitCode(ScriptMode.run(script, keepGoing: keepGoing, console: console, columns: columns, templates: templatesFolder))
        }
        if !Console.isInteractive {
            throw ExitCode(ScriptMode.runStandardInput(keepGoing: keepGoing, console: console, columns: columns, templates: templatesFolder))
        }
        // Interactive with stdout redirected (`pyflame-shell > log.txt`): values go to the file; the prompt,
        // the line editing and the messages to the terminal (stderr); no colors, no full-screen view.
        let redirected = !Console.stdoutIsTerminal
        Interactive.run(console: redirected ? Console(useColor: false, messagesToStandardError: true) : console,
                        editOnStandardError: redirected, columns: columns, templates: templatesFolder)
    }
}

PyFlameShellCommand.main()
