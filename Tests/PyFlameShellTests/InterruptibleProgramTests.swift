import Foundation
@testable import PyFlameShell
import Testing

/// A Ctrl-C flag the test raises after the statements that set a program up (the shell polls it as it
/// polls `Interrupts.pending`).
final class InterruptFlag: @unchecked Sendable {
    var raised = false
}

/// `:lower`, `:emit`, `:csl` and `:check` poll the shell's interrupt check in their long loops: a Ctrl-C
/// stops each with a message, leaves the session as it was, and the command works again afterwards.
@Suite struct InterruptibleProgramTests {
    func shell(_ flag: InterruptFlag, base: String = "") -> Shell {
        let shell = Shell(baseDirectory: base, shouldStop: { flag.raised })
        run(shell, "fabric 16x16", "x = randn([16, 16], seed=3)", "b = exp(x) * 2 on Grid(8, 8)")
        return shell
    }

    @Test func controlCStopsLowering() {
        let flag = InterruptFlag()
        let shell = shell(flag)
        flag.raised = true
        let stopped = shell.execute(":lower b")
        #expect(stopped.failed)
        #expect(stopped.text.contains("interrupted (Ctrl-C): b was not lowered"), "\(stopped.text)")
        // Nothing half-made was kept: with the flag down, the same command lowers the whole program.
        flag.raised = false
        let lowered = shell.execute(":lower b")
        #expect(!lowered.failed, "\(lowered.text)")
        #expect(lowered.text.contains("on 64 PEs"), "\(lowered.text)")
    }

    @Test func controlCStopsEmittingAndPrintingCSL() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let flag = InterruptFlag()
        let shell = shell(flag, base: root)
        // Lowered first (and cached), so what the flag stops below is the emitter itself.
        #expect(!shell.execute(":lower b").failed)
        flag.raised = true
        let emitted = shell.execute(":emit b")
        #expect(emitted.failed)
        #expect(emitted.text.contains("interrupted (Ctrl-C): b was not emitted"), "\(emitted.text)")
        #expect(!FileManager.default.fileExists(atPath: root + "/out/b"))
        let printed = shell.execute(":csl b layout.csl")
        #expect(printed.failed)
        #expect(printed.text.contains("interrupted (Ctrl-C): b was not emitted"), "\(printed.text)")
        flag.raised = false
        let again = shell.execute(":emit b")
        #expect(!again.failed, "\(again.text)")
    }

    @Test func controlCStopsChecking() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let flag = InterruptFlag()
        let shell = shell(flag, base: root)
        #expect(!shell.execute(":emit b").failed)
        flag.raised = true
        let checked = shell.execute(":check out/b")
        #expect(checked.failed)
        #expect(checked.text.contains("interrupted (Ctrl-C): out/b was not checked"), "\(checked.text)")
        #expect(!checked.text.contains("the structural checks pass"))
        flag.raised = false
        #expect(shell.execute(":check out/b").text.hasSuffix("out/b: the checks pass"))
    }
}
