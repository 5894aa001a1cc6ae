import Foundation

extension CSLCheckRun {
    // MARK: WSE-2: local task IDs against the colors a PE's route delivers to its core

    /// The target the project's `commands.sh` compiles for (`cslc --arch=wse2`), if it says.
    func architecture() -> String? {
        guard case .text(let commands) = read("commands.sh"), let range = commands.range(of: "--arch=") else { return nil }
        return String(commands[range.upperBound...].prefix { $0.isLetter || $0.isNumber })
    }

    /// On WSE-2 a wavelet that reaches a core activates the task whose ID is its color, so a local task
    /// of that PE must not have the ID of a color its route delivers to the core (RAMP in `.tx`).
    /// Checked where `commands.sh` names wse2; other targets have separate data-task IDs.
    mutating func wse2TaskIDChecks(_ file: String, _ toks: [CSLToken], pes: [CheckedPE], toCore: [CheckedConfigKey: Int]) {
        for i in toks.indices where toks[i].isBuiltin("get_local_task_id") {
            guard toks[cslAt: i + 1]?.isPunct("(") == true, let close = cslMatching(toks, i + 1) else { continue }
            let args = cslSplitTop(toks, i + 1, close)
            guard args.count == 1 else { continue }
            var clashes: [(CheckedPE, Int, Int)] = []
            for pe in pes {
                if poll() { return }
                guard let id = cslEvaluate(args[0], pe.env), let line = toCore[CheckedConfigKey(x: pe.x, y: pe.y, color: id)] else { continue }
                clashes.append((pe, id, line))
            }
            if let (_, id, line) = clashes.first {
                error(
                    file, toks[i].line,
                    "@get_local_task_id(\(id)) at PE \(Self.peNames(clashes.map(\.0))): on WSE-2 color \(id) reaches this PE's core (layout.csl:\(line)) and activates task \(id); use a local task ID that is no such color"
                )
            }
        }
    }

    /// (x, y, color) → line of the config, for every route that delivers its color to the PE's core.
    func colorsToCore() -> [CheckedConfigKey: Int] {
        var map: [CheckedConfigKey: Int] = [:]
        for c in configs where c.tx.contains("RAMP") { map[CheckedConfigKey(x: c.x, y: c.y, color: c.color)] = c.line }
        return map
    }
}
