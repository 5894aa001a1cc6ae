import Foundation
import PyFlameIR
import PyFlameLowering
@testable import PyFlameShell
import Testing

/// The session holds the playground's program: every playground statement rebuilds it, and what reads the
/// playground (`:sim`, `:routes`, `:colors`, `:status`, `:emit --playground`) reads that program.
@Suite struct PlaygroundProgramShellTests {
    @Test func everyPlaygroundStatementRebuildsTheProgram() throws {
        let shell = Shell()
        run(shell, "fabric 4x1", "color red = 0", "route red (0,0): RAMP -> EAST")
        var program = try #require(shell.session.playground.program)
        #expect(program.routes == shell.session.playground.routes)
        #expect(program.hostInputs.isEmpty)
        run(shell, "route red (1,0): WEST -> RAMP", "send red (0,0) [1, 2, 3]")
        program = try #require(shell.session.playground.program)
        #expect(program.routes.count == 2)
        #expect(program.hostInputs.map(\.source) == [.playgroundSends(color: 0)])
        #expect(program.pes.map(\.pe) == [PECoord(0, 0)])
        // A renamed color is named in the program at once.
        run(shell, "color scarlet = 0")
        #expect(shell.session.playground.program?.colors.map(\.name) == ["red"])
        run(shell, ":reset")
        #expect(shell.session.playground.program == nil)
    }

    /// A route over a rectangle replaces earlier routes of its color by look-up (a whole-wafer rectangle
    /// once took hours: a search per PE) and Ctrl-C stops it with the playground as it was.
    @Test func aRouteRectangleReplacesByLookUpAndCtrlCLeavesThePlaygroundAsItWas() throws {
        let shell = Shell()
        run(shell, "fabric 300x300", "color red = 0", "color blue = 1", "route blue (5,5): RAMP -> EAST", "route red (0,0)..(299,299): WEST -> EAST")
        #expect(shell.session.playground.routes.count == 90_001)
        let again = shell.execute("route red (0,0)..(299,1): EAST -> WEST")
        #expect(again.text.contains("note: replaces the route of color 0 at 600 PEs"), "\(again.text)")
        #expect(shell.session.playground.routes.count == 90_001)
        #expect(shell.session.playground.routes.first { $0.pe == PECoord(7, 1) && $0.color == 0 }?.rx == [.east])
        let before = shell.session.playground.routes
        shell.shouldStop = { true }
        let stopped = shell.execute("route red (0,0)..(299,299): NORTH -> SOUTH")
        #expect(stopped.failed && stopped.text.contains("interrupted (Ctrl-C): the route was not added"), "\(stopped.text)")
        #expect(shell.session.playground.routes == before)
    }

    /// `:routes COLORNAME` filters the playground's routes by a playground color's name, tensors or not.
    @Test func routesTakeAPlaygroundColorName() {
        let shell = Shell()
        run(shell, "color red = 0", "color blue = 1", "route red (0,0): RAMP -> EAST", "route blue (1,0): RAMP -> EAST", "x = randn([2, 2])")
        #expect(shell.execute(":routes red").text == "(0,0) color 0: rx {RAMP} tx {EAST}")
        #expect(shell.execute(":routes --playground blue").text == "(1,0) color 1: rx {RAMP} tx {EAST}")
        #expect(shell.execute(":routes 24").text.hasPrefix("error: colors are 0–23, not 24"))
    }

    @Test func aChangedTargetOrFabricMakesANewProgram() throws {
        let shell = Shell()
        run(shell, "fabric 4x4", "color c = 8", "route c (0,0): RAMP -> EAST", "route c (1,0): WEST -> RAMP", "send c (0,0) [1]")
        #expect(try shell.playgroundProgram().program(at: PECoord(0, 0))?.taskID == 9)
        run(shell, "target wse3")
        let program = try shell.playgroundProgram()
        #expect(program.architecture == .wse3 && program.program(at: PECoord(0, 0))?.taskID == 8)
        run(shell, "fabric 5x5")
        #expect(try shell.playgroundProgram().fabric == FabricSize(width: 5, height: 5))
    }

    @Test func routesAndColorsReadThePlaygroundWithoutATensorOrWithTheFlag() {
        let shell = Shell()
        run(shell, "fabric 3x1", "color red = 2", "route red (0,0): RAMP -> EAST", "route red (1,0)..(2,0): WEST -> RAMP")
        #expect(run(shell, ":routes").text == "(0,0) color 2: rx {RAMP} tx {EAST}\n(1,0) color 2: rx {WEST} tx {RAMP}\n(2,0) color 2: rx {WEST} tx {RAMP}")
        #expect(run(shell, ":colors").text.contains("color 2  red\n           carries no sends: only routes\n           routed at 3 PEs (0,0)..(2,0)"))
        run(shell, "x = ones(4)")
        #expect(run(shell, ":routes x").failed)  // a host tensor has no program
        #expect(run(shell, ":routes --playground 2 --limit 1").text == "(0,0) color 2: rx {RAMP} tx {EAST}\n... 2 more (--limit N shows more)")
    }

    @Test func anEmptyPlaygroundIsNamedInTheError() {
        let shell = Shell()
        let result = run(shell, ":colors --playground")
        #expect(result.failed && result.text.contains("the playground has no routes yet"), "\(result.text)")
    }

    @Test func aSendOverTheBudgetIsRefusedByEmit() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        let values = (1...300).map(String.init).joined(separator: ", ")
        run(
            shell, "fabric 2x1", "set pe_data_budget 1K", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP",
            "send red (0,0) [\(values)]")
        let result = shell.execute(":emit --playground pg")
        #expect(result.failed)
        #expect(result.text.contains("cannot emit the playground: PE (0,0) needs 1200 B of data, budget 1024 B"), "\(result.text)")
        #expect(!FileManager.default.fileExists(atPath: root + "/pg"))
    }
}
