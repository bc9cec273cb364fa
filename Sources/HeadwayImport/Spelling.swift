/// Suggestions for mistyped keys and headers ("did you mean …?").
enum Spelling {
    /// The candidate closest to `word` by edit distance (insertions, deletions, substitutions and
    /// swaps of adjacent letters, case ignored), when it is at most `maxDistance` (default: 1 for
    /// words of up to 4 letters, else 2) and not `word` itself. Ties go to the earlier candidate.
    static func nearest(_ word: String, in candidates: some Sequence<String>, maxDistance: Int? = nil) -> String? {
        let w = Array(word.lowercased())
        let limit = maxDistance ?? (w.count <= 4 ? 1 : 2)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let c = Array(candidate.lowercased())
            guard c != w, abs(c.count - w.count) <= limit else { continue }
            let d = distance(w, c)
            if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.candidate
    }

    /// Optimal string alignment distance between two words.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], previous2[j - 2] + 1) }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
