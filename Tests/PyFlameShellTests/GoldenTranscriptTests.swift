import Foundation
@testable import PyFlameShell
import Testing

/// Golden transcripts under Tests/PyFlameShellTests/Golden: each `.pfs` replays to exactly its `.out`.
/// `PFS_RECORD=1 swift test --filter GoldenTranscriptTests` rewrites the `.out` files (never set in CI:
/// without it a missing or different transcript fails).
@Suite struct GoldenTranscriptTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    static let scripts: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.hasSuffix(".pfs") }.sorted()

    @Test func thereAreGoldenScripts() { #expect(Self.scripts.count >= 5) }

    @Test(arguments: scripts)
    func replayMatchesTheGoldenTranscript(script: String) throws {
        let path = Self.folder + "/" + script
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let transcript = Transcript.replay(text, base: Self.folder, keepGoing: true)
        let expectedPath = String(path.dropLast(4)) + ".out"
        if ProcessInfo.processInfo.environment["PFS_RECORD"] == "1" {
            try transcript.write(toFile: expectedPath, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(try? String(contentsOfFile: expectedPath, encoding: .utf8), "missing \(expectedPath); record with PFS_RECORD=1")
        let diff = TranscriptDiff.unified(expected: expected, actual: transcript, expectedName: expectedPath, actualName: "replay")
        #expect(diff == nil, "\(diff ?? "")")
    }
}
