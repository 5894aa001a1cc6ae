import Foundation
@testable import PyFlameShell
import PyFlameCSL
import PyFlameLowering
import Testing

/// Local task IDs beside memcpy: every SDK 1.4 task-ID map reserves 21, 22 and 23 for memcpy, so the
/// free ones are 8–20 and 24–26 (on WSE-2 also minus the colors a PE routes). Programs with many colors
/// at a PE used to get 21.
@Suite struct TaskIDTests {
    /// Every local task ID an emitted project uses: literals in PE programs and `*_TASK` parameters in the layout.
    static func taskIDs(in folder: String) throws -> [Int] {
        var ids: [Int] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".csl") {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for pattern in [#"@get_local_task_id\((\d+)\)"#, #"_TASK = (\d+)"#] {
                let regex = try NSRegularExpression(pattern: pattern)
                for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    ids.append(Int((text as NSString).substring(with: m.range(at: 1)))!)
                }
            }
        }
        return ids
    }

    @Test(arguments: [
        ["x = randn([16, 16], seed=1)", "s = sum(x, dim=0) on Grid(4, 4)"],
        ["y = randn([8, 8], seed=1)", "c = y @ y on Grid(8, 8)", "s = sum(c) on Grid(8, 8)"],
    ])
    func emittedProgramsUseNoTaskIDThatMemcpyReserves(_ statements: [String]) throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        for s in ["fabric 16x16"] + statements { #expect(!shell.execute(s).failed, "\(s)") }
        let (_, program) = try #require(try? shell.fabricProgram(nil))
        for pe in program.pes { #expect(!(21...23).contains(pe.taskID), "PE \(pe.pe) steps on task \(pe.taskID)") }
        let emitted = shell.execute(":emit s")
        #expect(!emitted.failed, "\(emitted.text)")
        let ids = try Self.taskIDs(in: root + "/out/s")
        #expect(!ids.isEmpty)
        #expect(ids.allSatisfy { (8...20).contains($0) || (24...26).contains($0) }, "task IDs \(Set(ids).sorted())")
    }

    @Test func theCheckerFlagsAHandEditedProjectThatUsesTaskID22() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        for s in ["fabric 16x16", "x = randn([16, 16], seed=1)", "s = sum(x, dim=0) on Grid(4, 4)", ":emit s"] {
            #expect(!shell.execute(s).failed, "\(s)")
        }
        let file = root + "/out/s/pe_program_0.csl"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("@get_local_task_id(8)"))
        try text.replacingOccurrences(of: "@get_local_task_id(8)", with: "@get_local_task_id(22)").write(toFile: file, atomically: true, encoding: .utf8)
        let checked = shell.execute(":check out/s")
        #expect(checked.failed)
        #expect(
            checked.text.contains(
                "error: local task ID 22 (task `resume_task`) is reserved by memcpy (it takes 21–23 in a project that imports it); the free local task IDs are 8–20 and 24–26"
            ),
            "\(checked.text)")
    }

    @Test func aPEThatNeedsMoreTaskIDsThanAreFreeIsRefusedWithTheReason() throws {
        // WSE-2: a PE routing colors 0–20 keeps 24–26 only (three IDs); a step with three concurrent
        // operations needs four (the step task and a counter for each).
        let shell = Shell()
        for s in ["fabric 16x16", "y = randn([8, 8], seed=1)", "c = y @ y on Grid(8, 8)"] { #expect(!shell.execute(s).failed) }
        let (_, program) = try #require(try? shell.fabricProgram(nil))
        var crowded = program
        let pe = crowded.pes[0].pe
        let routed = Set(crowded.routes.filter { $0.pe == pe }.map(\.color))
        for color in 0...20 where !routed.contains(color) {
            crowded.routes.append(RouteConfig(pe: pe, color: color, rx: [.north], tx: [.south]))
        }
        let s = try #require(crowded.pes[0].steps.firstIndex { if case .fabric = $0 { return true } else { return false } })
        guard case .fabric(var ops) = crowded.pes[0].steps[s] else { return }
        #expect(ops.count == 2)
        ops.append(.receive(BufferAccess(buffer: 0, extents: [1]), color: 20, combine: .store))
        crowded.pes[0].steps[s] = .fabric(ops)
        // The lowering assigns task IDs and refuses such a PE itself (it never lowers and then fails to emit).
        var crowdedPE = crowded.pes[0]
        let routedNow = Set(crowded.routes.filter { $0.pe == pe }.map(\.color))
        do {
            try Lowering.assignResources(&crowdedPE, routed: routedNow, architecture: .wse2)
            Issue.record("PE \(pe) got task IDs for three concurrent operations with three free IDs")
        } catch {
            #expect(error.kind == .taskIDs(pe: pe, needed: 4, free: 3), "\(error.message)")
        }
        // The emitter refuses (never traps on) a program edited after lowering.
        let emitter = CSLEmitter(templates: TemplateSet.builtIn(), generatorVersion: "test")
        do {
            _ = try emitter.emit(crowded, graph: shell.session.graph, name: "c", data: HostData(inputs: [:], outputs: [:]))
            Issue.record("the emitter took a program edited after lowering")
        } catch {
            guard case .missingResources = error.kind else {
                Issue.record("\(error.message)")
                return
            }
        }
    }
}
