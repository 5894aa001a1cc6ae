import Foundation
import PyFlameCSL
import PyFlameCSLFrontend
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator
import PyFlameViews

/// One program of the workload suite (`Benchmarks/workloads/*.pfs`): a script whose last assigned name
/// is the result that is lowered, simulated, compared and emitted.
public struct Workload: Sendable, Equatable {
    /// The file name without `.pfs`.
    public var name: String
    public var source: String
    /// Its first comment line: what the program is.
    public var summary: String
    /// Marked `# heavy` (a comment line starting so): release-benchmark material, skipped unless asked.
    public var heavy: Bool

    public init(name: String, source: String) {
        self.name = name
        self.source = source
        let comments = source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("#") }
        summary = comments.first.map { String($0.dropFirst()).trimmingCharacters(in: .whitespaces) } ?? ""
        heavy = comments.contains { $0.dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("heavy") }
    }

    /// The statements: every line that is not blank or a comment.
    var statements: [String] {
        source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter {
            let t = $0.trimmingCharacters(in: .whitespaces)
            return !t.isEmpty && !t.hasPrefix("#")
        }
    }
}

/// What the suite found for one program: lowered (then simulated, compared, emitted and checked) or
/// refused with the cause, and whether the refusal's suggested layout lowers.
public struct WorkloadOutcome {
    public var workload: Workload
    /// Why it did not lower: a statement refused (placement) or the lowering refused; nil when it lowered.
    public var refusal: String?
    /// The layout the refusal suggests and whether the program lowers with it (nil: none suggested).
    public var suggestion: (layout: String, lowers: Bool)?
    /// Cycles to the end of the run; nil when not simulated or it did not finish.
    public var cycles: Int?
    /// Why the simulation did not finish (a simulator error, the run limit); nil when it finished.
    public var runFailure: String?
    public var comparison: ResultComparison?
    /// The shell's checker on the emitted project: nil when not emitted; else its error count and the first error.
    public var emitErrors: (count: Int, first: String?)?
    /// Why `:emit` refused the program, when it did.
    public var emitRefusal: String?
    /// The largest peak of live buffer bytes over the program's PEs, and the PE data budget.
    public var peakBytes: Int?
    public var budget: Int
    public var seconds: Double

    public var lowered: Bool { refusal == nil }
    /// Lowered, but the run failed or the result did not match the reference: a defect, never acceptable.
    public var broken: Bool { lowered && (runFailure != nil || comparison?.matches != true) }
}

/// The workload suite: loads the programs, runs each through the shell's own lowering, simulator,
/// comparison, emitter and checker, and renders the table (`pyflame-bench workloads`).
public enum WorkloadSuite {
    /// The `.pfs` files of `folder`, by name.
    public static func load(folder: String) throws -> [Workload] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pfs") }.sorted()
        return try names.map { file in
            let text = try String(contentsOfFile: (folder as NSString).appendingPathComponent(file), encoding: .utf8)
            return Workload(name: String(file.dropLast(4)), source: text)
        }
    }

    /// Runs one program. `runLimit` caps the simulation (cycles).
    public static func run(_ workload: Workload, runLimit: Int = 10_000_000, shouldStop: @escaping () -> Bool = { false }) -> WorkloadOutcome {
        let start = DispatchTime.now().uptimeNanoseconds
        let shell = Shell(shouldStop: shouldStop)
        var outcome = WorkloadOutcome(workload: workload, budget: shell.session.settings.peDataBudget, seconds: 0)
        func finished() -> WorkloadOutcome {
            outcome.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return outcome
        }
        let statements = workload.statements
        var program: FabricProgram?
        var failedStatement: Int?
        if let (index, message) = execute(statements, in: shell) {
            outcome.refusal = "\(statements[index].trimmingCharacters(in: .whitespaces)): \(message)"
            failedStatement = index
        } else {
            do { program = try shell.fabricProgram(nil).1 } catch { outcome.refusal = error.message }
        }
        guard let program else {
            outcome.suggestion = verifySuggestion(outcome.refusal ?? "", statements: statements, failed: failedStatement)
            return finished()
        }
        outcome.peakBytes = program.pes.map(\.peakBytes).max() ?? 0
        simulate(program, shell: shell, runLimit: runLimit, into: &outcome)
        emitAndCheck(shell: shell, into: &outcome)
        return finished()
    }

    /// Runs the statements; the first that fails, with its error line.
    static func execute(_ statements: [String], in shell: Shell) -> (Int, String)? {
        for (i, statement) in statements.enumerated() {
            let result = shell.execute(statement)
            if result.failed {
                let error = result.lines.first { $0.style == .error }?.text ?? "failed"
                return (i, error.hasPrefix("error: ") ? String(error.dropFirst(7)) : error)
            }
        }
        return nil
    }

    static func simulate(_ program: FabricProgram, shell: Shell, runLimit: Int, into outcome: inout WorkloadOutcome) {
        let simulation: Simulation
        do { simulation = try Simulation(program: program, inputs: shell.hostInputValues(program), model: shell.fabricModel) } catch {
            outcome.runFailure = error.message
            return
        }
        switch simulation.run(limit: runLimit, shouldStop: shell.shouldStop) {
        case .finished:
            outcome.cycles = simulation.cycle
            outcome.comparison = ResultComparison.compare(program: program, simulation: simulation, graph: shell.session.graph)
        case .failed(let e): outcome.runFailure = e.message
        case .reachedLimit: outcome.runFailure = "did not finish within \(runLimit) cycles"
        case .interrupted: outcome.runFailure = "interrupted"
        case .breakpoint: outcome.runFailure = "stopped at a breakpoint"
        }
    }

    /// `:emit`'s project, written to a scratch folder and checked as `:emit` checks it.
    static func emitAndCheck(shell: Shell, into outcome: inout WorkloadOutcome) {
        guard let name = shell.session.lastDefined else { return }
        let project: CSLProject
        do { project = try shell.cslProject(CommandWord(text: name, range: SourceRange(0, 0))) } catch {
            outcome.emitRefusal = error.message
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-workload-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do { try ProjectWriter.write(project, to: folder, force: true) } catch {
            outcome.emitRefusal = error.message
            return
        }
        // The CSL front end's check, as :emit runs it.
        let options = CSLCompileOptions(architecture: Shell.commandsArchitecture(folder) ?? shell.session.target)
        guard let checked = shell.checkedProject(folder: folder, options: options) else { return }
        outcome.emitErrors = (checked.errors, checked.lines.first { $0.style == .error }?.text)
    }

    /// Layouts a message names (`Grid(8, 8)`, `RowPartition(4)`, `ColPartition(2)`, `SinglePE`), in order.
    static func layouts(in message: String) -> [String] {
        guard let pattern = try? NSRegularExpression(pattern: #"(Grid\(\d+, ?\d+\)|RowPartition\(\d+\)|ColPartition\(\d+\)|SinglePE)"#) else { return [] }
        let range = NSRange(message.startIndex..., in: message)
        var found: [String] = []
        for match in pattern.matches(in: message, range: range) {
            if let r = Range(match.range, in: message), !found.contains(String(message[r])) { found.append(String(message[r])) }
        }
        return found
    }

    /// The first layout the refusal names that the refused statement (or, for a lowering refusal, the last
    /// statement) does not already use, tried in its place: does the program then lower?
    static func verifySuggestion(_ refusal: String, statements: [String], failed: Int?) -> (layout: String, lowers: Bool)? {
        guard !statements.isEmpty else { return nil }
        let index = failed ?? statements.count - 1
        let statement = statements[index]
        let clause = statement.range(of: " on ", options: .backwards)
        let own = clause.map { String(statement[$0.upperBound...]).trimmingCharacters(in: .whitespaces) }
        let message = refusal.hasPrefix(statement.trimmingCharacters(in: .whitespaces) + ": ") ? String(refusal.dropFirst(statement.count + 2)) : refusal
        guard let layout = layouts(in: message).first(where: { $0.replacingOccurrences(of: " ", with: "") != own?.replacingOccurrences(of: " ", with: "") })
        else { return nil }
        var edited = statements
        edited[index] = (clause.map { String(statement[..<$0.lowerBound]) } ?? statement) + " on " + layout
        let shell = Shell()
        guard execute(edited, in: shell) == nil else { return (layout, false) }
        do {
            _ = try shell.fabricProgram(nil)
            return (layout, true)
        } catch { return (layout, false) }
    }

    /// The table: one row per program (a refusal's cause on the line below it), then a summary line.
    public static func table(_ outcomes: [WorkloadOutcome]) -> [String] {
        let header = ["program", "outcome", "cycles", "match: max |err| / bound", "emit check", "time", "peak PE memory"]
        var rows: [[String]] = []
        var causes: [Int: String] = [:]
        for (i, o) in outcomes.enumerated() {
            let time = String(format: "%.2f s", o.seconds)
            guard o.lowered else {
                rows.append([o.workload.name, "refused", "-", "-", "-", time, "-"])
                var cause = "cause: \(o.refusal ?? "")"
                if let s = o.suggestion {
                    cause += " | suggestion \(s.layout): \(s.lowers ? "lowers" : "refused too")"
                } else {
                    cause += " | no layout suggested"
                }
                causes[i] = cause
                continue
            }
            let cycles = o.cycles.map(String.init) ?? "-"
            let match: String
            if let failure = o.runFailure {
                match = "RUN FAILED"
                causes[i] = "run: \(failure)"
            } else if let c = o.comparison {
                match = matchText(c)
                if !c.matches {
                    causes[i] = "comparison: \(c.mismatch.map { "at \($0.index): simulated \($0.simulated), reference \($0.reference)" } ?? "unreadable")"
                }
            } else {
                match = "-"
            }
            var emit = "-"
            if let e = o.emitErrors {
                emit = e.count == 0 ? "pass" : "\(e.count) error\(e.count == 1 ? "" : "s")"
                if let first = e.first { causes[i] = "emit check: \(first)" }
            } else if let refusal = o.emitRefusal {
                emit = "not emitted"
                causes[i] = "emit: \(refusal)"
            }
            let peak = o.peakBytes.map { "\($0) B (\(o.budget > 0 ? $0 * 100 / o.budget : 0)%)" } ?? "-"
            rows.append([o.workload.name, "lowered", cycles, match, emit, time, peak])
        }
        var widths = header.map(\.count)
        for row in rows { for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        var lines = [line(header)]
        for (i, row) in rows.enumerated() {
            lines.append(line(row))
            if let cause = causes[i] { lines.append("    " + cause) }
        }
        lines.append(summary(outcomes))
        return lines
    }

    static func matchText(_ c: ResultComparison) -> String {
        guard c.readable else { return "UNREADABLE" }
        guard c.matches else { return "MISMATCH" }
        let error = ValueFormat.number(c.maxError, .f32)
        guard let bound = c.maxTolerance, bound > 0 else { return c.maxError == 0 ? "exact" : "\(error) (exact rule)" }
        return "\(error) / \(ValueFormat.number(bound, .f32))"
    }

    /// `N programs: L lowered, R refused (P%), ...`.
    public static func summary(_ outcomes: [WorkloadOutcome]) -> String {
        let refused = outcomes.filter { !$0.lowered }
        let percent = outcomes.isEmpty ? 0 : Double(refused.count) * 100 / Double(outcomes.count)
        let suggested = refused.compactMap(\.suggestion)
        let broken = outcomes.filter(\.broken).count
        let emitFailures = outcomes.filter { ($0.emitErrors?.count ?? 0) > 0 || $0.emitRefusal != nil }.count
        return String(
            format: "%d programs: %d lowered, %d refused (%.0f%%; %d suggest a layout, %d of those lower), %d failed or mismatched, %d failed the emit check",
            outcomes.count, outcomes.count - refused.count, refused.count, percent, suggested.count, suggested.filter(\.lowers).count, broken, emitFailures)
    }
}
