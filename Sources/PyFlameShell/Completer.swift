import Foundation
import PyFlameFrontend
import PyFlameIR
import PyFlameLanguage
import PyFlameSimulator

/// What Tab does: insert text at the cursor, list candidates, or nothing.
public enum Completion: Equatable, Sendable {
    case none
    case insert(String)
    case candidates([String])
}

/// Tab completion, pure: from the text left of the cursor and the session, it completes command
/// names, tensor names, functions, layouts, settings, dtypes, and file paths after `:load`, `:save`,
/// `:export NAME` and inside `load("`. Folders are listed through `listDirectory`, so tests need no disk.
public struct Completer {
    public typealias DirectoryLister = (String) -> [(name: String, isDirectory: Bool)]

    let session: Session
    let baseDirectory: String
    let listDirectory: DirectoryLister

    public init(session: Session, baseDirectory: String = "", listDirectory: @escaping DirectoryLister = Completer.listFileSystem) {
        self.session = session
        self.baseDirectory = baseDirectory
        self.listDirectory = listDirectory
    }

    public func complete(_ before: String) -> Completion {
        let trimmed = before.drop(while: { $0 == " " || $0 == "\t" })
        if trimmed.hasPrefix(":") {
            let words = trimmed.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if words.count == 1 { return pick(String(words[0].dropFirst()), from: CommandCatalog.names, spaceAfter: true) }
            let command = String(words[0].dropFirst()), word = words.last!
            let position = words.count - 1
            switch command {
            case "help": return position == 1 ? pick(word, from: CommandCatalog.names + ["set", "functions", "layouts", "playground"]) : .none
            case "export": return position == 1 ? pick(word, from: session.names) : position == 2 ? path(word) : .none
            case "tiles", "lower", "pes", "colors", "routes": return position == 1 ? pick(word, from: session.names) : .none
            case "break": return completeBreak(words, word: word, position: position)
            case "trace" where position == 2: return pick(word, from: ["all"] + TraceKinds.words.map(\.word) + ["--pes", "--colors", "--cycles"])
            default: return CommandCatalog.spec(command)?.takesFiles == true && position == 1 ? path(word) : .none
            }
        }
        // Inside an unterminated string of load("...: a file name.
        if let quote = Completer.openString(before) {
            let inside = String(before[before.index(after: quote)...])
            return path(inside)
        }
        if let playground = completePlayground(String(trimmed)) { return playground }
        if let stream = completeHostStream(String(trimmed)) { return stream }
        let words = trimmed.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count == 2, let keyword = words.first {
            switch keyword {
            case "set": return pick(words[1], from: Settings.definitions.map(\.name.rawValue), spaceAfter: true)
            case "fabric": return pick(words[1], from: ["wse2", "wse3"])
            case "target": return pick(words[1], from: ["wse2", "wse3"])
            default: break
            }
        }
        let word = Completer.trailingIdentifier(before)
        let beforeWord = before.dropLast(word.count).reversed().drop(while: { $0 == " " }).reversed()
        let precedingWord = Completer.trailingIdentifier(String(beforeWord))
        if precedingWord == "on" && beforeWord.last != "=" { return pick(word, from: ["SinglePE", "RowPartition(", "ColPartition(", "Grid(", "auto"]) }
        if String(beforeWord).hasSuffix("dtype=") { return pick(word, from: Builtins.dtypes) }
        guard !word.isEmpty else { return .none }
        // The statement's first word may also be a playground or session statement (`rou` → route).
        let statements = trimmed.count == word.count ? Parser.statementKeywords + ["stream", "on"] : ["on"]
        return pick(word, from: session.names + Builtins.functions + Builtins.constants + statements)
    }

    /// The playground's statements: `send COLOR (x,y) KIND`, `route COLOR`, and the reacting cores'
    /// words (`on (x,y) receive|forward|chain`, colors, `then send`, `add|max`, `f32`). Nil: not one of them.
    func completePlayground(_ text: String) -> Completion? {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard let first = words.first, words.count >= 2, ["on", "send", "route", "unroute", "unsend"].contains(first), !words[1].hasPrefix("=") else {
            return nil
        }
        let word = words.last!
        let colors = session.playground.colors.keys.sorted()
        // `unroute COLOR (x,y)`, `unsend COLOR (x,y)`: the color's name.
        if first == "unroute" || first == "unsend" { return words.count == 2 ? pick(word, from: colors, spaceAfter: true) : Completion.none }
        // Where the PE coordinate ends: the words after it.
        guard let close = words.firstIndex(where: { $0.hasSuffix(")") || $0.hasSuffix("):") }) else {
            return first == "on" ? Completion.none : (words.count == 2 ? pick(word, from: colors, spaceAfter: true) : Completion.none)
        }
        if first == "route" {
            if words.count == 2 { return pick(word, from: colors, spaceAfter: true) }
            return completeRouteModifier(words, after: close)
        }
        if first == "send" {
            if words.count == 2 { return pick(word, from: colors, spaceAfter: true) }
            if text.contains("[") {
                // A control wavelet's words inside the list.
                let bare = String(word.drop(while: { $0 == "[" }))
                guard let letter = bare.first, letter.isLetter else { return Completion.none }
                return pick(bare, from: ControlSyntax.commandWords + ["ignore", "task", "arg"], spaceAfter: true)
            }
            return words.count - 1 == close + 1 ? pick(word, from: ["f32", "f16", "i32"], spaceAfter: true) : Completion.none
        }
        let after = Array(words[(close + 1)...])  // on (x,y) VERB ...
        guard after.count >= 1 else { return Completion.none }
        if after.count == 1 { return pick(word, from: Parser.reactionWords, spaceAfter: true) }
        let previous = after[after.count - 2]
        switch after[0] {
        case "receive":
            if text.contains("[") {
                // Its own values may hold control wavelets.
                let bare = String(word.drop(while: { $0 == "[" }))
                guard let letter = bare.first, letter.isLetter else { return Completion.none }
                return pick(bare, from: ControlSyntax.commandWords + ["ignore", "task", "arg"], spaceAfter: true)
            }
            if previous == "then" { return pick(word, from: ["send"], spaceAfter: true) }
            if previous == "send" || after.count == 3 { return pick(word, from: colors, spaceAfter: true) }
            if after.count == 4 { return pick(word, from: ["then"], spaceAfter: true) }
            return Completion.none
        case "forward", "chain":
            if previous == "->" || previous == after[0] || Int(previous) != nil { return pick(word, from: colors, spaceAfter: true) }
            if after[0] == "chain" && after.count >= 3 && after[after.count - 3] == "->" { return pick(word, from: ["add", "max"], spaceAfter: true) }
            if after[0] == "chain" && (previous == "add" || previous == "max") { return pick(word, from: ["f32"], spaceAfter: true) }
            return Completion.none
        default: return Completion.none
        }
    }

    /// The words after a route's directions: the modifiers, a switch position's rx/tx and directions,
    /// pop modes and swap axes. Nil before the `->`.
    func completeRouteModifier(_ words: [String], after close: Int) -> Completion? {
        guard let arrow = words.firstIndex(of: "->"), arrow > close, words.count > arrow + 2 else { return nil }
        let word = words.last!
        let previous = words[words.count - 2]
        let inSwitch = words.contains("switch")
        switch previous {
        case "pop": return pick(word, from: ["always", "advance", "none"], spaceAfter: true)
        case "swap": return pick(word, from: ["x", "y", "xy"], spaceAfter: true)
        case "switch": return pick(word, from: ["rx", "tx"], spaceAfter: true)
        case "rx", "tx": return pick(word, from: Parser.directions)
        case "filter", "at": return Completion.none
        default: break
        }
        if inSwitch && previous.hasSuffix(",") { return pick(word, from: ["rx", "tx"] + Parser.directions, spaceAfter: true) }
        if let letter = word.first, letter.isUppercase { return pick(word, from: Parser.directions) }
        return pick(word, from: Parser.routeModifierWords + (inSwitch ? ["rx", "tx"] : []), spaceAfter: true)
    }

    /// `:break KIND ...`: the kinds, then a playground color's name, a router output, or `color`.
    func completeBreak(_ words: [String], word: String, position: Int) -> Completion {
        if position == 1 { return pick(word, from: Shell.breakKinds, spaceAfter: true) }
        let colors = session.playground.colors.keys.sorted()
        switch words[1] {
        case "color": return position == 2 ? pick(word, from: colors) : .none
        case "backpressure", "delayed": return position == 3 ? pick(word, from: ["NORTH", "EAST", "SOUTH", "WEST", "RAMP"]) : .none
        case "delivery", "switch", "drop":
            return position == 3 ? pick(word, from: ["color"], spaceAfter: true) : position == 4 ? pick(word, from: colors) : .none
        default: return .none
        }
    }

    /// Completes `word` from `words`: the unique rest (with a space after command and setting names,
    /// where an argument follows), the longest common prefix, or the list.
    func pick(_ word: String, from words: [String], spaceAfter: Bool = false) -> Completion {
        let matches = Array(Set(words.filter { $0.hasPrefix(word) })).sorted()
        guard !matches.isEmpty else { return .none }
        if matches.count == 1 {
            let rest = String(matches[0].dropFirst(word.count)) + (spaceAfter ? " " : "")
            return rest.isEmpty ? .none : .insert(rest)
        }
        let common = matches.dropFirst().reduce(matches[0]) { $0.commonPrefix(with: $1) }
        if common.count > word.count { return .insert(String(common.dropFirst(word.count))) }
        return .candidates(matches)
    }

    /// Completes a file path: entries of its folder that start with its last component.
    func path(_ typed: String) -> Completion {
        let slash = typed.lastIndex(of: "/")
        let folderPart = slash.map { String(typed[...$0]) } ?? ""
        let namePart = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let folder = FilePaths.resolve(folderPart.isEmpty ? "." : folderPart, against: baseDirectory)
        let entries = listDirectory(folder).filter { namePart.hasPrefix(".") || !$0.name.hasPrefix(".") }
        let names = entries.map { $0.isDirectory ? $0.name + "/" : $0.name }
        return pick(namePart, from: names)
    }

    static func trailingIdentifier(_ text: String) -> String {
        String(text.reversed().prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" }).reversed())
    }

    /// The index of an unterminated quote on the line, if any.
    static func openString(_ text: String) -> String.Index? {
        var open: String.Index?
        var quote: Character?
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if let q = quote {
                if c == q { quote = nil; open = nil }
            } else if c == "\"" || c == "'" {
                quote = c; open = i
            } else if c == "#" {
                return nil
            }
            i = text.index(after: i)
        }
        return open
    }

    public static func listFileSystem(_ folder: String) -> [(name: String, isDirectory: Bool)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.map { name in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory)
            return (name, isDirectory.boolValue)
        }
    }
}
