/// A unified diff of two texts by lines (`--check`): what the expected transcript says against what
/// the replay printed, with three lines of context around each change.
public enum TranscriptDiff {
    /// Returns nil when the texts are equal.
    public static func unified(expected: String, actual: String, expectedName: String, actualName: String) -> String? {
        guard expected != actual else { return nil }
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Edit script from the LCS table (transcripts are small).
        let n = a.count, m = b.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        enum Edit { case same(Int, Int), delete(Int), insert(Int) }
        var edits: [Edit] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                edits.append(.same(i, j)); i += 1; j += 1
            } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
                edits.append(.delete(i)); i += 1
            } else {
                edits.append(.insert(j)); j += 1
            }
        }
        var out = ["--- \(expectedName)", "+++ \(actualName)"]
        let context = 3
        var k = 0
        while k < edits.count {
            guard case .same = edits[k] else {
                // A hunk: back up for context, run until `context*2` unchanged lines in a row.
                let start = max(0, k - context)
                var end = k
                var quiet = 0
                while end < edits.count {
                    if case .same = edits[end] { quiet += 1; if quiet > context * 2 { break } } else { quiet = 0 }
                    end += 1
                }
                end = min(edits.count, end - max(0, quiet - context))
                var aStart = 0, bStart = 0, aCount = 0, bCount = 0
                var found = false
                var body: [String] = []
                for e in edits[start..<end] {
                    switch e {
                    case .same(let x, let y):
                        if !found { aStart = x; bStart = y; found = true }
                        aCount += 1; bCount += 1; body.append(" " + a[x])
                    case .delete(let x):
                        if !found { aStart = x; bStart = firstB(edits, from: start); found = true }
                        aCount += 1; body.append("-" + a[x])
                    case .insert(let y):
                        if !found { aStart = firstA(edits, from: start); bStart = y; found = true }
                        bCount += 1; body.append("+" + b[y])
                    }
                }
                out.append("@@ -\(aStart + 1),\(aCount) +\(bStart + 1),\(bCount) @@")
                out += body
                k = end
                continue
            }
            k += 1
        }
        return out.joined(separator: "\n")

        func firstA(_ edits: [Edit], from: Int) -> Int {
            for e in edits[from...] {
                switch e {
                case .same(let x, _), .delete(let x): return x
                case .insert: continue
                }
            }
            return n
        }
        func firstB(_ edits: [Edit], from: Int) -> Int {
            for e in edits[from...] {
                switch e {
                case .same(_, let y), .insert(let y): return y
                case .delete: continue
                }
            }
            return m
        }
    }
}
