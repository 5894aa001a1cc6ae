import Foundation
@testable import PyFlameShell
import PyFlameIR
import Testing

/// Item 27: what `:emit --playground` writes means what the simulated playground did. Where a CSL
/// program cannot do what the simulation did, the emit is refused with the reason.
@Suite struct PlaygroundEmitTests {
    @Test func twoSendsOnOnePEAndColorAreRefusedNotSerialised() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        run(
            shell, "fabric 2x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP",
            "send red (0,0) [1, 2]", "send red (0,0) [3]")
        let result = shell.execute(":emit --playground pg")
        #expect(result.failed)
        #expect(result.text.contains("cannot emit the playground: (0,0) has 2 sends on color red"), "\(result.text)")
        #expect(!FileManager.default.fileExists(atPath: root + "/pg"))
    }

    @Test func aSenderThatReceivesItsOwnColorIsRefusedWithTheReason() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        let values = (1...40).map(String.init).joined(separator: ", ")
        run(
            shell, "fabric 1x2", "color red = 0", "route red (0,0): RAMP -> RAMP, SOUTH", "route red (0,1): NORTH -> RAMP",
            "send red (0,0) [\(values)]")
        let result = shell.execute(":emit --playground pg")
        #expect(result.failed)
        #expect(result.text.contains("cannot emit the playground: (0,0) sends on color red and also receives it"), "\(result.text)")
        #expect(!FileManager.default.fileExists(atPath: root + "/pg"))
    }

    @Test func streamsMergedFromTwoSourcesAreComparedWithoutOrder() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        // (0,0) and (4,0) both send red to (1,0), whose route takes it from WEST and EAST (at different
        // cycles: one hop from the west, three from the east).
        run(
            shell, "fabric 5x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (4,0): RAMP -> WEST",
            "route red (2,0)..(3,0): EAST -> WEST", "route red (1,0): WEST, EAST -> RAMP", "send red (0,0) [1, 2, 3]", "send red (4,0) [10, 20]")
        let result = shell.execute(":emit --playground pg")
        #expect(!result.failed, "\(result.text)")
        let runPy = try String(contentsOfFile: root + "/pg/run.py", encoding: .utf8)
        // received_red: 5 wavelets at (1,0), from two senders: compared as a multiset.
        #expect(runPy.contains("'received_red.tolerance.npy', [(0, 5)]),"), "\(runPy)")
        #expect(runPy.contains("'sent_red.npy'"))
    }

    @Test func aSingleSourceStreamKeepsItsOrder() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        run(shell, "fabric 2x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP", "send red (0,0) [3, 1, 2]")
        let result = shell.execute(":emit --playground pg")
        #expect(!result.failed, "\(result.text)")
        let runPy = try String(contentsOfFile: root + "/pg/run.py", encoding: .utf8)
        #expect(runPy.contains("'received_red.tolerance.npy', []),"), "\(runPy)")
    }
}
