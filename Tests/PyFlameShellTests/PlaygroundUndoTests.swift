import Foundation
import PyFlameIR
import PyFlameLowering
@testable import PyFlameShell
import Testing

/// Taking back playground statements (`unroute`, `unsend`, `:undo`), what a redefinition says it changed,
/// and the note for a second name of one color.
@Suite struct PlaygroundUndoTests {
    static let row = [
        "fabric 4x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP",
    ]

    /// A host stream is a playground statement too: `:undo` takes it back (not the statement before it),
    /// and it leaves what `:save` writes.
    @Test func undoTakesBackAHostStream() {
        let shell = makeShell(["fabric 2x1", "color a = 0", "route a (0,0): WEST -> RAMP", "stream in a (0,0) [1, 2]"])
        #expect(shell.session.playground.hostStreams.count == 1)
        let result = shell.execute(":undo")
        #expect(result.text == "undone: stream in a (0,0) [1, 2]", "\(result.text)")
        #expect(shell.session.playground.hostStreams.isEmpty)
        #expect(shell.session.playground.routes.count == 1)
        #expect(!shell.session.log.contains { $0.hasPrefix("stream in") })
        #expect(shell.session.log.contains("route a (0,0): WEST -> RAMP"))
    }

    @Test func unrouteTakesBackARouteAndSaysWhatItWas() {
        let shell = makeShell(Self.row)
        let result = shell.execute("unroute red (1,0)")
        #expect(!result.failed, "\(result.text)")
        #expect(result.text == "unroute red (color 0) at (1,0): took back rx {WEST} tx {RAMP}", "\(result.text)")
        #expect(shell.session.playground.routes.map(\.pe) == [PECoord(0, 0)])
        let again = shell.execute("unroute red (1,0)")
        #expect(again.failed)
        #expect(again.text.contains("error: no route of red (color 0) at (1,0) to take back (:routes red lists them)"), "\(again.text)")
    }

    @Test func unrouteOfARectangleCountsThePEsAndNotesACoreLeftWaiting() {
        let shell = makeShell(["fabric 4x1", "color red = 0", "route red (0,0)..(3,0): WEST -> RAMP, EAST", "on (2,0) receive 1 red"])
        let result = shell.execute("unroute red (1,0)..(2,0)")
        #expect(result.text.hasPrefix("unroute red (color 0) at (1,0)..(2,0): took back the routes of 2 PEs"), "\(result.text)")
        #expect(result.text.contains("note: no route brings color 0 down to the core at (2,0) yet"), "\(result.text)")
        #expect(shell.session.playground.routes.map(\.pe) == [PECoord(0, 0), PECoord(3, 0)])
    }

    @Test func unsendTakesBackEverySendOfTheColorAtThePE() {
        let shell = makeShell(Self.row + ["send red (0,0) [1, 2, 3]", "send red (0,0) [4]", "color blue = 1", "send blue (0,0) [9]"])
        let result = shell.execute("unsend red (0,0)")
        #expect(result.text == "unsend red (color 0) at (0,0): took back 4 wavelets of 2 sends", "\(result.text)")
        #expect(shell.session.playground.sends.map(\.color) == [1])
        let none = shell.execute("unsend red (0,0)")
        #expect(none.failed)
        #expect(none.text.contains("error: no send on red (color 0) at (0,0) to take back"), "\(none.text)")
    }

    @Test func undoTakesBackTheLastStatementsOneByOneAndTheirLogLines() {
        let shell = makeShell(Self.row)
        #expect(!shell.execute("send red (0,0) [1, 2]").failed)
        #expect(!shell.execute("route red (1,0): WEST -> RAMP, EAST").failed)
        let first = shell.execute(":undo")
        #expect(first.text == "undone: route red (1,0): WEST -> RAMP, EAST", "\(first.text)")
        #expect(shell.session.playground.routes.first { $0.pe == PECoord(1, 0) }?.tx.description == "{RAMP}")
        let second = shell.execute(":undo")
        #expect(second.text == "undone: send red (0,0) [1, 2]", "\(second.text)")
        #expect(shell.session.playground.sends.isEmpty)
        #expect(!shell.session.log.contains("send red (0,0) [1, 2]"), ":save no longer writes it")
        #expect(!shell.session.log.contains("route red (1,0): WEST -> RAMP, EAST"))
        // The rest of the playground goes back statement by statement to nothing.
        for _ in 0..<3 { #expect(!shell.execute(":undo").failed) }
        #expect(shell.session.playground.isEmpty && shell.session.playground.colors.isEmpty)
        let nothing = shell.execute(":undo")
        #expect(nothing.failed)
        #expect(nothing.text.contains("error: nothing to undo"), "\(nothing.text)")
    }

    @Test func undoOfAnUnrouteBringsTheRouteBackAndTheRunDeliversAgain() {
        let shell = makeShell(Self.row + ["send red (0,0) [5]", "unroute red (1,0)", ":undo", ":sim", ":run"])
        #expect(ReactionShellTests.received(shell, "1,0") == ["5"])
    }

    @Test func theKeptPlaygroundsStayWithinTheirDepthAndBudgetOldestForgottenFirst() {
        func kept(routes: Int, _ name: String) -> PlaygroundUndo {
            var p = Playground()
            p.routes = (0..<routes).map { RouteConfig(pe: PECoord($0, 0), color: 0, rx: [.west], tx: [.ramp]) }
            return PlaygroundUndo(before: p, statement: name, logIndex: 0)
        }
        var stack = [kept(routes: 60, "a"), kept(routes: 30, "b"), kept(routes: 50, "c")]
        Shell.trimUndo(&stack, depth: 64, budget: 100)
        #expect(stack.map(\.statement) == ["b", "c"], "80 fits the budget; with a's 60 it would not")
        stack.append(kept(routes: 500, "d"))
        Shell.trimUndo(&stack, depth: 64, budget: 100)
        #expect(stack.map(\.statement) == ["d"], "the newest stays even when it alone is over the budget")
        stack += [kept(routes: 0, "e"), kept(routes: 0, "f")]
        Shell.trimUndo(&stack, depth: 2, budget: 1_000)
        #expect(stack.map(\.statement) == ["e", "f"])
        // Through the shell: the stack never grows past the depth.
        let shell = makeShell(["color red = 0"])
        for i in 0..<(Shell.undoDepth + 5) { _ = shell.execute("route red (\(i % 16),0): WEST -> RAMP") }
        #expect(shell.session.playgroundUndo.count == Shell.undoDepth)
    }

    @Test func aReplacedRouteSaysWhatItWas() {
        let shell = makeShell(Self.row)
        let changed = shell.execute("route red (1,0): WEST -> RAMP, EAST")
        #expect(changed.text.contains("note: replaces the route of color 0, which was rx {WEST} tx {RAMP}"), "\(changed.text)")
        let same = shell.execute("route red (1,0): WEST -> RAMP, EAST")
        #expect(same.text.contains("note: the same route as before at that PE: nothing changed"), "\(same.text)")
        let switched = shell.execute("route red (0,0)..(1,0): WEST -> EAST")
        #expect(
            switched.text.contains("note: replaces the route of color 0 at 2 PEs (at (0,0) it was rx {RAMP} tx {EAST})"), "\(switched.text)")
    }

    @Test func aSecondNameForAColorGetsANoteAndARebindingSaysWhatItWas() {
        let shell = makeShell(["color red = 0"])
        let alias = shell.execute("color blue = 0")
        #expect(!alias.failed)
        #expect(alias.text == "color blue = 0\nnote: color 0 is also named red: red and blue are 2 names for one color", "\(alias.text)")
        let rebind = shell.execute("color red = 3")
        #expect(rebind.text == "color red = 3\nnote: red was color 0: what was written with red before stays on color 0", "\(rebind.text)")
        #expect(shell.execute("color red = 3").text == "color red = 3", "the same binding again says nothing more")
    }
}
