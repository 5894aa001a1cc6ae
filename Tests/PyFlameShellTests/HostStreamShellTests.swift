import PyFlameIR
import PyFlameLowering
@testable import PyFlameShell
import PyFlameSimulator
import Testing

/// `stream in` / `stream out` in the shell: pipeline-01 (teaching case 7) typed as a teacher would, the
/// settings for memcpy's buffering, and the errors, which talk about edges and routes.
@Suite struct HostStreamShellTests {
    /// pipeline-01 with `size` wavelets: the host streams 0, 3, 6, ... in, the core adds 1, the host reads them back.
    static func pipeline(size: Int, settings: [String] = []) -> [String] {
        let ones = Array(repeating: "1", count: size).joined(separator: ", ")
        let values = (0..<size).map { String($0 * 3) }.joined(separator: ", ")
        return settings + [
            "color h2d = 0", "color d2h = 1", "route h2d (0,0): WEST -> RAMP", "route d2h (0,0): RAMP -> WEST",
            "on (0,0) chain h2d -> d2h add [\(ones)]", "stream in h2d (0,0) [\(values)]", "stream out d2h (0,0) \(size)",
            "set stall_limit 100", ":sim",
        ]
    }

    @Test func pipeline01Reads14BackAndStallsAt15() throws {
        let fits = makeShell(Self.pipeline(size: 14), fabric: "fabric 1x1")
        let run = fits.execute(":run")
        #expect(finishedCycle(run.text) != nil, "\(run.text)")
        #expect(run.text.contains("the host read 14 wavelets of d2h (color 1) at (0,0): 1, 4, 7, 10, 13"), "\(run.text)")

        let over = makeShell(Self.pipeline(size: 15), fabric: "fabric 1x1")
        let stalled = over.execute(":run")
        #expect(stalled.failed)
        #expect(
            stalled.text.contains(
                "error: stall: no progress for 100 cycles: the host stream into (0,0) on color 0 (from WEST) cannot finish, 14 wavelets are outstanding and 1 of its 15 still waits at the host; no more fit into (0,0)'s route and its input queue 2"
            ), "\(stalled.text)")
        #expect(stalled.text.contains("so the host stream out of (0,0) on color 1 waits for it"))
        #expect(over.loaded?.simulation.error?.category == .stall)
        // :status says which host transfer memcpy is on and how far each stream got.
        let status = over.execute(":status").text
        #expect(
            status.contains("host     transfer 1 of 2 running: stream in at (0,0) on color 0, 14 of 15 in; stream out at (0,0) on color 1, 0 of 15 read"),
            "\(status)")
        #expect(
            fits.execute(":status").text.contains(
                "host     all 2 transfers done: stream in at (0,0) on color 0, 14 of 14 in; stream out at (0,0) on color 1, 14 of 14 read"))
    }

    /// memcpy's buffering is a setting: one more place at the edge lets one more wavelet through.
    @Test(arguments: ["host_in_buffer", "host_out_buffer"])
    func memcpyBufferingIsASettingThatMovesTheStallPoint(setting: String) throws {
        let shell = makeShell(Self.pipeline(size: 15, settings: ["set \(setting) 1"]), fabric: "fabric 1x1")
        let model = try #require(shell.loaded?.simulation.model)
        #expect(setting == "host_in_buffer" ? model.hostInBuffer == 1 : model.hostOutBuffer == 1)
        #expect(finishedCycle(shell.execute(":run").text) != nil)
        #expect(Settings().fabricModel(architecture: .wse2).hostInBuffer == FabricModel().hostInBuffer)
    }

    @Test func streamsOnlyCrossTheWestOrNorthEdge() {
        let shell = makeShell(["color a = 0"], fabric: "fabric 4x4")
        let cases: [(String, String)] = [
            ("stream in a (1,1) [1]", "error: (1,1) is on neither the west edge (column 0) nor the north edge (row 0): a host stream enters the fabric"),
            ("stream in a (0,2) from north [1]", "error: (0,2) is not on the north edge (row 0)"),
            ("stream in a (0,0) from east [1]", "error: a host stream crosses the west or north edge of the fabric, not east"),
            ("stream out a (2,0) 0", "error: a stream out reads 1 to 1000000 wavelets, not 0"),
            ("stream out a (2,0)", "error: expected how many wavelets the host reads, found end of input"),
            ("stream out a (5,0) 3", "error: (5,0) is outside fabric 4x4"),
            ("stream in b (0,0) [1]", "b"),
            ("stream in a (0,0)", "error: expected a list of values: stream in NAME (x,y) [0, 1, 2]"),
        ]
        for (statement, expected) in cases {
            let result = shell.execute(statement)
            #expect(result.failed, "\(statement)")
            #expect(result.text.contains(expected), "\(statement): \(result.text)")
        }
        #expect(shell.session.playground.hostStreams.isEmpty, "a refused stream is not kept")
        // A stream on the north edge, with a note that no route carries it yet.
        let ok = shell.execute("stream out a (2,0) 3")
        #expect(!ok.failed)
        #expect(ok.text.contains("stream out a (color 0) at (2,0) to NORTH: the host reads 3 wavelets, host transfer 1"), "\(ok.text)")
        #expect(ok.text.contains("note: (2,0) has no route for a yet; `route a (2,0): RAMP -> NORTH` carries the stream"), "\(ok.text)")
        // `stream` is still a tensor name.
        #expect(!shell.execute("stream = ones(3)").failed)
    }

    /// A stream no route carries stops the simulation before its first cycle, saying which route is missing.
    @Test func aStreamWithoutItsRouteSaysSoAtSim() {
        let shell = makeShell(["color a = 0", "route a (0,0): NORTH -> RAMP", "stream in a (0,0) [1, 2]"], fabric: "fabric 2x2")
        let sim = shell.execute(":sim")
        #expect(sim.failed)
        #expect(
            sim.text.contains("the host stream into (0,0) on color 0 enters from WEST, but WEST is not in the rx of (0,0)'s route for color 0"), "\(sim.text)")
    }
}

/// Completion of `stream in|out NAME (x,y) from|to west|north`.
@Suite struct HostStreamCompletionTests {
    @Test func streamWordsComplete() {
        let shell = Shell()
        for s in ["color h2d = 0", "color d2h = 1"] { _ = shell.execute(s) }
        let c = Completer(session: shell.session)
        #expect(c.complete("stream o") == .insert("ut "))
        #expect(c.complete("stream ") == .candidates(["in", "out"]))
        #expect(c.complete("stream in h") == .insert("2d "))
        #expect(c.complete("stream out d") == .insert("2h "))
        #expect(c.complete("stream in h2d (0,0) f") == .insert("rom "))
        #expect(c.complete("stream in h2d (0,0) from n") == .insert("orth "))
        #expect(c.complete("stream out d2h (0,0) 3 t") == .insert("o "))
        #expect(c.complete("stream out d2h (0,0) 3 to w") == .insert("est"))
    }
}

/// `:emit --playground` does not write host streams: it refuses rather than emit a program that streams nothing.
@Suite struct HostStreamEmitTests {
    @Test func emissionRefusesHostStreams() {
        let shell = makeShell(HostStreamShellTests.pipeline(size: 3), fabric: "fabric 1x1")
        let result = shell.execute(":emit --playground pg")
        #expect(result.failed)
        #expect(
            result.text.contains(
                "cannot emit the playground: the host stream into (0,0) on color 0 is not written as CSL yet (memcpy streaming); :sim and :run run it"),
            "\(result.text)")
    }

    /// A stream in longer than 1 MiB of text is still a stream in (breaker review: it was read as a tensor
    /// expression, `unexpected 'in' after the expression`).
    @Test func aStreamInOfMoreThanAMebibyteIsAStream() {
        let shell = makeShell(["fabric 2x1", "color h2d = 0", "route h2d (0,0): WEST -> RAMP"])
        let values = (0..<200_000).map(String.init).joined(separator: ", ")
        #expect(values.utf8.count > 1 << 20)
        let result = shell.execute("stream in h2d (0,0) [\(values)]")
        #expect(!result.failed, "\(result.text.prefix(300))")
        #expect(shell.session.playground.hostStreams.first?.count == 200_000)
    }

    /// Breaker review: `stream in` alone answered with a send's words, and a stream left outside a shrunk
    /// fabric was blamed on its edge.
    @Test func aBareStreamAndAStreamOutsideTheFabricSayWhatTheyAre() {
        let shell = makeShell(["fabric 1x4", "color h2d = 0"])
        let bare = shell.execute("stream in")
        #expect(bare.failed && bare.text.contains("error: a stream in is stream in NAME (x,y) [from west|north] [VALUES]"), "\(bare.text)")
        let bareOut = shell.execute("stream out")
        #expect(bareOut.failed && bareOut.text.contains("error: a stream out is stream out NAME (x,y) COUNT [to west|north]"), "\(bareOut.text)")
        #expect(!shell.execute("stream in h2d (0,3) [1]").failed)
        #expect(!shell.execute("fabric 1x1").failed)
        #expect(!shell.execute("route h2d (0,0): WEST -> RAMP").failed)
        let sim = shell.execute(":sim")
        #expect(sim.failed && sim.text.contains("the host stream on color 0 at (0,3) lies outside fabric"), "\(sim.text)")
    }
}
