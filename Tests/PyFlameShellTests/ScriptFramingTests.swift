import Foundation
@testable import PyFlameShell
import Testing

/// How a script's bytes become lines: LF, CR LF and a lone CR end a line; a UTF-8 byte-order mark at the
/// start is dropped; a NUL byte stays in its line, where the lexer names it.
@Suite struct ScriptFramingTests {
    func lines(_ text: String) -> [String] {
        var source = ArrayLineSource(text: text)
        var out: [String] = []
        while case .line(let l) = source.readLine(prompt: "") { out.append(l) }
        return out
    }

    @Test func crLfAndLoneCrEndLines() {
        #expect(lines("a = ones(2)\r\nb = a + 1\r\n") == ["a = ones(2)", "b = a + 1"])
        #expect(lines("a = ones(2)\rb = a + 1\r") == ["a = ones(2)", "b = a + 1"])
        #expect(lines("a\r\n\r\nb\nc\rd") == ["a", "", "b", "c", "d"])
        #expect(lines("a\n\r\nb") == ["a", "", "b"])
    }

    @Test func aByteOrderMarkAtTheStartIsDropped() {
        #expect(lines("\u{FEFF}a = ones(2)\n") == ["a = ones(2)"])
        #expect(lines("a = ones(2)\n\u{FEFF}b = 1\n")[1] == "\u{FEFF}b = 1")
    }

    @Test func aCrLfScriptRunsStatementByStatementAndKeepsGoing() {
        let script = "\u{FEFF}# pfs: keep-going\r\na = ones(2)\r\nb = nope\r\nc = a + 1\r\n"
        let transcript = Transcript.replay(script, base: "")
        #expect(transcript.contains("pyflame> a = ones(2)\na = tensor<2xf32> host [1, 1]\n"))
        #expect(transcript.contains("c = tensor<2xf32> SinglePE [2, 2]"))
        #expect(!transcript.contains("\r"))
    }

    @Test func aNulByteIsAnErrorInItsLine() {
        let transcript = Transcript.replay("# pfs: keep-going\na = ones(2)\u{0}\nb = ones(2) + 1\n", base: "")
        #expect(transcript.contains("pyflame> a = ones(2)\u{2400}\nerror: unexpected character"))
        #expect(!transcript.contains("\u{0}"))
        #expect(transcript.contains("b = tensor<2xf32> SinglePE [2, 2]"))
    }

    @Test func loadFramesItsFileTheSameWay() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("\u{FEFF}a = ones(2)\r\nb = a + 1\r\n".utf8).write(to: URL(fileURLWithPath: folder + "/crlf.pfs"))
        let shell = Shell(baseDirectory: folder)
        let r = run(shell, ":load crlf.pfs")
        #expect(!r.failed)
        #expect(shell.session.names == ["a", "b"])
    }
}
