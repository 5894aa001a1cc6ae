import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// Payloads read the way their sender typed them, and read the same in `:pe`, `:step`, breakpoints and
/// `:trace`.
@Suite struct PayloadViewTests {
    /// Four colors from (0,0) to (1,0), each sent in another kind.
    static let kinds = [
        "color ints = 0", "color floats = 1", "color bits = 2", "color pairs = 3",
        "route ints (0,0): RAMP -> EAST", "route ints (1,0): WEST -> RAMP",
        "route floats (0,0): RAMP -> EAST", "route floats (1,0): WEST -> RAMP",
        "route bits (0,0): RAMP -> EAST", "route bits (1,0): WEST -> RAMP",
        "route pairs (0,0): RAMP -> EAST", "route pairs (1,0): WEST -> RAMP",
        "send ints (0,0) [-1, 4294967294]", "send floats (0,0) f32 [1.5, -2]", "send bits (0,0) [0x3f800000]",
        "send pairs (0,0) [(0, 10.0), (1, 11.5)]",
    ]
    static let expected: [Int: [String]] = [0: ["-1", "-2"], 1: ["1.5", "-2"], 2: ["0x3f800000"], 3: ["(0, 10)", "(1, 11.5)"]]

    @Test func everyViewPrintsAPayloadAlike() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let shell = makeShell(Self.kinds + [":sim"])
        _ = shell.execute(":trace \(folder.path)/kinds.json")
        let step = shell.execute(":step 100")
        #expect(!step.failed, "\(step.text)")
        // :step's delivery lines.
        var stepped: [Int: [String]] = [:]
        for line in step.text.split(separator: "\n") where line.contains(" received ") {
            let after = line.split(separator: " received ", maxSplits: 1)[1]
            let parts = after.components(separatedBy: " on color ")
            stepped[Int(parts[1].prefix { $0.isNumber })!, default: []].append(parts[0])
        }
        #expect(stepped == Self.expected)
        // :pe's received lines.
        let pe = shell.execute(":pe 1,0").text
        var listed: [Int: [String]] = [:]
        for line in pe.split(separator: "\n") where line.hasPrefix("  cycle ") {
            let after = line.split(separator: ": ", maxSplits: 1)[1]
            let parts = after.components(separatedBy: " on color ")
            listed[Int(parts[1])!, default: []].append(parts[0])
        }
        #expect(listed == Self.expected)
        // The trace's data, as JSON reads it.
        _ = shell.execute(":trace off")
        let (events, _) = try TraceTests.events(folder.path + "/kinds.json")
        let traced = Dictionary(grouping: events.sorted(), by: \.color).mapValues { $0.map(\.data) }
        #expect(traced == Self.expected)
        let raw = try String(contentsOfFile: folder.path + "/kinds.json", encoding: .utf8)
        #expect(raw.contains("\"data\":-1}"), "an integer is a JSON number, signed as :pe prints it")
        #expect(raw.contains("\"data\":\"0x3f800000\"}"))
    }

    @Test func aDeliveryBreakpointPrintsThePayloadAsTyped() {
        let shell = makeShell(Self.kinds + [":sim", ":break delivery (1,0)"])
        let run = shell.execute(":run")
        #expect(run.text.contains("(1,0) received "), "\(run.text)")
        let line = run.text.split(separator: "\n").first { $0.contains("(1,0) received ") }.map(String.init) ?? ""
        let colorText = line.components(separatedBy: " on color ").last?.prefix { $0.isNumber } ?? ""
        let payload = line.components(separatedBy: " received ").last?.components(separatedBy: " on color ").first ?? ""
        #expect(Self.expected[Int(colorText) ?? -1]?.contains(payload) == true, "\(line)")
    }

    @Test func aColorCarriesOneKind() {
        let shell = makeShell(["color red = 0", "send red (0,0) f32 [1.5]"])
        let refused = shell.execute("send red (0,0) [1]")
        #expect(refused.failed)
        #expect(
            refused.text.contains(
                "color red already carries f32 payloads, so its wavelets are read that way: send these integer values on another color"), "\(refused.text)")
        #expect(!shell.execute("send red (1,0) f32 [2]").failed)
    }

    /// A wavelet a color swap carries on as the other color of the pair reads the way its send wrote it
    /// (breaker review: `(3, 1.5)` printed as 212480 once it arrived on color 1).
    @Test func aSwappedWaveletReadsAsItsSendWroteIt() {
        let shell = makeShell([
            "fabric 2x1", "color a = 0", "color b = 1", "route a (0,0): RAMP -> EAST swap x", "route b (1,0): WEST -> RAMP",
            "send a (0,0) [(3, 1.5)]", ":sim", ":run",
        ])
        let pe = shell.execute(":pe 1,0")
        #expect(pe.text.contains("(3, 1.5) on color 1"), "\(pe.text)")
    }
}
