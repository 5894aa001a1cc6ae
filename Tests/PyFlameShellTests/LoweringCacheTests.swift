import Foundation
@testable import PyFlameShell
import Testing

/// The lowered program a command shows follows the names the session has now.
@Suite struct LoweringCacheTests {
    @Test func renamingAnInputRelowersWithTheNewName() {
        let shell = Shell()
        run(shell, "fabric 8x8", "a = arange(8)", "c = a + 1 on RowPartition(2)")
        #expect(run(shell, ":lower c").text.contains("host input  a "))
        run(shell, "b = a", "a = ones(8)")
        let lowered = run(shell, ":lower c").text
        #expect(lowered.contains("host input  b "), "\(lowered)")
        #expect(!lowered.contains("host input  a "))
        let csl = run(shell, ":csl c").text
        #expect(csl.contains("\"b\""))
        #expect(!csl.contains("\"a\""))
        #expect(run(shell, ":graph").text.contains("b"))
    }
}
