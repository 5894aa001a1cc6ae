/// "Did you mean ...?": the closest word, when it is close enough to help. A candidate that starts
/// with the word counts as close (`hop_lat` → `hop_latency`); otherwise edit distance with
/// transpositions, within a third of the word's length (at least 1).
public enum Suggestions {
    /// Longer words get no suggestion: nobody mistypes a 65-character name, and the work stays bounded
    /// (a 10 MB unknown name must not take a minute).
    public static let maxWordLength = 64

    public static func closest(to word: String, in candidates: [String]) -> String? {
        guard !word.isEmpty, word.utf8.count <= maxWordLength else { return nil }
        let lowered = word.lowercased()
        if word.count >= 3, let prefixed = candidates.filter({ $0.lowercased().hasPrefix(lowered) }).min(by: { $0.count < $1.count }) {
            return prefixed
        }
        var best: (String, Int)?
        for candidate in candidates where Swift.abs(candidate.count - word.count) <= max(1, word.count / 3) {
            let d = distance(lowered, candidate.lowercased())
            if d <= max(1, word.count / 3), d < max(candidate.count, word.count), best == nil || d < best!.1 { best = (candidate, d) }
        }
        return best?.0
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
