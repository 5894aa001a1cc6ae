import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator

/// `:break`: breakpoints that stop `:run` and `:step` after the first cycle in which one fires.
extension Shell {
    /// The kinds `:break` takes, as its usage line spells them.
    static let breakKinds = ["cycle", "color", "pe", "backpressure", "delayed", "delivery", "switch", "drop", "del", "clear"]

    /// `:break ...`: set, list, delete or clear breakpoints.
    func breakCommand(_ words: [CommandWord], nameRange: SourceRange) throws(Diagnostic) -> StatementResult {
        guard let first = words.first else { return StatementResult(lines: breakpointList().map { OutputLine($0) }) }
        switch first.text {
        case "clear":
            guard words.count == 1 else { throw .error(":break clear takes nothing after it", at: words[1].range) }
            let n = breakpoints.count
            breakpoints = []
            return StatementResult(lines: [OutputLine(n == 0 ? "no breakpoints to clear" : "cleared \(n) breakpoint\(n == 1 ? "" : "s")")])
        case "del", "delete":
            guard words.count == 2, let n = Int(words[1].text) else {
                throw .error(":break del takes a breakpoint's number (:break lists them)", at: words.count > 1 ? words[1].range : first.range)
            }
            guard let k = breakpoints.firstIndex(where: { $0.number == n }) else {
                let known = breakpoints.isEmpty ? "there are none" : "they are " + breakpoints.map { String($0.number) }.joined(separator: ", ")
                throw .error("no breakpoint \(n): \(known)", at: words[1].range)
            }
            let removed = breakpoints.remove(at: k)
            return StatementResult(lines: [OutputLine("deleted breakpoint \(n) (\(removed.condition))")])
        default:
            let condition = try breakCondition(words)
            if let same = breakpoints.first(where: { $0.condition == condition }) {
                return StatementResult(lines: [OutputLine("breakpoint \(same.number) is already \(condition)")])
            }
            let b = Breakpoint(number: nextBreakpointNumber, condition: condition)
            nextBreakpointNumber += 1
            breakpoints.append(b)
            var lines = [OutputLine("breakpoint \(b.number): \(condition)")]
            if let note = breakpointNote(condition) { lines.append(OutputLine("note: " + note, .note)) }
            return StatementResult(lines: lines)
        }
    }

    /// `:break` alone.
    func breakpointList() -> [String] {
        guard !breakpoints.isEmpty else {
            return [
                "no breakpoints (:break cycle N | color C | pe (x,y) | backpressure (x,y) [DIR] | delayed (x,y) [DIR] | delivery (x,y) [color C] | switch (x,y) [color C] | drop (x,y) [color C])"
            ]
        }
        return breakpoints.map { "  \($0.number)  \($0.condition)" }
    }

    /// Parses what follows `:break`.
    func breakCondition(_ words: [CommandWord]) throws(Diagnostic) -> BreakCondition {
        let kind = words[0]
        var rest = Array(words.dropFirst())
        func usage() -> Diagnostic {
            .error(
                "usage: :break cycle N | color C | pe (x,y) | backpressure (x,y) [DIR] | delayed (x,y) [DIR] | delivery (x,y) [color C] | switch (x,y) [color C] | drop (x,y) [color C]",
                at: kind.range)
        }
        switch kind.text {
        case "cycle":
            guard rest.count == 1 else { throw usage() }
            guard let c = Int(rest[0].text), c >= 1 else { throw .error("a cycle breakpoint takes a cycle >= 1, not \(rest[0].text)", at: rest[0].range) }
            return .cycle(c)
        case "color":
            guard rest.count == 1 else { throw usage() }
            return .color(try breakColor(rest[0]))
        case "pe":
            let pe = try breakPE(&rest, after: kind)
            guard rest.isEmpty else { throw .error("usage: :break pe (x,y)", at: rest[0].range) }
            return .pe(pe)
        case "backpressure", "delayed":
            let pe = try breakPE(&rest, after: kind)
            var direction: Direction?
            if let word = rest.first {
                guard let d = Shell.breakDirection(word.text) else {
                    throw .error("a link is NORTH, EAST, SOUTH, WEST or RAMP (a router output), not \(word.text)", at: word.range)
                }
                direction = d
                rest.removeFirst()
            }
            guard rest.isEmpty else { throw .error("usage: :break \(kind.text) (x,y) [DIR]", at: rest[0].range) }
            return .link(kind.text == "delayed" ? .delayed : .backpressure, pe, direction)
        case "delivery", "switch", "drop":
            let pe = try breakPE(&rest, after: kind)
            var color: Int?
            if !rest.isEmpty {
                guard rest.count == 2, rest[0].text == "color" else { throw .error("usage: :break \(kind.text) (x,y) [color C]", at: rest[0].range) }
                color = try breakColor(rest[1])
            }
            switch kind.text {
            case "switch": return .switchMove(pe, color: color)
            case "drop": return .drop(pe, color: color)
            default: return .delivery(pe, color: color)
            }
        default:
            let hint = Suggestions.closest(to: kind.text, in: Shell.breakKinds).map { " (did you mean \($0)?)" } ?? ""
            throw .error(
                "unknown breakpoint kind '\(kind.text)'\(hint): cycle, color, pe, backpressure, delayed, delivery, switch or drop", at: kind.range)
        }
    }

    /// A color by number or by a playground name.
    private func breakColor(_ word: CommandWord) throws(Diagnostic) -> Int {
        if let c = Int(word.text) {
            guard Architecture.colors.contains(c) else { throw .error("colors are \(Architecture.colorsText), not \(c)", at: word.range) }
            return c
        }
        if let c = session.playground.colors[word.text] { return c }
        let names = session.playground.colors.keys.sorted()
        throw .error(
            "'\(word.text)' is not a color: a number (\(Architecture.colorsText))"
                + (names.isEmpty ? "" : " or a playground color (\(names.joined(separator: ", ")))"),
            at: word.range)
    }

    /// A PE, `(x,y)` (in one word or several) or `x,y`, inside the fabric; takes its words from `rest`.
    private func breakPE(_ rest: inout [CommandWord], after kind: CommandWord) throws(Diagnostic) -> PECoord {
        guard let first = rest.first else { throw .error(":break \(kind.text) needs a PE: (x,y)", at: kind.range) }
        var taken = 1
        var text = first.text
        if text.hasPrefix("(") {
            while !text.hasSuffix(")") && taken < rest.count {
                text += rest[taken].text
                taken += 1
            }
        }
        let range = first.range.union(rest[taken - 1].range)
        let parts = text.trimmingCharacters(in: ["(", ")"]).split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let x = Int(parts[0]), let y = Int(parts[1]) else {
            throw .error("a PE is (x,y), such as (1,0), not \(text)", at: range)
        }
        guard x >= 0, y >= 0, x < session.fabric.width, y < session.fabric.height else {
            throw .error("(\(x),\(y)) is outside the \(session.fabric.width)x\(session.fabric.height) fabric", at: range)
        }
        rest.removeFirst(taken)
        return PECoord(x, y)
    }

    static func breakDirection(_ text: String) -> Direction? {
        switch text.uppercased() {
        case "NORTH": .north
        case "EAST": .east
        case "SOUTH": .south
        case "WEST": .west
        case "RAMP": .ramp
        default: nil
        }
    }

    /// A note when the loaded simulation has nothing at the breakpoint's PE (it can never fire there).
    private func breakpointNote(_ condition: BreakCondition) -> String? {
        guard let sim = loaded?.simulation else { return nil }
        let pe: PECoord
        switch condition {
        case .pe(let p), .link(_, let p, _), .delivery(let p, _): pe = p
        case .switchMove(let p, let color), .drop(let p, let color):
            return dynamicNote(condition, at: p, color: color, sim)
        case .cycle(let c):
            return c <= sim.cycle ? "the loaded simulation is at cycle \(sim.cycle) already; this fires after a :back or :goto before it" : nil
        case .color: return nil
        }
        guard pe.x < sim.fabric.width, pe.y < sim.fabric.height else { return "\(pe) is outside the loaded simulation's fabric" }
        let routed = (0..<Architecture.colorCount).contains { sim.fabric.slot(pe: pe, color: $0) != nil }
        return routed ? nil : "the loaded simulation has no route at \(pe): this breakpoint cannot fire there"
    }

    /// A note when the loaded simulation has no switch (or filter) at the PE to fire a switch (or drop)
    /// breakpoint.
    private func dynamicNote(_ condition: BreakCondition, at pe: PECoord, color: Int?, _ sim: Simulation) -> String? {
        guard pe.x < sim.fabric.width, pe.y < sim.fabric.height else { return "\(pe) is outside the loaded simulation's fabric" }
        let colors = color.map { [$0] } ?? Array(0..<Architecture.colorCount)
        let on = color.map { " on color \($0)" } ?? ""
        if case .switchMove = condition {
            let any = colors.contains { sim.fabric.switchPosition(pe: pe, color: $0) != nil }
            return any ? nil : "the loaded simulation has no switch at \(pe)\(on): this breakpoint cannot fire there"
        }
        let any = colors.contains { sim.fabric.hasFilter(pe: pe, color: $0) }
        return any ? nil : "the loaded simulation has no filter at \(pe)\(on): this breakpoint cannot fire there"
    }

    /// The watch a `:run` or `:step` hands the simulator (nil without breakpoints: nothing to check).
    var breakpointWatch: BreakpointWatch? { breakpoints.isEmpty ? nil : BreakpointWatch(breakpoints) }

    /// What the hits of a stopped run say: `breakpoint 2 (delivery at (2,0)): (2,0) received 7 ...`.
    func breakpointLines(_ hits: [BreakpointHit], _ loaded: LoadedSimulation) -> [OutputLine] {
        var lines: [OutputLine] = []
        for hit in hits {
            var what = hit.what
            if let payload = hit.payload, let pe = hit.pe, let color = hit.color {
                let shown = payloadText(payload, color: color, loaded)
                if case .drop = hit.breakpoint.condition {
                    what = "the filter at \(pe) on color \(color) kept \(shown) (index \(payload >> 16)) from the core in cycle \(hit.cycle)"
                } else {
                    what = "\(pe) received \(shown) on color \(color) at cycle \(hit.cycle)"
                }
            }
            lines.append(OutputLine("breakpoint \(hit.breakpoint.number) (\(hit.breakpoint.condition)): \(what)"))
        }
        lines.append(OutputLine("paused at cycle \(loaded.simulation.cycle); :run or :step go on, :back N goes back"))
        return lines
    }
}
