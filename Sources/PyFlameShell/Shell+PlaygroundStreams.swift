import PyFlameIR
import PyFlameLanguage
import PyFlameLowering
import PyFlameSimulator

/// `stream in` and `stream out`: memcpy's streaming host transfers at the playground's west and north edges
/// (docs/language.md §5, docs/fabric-model.md "Host edges"):
///
///     stream in NAME (x,y) [from west|north] [VALUES]   the host pushes VALUES into (x,y)'s route from the edge
///     stream out NAME (x,y) N [to west|north]           the host reads N wavelets (x,y)'s route sends off the edge
///
/// The edge is the west one for a PE in column 0, else the north one for a PE in row 0 (`from`/`to` picks
/// at (0,0)). memcpy runs host streams one at a time, in the order written.
extension Shell {
    /// Runs `text` when it is a `stream in` / `stream out` statement; nil when it is not one (`stream = ...`
    /// is an assignment to a tensor named stream).
    func runHostStream(_ text: String, source: SourceText) throws(Diagnostic) -> StatementResult? {
        // Only a statement whose first two words are `stream in` / `stream out` is lexed here (whatever its size).
        let head = text.prefix(64).split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(2).map(String.init)
        guard head.count == 2, head[0] == "stream", head[1] == "in" || head[1] == "out",
            let tokens = try? Lexer.tokenize(source, hex: true), tokens.count > 2,
            case .identifier("stream") = tokens[0].kind, case .identifier(let way) = tokens[1].kind, way == "in" || way == "out"
        else { return nil }
        // `stream in` / `stream out` and nothing after: what a stream is, not the parser's words for a send.
        guard tokens.count > 3 else {
            throw .error(way == "in" ? Shell.streamInUsage : Shell.streamOutUsage, at: tokens[min(2, tokens.count - 1)].range)
        }
        let stream = try way == "in" ? streamIn(text, tokens: tokens) : streamOut(tokens)
        var lines = [streamLine(stream.stream, name: stream.name, number: session.playground.hostStreams.count + 1)]
        lines += routeNote(for: stream.stream, name: stream.name)
        let before = session.playground
        session.playground.hostStreams.append(stream.stream)
        lines += playgroundChanged(from: before, by: text)
        return StatementResult(lines: lines)
    }

    /// The usage lines errors end with.
    static let streamInUsage = "a stream in is stream in NAME (x,y) [from west|north] [VALUES]"
    static let streamOutUsage = "a stream out is stream out NAME (x,y) COUNT [to west|north]"

    /// `stream in NAME (x,y) [from SIDE] [VALUES]`: the values are read as a `send`'s are (the statement is
    /// parsed as one, with `stream in` and `from SIDE` blanked out so every position stays where it was typed).
    private func streamIn(_ text: String, tokens: [Token]) throws(Diagnostic) -> (stream: HostStream, name: String) {
        var bytes = Array(text.utf8)
        func blank(_ range: SourceRange) {
            for i in range.start..<min(range.end, bytes.count) where bytes[i] != 10 { bytes[i] = 32 }
        }
        // `stream in` becomes `send` (padded), `from SIDE` (after the PE) becomes blanks.
        blank(SourceRange(tokens[0].range.start, tokens[1].range.end))
        for (i, c) in Array("send".utf8).enumerated() { bytes[tokens[0].range.start + i] = c }
        var side: (Direction, SourceRange)?
        if let close = tokens.firstIndex(where: { $0.kind == .symbol(")") }), close + 2 < tokens.count,
            case .identifier("from") = tokens[close + 1].kind
        {
            let word = tokens[close + 2]
            side = (try Shell.edgeSide(word, usage: Shell.streamInUsage), tokens[close + 1].range.union(word.range))
            blank(tokens[close + 1].range.union(word.range))
        }
        let statement: Statement
        do {
            statement = try Parser.parse(SourceText(String(decoding: bytes, as: UTF8.self)))
        } catch {
            var e = error
            // The send's messages, in the stream's words.
            e.message = e.message.replacingOccurrences(of: "a send is send NAME (x,y) [VALUES]", with: Shell.streamInUsage)
                .replacingOccurrences(of: "send NAME (x,y)", with: "stream in NAME (x,y)")
            throw e
        }
        guard case .send(let name, let nameRange, let pe, let values, let valuesRange, let kind, let controls) = statement else {
            throw .error("expected \(Shell.streamInUsage)", at: tokens[1].range)
        }
        guard controls.isEmpty else {
            throw .error("a host stream carries data wavelets: send control wavelets from a core with send", at: valuesRange)
        }
        guard !values.isEmpty else { throw .error("a stream in needs at least one value", at: valuesRange) }
        let color = try playgroundColor(name, nameRange)
        let at = try edgePE(pe.x, pe.y, range: pe.range, side: side, entering: true)
        try checkPayloadKind(kind, color: color, name: name, at: valuesRange)
        return (HostStream(pe: at.pe, color: color, side: at.side, way: .toDevice(values)), name)
    }

    /// `stream out NAME (x,y) COUNT [to SIDE]`.
    private func streamOut(_ tokens: [Token]) throws(Diagnostic) -> (stream: HostStream, name: String) {
        var i = 2
        func next() -> Token { defer { i += 1 }; return i < tokens.count ? tokens[i] : tokens[tokens.count - 1] }
        func expect(_ symbol: String, _ what: String) throws(Diagnostic) -> Token {
            let t = next()
            guard t.kind == .symbol(symbol) else { throw .error("expected \(what), found \(t.display): \(Shell.streamOutUsage)", at: t.range) }
            return t
        }
        func integer(_ what: String) throws(Diagnostic) -> (Int, SourceRange) {
            let t = next()
            guard case .integer(let v) = t.kind, let n = Int(exactly: v) else {
                throw .error("expected \(what), found \(t.display): \(Shell.streamOutUsage)", at: t.range)
            }
            return (n, t.range)
        }
        let nameToken = next()
        guard case .identifier(let name) = nameToken.kind else {
            throw .error("expected a color name, found \(nameToken.display): \(Shell.streamOutUsage)", at: nameToken.range)
        }
        let open = try expect("(", "'(' and the PE")
        let (x, _) = try integer("the PE's column")
        _ = try expect(",", "','")
        let (y, _) = try integer("the PE's row")
        let close = try expect(")", "')'")
        let (count, countRange) = try integer("how many wavelets the host reads")
        guard count >= 1, count <= Shell.relayLimit else {
            throw .error("a stream out reads 1 to \(Shell.relayLimit) wavelets, not \(count)", at: countRange)
        }
        var side: (Direction, SourceRange)?
        let to = next()
        if case .identifier("to") = to.kind {
            let word = next()
            side = (try Shell.edgeSide(word, usage: Shell.streamOutUsage), to.range.union(word.range))
        } else {
            i -= 1
        }
        let end = next()
        guard end.kind == .end else { throw .error("unexpected \(end.display) after the stream: \(Shell.streamOutUsage)", at: end.range) }
        let color = try playgroundColor(name, nameToken.range)
        let at = try edgePE(x, y, range: open.range.union(close.range), side: side, entering: false)
        return (HostStream(pe: at.pe, color: color, side: at.side, way: .toHost(count: count)), name)
    }

    /// `west` or `north` (either case) after `from` / `to`.
    private static func edgeSide(_ word: Token, usage: String) throws(Diagnostic) -> Direction {
        guard case .identifier(let w) = word.kind else { throw .error("expected west or north, found \(word.display): \(usage)", at: word.range) }
        switch w.lowercased() {
        case "west": return .west
        case "north": return .north
        default: throw .error("a host stream crosses the west or north edge of the fabric, not \(w): \(usage)", at: word.range)
        }
    }

    /// The PE and the edge a stream crosses: the written side, or west in column 0, else north in row 0.
    private func edgePE(
        _ x: Int, _ y: Int, range: SourceRange, side written: (Direction, SourceRange)?, entering: Bool
    ) throws(Diagnostic) -> (pe: PECoord, side: Direction) {
        let pe = PECoord(x, y)
        guard x >= 0, y >= 0, x < session.fabric.width, y < session.fabric.height else {
            throw .error("(\(x),\(y)) is outside fabric \(session.fabric)", at: range)
        }
        let verb = entering ? "enters" : "leaves"
        if let (side, range) = written {
            if let why = HostStream.edgeRefusal(pe: pe, side: side) { throw .error(why, at: range) }
            return (pe, side)
        }
        if pe.x == 0 { return (pe, .west) }
        if pe.y == 0 { return (pe, .north) }
        throw .error(
            "\(pe) is on neither the west edge (column 0) nor the north edge (row 0): a host stream \(verb) the fabric at a PE of its first column or row",
            at: range)
    }

    /// `stream in h2d (color 0) at (0,0) from WEST: 15 wavelets, host transfer 1`.
    private func streamLine(_ s: HostStream, name: String, number: Int) -> OutputLine {
        let order = number == 1 ? "host transfer 1" : "host transfer \(number), after \(number - 1)"
        switch s.way {
        case .toDevice(let values):
            return OutputLine(
                "stream in \(name) (color \(s.color)) at \(s.pe) from \(s.side): \(values.count) wavelet\(values.count == 1 ? "" : "s"), \(order)")
        case .toHost(let count):
            return OutputLine(
                "stream out \(name) (color \(s.color)) at \(s.pe) to \(s.side): the host reads \(count) wavelet\(count == 1 ? "" : "s"), \(order)")
        }
    }

    /// A note when no route at the PE carries the stream across its edge yet (the run would stop on it).
    private func routeNote(for s: HostStream, name: String) -> [OutputLine] {
        let route = session.playground.routes.first { $0.pe == s.pe && $0.color == s.color }
        let carries = s.isToDevice ? route?.allRx.contains(s.side) : route?.allTx.contains(s.side)
        guard carries != true else { return [] }
        let example = s.isToDevice ? "route \(name) \(s.pe): \(s.side) -> RAMP" : "route \(name) \(s.pe): RAMP -> \(s.side)"
        let what =
            route == nil
            ? "\(s.pe) has no route for \(name) yet" : "\(s.pe)'s route for \(name) does not \(s.isToDevice ? "take \(s.side) in" : "send \(s.side)")"
        return [OutputLine("note: \(what); `\(example)` carries the stream", .note)]
    }
}

extension Shell {
    /// After a finished run: what the host read from each stream out (at most 16 values shown), read the
    /// way the color's payloads were written.
    func hostStreamLines(_ sim: Simulation) -> [OutputLine] {
        guard let edges = sim.hostEdges else { return [] }
        let kinds = session.playground.payloadKinds
        let names = Dictionary(session.playground.colors.map { ($1, $0) }, uniquingKeysWith: { a, b in min(a, b) })
        return edges.streams.indices.compactMap { k in
            let s = edges.streams[k]
            guard !s.isToDevice else { return nil }
            let values = edges.received[k]
            let shown = values.prefix(16).map { kinds.text($0, color: s.color) }.joined(separator: ", ") + (values.count > 16 ? ", ..." : "")
            let name = names[s.color].map { "\($0) (color \(s.color))" } ?? "color \(s.color)"
            return OutputLine("the host read \(values.count) wavelet\(values.count == 1 ? "" : "s") of \(name) at \(s.pe): \(shown)")
        }
    }
}

extension Completer {
    /// `stream in|out NAME (x,y) ...`: the direction, the playground's colors, then `from` / `to` and the
    /// edge. Nil: not a stream statement (`stream = ...`).
    func completeHostStream(_ text: String) -> Completion? {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard words.count >= 2, words[0] == "stream", !words[1].hasPrefix("=") else { return nil }
        let word = words.last!
        if words.count == 2 { return pick(word, from: ["in", "out"], spaceAfter: true) }
        guard words[1] == "in" || words[1] == "out" else { return Completion.none }
        if words.count == 3 { return pick(word, from: session.playground.colors.keys.sorted(), spaceAfter: true) }
        guard let close = words.firstIndex(where: { $0.hasSuffix(")") }), close < words.count - 1 else { return Completion.none }
        let keyword = words[1] == "in" ? "from" : "to"
        let previous = words[words.count - 2]
        if previous == keyword { return pick(word, from: ["north", "west"], spaceAfter: words[1] == "in") }
        // `stream in NAME (x,y) from`, `stream out NAME (x,y) COUNT to`.
        let slot = words[1] == "in" ? close + 1 : close + 2
        return words.count - 1 == slot && !word.hasPrefix("[") ? pick(word, from: [keyword], spaceAfter: true) : Completion.none
    }
}

extension Shell {
    /// Why `:emit --playground` does not write the playground's host streams (nil without them).
    func hostStreamEmissionRefusal() -> String? {
        guard let s = session.playground.hostStreams.first else { return nil }
        return "\(s.name) is not written as CSL yet (memcpy streaming); :sim and :run run it"
    }
}
