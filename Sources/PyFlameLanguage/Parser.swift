import PyFlameIR

/// Parses one statement of the `.pfs` language (docs/language.md): assignments and expressions with an
/// optional `on LAYOUT`, `fabric`, `target`, `set`, and `:` commands. Recursive descent with a depth
/// limit, so no input can overflow the stack; every failure is a ``Diagnostic`` with a range.
public struct Parser {
    /// Deepest nesting of brackets and unary operators accepted.
    public static let maxDepth = 256
    /// Most infix operators in one statement. A chain `a + b + c ...` parses iteratively into a
    /// left-nested tree, and releasing a tree recurses once per level: the limit keeps that shallow.
    public static let maxOperators = 10_000

    /// Words that start statements when followed by something other than `=`.
    public static let statementKeywords = ["fabric", "target", "set", "color", "route", "send", "unroute", "unsend"]
    /// Router ports as `route` takes them.
    public static let directions = ["NORTH", "SOUTH", "EAST", "WEST", "RAMP"]
    /// Words that can never name a tensor.
    public static let reservedWords = ["on"]
    /// The layout names of the `on` clause.
    public static let layoutNames = ["SinglePE", "RowPartition", "ColPartition", "Grid", "auto"]

    private let source: SourceText
    private var tokens: [Token] = []
    private var position = 0
    private var depth = 0
    private var operators = 0

    private init(_ source: SourceText) { self.source = source }

    /// Parses the text of one complete statement.
    public static func parse(_ text: String) throws(Diagnostic) -> Statement {
        try parse(SourceText(text))
    }

    public static func parse(_ source: SourceText) throws(Diagnostic) -> Statement {
        var parser = Parser(source)
        return try parser.statement()
    }

    // MARK: - Statements

    private mutating func statement() throws(Diagnostic) -> Statement {
        // `:` commands are words, not expressions: split the raw text.
        let trimmedStart = source.bytes.firstIndex { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }
        if let s = trimmedStart, source.bytes[s] == UInt8(ascii: ":") { return try command(from: s) }
        // `set NAME VALUE` takes VALUE as written: a path may hold characters that are no tokens (`~/t`, `./t`).
        var lexer = Lexer(source)
        if let first = try? lexer.next(), case .identifier("set") = first.kind,
            let second = try? lexer.next(), case .identifier(let name) = second.kind
        {
            return try setStatement(name, second)
        }
        // `send` and `on` statements take hex payloads (`0x3f800000`); an assignment to a tensor named send does not.
        var head = Lexer(source)
        var hex = false
        if let first = try? head.next(), case .identifier(let word) = first.kind, word == "send" || word == "on" {
            hex = (try? head.next()).map { $0.kind != .symbol("=") } ?? true
        }
        tokens = try Lexer.tokenize(source, hex: hex)
        guard let first = tokens.first, first.kind != .end else { return .empty }
        if case .identifier("on") = first.kind, tokens.count > 1, tokens[1].kind == .symbol("(") {
            return try reactionStatement(first)
        }
        // `fabric 8x8`, `target wse3`, `set NAME VALUE`: the keyword followed by a word or a number. Anything
        // else (`target = ones(3)`, `target + 1`) is an expression about a tensor of that name.
        if case .identifier(let word) = first.kind, Parser.statementKeywords.contains(word),
            tokens.count > 1, Parser.startsKeywordArgument(tokens[1].kind) || (word == "fabric" && tokens[1].kind == .symbol("-"))
        {
            return try keywordStatement(word, first)
        }
        if case .identifier(let name) = first.kind, tokens.count > 1, tokens[1].kind == .symbol("=") {
            if Parser.reservedWords.contains(name) {
                throw .error("'\(name)' is a keyword and cannot name a tensor", at: first.range)
            }
            position = 2
            let value = try expression()
            let layout = try layoutClause()
            try expectEnd()
            return .assignment(name: name, nameRange: first.range, value: value, layout: layout)
        }
        let value = try expression()
        let layout = try layoutClause()
        try expectEnd()
        return .expression(value, layout: layout)
    }

    private static func startsKeywordArgument(_ kind: Token.Kind) -> Bool {
        switch kind {
        case .identifier, .integer, .float, .string, .end: return true
        case .symbol: return false
        }
    }

    private mutating func keywordStatement(_ word: String, _ first: Token) throws(Diagnostic) -> Statement {
        position = 1
        switch word {
        case "fabric":
            let t = advance()
            if case .identifier(let name) = t.kind {
                guard name == "wse2" || name == "wse3" else {
                    throw .error("fabric takes WxH (e.g. fabric 8x8), wse2 or wse3, not '\(name)'", at: t.range)
                }
                try expectEnd()
                return .fabric(.named(name), range: t.range)
            }
            // `8x8` lexes as 8, x8; `8 x 8` as 8, x, 8.
            guard case .integer(let w) = t.kind else {
                throw .error("fabric takes WxH (e.g. fabric 8x8), wse2 or wse3", at: t.range)
            }
            let x = advance()
            var height: Int64?
            var end = x.range
            if case .identifier(let word) = x.kind, word.first == "x" || word.first == "X" {
                if word.count > 1 {
                    height = Int64(word.dropFirst())
                } else {
                    let h = advance()
                    if case .integer(let v) = h.kind { height = v }
                    end = h.range
                }
            }
            guard let h = height else {
                throw .error("fabric takes WxH (e.g. fabric 8x8), wse2 or wse3", at: x.range.union(end))
            }
            try expectEnd()
            let range = t.range.union(end)
            guard w >= 1, h >= 1 else {
                throw .error("fabric size must be at least 1x1, got \(w)x\(h)", at: range)
            }
            guard w <= 100_000, h <= 100_000 else {
                throw .error("fabric size must be at most 100000x100000, got \(w)x\(h)", at: range)
            }
            return .fabric(.size(width: Int(w), height: Int(h)), range: range)
        case "color": return try colorStatement()
        case "route": return try routeStatement()
        case "send": return try sendStatement()
        case "unroute", "unsend": return try takeBackStatement(word)
        case "target":
            let t = advance()
            guard case .identifier(let name) = t.kind, name == "wse2" || name == "wse3" else {
                throw .error("target takes wse2 or wse3", at: t.range)
            }
            try expectEnd()
            return .target(name, range: t.range)
        default:  // set, without a setting name (with one, `setStatement` reads it)
            let t = advance()
            throw .error("set takes a setting name and a value: set NAME VALUE (see :help set)", at: t.range)
        }
    }

    // MARK: - The routing playground

    private mutating func colorName(_ statement: String) throws(Diagnostic) -> (String, SourceRange) {
        let t = advance()
        guard case .identifier(let name) = t.kind else {
            throw .error("\(statement) takes a color name first (define one with: color red = 0)", at: t.range)
        }
        return (name, t.range)
    }

    private mutating func colorStatement() throws(Diagnostic) -> Statement {
        let (name, nameRange) = try colorName("color")
        let eq = advance()
        guard eq.kind == .symbol("=") else { throw .error("expected '=': color NAME = ID (\(Architecture.colorsText))", at: eq.range) }
        let t = advance()
        guard case .integer(let id) = t.kind else { throw .error("a color ID is a whole number \(Architecture.colorsText)", at: t.range) }
        guard Architecture.colors.contains(Int(clamping: id)) else { throw .error("colors are \(Architecture.colorsText), not \(id)", at: t.range) }
        try expectPlaygroundEnd("color", usage: "a color is color NAME = ID (\(Architecture.colorsText))")
        return .color(name: name, nameRange: nameRange, id: Int(id), idRange: t.range)
    }

    private mutating func point() throws(Diagnostic) -> PointSyntax {
        let open = advance()
        guard open.kind == .symbol("(") else { throw .error("expected a PE coordinate (x,y)", at: open.range) }
        let xt = advance()
        guard case .integer(let x) = xt.kind, x >= 0, x < 1_000_000 else { throw .error("a PE coordinate is a whole number >= 0", at: xt.range) }
        let comma = advance()
        guard comma.kind == .symbol(",") else { throw .error("expected ',' in (x,y)", at: comma.range) }
        let yt = advance()
        guard case .integer(let y) = yt.kind, y >= 0, y < 1_000_000 else { throw .error("a PE coordinate is a whole number >= 0", at: yt.range) }
        let close = advance()
        guard close.kind == .symbol(")") else { throw .error("expected ')' after (x,y", at: close.range) }
        return PointSyntax(x: Int(x), y: Int(y), range: open.range.union(close.range))
    }

    /// Directions separated by commas. With `stopBeforeWord`, a comma followed by something that is no
    /// direction ends the list and stays (a switch's next position: `tx WEST, tx EAST`).
    private mutating func directionList(_ what: String, stopBeforeWord: Bool = false) throws(Diagnostic) -> ([String], SourceRange) {
        var names: [String] = []
        var range: SourceRange?
        while true {
            if !names.isEmpty, stopBeforeWord {
                let next = tokens[min(position, tokens.count - 1)]
                guard case .identifier(let w) = next.kind, Parser.directions.contains(w.uppercased()) else {
                    position -= 1  // leave the comma to the caller
                    break
                }
            }
            let t = advance()
            guard case .identifier(let word) = t.kind, Parser.directions.contains(word.uppercased()) else {
                throw .error("expected a direction for \(what): NORTH, SOUTH, EAST, WEST or RAMP", at: t.range)
            }
            if names.contains(word.uppercased()) { throw .error("\(word.uppercased()) appears twice in \(what)", at: t.range) }
            names.append(word.uppercased())
            range = range.map { $0.union(t.range) } ?? t.range
            guard peek.kind == .symbol(",") else { break }
            _ = advance()
        }
        return (names, range!)
    }

    private mutating func routeStatement() throws(Diagnostic) -> Statement {
        let (color, colorRange) = try colorName("route")
        let from = try point()
        var to: PointSyntax?
        if peek.kind == .symbol("..") {
            _ = advance()
            to = try point()
        }
        let colon = advance()
        guard colon.kind == .symbol(":") else { throw .error("expected ':' before the directions: route NAME (x,y): RX -> TX", at: colon.range) }
        let (rx, rxRange) = try directionList("rx")
        let arrow = advance()
        guard arrow.kind == .symbol("->") else { throw .error("expected '->' between rx and tx: route NAME (x,y): WEST -> RAMP, EAST", at: arrow.range) }
        let (tx, txRange) = try directionList("tx", stopBeforeWord: true)
        var route = RouteSyntax(color: color, colorRange: colorRange, from: from, to: to, rx: rx, rxRange: rxRange, tx: tx, txRange: txRange)
        route.modifiers = try routeModifiers()
        try expectPlaygroundEnd("route", usage: Parser.routeUsage)
        return .route(route)
    }

    /// How a route reads, with its modifiers.
    static let routeUsage =
        "a route is route NAME (x,y): RX -> TX, then optionally switch POSITIONS [at N] [ring] [pop always|advance|none], filter MIN..MAX, swap x|y|xy"

    /// The words that may follow a route's directions.
    public static let routeModifierWords = ["switch", "filter", "swap", "at", "ring", "pop"]

    /// `switch rx DIRS tx DIRS, tx DIRS [at N] [ring] [pop MODE]`, `filter MIN..MAX`, `swap x|y|xy`, each at most once.
    private mutating func routeModifiers() throws(Diagnostic) -> RouteModifiersSyntax {
        var m = RouteModifiersSyntax()
        var seen: Set<String> = []
        while case .identifier(let word) = peek.kind {
            let t = advance()
            guard Parser.routeModifierWords.contains(word) else {
                let hint = Suggestions.closest(to: word, in: Parser.routeModifierWords).map { " (did you mean \($0)?)" } ?? ""
                throw .error("unknown route modifier '\(word)'\(hint): \(Parser.routeUsage)", at: t.range)
            }
            if seen.contains(word) { throw .error("\(word) appears twice in the route", at: t.range) }
            if ["at", "ring", "pop"].contains(word) && !seen.contains("switch") {
                throw .error(
                    "\(word) belongs to a switch: write it after switch POSITIONS (route red (1,1): RAMP -> NORTH switch tx WEST \(word)...)", at: t.range)
            }
            seen.insert(word)
            m.range = m.range.map { $0.union(t.range) } ?? t.range
            switch word {
            case "switch":
                while true {
                    var position = RouteModifiersSyntax.Position()
                    while case .identifier(let side) = peek.kind, side == "rx" || side == "tx" {
                        let s = advance()
                        if (side == "rx" ? position.rx : position.tx) != nil {
                            throw .error("\(side) appears twice in switch position \(m.positions.count + 1)", at: s.range)
                        }
                        let (dirs, _) = try directionList("switch position \(m.positions.count + 1) \(side)", stopBeforeWord: true)
                        if side == "rx" { position.rx = dirs } else { position.tx = dirs }
                    }
                    guard position.rx != nil || position.tx != nil else {
                        throw .error(
                            "a switch position is rx DIRS and/or tx DIRS: switch tx WEST, tx EAST (positions 1, 2, ...; commas between them)", at: peek.range)
                    }
                    m.positions.append(position)
                    guard peek.kind == .symbol(",") else { break }
                    _ = advance()
                }
            case "at":
                let n = advance()
                guard case .integer(let k) = n.kind, k >= 0, k <= 1_000 else {
                    throw .error("at takes the switch position the route starts at (0 is the base: at 0, at 1, ...)", at: n.range)
                }
                m.at = Int(k)
            case "ring":
                m.ring = true
            case "pop":
                let n = advance()
                guard case .identifier(let mode) = n.kind, ["always", "advance", "none"].contains(mode) else {
                    throw .error("pop takes always, advance or none (when a router takes the first command off a control wavelet)", at: n.range)
                }
                m.pop = mode
            case "filter":
                let a = advance()
                let dots = advance()
                let b = advance()
                guard case .integer(let lo) = a.kind, dots.kind == .symbol(".."), case .integer(let hi) = b.kind else {
                    throw .error("a range filter is filter MIN..MAX over wavelet indices (e.g. filter 3..5)", at: a.range.union(b.range))
                }
                guard lo >= 0, lo <= 65535, hi >= 0, hi <= 65535 else {
                    throw .error("a wavelet index is 0 to 65535: filter \(lo)..\(hi)", at: a.range.union(b.range))
                }
                guard lo <= hi else { throw .error("filter \(lo)..\(hi) takes no index: write the smaller first", at: a.range.union(b.range)) }
                m.filter = Int(lo)...Int(hi)
                m.range = m.range.map { $0.union(b.range) }
            default:  // swap
                let n = advance()
                guard case .identifier(let axes) = n.kind, ["x", "y", "xy", "yx"].contains(axes) else {
                    throw .error("swap takes x, y or xy (the color flips between an even/odd pair crossing east-west, north-south, or both)", at: n.range)
                }
                m.swapX = axes.contains("x")
                m.swapY = axes.contains("y")
            }
            m.range = m.range.map { $0.union(tokens[max(0, position - 1)].range) }
        }
        return m
    }

    /// `unroute NAME (x,y)[..(x,y)]` and `unsend NAME (x,y)`: take back a color's routes or sends at PEs.
    private mutating func takeBackStatement(_ word: String) throws(Diagnostic) -> Statement {
        let (color, colorRange) = try colorName(word)
        let from = try point()
        if word == "unsend" {
            try expectPlaygroundEnd("unsend", usage: "unsend NAME (x,y) takes back the color's sends at that PE")
            return .unsend(color: color, colorRange: colorRange, pe: from)
        }
        var to: PointSyntax?
        if peek.kind == .symbol("..") {
            _ = advance()
            to = try point()
        }
        try expectPlaygroundEnd("unroute", usage: "unroute NAME (x,y)[..(x,y)] takes back the color's routes at those PEs")
        return .unroute(color: color, colorRange: colorRange, from: from, to: to)
    }

    private mutating func sendStatement() throws(Diagnostic) -> Statement {
        let (color, colorRange) = try colorName("send")
        let pe = try point()
        var controls: [Int: ControlSyntax] = [:]
        let (values, kind, range) = try payloads(usage: "send NAME (x,y) [0, 1, 2]", example: "send \(color) (\(pe.x),\(pe.y))", controls: &controls)
        try expectPlaygroundEnd("send", usage: "a send is send NAME (x,y) [VALUES]")
        return .send(color: color, colorRange: colorRange, pe: pe, values: values, valuesRange: range, kind: kind, controls: controls)
    }

    /// Wavelet payloads: `[0, 1, -2]` (integers), `f32 [1.5, -2]`, `f16 [0.5]`, `[0x3f800000]` (hex),
    /// `[(0, 10.0), (1, 11.0)]` ((index, f16 data) pairs). Every value is checked against its kind's range.
    ///
    /// With `controls`, a value may be a control wavelet (`advance ignore`, `reset task 40 arg 2`): its
    /// entry in the values is 0 and it goes into `controls` by position.
    private mutating func payloads(usage: String, example: String) throws(Diagnostic) -> ([UInt32], PayloadKind, SourceRange) {
        var none: [Int: ControlSyntax]?
        return try payloads(usage: usage, example: example, controlsOrNil: &none)
    }

    private mutating func payloads(usage: String, example: String, controls: inout [Int: ControlSyntax]) throws(Diagnostic) -> (
        [UInt32], PayloadKind, SourceRange
    ) {
        var some: [Int: ControlSyntax]? = [:]
        defer { controls = some ?? [:] }
        return try payloads(usage: usage, example: example, controlsOrNil: &some)
    }

    /// `advance ignore reset task 40 arg 2`: commands (each with an optional `ignore`), then an optional
    /// control task entry point and argument.
    private mutating func controlWavelet() throws(Diagnostic) -> ControlSyntax {
        var commands: [(word: String, ignore: Bool)] = []
        let start = peek.range
        while case .identifier(let word) = peek.kind, ControlSyntax.commandWords.contains(word) {
            _ = advance()
            var ignore = false
            if case .identifier("ignore") = peek.kind {
                _ = advance()
                ignore = true
            }
            commands.append((word, ignore))
            if commands.count > 64 { throw .error("too many commands in one control wavelet", at: start.union(peek.range)) }
        }
        var entryPoint: Int?
        var argument = 0
        if case .identifier("task") = peek.kind {
            _ = advance()
            let n = advance()
            guard case .integer(let e) = n.kind, e >= 0, e <= 1_000 else {
                throw .error("task takes the control task's entry point, a whole number (task 40)", at: n.range)
            }
            entryPoint = Int(e)
        }
        if case .identifier("arg") = peek.kind {
            _ = advance()
            let n = advance()
            guard case .integer(let a) = n.kind, a >= 0, a <= 65535 else {
                throw .error("arg takes the control task's 16-bit argument (0 to 65535)", at: n.range)
            }
            argument = Int(a)
        }
        return ControlSyntax(commands: commands, entryPoint: entryPoint, argument: argument, range: start.union(tokens[max(0, position - 1)].range))
    }

    private mutating func payloads(usage: String, example: String, controlsOrNil controls: inout [Int: ControlSyntax]?) throws(Diagnostic) -> (
        [UInt32], PayloadKind, SourceRange
    ) {
        var kind: PayloadKind?
        var open = advance()
        if case .identifier(let word) = open.kind {
            switch word {
            case "f32": kind = .f32
            case "f16": kind = .f16
            case "i32": kind = .integer
            default:
                throw .error(
                    "unknown payload kind '\(word)': write f32 or f16 before the values, or whole numbers, hex (0x3f800000) or (index, data) pairs",
                    at: open.range)
            }
            open = advance()
        }
        guard open.kind == .symbol("[") else { throw .error("expected a list of values: \(usage)", at: open.range) }
        var values: [UInt32] = []
        var close = open
        var sawHex = false, sawDecimal = false, sawPair = false
        if peek.kind == .symbol("]") {
            close = advance()
            return ([], kind ?? .integer, open.range.union(close.range))
        }
        while true {
            if case .identifier(let word) = peek.kind, ControlSyntax.commandWords.contains(word) {
                let control = try controlWavelet()
                guard controls != nil else {
                    throw .error("a control wavelet goes in a send list (send NAME (x,y) [advance ignore, 0]), not here", at: control.range)
                }
                controls?[values.count] = control
                values.append(0)
            } else if case .identifier(let word) = peek.kind {
                let t = advance()
                let hint = Suggestions.closest(to: word, in: ControlSyntax.commandWords).map { " (did you mean \($0)?)" } ?? ""
                throw .error(
                    "unknown word '\(word)' in the values\(hint): a control wavelet is nop, advance, reset or teardown, each with an optional ignore, then task N arg N",
                    at: t.range)
            } else if peek.kind == .symbol("(") {
                let pairOpen = advance()
                if let kind, kind != .indexed {
                    throw .error("an (index, data) pair is a wavelet of its own kind: leave out \(kind) before the values", at: pairOpen.range)
                }
                let (index, indexToken) = try signedNumber()
                guard case .integer(let i) = index, let index16 = UInt16(exactly: i) else {
                    throw .error("an index is a whole number from 0 to 65535, not \(numberText(index))", at: indexToken)
                }
                let comma = advance()
                guard comma.kind == .symbol(",") else { throw .error("expected ',' in (index, data)", at: comma.range) }
                let (data, dataRange) = try signedNumber()
                let closeParen = advance()
                guard closeParen.kind == .symbol(")") else { throw .error("expected ')' after (index, data", at: closeParen.range) }
                guard let bits = WaveletPayload.f16(double(data), index: index16) else {
                    throw .error("\(numberText(data)) does not fit f16 data (\(WaveletPayload.rangeText(.indexed)))", at: dataRange)
                }
                values.append(bits)
                sawPair = true
                kind = .indexed
            } else {
                let (number, range) = try signedNumber()
                if sawPair { throw .error("write every value as an (index, data) pair, or none", at: range) }
                switch kind ?? .integer {
                case .integer, .hex, .indexed:
                    guard case .integer(let v) = number else {
                        throw .error(
                            "send takes whole numbers (each a 32-bit wavelet payload); write f32 before the list for f32 values: \(example) f32 [\(source.slice(range))]",
                            at: range)
                    }
                    let isHex = source.slice(range).lowercased().hasPrefix("0x") || source.slice(range).lowercased().hasPrefix("-0x")
                    if isHex { sawHex = true } else { sawDecimal = true }
                    if sawHex && sawDecimal { throw .error("write every value in hex (0x3f800000), or none", at: range) }
                    if isHex && v < 0 { throw .error("a hex payload has no sign: \(source.slice(range))", at: range) }
                    guard let bits = WaveletPayload.integer(v) else {
                        throw .error(
                            isHex
                                ? "\(source.slice(range)) does not fit a 32-bit wavelet (hex payloads are \(WaveletPayload.rangeText(.hex)))"
                                : "\(v) does not fit a 32-bit wavelet (integer payloads are \(WaveletPayload.rangeText(.integer)))",
                            at: range)
                    }
                    values.append(bits)
                    if kind == nil || kind == .hex || kind == .integer { kind = isHex ? .hex : (kind ?? .integer) }
                case .f32:
                    guard let bits = WaveletPayload.f32(double(number)) else {
                        throw .error("\(numberText(number)) does not fit an f32 wavelet (\(WaveletPayload.rangeText(.f32)))", at: range)
                    }
                    values.append(bits)
                case .f16:
                    guard let bits = WaveletPayload.f16(double(number)) else {
                        throw .error("\(numberText(number)) does not fit an f16 wavelet (\(WaveletPayload.rangeText(.f16)))", at: range)
                    }
                    values.append(bits)
                }
            }
            let sep = advance()
            if sep.kind == .symbol("]") { close = sep; break }
            guard sep.kind == .symbol(",") else { throw .error("expected ',' or ']' in the values", at: sep.range) }
        }
        return (values, kind ?? .integer, open.range.union(close.range))
    }

    /// A number with an optional sign, and its range.
    private mutating func signedNumber() throws(Diagnostic) -> (Token.Kind, SourceRange) {
        var t = advance()
        let start = t.range
        var negative = false
        if t.kind == .symbol("-") || t.kind == .symbol("+") {
            negative = t.kind == .symbol("-")
            t = advance()
        }
        let range = start.union(t.range)
        switch t.kind {
        case .integer(let v): return (.integer(negative ? 0 &- v : v), range)
        case .float(let v): return (.float(negative ? -v : v), range)
        default: throw .error("expected a number, found \(t.display)", at: t.range)
        }
    }

    private func double(_ number: Token.Kind) -> Double {
        switch number {
        case .integer(let v): return Double(v)
        case .float(let v): return v
        default: return 0
        }
    }

    private func numberText(_ number: Token.Kind) -> String {
        switch number {
        case .integer(let v): return String(v)
        case .float(let v): return NumberFormat.double(v)
        default: return "?"
        }
    }

    /// The words a reaction starts with, after `on (x,y)`.
    public static let reactionWords = ["receive", "forward", "chain"]

    /// `on (x,y) receive N COLOR [then send COLOR [VALUES]]`, `on (x,y) forward [N] COLOR -> COLOR`,
    /// `on (x,y) chain COLOR -> COLOR add|max [VALUES]`.
    private mutating func reactionStatement(_ onToken: Token) throws(Diagnostic) -> Statement {
        position = 1
        let pe = try point()
        let verb = advance()
        let usage =
            "a reacting core is on (x,y) receive N COLOR [then send COLOR [VALUES]], on (x,y) forward [N] COLOR -> COLOR, or on (x,y) chain COLOR -> COLOR add|max [VALUES]"
        guard case .identifier(let word) = verb.kind, Parser.reactionWords.contains(word) else {
            let hint: String
            if case .identifier(let w) = verb.kind, let close = Suggestions.closest(to: w, in: Parser.reactionWords) {
                hint = " (did you mean \(close)?)"
            } else {
                hint = ""
            }
            throw .error("expected receive, forward or chain after on \(pointText(pe))\(hint): \(usage)", at: verb.range)
        }
        let action: ReactionSyntax.Action
        switch word {
        case "receive":
            let n = advance()
            guard case .integer(let count) = n.kind, count >= 1, count <= 1_000_000 else {
                throw .error("receive takes how many wavelets (1 to 1000000) before the color: on \(pointText(pe)) receive 4 red", at: n.range)
            }
            let (from, fromRange) = try colorName("receive")
            var back: ReactionSyntax.SendBack?
            if case .identifier("then") = peek.kind {
                _ = advance()
                let send = advance()
                guard case .identifier("send") = send.kind else {
                    throw .error("expected send after then: on \(pointText(pe)) receive \(count) \(from) then send blue", at: send.range)
                }
                let (to, toRange) = try colorName("then send")
                if peek.kind == .end {
                    back = ReactionSyntax.SendBack(color: to, colorRange: toRange, values: nil, kind: nil)
                } else {
                    // Its own values may hold control wavelets (`then send ctl [advance ignore]`), as a send's do.
                    var controls: [Int: ControlSyntax] = [:]
                    let (values, kind, _) = try payloads(usage: "then send \(to) [1, 2]", example: "then send \(to)", controls: &controls)
                    guard !values.isEmpty else {
                        throw .error("then send \(to) [] sends nothing: leave out the list to send what was received", at: peek.range)
                    }
                    back = ReactionSyntax.SendBack(color: to, colorRange: toRange, values: values, kind: kind, controls: controls)
                }
            } else if peek.kind != .end {
                throw .error("unexpected \(peek.display) after the receive: then send COLOR sends on", at: peek.range)
            }
            action = .receive(count: Int(count), from: from, fromRange: fromRange, then: back)
        case "forward":
            var count: Int?
            if case .integer(let n) = peek.kind {
                let t = advance()
                guard n >= 1, n <= 1_000_000 else { throw .error("forward takes 1 to 1000000 wavelets, not \(n)", at: t.range) }
                count = Int(n)
            }
            let (from, fromRange) = try colorName("forward")
            let arrow = advance()
            guard arrow.kind == .symbol("->") else {
                throw .error("expected '->' between the colors: on \(pointText(pe)) forward \(from) -> blue", at: arrow.range)
            }
            let (to, toRange) = try colorName("forward")
            try expectPlaygroundEnd("forward", usage: "a relay is on (x,y) forward [N] COLOR -> COLOR")
            action = .forward(count: count, from: from, fromRange: fromRange, to: to, toRange: toRange)
        default:  // chain
            let (from, fromRange) = try colorName("chain")
            let arrow = advance()
            guard arrow.kind == .symbol("->") else {
                throw .error("expected '->' between the colors: on \(pointText(pe)) chain \(from) -> blue add [1, 2]", at: arrow.range)
            }
            let (to, toRange) = try colorName("chain")
            let op = advance()
            guard case .identifier(let combine) = op.kind, combine == "add" || combine == "max" else {
                throw .error("a chain cell combines with add or max: on \(pointText(pe)) chain \(from) -> \(to) add [1, 2]", at: op.range)
            }
            let (values, kind, valuesRange) = try payloads(
                usage: "on \(pointText(pe)) chain \(from) -> \(to) \(combine) [1, 2]", example: "on \(pointText(pe)) chain \(from) -> \(to) \(combine)")
            guard !values.isEmpty else { throw .error("a chain cell needs its own values, one per wavelet it forwards", at: valuesRange) }
            guard kind == .integer || kind == .f32 else {
                throw .error("a chain cell adds integers or f32 values, not \(kind.description) payloads", at: valuesRange)
            }
            try expectPlaygroundEnd("chain", usage: "a chain cell is on (x,y) chain COLOR -> COLOR add|max [VALUES]")
            action = .chain(from: from, fromRange: fromRange, to: to, toRange: toRange, combine: combine, values: values, kind: kind)
        }
        try expectPlaygroundEnd(word, usage: usage)
        return .reaction(ReactionSyntax(pe: pe, action: action, range: onToken.range.union(tokens[max(0, position - 1)].range)))
    }

    private func pointText(_ p: PointSyntax) -> String { "(\(p.x),\(p.y))" }

    private func setStatement(_ name: String, _ nameToken: Token) throws(Diagnostic) -> Statement {
        let bytes = source.bytes
        var lexer = Lexer(source, at: nameToken.range.end)
        let start = lexer.skipTrivia()
        guard start < bytes.count else {
            let end = nameToken.range.end
            throw .error("set \(name) needs a value (see :help set)", at: SourceRange(end, min(end + 1, bytes.count)))
        }
        if bytes[start] == UInt8(ascii: "\"") || bytes[start] == UInt8(ascii: "'") {
            let token = try lexer.next()
            if case .string(let s) = token.kind, lexer.skipTrivia() == bytes.count {
                return .set(name: name, nameRange: nameToken.range, value: s, valueRange: token.range)
            }
        }
        // The rest of the statement up to a comment, trailing whitespace and line continuations dropped.
        var end = start
        var quote: UInt8?
        while end < bytes.count {
            let c = bytes[end]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: "#") {
                break
            }
            end += 1
        }
        while end > start, [32, 9, 10, 13, UInt8(ascii: "\\")].contains(bytes[end - 1]) { end -= 1 }
        let valueRange = SourceRange(start, end)
        return .set(name: name, nameRange: nameToken.range, value: source.slice(valueRange), valueRange: valueRange)
    }

    private func command(from start: Int) throws(Diagnostic) -> Statement {
        let bytes = source.bytes
        var words: [CommandWord] = []
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            if c == 32 || c == 9 || c == 10 || c == 13 { i += 1; continue }
            if c == UInt8(ascii: "#") && !words.isEmpty { break }
            let wordStart = i
            var text: [UInt8] = []
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                i += 1
                while i < bytes.count && bytes[i] != c {
                    if bytes[i] == UInt8(ascii: "\\") && i + 1 < bytes.count { i += 1 }
                    text.append(bytes[i])
                    i += 1
                }
                guard i < bytes.count else { throw .error("unterminated string", at: SourceRange(wordStart, i)) }
                i += 1
            } else {
                while i < bytes.count, bytes[i] != 32, bytes[i] != 9, bytes[i] != 10, bytes[i] != 13 {
                    text.append(bytes[i])
                    i += 1
                }
            }
            words.append(CommandWord(text: String(decoding: text, as: UTF8.self), range: SourceRange(wordStart, i)))
        }
        let head = words.removeFirst()
        let name = String(head.text.dropFirst())
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else {
            throw .error("expected a command name after ':' (try :help)", at: head.range)
        }
        return .command(name: name, nameRange: head.range, arguments: words)
    }

    // MARK: - Layout clause

    private mutating func layoutClause() throws(Diagnostic) -> LayoutClause? {
        guard case .identifier("on") = peek.kind else { return nil }
        let onToken = advance()
        let nameToken = advance()
        guard case .identifier(let name) = nameToken.kind else {
            throw .error("expected a layout after 'on': SinglePE, RowPartition(n), ColPartition(n), Grid(rows, cols) or auto", at: nameToken.range)
        }
        var numbers: [Int] = []
        var end = nameToken.range
        if peek.kind == .symbol("(") {
            let open = advance()
            while true {
                let t = advance()
                guard case .integer(let v) = t.kind else {
                    throw .error("layout arguments are whole numbers of PEs", at: t.range)
                }
                guard v >= 1 else {
                    throw .error("a layout needs at least 1 PE along each axis, not \(v)", at: t.range)
                }
                guard v <= 1_000_000 else {
                    throw .error("a layout has at most 1000000 PEs along each axis, not \(v)", at: t.range)
                }
                numbers.append(Int(v))
                let sep = advance()
                if sep.kind == .symbol(")") { end = sep.range; break }
                guard sep.kind == .symbol(",") else {
                    throw .error("expected ',' or ')' in \(name)(...)", at: sep.kind == .end ? open.range : sep.range)
                }
            }
        }
        let range = onToken.range.union(end)
        let layout: LayoutSyntax
        switch (name, numbers.count) {
        case ("auto", 0): layout = .auto
        case ("SinglePE", 0): layout = .singlePE
        case ("RowPartition", 1): layout = .rowPartition(numbers[0])
        case ("ColPartition", 1): layout = .colPartition(numbers[0])
        case ("Grid", 2): layout = .grid(rows: numbers[0], cols: numbers[1])
        case ("RowPartition", _), ("ColPartition", _):
            throw .error("\(name) takes one number of PEs: \(name)(n)", at: nameToken.range.union(end))
        case ("Grid", _):
            throw .error("Grid takes rows and columns of PEs: Grid(rows, cols)", at: nameToken.range.union(end))
        case ("auto", _), ("SinglePE", _):
            throw .error("\(name) takes no arguments", at: nameToken.range.union(end))
        default:
            let suggestion = Suggestions.closest(to: name, in: Parser.layoutNames).map { " (did you mean \($0)?)" } ?? ""
            throw .error(
                "unknown layout '\(name)'\(suggestion); layouts are SinglePE, RowPartition(n), ColPartition(n), Grid(rows, cols), auto", at: nameToken.range)
        }
        return LayoutClause(layout: layout, range: range)
    }

    // MARK: - Expressions

    private var peek: Token { tokens[min(position, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let t = peek
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    /// The end of a playground statement: what follows is not a layout clause, so the message shows the
    /// statement's form instead.
    private func expectPlaygroundEnd(_ statement: String, usage: String) throws(Diagnostic) {
        let t = peek
        guard t.kind == .end else { throw .error("unexpected \(t.display) after the \(statement): \(usage)", at: t.range) }
    }

    private func expectEnd() throws(Diagnostic) {
        let t = peek
        guard t.kind == .end else {
            if case .identifier(let word) = t.kind, word != "on" {
                throw .error("unexpected \(t.display) after the expression (a layout clause is written 'on LAYOUT')", at: t.range)
            }
            if t.kind == .symbol(")") || t.kind == .symbol("]") {
                throw .error("unmatched \(t.display)", at: t.range)
            }
            if let message = strayFieldMessage(t) { throw .error(message, at: t.range) }
            throw .error("unexpected \(t.display) after the expression", at: t.range)
        }
    }

    /// `x.5`: the lexer reads `.5` as the number 0.5 right after a name; say it as the user wrote it.
    private func strayFieldMessage(_ t: Token) -> String? {
        guard case .float = t.kind, position > 0 else { return nil }
        let written = source.slice(t.range)
        let digits = written.dropFirst()
        guard written.hasPrefix("."), !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let before = tokens[position - 1]
        guard before.range.end == t.range.start else { return nil }
        guard case .identifier(let name) = before.kind else {
            return "'\(written)' right after an expression: a tensor has no field \(digits); an index is written in brackets, [\(digits)]"
        }
        return "'\(written)' right after \(name): a tensor has no field \(digits); an index is written \(name)[\(digits)]"
    }

    private mutating func enter(_ at: SourceRange) throws(Diagnostic) {
        depth += 1
        if depth > Parser.maxDepth { throw .error("expression nested too deeply (over \(Parser.maxDepth) levels)", at: at) }
    }

    private mutating func countOperator(_ at: SourceRange) throws(Diagnostic) {
        operators += 1
        if operators > Parser.maxOperators {
            throw .error("more than \(Parser.maxOperators) operators in one statement: split it over several statements", at: at)
        }
    }

    private mutating func expression() throws(Diagnostic) -> Expr {
        var lhs = try term()
        while case .symbol(let s) = peek.kind, s == "+" || s == "-" {
            let op = advance()
            try countOperator(op.range)
            let rhs = try term()
            lhs = Expr(.binary(BinaryOperator(rawValue: s)!, lhs, rhs, operatorRange: op.range), lhs.range.union(rhs.range))
        }
        return lhs
    }

    private mutating func term() throws(Diagnostic) -> Expr {
        var lhs = try unary()
        while case .symbol(let s) = peek.kind, s == "*" || s == "/" || s == "@" {
            let op = advance()
            try countOperator(op.range)
            let rhs = try unary()
            lhs = Expr(.binary(BinaryOperator(rawValue: s)!, lhs, rhs, operatorRange: op.range), lhs.range.union(rhs.range))
        }
        return lhs
    }

    private mutating func unary() throws(Diagnostic) -> Expr {
        if peek.kind == .symbol("-") || peek.kind == .symbol("+") {
            let op = advance()
            try enter(op.range)
            defer { depth -= 1 }
            let operand = try unary()
            if op.kind == .symbol("+") { return Expr(operand.kind, op.range.union(operand.range)) }
            switch operand.kind {
            case .integer(let v): return Expr(.integer(0 &- v), op.range.union(operand.range))
            case .float(let v): return Expr(.float(-v), op.range.union(operand.range))
            default: return Expr(.negate(operand), op.range.union(operand.range))
            }
        }
        return try postfix()
    }

    /// A primary followed by subscripts (`x[1:-1]`) and `.astype(...)` calls, left to right.
    private mutating func postfix() throws(Diagnostic) -> Expr {
        var value = try primary()
        var entered = 0
        defer { depth -= entered }
        while true {
            if peek.kind == .symbol("[") {
                let open = advance()
                try enter(open.range)
                entered += 1
                var items: [SliceItem] = []
                while true {
                    items.append(try sliceItem())
                    let sep = advance()
                    if sep.kind == .symbol("]") {
                        value = Expr(.index(value, items), value.range.union(sep.range))
                        break
                    }
                    guard sep.kind == .symbol(",") else {
                        throw .error(
                            sep.kind == .end ? "'[' is never closed" : "expected ',' or ']' in a subscript, found \(sep.display)",
                            at: sep.kind == .end ? open.range : sep.range)
                    }
                }
            } else if peek.kind == .symbol(".") {
                let dot = advance()
                let nameToken = advance()
                guard case .identifier(let method) = nameToken.kind else {
                    throw .error("expected a method name after '.', e.g. x.astype(f16)", at: nameToken.kind == .end ? dot.range : nameToken.range)
                }
                guard method == "astype" else {
                    throw .error("tensors have one method, astype: x.astype(f16) (functions are called as \(method)(x))", at: nameToken.range)
                }
                guard peek.kind == .symbol("(") else { throw .error("astype is called: x.astype(f16)", at: nameToken.range) }
                let call = try self.call(method, nameToken)
                guard case .call(let name, let nameRange, let arguments) = call.kind else { continue }
                value = Expr(.call(name: name, nameRange: nameRange, arguments: [Argument(value: value)] + arguments), value.range.union(call.range))
            } else {
                return value
            }
        }
    }

    /// `start:stop`, `:stop`, `start:`, `:` or an index, up to the next `,` or `]`.
    private mutating func sliceItem() throws(Diagnostic) -> SliceItem {
        let first = peek.range
        func ends(_ k: Token.Kind) -> Bool { k == .symbol(",") || k == .symbol("]") || k == .symbol(":") || k == .end }
        let start = ends(peek.kind) ? nil : try expression()
        guard peek.kind == .symbol(":") else {
            guard let start else { throw .error("expected an index or a slice start:stop", at: peek.range) }
            return SliceItem(start: start, stop: nil, isRange: false, range: start.range)
        }
        var last = advance().range
        let stop = ends(peek.kind) ? nil : try expression()
        if let stop { last = stop.range }
        if peek.kind == .symbol(":") {
            throw .error("slices take no step: write start:stop (every element from start to stop - 1)", at: peek.range)
        }
        return SliceItem(start: start, stop: stop, isRange: true, range: (start?.range ?? first).union(last))
    }

    private mutating func primary() throws(Diagnostic) -> Expr {
        let t = advance()
        switch t.kind {
        case .integer(let v): return Expr(.integer(v), t.range)
        case .float(let v): return Expr(.float(v), t.range)
        case .string(let s): return Expr(.string(s), t.range)
        case .identifier(let name):
            if name == "on" { throw .error("expected an expression before 'on'", at: t.range) }
            if peek.kind == .symbol("(") { return try call(name, t) }
            return Expr(.name(name), t.range)
        case .symbol("("):
            try enter(t.range)
            defer { depth -= 1 }
            let inner = try expression()
            let close = advance()
            guard close.kind == .symbol(")") else {
                throw .error(
                    close.kind == .end ? "'(' is never closed" : "expected ')', found \(close.display)", at: close.kind == .end ? t.range : close.range)
            }
            return Expr(inner.kind, t.range.union(close.range))
        case .symbol("["):
            try enter(t.range)
            defer { depth -= 1 }
            var items: [Expr] = []
            if peek.kind == .symbol("]") { return Expr(.list([]), t.range.union(advance().range)) }
            while true {
                items.append(try expression())
                let sep = advance()
                if sep.kind == .symbol("]") { return Expr(.list(items), t.range.union(sep.range)) }
                guard sep.kind == .symbol(",") else {
                    throw .error(
                        sep.kind == .end ? "'[' is never closed" : "expected ',' or ']' in a list, found \(sep.display)",
                        at: sep.kind == .end ? t.range : sep.range)
                }
                if peek.kind == .symbol("]") { return Expr(.list(items), t.range.union(advance().range)) }
            }
        case .end:
            throw .error("expected an expression", at: t.range)
        default:
            throw .error("expected an expression, found \(t.display)", at: t.range)
        }
    }

    private mutating func call(_ name: String, _ nameToken: Token) throws(Diagnostic) -> Expr {
        let open = advance()
        try enter(open.range)
        defer { depth -= 1 }
        var arguments: [Argument] = []
        if peek.kind == .symbol(")") {
            let close = advance()
            return Expr(.call(name: name, nameRange: nameToken.range, arguments: []), nameToken.range.union(close.range))
        }
        while true {
            var argument: Argument
            if case .identifier(let label) = peek.kind, tokens[min(position + 1, tokens.count - 1)].kind == .symbol("=") {
                let labelToken = advance()
                _ = advance()
                argument = Argument(label: label, labelRange: labelToken.range, value: try expression())
            } else {
                if let last = arguments.last, last.label != nil {
                    throw .error("a positional argument cannot follow a keyword argument", at: peek.range)
                }
                argument = Argument(value: try expression())
            }
            arguments.append(argument)
            let sep = advance()
            if sep.kind == .symbol(")") {
                return Expr(.call(name: name, nameRange: nameToken.range, arguments: arguments), nameToken.range.union(sep.range))
            }
            guard sep.kind == .symbol(",") else {
                throw .error(
                    sep.kind == .end ? "'(' of \(name)(...) is never closed" : "expected ',' or ')' in \(name)(...), found \(sep.display)",
                    at: sep.kind == .end ? open.range : sep.range)
            }
            if peek.kind == .symbol(")") {  // a trailing comma, as in Python and in lists
                let close = advance()
                return Expr(.call(name: name, nameRange: nameToken.range, arguments: arguments), nameToken.range.union(close.range))
            }
        }
    }
}
