import ArgumentParser
import Foundation
import PyFlameCSLFrontend
import PyFlameShell
import PyFlameTerminal

/// The `pyflame-shell` command line: wiring only. Its grammar: `pyflame-shell [FILE.pfs]` (the shell, the
/// default), `pyflame-shell --check FILE.pfs`, and subcommands that do one job and exit — `check DIR`,
/// `check --syntax PATH...`. A script whose name is a subcommand's runs as `./check` or after `--`.
struct PyFlameShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pyflame-shell",
        abstract: "An interactive shell for PyFlame's CSL back end: tensors, layouts, lowering and the wafer fabric.",
        usage: """
            pyflame-shell [FILE.pfs] [--keep-going] [--no-color] [--templates DIR]
              pyflame-shell --check FILE.pfs
              pyflame-shell check DIR [--params K:V,...] [--arch wse2|wse3] [--sdk 1.4]
              pyflame-shell check --syntax FILE.csl|DIR...
            """,
        discussion: """
            With no FILE.pfs and stdin a terminal, starts the interactive shell; with FILE.pfs (or stdin that is not a \
            terminal) replays its statements. `pyflame-shell help shell` lists the shell's options. A script whose \
            name is a subcommand's runs as ./check or after --.
            """,
        version: PyFlameShellVersion.string,
        subcommands: [ShellCommand.self, CheckCommand.self],
        defaultSubcommand: ShellCommand.self
    )
}

/// `pyflame-shell check DIR [--params K:V,...] [--arch wse2|wse3] [--sdk 1.4]`: the CSL front end and its
/// checks on a project folder (as `:check`), for CI: exit 0 when it finds no error,
/// 1 when it does, 2 when DIR is not a folder, 130 (143, 129) when Ctrl-C (SIGTERM, SIGHUP) stopped it.
/// `check --syntax PATH...` only parses `.csl` files (and the `.csl` files under folders): exit 1 on a syntax error.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a CSL project folder (emitted or hand-written) as :check does; exit 1 on errors.",
        discussion: "Findings read FILE:LINE:COL: error: message, with the line and a caret; what the checker cannot follow says `cannot check:`."
    )

    @Argument(help: "The project folder (layout.csl and its PE programs); with --syntax, .csl files or folders.", completion: .directory)
    var folder: String

    @Argument(help: "More .csl files or folders (with --syntax).")
    var moreFiles: [String] = []

    @Flag(name: .customLong("syntax"), help: "Only parse: report each .csl file's syntax errors, then a count.")
    var syntaxOnly = false

    @Option(name: .customLong("pe-data-budget"), help: "Bytes of data a PE may hold (default: the shell's pe_data_budget).")
    var peDataBudget: Int?

    @Option(help: ArgumentHelp("The layout's params, as cslc takes them (M:4,N:6).", valueName: "K:V,..."))
    var params: [String] = []

    @Option(help: ArgumentHelp("The layout's color params, as cslc takes them (x_in:1,b_in:4).", valueName: "K:C,..."))
    var colors: [String] = []

    @Option(name: .customLong("fabric-dims"), help: ArgumentHelp("The fabric's size, as cslc takes it.", valueName: "W,H"))
    var fabricDims: String?

    @Option(name: .customLong("fabric-offsets"), help: ArgumentHelp("Where the program rectangle starts, as cslc takes it.", valueName: "X,Y"))
    var fabricOffsets: String?

    @Option(help: ArgumentHelp("The target (default: the project's commands.sh, else wse2).", valueName: "wse2|wse3"))
    var arch: String?

    @Option(help: ArgumentHelp("The CSL dialect the project is read as.", valueName: "1.4"))
    var sdk: String?

    func validate() throws {
        if let arch, !["wse2", "wse3"].contains(arch) { throw ValidationError("--arch is wse2 or wse3, not \(arch)") }
        if let sdk, sdk != "1.4" { throw ValidationError("--sdk \(sdk) is not a dialect this shell reads: 1.4") }
    }

    func run() throws {
        if syntaxOnly {
            Interrupts.install()
            let report = CSLSyntaxCheck.run(paths: [folder] + moreFiles, shouldStop: { Interrupts.pending })
            print(report.lines.joined(separator: "\n"))
            if Interrupts.take() { throw ExitCode(130) }
            throw ExitCode(report.failed ? 1 : 0)
        }
        guard moreFiles.isEmpty else { throw ValidationError("check takes one project folder (several paths only with --syntax)") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            let why = FileManager.default.fileExists(atPath: folder) ? "\(folder) is a file, not a project folder" : "no such folder: \(folder)"
            FileHandle.standardError.write(Data("error: \(why)\n".utf8))
            throw ExitCode(2)
        }
        // Ctrl-C, SIGTERM and SIGHUP stop a long check (a layout loop over millions of PEs) with its findings so far.
        Interrupts.install()
        let shell = Shell(baseDirectory: FileManager.default.currentDirectoryPath, shouldStop: { Interrupts.pending })
        if let peDataBudget {
            let set = shell.execute("set pe_data_budget \(peDataBudget)")
            guard !set.failed else { throw ValidationError(set.lines.first?.text ?? "bad --pe-data-budget") }
        }
        let console = Console(useColor: Console.colorWanted(noColorFlag: false))
        let options =
            params.map { "--params=\($0)" } + colors.map { "--colors=\($0)" } + (fabricDims.map { ["--fabric-dims=\($0)"] } ?? [])
            + (fabricOffsets.map { ["--fabric-offsets=\($0)"] } ?? []) + (arch.map { ["--arch=\($0)"] } ?? []) + (sdk.map { ["--sdk=\($0)"] } ?? [])
        let result = shell.checkFolder(folder, options: options)
        result.lines.forEach(console.write)
        if let signal = Interrupts.terminationSignal { throw ExitCode(128 + signal) }
        if Interrupts.take() { throw ExitCode(130) }
        throw ExitCode(result.failed ? 1 : 0)
    }
}

/// The shell itself (the default subcommand): interactive on a terminal; otherwise (a script file, or
/// stdin that is not a terminal) the same loop replays statements with their echo.
struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "An interactive shell for PyFlame's CSL back end: tensors, layouts, lowering and the wafer fabric.",
        discussion: """
            With no SCRIPT and stdin a terminal, starts the interactive shell (with stdout redirected, values go \
            there and the prompt and messages to the terminal). With SCRIPT (or stdin that is not a \
            terminal) replays its statements, echoing each after the prompt, and exits non-zero if any failed. \
            Set NO_COLOR to turn colors off; PYFLAME_HISTORY names the history file.
            """
    )

    @Argument(help: "A .pfs script to replay.", completion: .file(extensions: ["pfs"]))
    var script: String?

    @Flag(help: "Go on after a failed statement (also: a first line `# pfs: keep-going`).")
    var keepGoing = false

    @Flag(help: "No colors (also: a non-empty NO_COLOR).")
    var noColor = false

    @Option(
        name: .customLong("check"), help: ArgumentHelp("Replay FILE.pfs and compare with FILE.out; print a diff, exit 1 if they differ.", valueName: "FILE.pfs")
    )
    var checkScript: String?

    @Option(
        name: .customLong("templates"),
        help: ArgumentHelp("Render CSL from the .template files in DIR instead of the built-in ones (edited copies of templates/).", valueName: "DIR"),
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
        let status = Interactive.run(
            console: redirected ? Console(useColor: false, messagesToStandardError: true) : console,
            editOnStandardError: redirected, columns: columns, templates: templatesFolder)
        if status != 0 { throw ExitCode(status) }
    }
}

PyFlameShellCommand.main()
