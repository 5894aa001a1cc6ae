import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator
import PyFlameViews

/// The playground as it was before one of its statements, for `:undo`.
public struct PlaygroundUndo: Sendable {
    /// The playground before the statement (its program is rebuilt when read).
    public var before: Playground
    /// The statement as typed.
    public var statement: String
    /// Where the statement went in the session's log (which `:save` writes).
    public var logIndex: Int
}

// Taking back what the playground was told: `unroute`, `unsend`, `:undo`, and the notes that say what a
// statement that redefines something changed.
extension Shell {
    /// How many playground statements `:undo` can take back, newest first.
    static let undoDepth = 64
    /// The most routes and sent wavelets the kept playgrounds may hold together (a route statement over a
    /// whole wafer makes 745,500 routes, about 30 MB): older ones are forgotten first, the newest is kept.
    static let undoBudget = 4_000_000

    /// Keeps the playground as it was before `statement` (which succeeded) for `:undo`.
    func rememberForUndo(_ before: Playground, statement: String) {
        var before = before
        before.program = nil
        session.playgroundUndo.append(PlaygroundUndo(before: before, statement: statement, logIndex: session.log.count))
        Shell.trimUndo(&session.playgroundUndo, depth: Shell.undoDepth, budget: Shell.undoBudget)
    }

    /// Forgets the oldest kept playgrounds until at most `depth` are kept and their routes and sent
    /// wavelets together are at most `budget` (the newest is always kept).
    static func trimUndo(_ stack: inout [PlaygroundUndo], depth: Int, budget: Int) {
        func size(_ u: PlaygroundUndo) -> Int {
            u.before.routes.count + u.before.sends.reduce(0) { $0 + $1.values.count } + u.before.reactions.count
                + u.before.hostStreams.reduce(0) { $0 + $1.count }
        }
        var total = 0, keep = 0
        for u in stack.reversed() {
            let s = size(u)
            if keep > 0 && (keep >= depth || total + s > budget) { break }
            total += s
            keep += 1
        }
        if keep < stack.count { stack.removeFirst(stack.count - keep) }
    }

    /// `:undo`: the playground as it was before its last statement; the statement leaves the log.
    func undoPlaygroundStatement(at range: SourceRange) throws(Diagnostic) -> [OutputLine] {
        guard let last = session.playgroundUndo.popLast() else {
            throw .error(
                "nothing to undo: :undo takes back the playground's last statement (color, route, send, on, stream, unroute or unsend)", at: range)
        }
        session.playground = last.before
        session.playground.program = try? Shell.makePlaygroundProgram(session)
        if last.logIndex < session.log.count, session.log[last.logIndex] == last.statement { session.log.remove(at: last.logIndex) }
        var lines = [OutputLine("undone: \(last.statement.trimmingWhitespace)")]
        if let loaded, loaded.playground != nil {
            lines.append(OutputLine("note: the loaded simulation runs the playground as it was at :sim; :sim loads it again", .note))
        }
        return lines
    }

    /// `unroute NAME (x,y)[..(x,y)]`: the color's routes at those PEs taken back.
    func takeBackRoutes(_ name: String, _ range: SourceRange, from: PointSyntax, to: PointSyntax?) throws(Diagnostic) -> [OutputLine] {
        let color = try playgroundColor(name, range)
        let to = to ?? from
        guard to.x >= from.x, to.y >= from.y else {
            throw .error(
                "a rectangle goes from its north-west PE to its south-east PE: (\(min(from.x, to.x)),\(min(from.y, to.y)))..(\(max(from.x, to.x)),\(max(from.y, to.y)))",
                at: to.range)
        }
        let inside = { (r: RouteConfig) in
            r.color == color && r.pe.x >= from.x && r.pe.x <= to.x && r.pe.y >= from.y && r.pe.y <= to.y
        }
        let taken = session.playground.routes.filter(inside)
        let single = from.x == to.x && from.y == to.y
        let place = single ? "(\(from.x),\(from.y))" : "(\(from.x),\(from.y))..(\(to.x),\(to.y))"
        guard let first = taken.first else {
            throw .error("no route of \(name) (color \(color)) at \(place) to take back (:routes \(name) lists them)", at: from.range.union(to.range))
        }
        session.playground.routes.removeAll(where: inside)
        var lines: [OutputLine] = []
        if taken.count == 1 {
            lines.append(OutputLine("unroute \(name) (color \(color)) at \(first.pe): took back rx \(first.rx) tx \(first.tx)\(RouteText.summary(first))"))
        } else {
            lines.append(OutputLine("unroute \(name) (color \(color)) at \(place): took back the routes of \(taken.count) PEs"))
        }
        let waiting = session.playground.reactions.filter { r in taken.contains { $0.pe == r.pe && ($0.color == r.from || $0.color == r.to) } }
        for r in waiting { lines += routeNotes(r) }
        return lines
    }

    /// `unsend NAME (x,y)`: the color's sends at that PE taken back.
    func takeBackSends(_ name: String, _ range: SourceRange, pe: PointSyntax) throws(Diagnostic) -> [OutputLine] {
        let color = try playgroundColor(name, range)
        let at = PECoord(pe.x, pe.y)
        let taken = session.playground.sends.filter { $0.pe == at && $0.color == color }
        guard !taken.isEmpty else {
            throw .error("no send on \(name) (color \(color)) at \(at) to take back (:colors --playground lists the sends)", at: pe.range)
        }
        session.playground.sends.removeAll { $0.pe == at && $0.color == color }
        let wavelets = taken.reduce(0) { $0 + $1.values.count }
        return [
            OutputLine(
                "unsend \(name) (color \(color)) at \(at): took back \(wavelets) wavelet\(wavelets == 1 ? "" : "s")"
                    + (taken.count == 1 ? "" : " of \(taken.count) sends"))
        ]
    }

    /// What a route statement says about the routes it replaced: `replaced` PEs had a route of `color`,
    /// `unchanged` of them the same one; `was` holds up to two of the old routes (at their first PE).
    static func replacementNotes(color: Int, replaced: Int, unchanged: Int, was: [(config: RouteConfig, pe: PECoord)]) -> [OutputLine] {
        guard replaced > 0 else { return [] }
        if unchanged == replaced {
            return [OutputLine("note: the same route as before at \(replaced == 1 ? "that PE" : "those \(replaced) PEs"): nothing changed", .note)]
        }
        func text(_ r: RouteConfig) -> String { "rx \(r.rx) tx \(r.tx)\(RouteText.summary(r))" }
        let what: String
        if was.count == 1 && unchanged == 0 {
            what = replaced == 1 ? ", which was \(text(was[0].config))" : ", which was \(text(was[0].config)) at each"
        } else if let first = was.first {
            what = " (at \(first.pe) it was \(text(first.config)))"
        } else {
            what = ""
        }
        let count = replaced == 1 ? "" : " at \(replaced) PEs"
        return [OutputLine("note: replaces the route of color \(color)\(count)\(what)", .note)]
    }
}

extension String {
    /// The text without leading or trailing spaces, tabs and line ends.
    fileprivate var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
