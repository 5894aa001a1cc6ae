@testable import PyFlameLanguage
import Testing

@Suite struct SuggestionsTests {
    @Test func distanceCountsEditsAndAdjacentSwaps() {
        #expect(Suggestions.distance("", "") == 0)
        #expect(Suggestions.distance("", "abc") == 3)
        #expect(Suggestions.distance("abc", "") == 3)
        #expect(Suggestions.distance("relu", "relu") == 0)
        #expect(Suggestions.distance("relu", "rel") == 1)  // deletion
        #expect(Suggestions.distance("relu", "reelu") == 1)  // insertion
        #expect(Suggestions.distance("relu", "relo") == 1)  // substitution
        #expect(Suggestions.distance("relu", "rleu") == 1)  // adjacent swap
        #expect(Suggestions.distance("kitten", "sitting") == 3)
        #expect(Suggestions.distance("ca", "abc") == 3)  // optimal string alignment, not Damerau
        #expect(Suggestions.distance("Grid", "grid") == 1)  // case matters here; closest lowercases
        #expect(Suggestions.distance("é", "e") == 1)  // characters, not bytes
    }

    @Test func distanceIsSymmetric() {
        let words = ["", "a", "ab", "ba", "sum", "mean", "matmul", "transpose", "tranpsose", "RowPartition"]
        for a in words {
            for b in words {
                #expect(Suggestions.distance(a, b) == Suggestions.distance(b, a), "\(a) \(b)")
            }
        }
    }

    @Test func longWordsGetNoSuggestionAndBoundedWork() {
        // Nobody mistypes a name of 65 characters; the edit distance of a huge word is never computed.
        let long = String(repeating: "a", count: 100)
        #expect(Suggestions.closest(to: long + "b", in: [long + "c", "relu"]) == nil)
        let limit = String(repeating: "a", count: Suggestions.maxWordLength - 1)
        #expect(Suggestions.closest(to: limit + "b", in: [limit + "c", "relu"]) == limit + "c")
        #expect(Suggestions.closest(to: String(repeating: "x", count: 1 << 20), in: ["x", "relu", "sum"]) == nil)
    }

    @Test func closestByPrefix() {
        #expect(Suggestions.closest(to: "hop_lat", in: ["hop_latency", "host_limit"]) == "hop_latency")
        #expect(Suggestions.closest(to: "Row", in: Parser.layoutNames) == "RowPartition")
        // The shortest of several candidates with the prefix.
        #expect(Suggestions.closest(to: "sum", in: ["summary", "sum_x", "mean"]) == "sum_x")
        // Prefixes count from three characters; case is ignored.
        #expect(Suggestions.closest(to: "GRI", in: Parser.layoutNames) == "Grid")
        #expect(Suggestions.closest(to: "ro", in: ["rowpartition", "x"]) == nil)
    }

    @Test func closestByEditDistance() {
        #expect(Suggestions.closest(to: "RowPartion", in: Parser.layoutNames) == "RowPartition")
        #expect(Suggestions.closest(to: "Gird", in: Parser.layoutNames) == "Grid")
        #expect(Suggestions.closest(to: "reul", in: ["relu", "exp", "neg"]) == "relu")
        #expect(Suggestions.closest(to: "tranpsose", in: ["transpose", "reshape"]) == "transpose")
        // The nearest wins.
        #expect(Suggestions.closest(to: "mx", in: ["mean", "max", "min"]) == "max")
        // The tolerance grows with the word: a third of its length, at least 1.
        #expect(Suggestions.closest(to: "ab", in: ["xyz"]) == nil)
        #expect(Suggestions.closest(to: "ab", in: ["ax"]) == "ax")
        #expect(Suggestions.closest(to: "rlue", in: ["relu"]) == nil)  // 2 edits in 4 letters: too far
        #expect(Suggestions.closest(to: "rleuu", in: ["relu"]) == nil)
        #expect(Suggestions.closest(to: "tarnspsoe", in: ["transpose"]) == "transpose")  // 2 swaps in 9 letters
        #expect(Suggestions.closest(to: "abcdefghi", in: ["abcdefxyz"]) == "abcdefxyz")
        #expect(Suggestions.closest(to: "abcdefghi", in: ["abcdewxyz"]) == nil)
    }

    @Test func noSuggestionWhenNothingIsClose() {
        #expect(Suggestions.closest(to: "", in: ["a"]) == nil)
        #expect(Suggestions.closest(to: "zzz", in: []) == nil)
        #expect(Suggestions.closest(to: "Diagonal", in: Parser.layoutNames) == nil)
        // Replacing every character is no suggestion, even when short.
        #expect(Suggestions.closest(to: "ab", in: ["cd"]) == nil)
        #expect(Suggestions.closest(to: "x", in: ["y"]) == nil)
    }
}
