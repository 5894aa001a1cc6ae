import Foundation
import PyFlameCSLFrontend
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering

/// A CSL project `:open` loaded into the session: the folder as typed, the elaborated project, and its
/// routes as a ``FabricProgram`` (with no PE programs: the code is not run until the shell runs CSL).
public struct OpenedProject: Sendable {
    /// The program's name in commands: the folder's last component (`out/s` → `s`).
    public var name: String
    /// The folder as the user typed it.
    public var folder: String
    public var project: CSLElaboratedProject
    public var program: FabricProgram
    /// The graph's next node ID when it was opened: until a tensor is defined, commands without NAME use it.
    var graphMark: NodeID
}

extension Shell {
    /// `:open DIR [--params K:V,...] [--colors K:C,...] [--arch wse2|wse3]`: reads the project with the CSL front end and makes
    /// its routes the session's opened program. Evaluation errors refuse it (nothing changes); `cannot
    /// check` notes are shown and the project opens.
    func openProject(_ words: [CommandWord]) throws(Diagnostic) -> StatementResult {
        let (word, folder, options) = try projectArguments(words, command: "open")
        let project = CSLProjectLoader.open(directory: folder, options: options, shouldStop: shouldStop)
        if shouldStop() { throw .error("interrupted (Ctrl-C): \(word.text) was not opened", at: word.range) }
        var lines: [OutputLine] = []
        for d in project.diagnostics { lines += Shell.outputLines(d, files: project.files, folder: folder) }
        let errors = project.diagnostics.filter(\.isError).count
        guard errors == 0 else {
            lines.append(
                OutputLine("error: \(word.text) was not opened: \(errors) error\(errors == 1 ? "" : "s") (:check \(word.text) lists every finding)", .error))
            return StatementResult(lines: lines, failed: true)
        }
        let name = URL(fileURLWithPath: folder).lastPathComponent
        let program = Shell.fabricProgram(of: project, fabric: session.fabric, budget: session.settings.peDataBudget)
        session.opened = OpenedProject(name: name, folder: word.text, project: project, program: program, graphMark: session.graph.nextID)
        let rect = project.rectangle
        let files = Set(project.codes.map(\.path)).count
        let colors = Set(project.routes.map(\.color)).count
        lines.append(
            OutputLine(
                "opened \(word.text) as \(name) (\(options.architecture.rawValue)): \(rect.width)x\(rect.height) PEs running \(files) file\(files == 1 ? "" : "s"), \(project.routes.count) route\(project.routes.count == 1 ? "" : "s") on \(colors) color\(colors == 1 ? "" : "s"); :routes, :colors, :pes, :view and :sim use it (its code is not run)"
            ))
        return StatementResult(lines: lines)
    }

    /// The opened project's routes as a program: the rectangle, one color use per color routed, no PE
    /// programs and no host transfers.
    static func fabricProgram(of project: CSLElaboratedProject, fabric: FabricSize, budget: Int) -> FabricProgram {
        let rect = project.rectangle
        let size =
            rect.x + rect.width <= fabric.width && rect.y + rect.height <= fabric.height
            ? fabric : FabricSize(width: max(fabric.width, rect.x + rect.width), height: max(fabric.height, rect.y + rect.height))
        let colors = Set(project.routes.map(\.color)).sorted().map { c in
            ColorUse(id: c, name: "color \(c)", carries: "routes of \((project.layoutPath as NSString).lastPathComponent)", flows: 0, nodes: [])
        }
        return FabricProgram(
            architecture: project.options.architecture, fabric: size, rectangle: rect, peDataBudget: budget, result: nil, ops: [], pes: [],
            roles: [], colors: colors, routes: project.routes.sorted { ($0.color, $0.pe.y, $0.pe.x) < ($1.color, $1.pe.y, $1.pe.x) },
            hostInputs: [], hostOutputs: [])
    }

    /// The opened project when a command names it, or names nothing and no tensor was defined since it
    /// was opened.
    func openedProject(for word: CommandWord?) -> OpenedProject? {
        guard let opened = session.opened else { return nil }
        if let word { return word.text == opened.name && session.bindings[word.text] == nil ? opened : nil }
        return session.graph.nextID == opened.graphMark ? opened : nil
    }

    /// `:colors` on an opened project: each color routed, where, and what memcpy takes.
    func openedColorLines(_ opened: OpenedProject) -> [String] {
        let project = opened.project
        let byColor = Dictionary(grouping: project.routes, by: \.color)
        guard !byColor.isEmpty else { return ["\(opened.name) routes no colors"] }
        var lines = [
            "\(byColor.count) color\(byColor.count == 1 ? "" : "s") routed in \(opened.name) (\(Architecture.colorsText); "
                + (project.importsMemcpy ? "it imports memcpy, which takes \(Architecture.memcpyColorsText))" : "it does not import memcpy)") + ":"
        ]
        for color in byColor.keys.sorted() {
            let pes = byColor[color]!.map(\.pe)
            lines.append("  color \(String(color).padding(toLength: 2, withPad: " ", startingAt: 0)) routed at \(PERectangleCover.named(pes))")
        }
        return lines
    }

    /// `:pe X,Y` (and the view's panel) on an opened project: the report's `role` line becomes the file and
    /// parameters the PE runs.
    func openedPELines(_ pe: PECoord, _ opened: OpenedProject, report: [String]) -> [String] {
        let code = opened.project.code(at: pe)
        let runs =
            code.map { c in
                let shown = c.params.filter { $0.name != "memcpy_params" }
                return "code     \(c.path) " + (shown.isEmpty ? ".{}" : ".{ " + shown.map { ".\($0.name) = \($0.value)" }.joined(separator: ", ") + " }")
            } ?? "code     none (outside the rectangle or no @set_tile_code)"
        var lines = report.filter { !$0.hasPrefix("role ") }
        lines.insert(runs, at: min(1, lines.count))
        return lines
    }

    /// `:pes` on an opened project: which file and parameters each rectangle of PEs runs, in address order.
    /// `memcpy_params` (memcpy's own per-column struct) is left out, so PEs alike group into rectangles.
    func openedPELines(_ opened: OpenedProject, limit: Int) -> [String] {
        let project = opened.project
        // Rows: (file, parameters shown) → PEs.
        var keyOfCode: [Int: Int] = [:]
        var keys: [(path: String, params: String)] = []
        var index: [String: Int] = [:]
        for (i, code) in project.codes.enumerated() {
            let shown = code.params.filter { $0.name != "memcpy_params" }
            let params = shown.isEmpty ? ".{}" : ".{ " + shown.map { ".\($0.name) = \($0.value)" }.joined(separator: ", ") + " }"
            let key = code.path + "\u{0}" + params
            if let k = index[key] {
                keyOfCode[i] = k
            } else {
                index[key] = keys.count
                keyOfCode[i] = keys.count
                keys.append((code.path, params))
            }
        }
        var pesOfKey = [[PECoord]](repeating: [], count: keys.count)
        for (pe, code) in project.codeOfPE { if let k = keyOfCode[code] { pesOfKey[k].append(pe) } }
        var rows: [(rect: PERect, key: Int)] = []
        for (k, pes) in pesOfKey.enumerated() { rows += PERectangleCover.cover(pes).map { ($0, k) } }
        rows.sort { ($0.rect.y, $0.rect.x) < ($1.rect.y, $1.rect.x) }
        let rect = project.rectangle
        let withCode = project.codeOfPE.count
        var lines = [
            "\(opened.name): \(rect.width)x\(rect.height) PEs, \(withCode) with code, \(keys.count) distinct (file, parameters) in \(rows.count) rectangle\(rows.count == 1 ? "" : "s")"
                + (project.codes.contains { $0.params.contains { $0.name == "memcpy_params" } } ? " (memcpy_params not shown)" : "")
        ]
        let width = min(28, rows.prefix(limit).map { PERectangleCover.text($0.rect).count }.max() ?? 0)
        let fileWidth = min(32, rows.prefix(limit).map { keys[$0.key].path.count }.max() ?? 0)
        for row in rows.prefix(limit) {
            let where_ = PERectangleCover.text(row.rect)
            let file = keys[row.key].path
            lines.append(
                "  " + where_ + String(repeating: " ", count: max(1, width - where_.count + 2)) + file
                    + String(repeating: " ", count: max(1, fileWidth - file.count + 2)) + keys[row.key].params)
        }
        if rows.count > limit { lines.append("  ... \(rows.count - limit) more rectangles (--limit N shows more)") }
        let idle = rect.width * rect.height - withCode
        if idle > 0 { lines.append("  \(idle) PE\(idle == 1 ? "" : "s") of the rectangle run no code") }
        return lines
    }
}
