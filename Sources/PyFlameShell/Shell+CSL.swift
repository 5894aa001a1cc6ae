import Foundation
import PyFlameCSL
import PyFlameCSLFrontend
import PyFlameFrontend
import PyFlameIR
import PyFlameLanguage

/// What checking a CSL project folder found, as the shell shows it.
struct ProjectCheckResult {
    /// Each finding (`file:line:col: error: ...`, its source line and caret), in file order.
    var lines: [OutputLine]
    var errors: Int
    var cannotCheck: Int
}

extension Shell {
    /// `pyflame-shell check DIR [--params K:V,...] [--colors K:C,...] [--arch wse2|wse3] [--sdk 1.4]`: the checker on a folder
    /// outside any session (the same text as `:check`).
    public func checkFolder(_ path: String, options: [String] = []) -> StatementResult {
        let words = ([path] + options).map { CommandWord(text: $0, range: SourceRange(0, 0)) }
        do {
            return try checkProject(words)
        } catch {
            return StatementResult(lines: [OutputLine("error: " + error.message, .error)], failed: true)
        }
    }

    /// `:check DIR [--params K:V,...] [--colors K:C,...] [--arch wse2|wse3] [--sdk 1.4]`: the CSL front end reads the project
    /// (parse, comptime evaluation of the layout and of each PE's code) and the semantic checks run on it.
    func checkProject(_ words: [CommandWord]) throws(Diagnostic) -> StatementResult {
        let (word, folder, options) = try projectArguments(words, command: "check")
        guard let checked = checkedProject(folder: folder, options: options) else {
            return StatementResult(lines: [OutputLine("error: interrupted (Ctrl-C): \(word.text) was not checked", .error)], failed: true)
        }
        var lines = checked.lines
        lines.append(
            OutputLine(
                checked.errors > 0
                    ? "\(word.text): \(checked.errors) error\(checked.errors == 1 ? "" : "s")"
                    : checked.cannotCheck > 0
                        ? "\(word.text): no errors, but \(checked.cannotCheck) place\(checked.cannotCheck == 1 ? "" : "s") the checker cannot follow"
                        : "\(word.text): the checks pass"))
        return StatementResult(lines: lines, failed: checked.errors > 0)
    }

    /// Loads the project in `folder` and runs the checks; nil when Ctrl-C stopped it.
    func checkedProject(folder: String, options: CSLCompileOptions) -> ProjectCheckResult? {
        let project = CSLProjectLoader.open(directory: folder, options: options, shouldStop: shouldStop)
        if shouldStop() { return nil }
        // A budget the user set (`set pe_data_budget N`, `check --pe-data-budget N`) applies to any project;
        // else an emitted one is held to the default budget and a hand-written one to the PE's memory.
        let budget = session.settings.peDataBudget
        let checkOptions = CSLCheckOptions(
            emittedDataBudget: budget, dataBudget: session.settings.changed.contains("pe_data_budget") ? budget : nil)
        guard let findings = CSLProjectChecks.run(project, options: checkOptions, shouldStop: shouldStop) else { return nil }
        let all = project.diagnostics + findings
        var lines: [OutputLine] = []
        for d in all { lines += Shell.outputLines(d, files: project.files, folder: folder) }
        return ProjectCheckResult(
            lines: lines, errors: all.filter { $0.severity == .error }.count, cannotCheck: all.filter { $0.severity == .cannotCheck }.count)
    }

    /// A CSL diagnostic as output lines: the first styled by its severity, with the path shown relative to
    /// the project folder (`pe_program_1.csl:12:7: error: ...`); the source line and caret as detail.
    static func outputLines(_ d: CSLDiagnostic, files: [String: CSLSourceFile], folder: String) -> [OutputLine] {
        var text = d.rendered(files: files).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        if let first = text.first, first.hasPrefix(prefix) { text[0] = String(first.dropFirst(prefix.count)) }
        let style: OutputLine.Style =
            switch d.severity {
            case .error: .error
            case .warning: .warning
            case .note, .cannotCheck: .note
            }
        return text.enumerated().map {
            var line = OutputLine($0.element, $0.offset == 0 ? style : .plain)
            line.isDetail = $0.offset > 0
            return line
        }
    }

    /// The folder word and the compile options of `:check` / `:open`: `DIR [--params K:V,...] [--colors
    /// K:C,...] [--fabric-dims W,H] [--fabric-offsets X,Y] [--arch wse2|wse3] [--sdk 1.4]` (also `--params=...`),
    /// as `cslc` takes them. Without `--arch`: the project's `commands.sh`
    /// (`cslc --arch=...`) if it says, else the session's target.
    func projectArguments(_ words: [CommandWord], command: String) throws(Diagnostic) -> (CommandWord, String, CSLCompileOptions) {
        let usage = "usage: :\(command) DIR [--params K:V,...] [--colors K:C,...] [--arch wse2|wse3] [--sdk 1.4]"
        var folderWord: CommandWord?
        var flags: [String] = []
        var archGiven = false
        var i = 0
        while i < words.count {
            let w = words[i]
            let flag = w.text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? w.text
            if ["--params", "--colors", "--fabric-dims", "--fabric-offsets", "--arch", "--sdk"].contains(flag) {
                var value: String
                if w.text.contains("=") {
                    value = String(w.text.drop { $0 != "=" }.dropFirst())
                } else {
                    guard i + 1 < words.count else { throw .error("\(flag) needs a value (\(usage.dropFirst(7)))", at: w.range) }
                    i += 1
                    value = words[i].text
                }
                if flag == "--arch" {
                    guard Architecture(rawValue: value) != nil else { throw .error("--arch is wse2 or wse3, not \(value)", at: w.range) }
                    archGiven = true
                }
                if flag == "--sdk", CSLDialect(rawValue: value) == nil {
                    throw .error(
                        "--sdk \(value) is not a dialect this shell reads: \(CSLDialect.allCases.map(\.rawValue).joined(separator: ", "))", at: w.range)
                }
                if flag == "--params" || flag == "--colors", value.isEmpty {
                    throw .error("\(flag) takes NAME:VALUE pairs, e.g. \(flag) M:4,N:6", at: w.range)
                }
                flags.append("\(flag)=\(value)")
            } else if w.text.hasPrefix("-") || folderWord != nil {
                throw .error(usage, at: w.range)
            } else {
                folderWord = w
            }
            i += 1
        }
        guard let word = folderWord else { throw .error(usage, at: words.first?.range) }
        let folder = FilePaths.resolve(word.text, against: baseDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .error(
                FileManager.default.fileExists(atPath: folder) ? "\(word.text) is a file, not a project folder" : "no such folder: \(word.text)", at: word.range
            )
        }
        if !archGiven {
            let arch = Shell.commandsArchitecture(folder) ?? session.target
            flags.append("--arch=\(arch.rawValue)")
        }
        do {
            return (word, folder, try CSLCompileOptions.parse(commandLine: flags))
        } catch {
            throw .error("\(error)", at: word.range)
        }
    }

    /// The target the project's `commands.sh` compiles for (`cslc --arch=wse3`), if it names one.
    static func commandsArchitecture(_ folder: String) -> Architecture? {
        guard let data = FileManager.default.contents(atPath: folder + "/commands.sh"), let text = String(data: data, encoding: .utf8),
            let range = text.range(of: "--arch=")
        else { return nil }
        return Architecture(rawValue: String(text[range.upperBound...].prefix { $0.isLetter || $0.isNumber }))
    }

    /// `:compile [DIR]`.
    func compileProject(_ path: String, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let folder = FilePaths.resolve(path, against: baseDirectory)
        guard let text = try? String(contentsOfFile: folder + "/layout.csl", encoding: .utf8) else {
            throw .error("no layout.csl in \(path)", at: range)
        }
        let driver = CompilerDriver(environment: compilerEnvironment)
        guard let cslc = driver.cslc else {
            return StatementResult(lines: [OutputLine("note: " + CompilerDriver.missingNote, .note)])
        }
        guard let (w, h) = CompilerInvocation.rectangle(inLayout: text) else {
            throw .error("\(path)/layout.csl has no @set_rectangle(W, H) with numbers: cannot size the fabric", at: range)
        }
        let invocation = CompilerInvocation.make(cslc: cslc, project: folder, architecture: session.target, width: w, height: h)
        let result: CompilerDriver.Result
        do { result = try driver.run(invocation) } catch {
            throw .error("cannot run \(cslc): \(error.localizedDescription)", at: range)
        }
        var lines = [OutputLine("$ " + ([invocation.executable] + invocation.arguments).map(Shell.quoted).joined(separator: " "))]
        for line in (result.output + result.errors).split(separator: "\n", omittingEmptySubsequences: false).suffix(40) where !line.isEmpty {
            lines.append(OutputLine(String(line), line.contains("error") ? .error : .plain))
        }
        lines.append(
            OutputLine(
                String(format: "cslc %@ in %.2f s (exit %d)", result.status == 0 ? "finished" : "failed", result.seconds, result.status),
                result.status == 0 ? .plain : .error))
        return StatementResult(lines: lines, failed: result.status != 0)
    }

    /// A word as a POSIX shell would need it, for showing the command line.
    static func quoted(_ word: String) -> String {
        word.allSatisfy { $0.isLetter || $0.isNumber || "-_=./,:".contains($0) } ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
