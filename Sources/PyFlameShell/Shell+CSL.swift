import Foundation
import PyFlameCSL
import PyFlameFrontend
import PyFlameIR
import PyFlameLanguage

extension Shell {
    /// `pyflame-shell check DIR`: the checker on a folder outside any session (the same text as `:check`).
    public func checkFolder(_ path: String) -> StatementResult {
        do {
            return try checkProject(CommandWord(text: path, range: SourceRange(0, 0)))
        } catch {
            return StatementResult(lines: [OutputLine("error: " + error.message, .error)], failed: true)
        }
    }

    /// `:check DIR`.
    func checkProject(_ word: CommandWord) throws(Diagnostic) -> StatementResult {
        let folder = FilePaths.resolve(word.text, against: baseDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .error("no such folder: \(word.text)", at: word.range)
        }
        let report = CSLChecker(peDataBudget: session.settings.peDataBudget).check(folder: folder, shouldStop: shouldStop)
        if report.interrupted {
            return StatementResult(lines: [OutputLine("error: interrupted (Ctrl-C): \(word.text) was not checked", .error)], failed: true)
        }
        var lines = report.findings.map { finding -> OutputLine in
            switch finding.severity {
            case .error: return OutputLine("error: " + finding.rendered, .error)
            case .warning: return OutputLine(finding.rendered, .warning)
            case .cannotCheck: return OutputLine(finding.rendered, .note)
            }
        }
        let errors = report.findings.filter { $0.severity == .error }.count
        let unknown = report.findings.filter { $0.severity == .cannotCheck }.count
        lines.append(
            OutputLine(
                errors > 0
                    ? "\(word.text): \(errors) error\(errors == 1 ? "" : "s")"
                    : unknown > 0
                        ? "\(word.text): no errors, but \(unknown) place\(unknown == 1 ? "" : "s") the checker cannot follow"
                        : "\(word.text): the structural checks pass"))
        return StatementResult(lines: lines, failed: errors > 0)
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
