import Foundation
import PyFlameCSLFrontend
import Testing

/// The repository's root, found from this source file.
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// Every `@name(` spelled in the files under `folder` whose names end in one of `suffixes`, with the first
/// file that spells it (line comments aside).
private func builtinCalls(under folder: URL, suffixes: [String]) throws -> [String: String] {
    let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
    let call = /@([a-z_0-9]+)\(/
    var found: [String: String] = [:]
    for case let relative as String in enumerator where suffixes.contains(where: relative.hasSuffix) {
        let text = try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
        for line in text.split(separator: "\n") {
            let code = line.components(separatedBy: "//").first ?? ""
            for match in code.matches(of: call) where found[String(match.output.1)] == nil {
                found[String(match.output.1)] = relative
            }
        }
    }
    return found
}

@Suite struct BuiltinTableTests {
    /// Names the test corpus calls that are not SDK 1.4 builtins, and why they may stay there (empty: every
    /// call of the corpus is a builtin of the table). Each must still be called by the corpus and stay out of
    /// the table, so the list cannot go stale.
    static let notBuiltins: [String: String] = [
        "sizeof": "Corpus/kinds.csl calls @sizeof to cover a builtin call in a comptime assert for the parser only; "
            + "neither the SDK 1.4 builtins page nor any of the 164 example files has it (Zig's is @sizeOf)"
    ]

    @Test func everyBuiltinOfTheTestCorpusIsInTheTable() throws {
        let corpus = repositoryRoot.appendingPathComponent("Tests/PyFlameCSLFrontendTests/Corpus")
        let calls = try builtinCalls(under: corpus, suffixes: [".csl"])
        #expect(calls.count > 20, "the corpus calls only \(calls.keys.sorted())")
        let missing = calls.filter { CSLBuiltin.lookup($0.key) == nil && Self.notBuiltins[$0.key] == nil }.map { "@\($0.key) (\($0.value))" }
        #expect(missing.isEmpty, "not in the builtin table: \(missing.sorted())")
        for name in Self.notBuiltins.keys.sorted() {
            #expect(calls[name] != nil, "@\(name) is listed as a corpus exception but the corpus no longer calls it: drop it from the list")
            #expect(CSLBuiltin.lookup(name) == nil, "@\(name) is in the table and listed as not a builtin")
        }
    }

    @Test func everyBuiltinTheEmitterWritesIsInTheTable() throws {
        var calls = try builtinCalls(under: repositoryRoot.appendingPathComponent("templates"), suffixes: [".template"])
        calls.merge(try builtinCalls(under: repositoryRoot.appendingPathComponent("Sources/PyFlameCSL"), suffixes: [".swift"])) { a, _ in a }
        #expect(calls["set_color_config"] != nil && calls["get_dsd"] != nil)
        let missing = calls.filter { CSLBuiltin.lookup($0.key) == nil }.map { "@\($0.key) (\($0.value))" }.sorted()
        #expect(missing.isEmpty, "not in the builtin table: \(missing)")
    }

    @Test func lookupTakesTheNameWithOrWithoutTheAt() throws {
        let color = try #require(CSLBuiltin.lookup("@get_color"))
        #expect(CSLBuiltin.lookup("get_color") == color)
        #expect(color.result == .color && color.argumentCounts == [1])
        #expect(CSLBuiltin.lookup("bind_task") == nil)  // removed in SDK 1.1
        #expect(Set(CSLBuiltin.all.map(\.name)).count == CSLBuiltin.all.count, "a builtin is listed twice")
    }

    @Test func aWrongArgumentCountNamesTheCountsAndTheForms() throws {
        let range = try #require(CSLBuiltin.lookup("range"))
        #expect(range.check(argumentCount: 2) == nil && range.check(argumentCount: 4) == nil)
        #expect(range.check(argumentCount: 3) == "@range takes 2 or 4 arguments, not 3: @range(type, stop) or @range(type, start, stop, step)")
        #expect(CSLBuiltin.check("get_color", argumentCount: 2) == "@get_color takes 1 argument, not 2: @get_color(id)")
        #expect(CSLBuiltin.check("get_rectangle", argumentCount: 1) == "@get_rectangle takes no arguments, not 1: @get_rectangle()")
        #expect(
            CSLBuiltin.check("set_tile_code", argumentCount: 5)
                == "@set_tile_code takes 2 to 4 arguments, not 5: @set_tile_code(x, y) or @set_tile_code(x, y, file) or @set_tile_code(x, y, file, params)"
        )
        #expect(CSLBuiltin.check("set_color_config", argumentCount: 3)?.hasPrefix("@set_color_config takes 4 arguments, not 3") == true)
        #expect(CSLBuiltin.check("fmacs", argumentCount: 5) == nil)
        #expect(CSLBuiltin.check("fmacs", argumentCount: 3)?.hasPrefix("@fmacs takes 4 or 5 arguments, not 3") == true)
    }

    @Test func aRepeatingParameterTakesAnyNumberBeyondTheForm() {
        #expect(CSLBuiltin.check("map", argumentCount: 2) == nil)
        #expect(CSLBuiltin.check("map", argumentCount: 6) == nil)
        #expect(CSLBuiltin.check("map", argumentCount: 1) == "@map takes at least 2 arguments, not 1: @map(callback, operand, operand...)")
    }

    @Test func anUnknownBuiltinIsNamedWithTheNearestOnes() {
        #expect(CSLBuiltin.check("fadd", argumentCount: 3) == "@fadd is not a builtin of SDK 1.4 CSL (did you mean @faddh or @fadds?)")
        #expect(CSLBuiltin.check("@bind_task", argumentCount: 2)?.hasPrefix("@bind_task is not a builtin of SDK 1.4 CSL") == true)
        #expect(CSLBuiltin.check("xyzzy_frobnicate", argumentCount: 0) == "@xyzzy_frobnicate is not a builtin of SDK 1.4 CSL")
    }

    @Test func argumentKindsAreCheckedAgainstEveryFormOfThatLength() throws {
        let dataTask = try #require(CSLBuiltin.lookup("get_data_task_id"))
        #expect(dataTask.check(argumentKinds: [.color]) == nil)
        #expect(dataTask.check(argumentKinds: [.inputQueue]) == nil)
        #expect(
            dataTask.check(argumentKinds: [.localTaskID])
                == "argument 1 of @get_data_task_id (source) must be a color or an input queue, not a local task ID")
        let config = try #require(CSLBuiltin.lookup("set_color_config"))
        // Unknown kinds (nil) are not checked; a comptime integer is an integer.
        #expect(config.check(argumentKinds: [.comptimeInt, nil, .color, .struct]) == nil)
        #expect(
            config.check(argumentKinds: [.comptimeInt, .comptimeInt, .integer, .struct])
                == "argument 3 of @set_color_config (color) must be a color, not an integer")
        #expect(config.check(argumentKinds: [.comptimeInt])?.hasPrefix("@set_color_config takes 4 arguments, not 1") == true)
        let block = try #require(CSLBuiltin.lookup("block"))
        #expect(block.check(argumentKinds: [.color]) == nil && block.check(argumentKinds: [.dataTaskID]) == nil)
        #expect(block.check(argumentKinds: [.dsd]) == "argument 1 of @block (id) must be a task ID, not a DSD")
    }

    @Test func placesAndArchitecturesFollowTheDocumentation() throws {
        #expect(try #require(CSLBuiltin.lookup("set_color_config")).place == .layout)
        #expect(try #require(CSLBuiltin.lookup("set_local_color_config")).place == .anywhere)
        #expect(try #require(CSLBuiltin.lookup("fadds")).place == .runtime)
        #expect(try #require(CSLBuiltin.lookup("get_ut_id")).onlyOn == "wse3")
        #expect(CSLBuiltin.all.filter { $0.onlyOn != nil }.map(\.name) == ["get_ut_id"])
    }
}
