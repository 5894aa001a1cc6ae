import Foundation
import PyFlameIR
import Testing

/// Every hardware fact and reserved resource has one owner, `Architecture`: its numbers are pinned here to
/// their sources, and no other file of Sources/ may spell them.
@Suite struct ArchitectureFactsTests {
    @Test func theNumbersMatchTheirSources() {
        // SDK docs ("Colors"): 24 routable colors on both generations; memcpy takes 21, 22, 23.
        #expect(Architecture.colorCount == 24 && Architecture.colors == 0...23)
        #expect(Architecture.memcpyColors == 21...23 && Architecture.programColorCount == 21)
        // SDK 1.4 examples' task-ID maps: local task IDs 8-20 and 24-26 are free; 21-23 are memcpy's.
        #expect(Architecture.freeLocalTaskIDs == Array(8...20) + Array(24...26))
        #expect(Architecture.memcpyTaskIDs == 21...23)
        #expect(Set(Architecture.freeLocalTaskIDs).isDisjoint(with: Architecture.memcpyTaskIDs))
        // SDK docs ("Fabric Queues"): input queue depths in words.
        #expect(Architecture.wse2.inputQueueDepths == [6, 6, 4, 4, 2, 2, 2, 2])
        #expect(Architecture.wse3.inputQueueDepths == [8, 8, 4, 4, 4, 4, 4, 4])
        #expect(Architecture.wse2.freeInputQueues == Array(1...7) && Architecture.wse3.freeInputQueues == Array(2...7))
        // 48 KiB per PE; our data budget leaves 8 KiB of code and 4 KiB of stack.
        #expect(Architecture.peMemoryBytes == 49_152 && Architecture.defaultPEDataBudget == 36_864)
        // The usable rectangles (memcpy's border excluded) and the border cslc is given.
        #expect(Architecture.wse2.usableFabric == FabricSize(width: 750, height: 994))
        #expect(Architecture.wse3.usableFabric == FabricSize(width: 755, height: 1170))
        #expect(Architecture.memcpyBorder == (extraWidth: 7, extraHeight: 2, offsetX: 4, offsetY: 1))
        // SDK 1.4 `@set_color_config`: switches on any color of WSE-2, on 0-9, 12, 13, 16, 17, 20, 21 of WSE-3;
        // color swap on WSE-2 only.
        #expect(Architecture.wse2.switchColors == Set(0...23))
        #expect(Architecture.wse3.switchColors == Set(Array(0...9) + [12, 13, 16, 17, 20, 21]))
        #expect(Architecture.wse2.allowsColorSwap && !Architecture.wse3.allowsColorSwap)
    }

    /// The spellings of those facts that may appear only in Architecture.swift (comments aside).
    static let patterns = [
        "% 24", "0...23", "0..<24", "21...23", "21 ... 23", "36864", "36_864", "36 * 1024", "49152", "49_152",
        "48 * 1024", "[6, 6, 4, 4", "[8, 8, 4, 4", "12, 13, 16, 17", "8...26", "8...20", "24...26",
        // The same facts as messages spell them.
        "0–23", "21–23", "0–20", "8–20", "24–26", "8–26", "48 KiB", "36 KiB",
    ]
    static let numbers = ["750", "994", "755", "1170", "1_170"]
    /// Files allowed to spell one, and why (empty: every fact has its owner).
    static let allowed: [String: String] = [:]

    @Test func noModuleButTheOwnerSpellsAHardwareFact() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        var offenders: [String] = []
        var scanned = 0
        for case let relative as String in enumerator where relative.hasSuffix(".swift") {
            if relative == "PyFlameIR/Architecture.swift" || Self.allowed[relative] != nil { continue }
            scanned += 1
            let text = try String(contentsOfFile: sources.appendingPathComponent(relative).path, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                let beforeComment = code.components(separatedBy: " //").first ?? code
                for pattern in Self.patterns where beforeComment.contains(pattern) {
                    offenders.append("\(relative):\(n + 1): \(pattern)")
                }
                for number in Self.numbers where Self.containsNumber(number, in: beforeComment) {
                    offenders.append("\(relative):\(n + 1): \(number)")
                }
            }
        }
        #expect(scanned > 50)
        #expect(offenders.isEmpty, "facts spelled outside Architecture.swift:\n\(offenders.joined(separator: "\n"))")
    }

    /// `number` as a whole number (not part of a longer one).
    static func containsNumber(_ number: String, in line: String) -> Bool {
        var searchStart = line.startIndex
        while let range = line.range(of: number, range: searchStart..<line.endIndex) {
            let before = range.lowerBound == line.startIndex ? nil : line[line.index(before: range.lowerBound)]
            let after = range.upperBound == line.endIndex ? nil : line[range.upperBound]
            // Part of a longer number or a word (`0o755`, `x750`) does not count.
            let isDigit: (Character?) -> Bool = { $0.map { $0.isNumber || $0.isLetter || $0 == "_" || $0 == "." } ?? false }
            if !isDigit(before) && !isDigit(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }
}
