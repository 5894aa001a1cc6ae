@testable import PyFlameShell
import Testing

/// Emission refusals name values as the user sees them, never by internal buffer names.
@Suite struct EmitMessageTests {
    @Test func anUnnamedBF16InputIsNamedAsTheGraphShowsIt() {
        let shell = Shell()
        #expect(!shell.execute("y = randn([4], dtype=bf16) * 2 on SinglePE").failed)
        let result = shell.execute(":csl y")
        #expect(result.failed)
        let text = result.lines.map(\.text).joined(separator: "\n")
        #expect(text.contains("the unnamed value %0 (see :graph) is bf16"))
        #expect(!text.contains("tmp0"))
        // A named one keeps its name.
        #expect(!shell.execute("x = randn([4], dtype=bf16)").failed)
        #expect(!shell.execute("w = x * 2 on SinglePE").failed)
        #expect(shell.execute(":csl w").lines.map(\.text).joined().contains("x is bf16"))
    }
}
