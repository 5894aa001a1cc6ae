import Foundation
import Testing

/// `:view --frame` in ASCII mode (the default in scripts) prints bytes below 128 only, whatever the locale:
/// under LANG=C a `×` or `·` would come out as blanks or mojibake.
@Suite struct FrameASCIITests {
    /// The frames of a program, the playground and the whole wafer, before and during a run, at three sizes,
    /// with every color shown and the help's glyph table on screen.
    static let script = """
        fabric 8x4
        x = randn([16, 16], seed=4)
        s = sum(x, dim=1) on ColPartition(4)
        :view s --frame --size 80x24 --color 0
        :view s --frame --size 120x40 --color 1
        :sim s
        :step 95
        :view --frame --size 200x60 --color 0
        :run
        :view --frame --size 80x24
        :reset
        fabric wse2
        color c = 5
        route c (0,0): RAMP -> EAST
        route c (1,0)..(748,0): WEST -> EAST
        route c (749,0): WEST -> SOUTH
        route c (749,1)..(749,993): NORTH -> SOUTH
        send c (0,0) [1, 2, 3]
        :view --frame --size 80x24
        :sim
        :step 100
        :view --frame --size 120x40
        :run
        :view --frame --size 200x60

        """

    @Test func framesInASCIIModeAreBytesBelow128UnderLANGC() throws {
        var environment = childEnvironment()
        environment["LANG"] = "C"
        environment["LC_ALL"] = "C"
        let result = try runShell(["--keep-going"], input: Self.script, environment: environment)
        // The frames: the lines after each `:view` echo up to the next prompt.
        var frames: [String] = []
        var inFrame = false
        for line in result.output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("pyflame> ") {
                inFrame = line.hasPrefix("pyflame> :view")
                continue
            }
            if inFrame { frames.append(String(line)) }
        }
        #expect(frames.count > 200, "expected 7 frames: \(result.output.prefix(2000))")
        for line in frames {
            #expect(line.utf8.allSatisfy { $0 < 128 }, "non-ASCII in a frame line: \(line)")
        }
        // Every frame has its keys line, in ASCII.
        #expect(frames.filter { $0.hasPrefix("n step  N x10") }.count == 7)
    }
}
