import Foundation
import PyFlameCSLFrontend
import Testing

/// One `@name(...)` call of a file: the builtin's name and how many arguments it is given.
private struct BuiltinCall {
    var name: String
    var argumentCount: Int
    var place: String
}

/// Every builtin call of a CSL file, read from its tokens: arguments are counted at the call's own depth,
/// and a trailing comma does not count.
private func builtinCalls(in file: CSLSourceFile) -> [BuiltinCall] {
    let tokens = CSLLexer.tokenize(file).tokens
    var calls: [BuiltinCall] = []
    for (k, token) in tokens.enumerated() where token.kind == .builtin {
        guard k + 1 < tokens.count, tokens[k + 1].kind == .symbol(.lParen) else { continue }
        var depth = 0
        var commas = 0
        var sawArgument = false
        var lastWasComma = false
        for inner in tokens[(k + 1)...] {
            switch inner.kind {
            case .symbol(.lParen), .symbol(.lBracket), .symbol(.lBrace):
                depth += 1
                if depth > 1 { sawArgument = true }
                lastWasComma = false
            case .symbol(.rParen), .symbol(.rBracket), .symbol(.rBrace):
                depth -= 1
                lastWasComma = false
            case .symbol(.comma) where depth == 1:
                commas += 1
                lastWasComma = true
            case .endOfFile:
                depth = 0
            default:
                sawArgument = true
                lastWasComma = false
            }
            if depth == 0 { break }
        }
        let count = sawArgument ? commas + 1 - (lastWasComma ? 1 : 0) : 0
        let name = String(file.slice(token.range).drop { $0 == "@" })
        let line = file.location(of: token.range.start).line
        calls.append(BuiltinCall(name: name, argumentCount: count, place: "\(file.path):\(line)"))
    }
    return calls
}

/// The builtins table against every builtin call of Cerebras' 164 SDK 1.4 example files (from
/// PYFLAME_CSL_EXAMPLES, like the ExampleRoutes tests): each call names a builtin of the table with a
/// count one of its forms takes, and the table lists no builtin the examples never call.
@Suite(.enabled(if: CerebrasExamples.isGiven, "\(CerebrasExamples.notGiven)"))
struct ExampleBuiltinCallsTests {
    @Test func everyCallOfTheExamplesFitsTheTable() throws {
        let root = try #require(CerebrasExamples.folder)
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        var calls: [BuiltinCall] = []
        var files = 0
        for case let relative as String in enumerator where relative.hasSuffix(".csl") {
            let path = URL(fileURLWithPath: root).appendingPathComponent(relative).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            calls += builtinCalls(in: CSLSourceFile(path: relative, text: text))
            files += 1
        }
        #expect(files == 164, "expected the 164 .csl files of v1.4.0 in \(root)")
        let wrong = calls.compactMap { call in CSLBuiltin.check(call.name, argumentCount: call.argumentCount).map { "\(call.place): \($0)" } }
        #expect(wrong.isEmpty, "calls the table refuses:\n\(wrong.prefix(20).joined(separator: "\n"))")
        let called = Set(calls.map(\.name))
        let neverCalled = CSLBuiltin.all.map(\.name).filter { !called.contains($0) }
        #expect(neverCalled.isEmpty, "in the table but called by no example: \(neverCalled)")
        #expect(calls.count > 3000, "only \(calls.count) builtin calls found")
    }
}
