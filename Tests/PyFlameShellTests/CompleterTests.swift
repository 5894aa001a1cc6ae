@testable import PyFlameShell
import Testing

@Suite struct CompleterTests {
    func completer(_ statements: String..., files: [String: [(String, Bool)]] = [:]) -> Completer {
        let shell = Shell()
        for s in statements { _ = shell.execute(s) }
        return Completer(session: shell.session, baseDirectory: "/work") { folder in
            (files[folder] ?? []).map { (name: $0.0, isDirectory: $0.1) }
        }
    }

    @Test func functionsAndNamesComplete() {
        let c = completer("arrow = ones(3)")
        #expect(c.complete("x = ara") == .insert("nge"))
        #expect(c.complete("x = ar") == .candidates(["arange", "arrow"]))
        #expect(c.complete("y = relu(arr") == .insert("ow"))
        #expect(c.complete("y = zzz") == .none)
    }

    /// A statement's first word completes to the statement words too (`rou` → route), and only there.
    @Test func statementWordsCompleteAtTheStart() {
        let c = completer("sender = ones(3)")
        #expect(c.complete("rou") == .insert("te"))
        #expect(c.complete("stre") == .insert("am"))
        #expect(c.complete("unr") == .insert("oute"))
        #expect(c.complete("  col") == .insert("or"))
        #expect(c.complete("sen") == .insert("d"))
        #expect(c.complete("send") == .candidates(["send", "sender"]))
        #expect(c.complete("x = sen") == .insert("der"))
        #expect(c.complete("x = rou") == .none)
    }

    @Test func commandsComplete() {
        let c = completer()
        #expect(c.complete(":gr") == .insert("aph "))
        #expect(c.complete(":s") == .candidates(["save", "sim", "stats", "status", "step"]))
        #expect(c.complete(":sta") == .insert("t"))
        #expect(c.complete(":help ex") == .insert("port"))
    }

    @Test func layoutsSettingsAndDtypesComplete() {
        let c = completer()
        #expect(c.complete("c = a + b on Row") == .insert("Partition("))
        #expect(c.complete("c = a + b on ") == .candidates(["ColPartition(", "Grid(", "RowPartition(", "SinglePE", "auto"]))
        #expect(c.complete("set pe_") == .insert("data_budget "))
        #expect(c.complete("x = zeros(4, dtype=b") == .insert("f16"))
        #expect(c.complete("fabric ws") == .insert("e"))
    }

    @Test func filePathsCompleteAfterFileCommandsAndInsideLoad() {
        let files: [String: [(String, Bool)]] = [
            "/work/.": [("weights.npy", false), ("examples", true), ("warm.pfs", false), (".hidden", false)],
            "/work/examples/": [("01-tour.pfs", false), ("01-tour.out", false)],
        ]
        let c = completer("t = ones(2)", files: files)
        #expect(c.complete(":load ex") == .insert("amples/"))
        #expect(c.complete(":load examples/01-tour.p") == .insert("fs"))
        #expect(c.complete(":load examples/0") == .insert("1-tour."))
        #expect(c.complete(":save w") == .candidates(["warm.pfs", "weights.npy"]))
        #expect(c.complete(":export t we") == .insert("ights.npy"))
        #expect(c.complete(":export t") == .none)  // `t` is the whole name: nothing to add
        #expect(c.complete("w = load(\"wei") == .insert("ghts.npy"))
        #expect(c.complete(":load .h") == .insert("idden"))
    }
}
