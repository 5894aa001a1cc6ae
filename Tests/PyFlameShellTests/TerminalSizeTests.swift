import Foundation
@testable import PyFlameShell
import Testing

/// Wide output follows the terminal's size at the moment it is made (the interactive shell reports it
/// through `Shell.terminalSize`), not the `$COLUMNS` of when the shell started.
@Suite struct TerminalSizeTests {
    @Test func aFrameFitsTheWindowAsItIsNow() {
        var window = (columns: 80, rows: 30)
        let shell = Shell(terminalWidth: 120)
        shell.terminalSize = { window }
        for line in ["fabric 8x8", "a = randn([8, 8], seed=1)", "x = a * 2 on Grid(2, 2)"] { #expect(!shell.execute(line).failed) }
        let narrow = shell.execute(":view x --frame").text.split(separator: "\n")
        #expect(!narrow.isEmpty && narrow.allSatisfy { $0.count <= 80 }, "\(narrow.map(\.count).max() ?? 0) columns")
        #expect(narrow.count <= 30)
        window = (columns: 140, rows: 50)
        let wide = shell.execute(":view x --frame").text.split(separator: "\n")
        #expect(wide.contains { $0.count > 80 } || wide.count > 30, "the frame did not grow with the window")
        // Without a terminal, the width given at the start (`$COLUMNS` or 120) stays.
        shell.terminalSize = nil
        #expect(shell.terminalWidth == 120 && shell.terminalHeight == 40)
    }
}
