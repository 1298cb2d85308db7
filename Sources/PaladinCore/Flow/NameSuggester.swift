/// Finds the registered agent name a user probably meant ("did you mean 'security'?") by
/// case-insensitive Levenshtein distance.
struct NameSuggester {
    private let candidates: [(name: String, folded: [Character])]

    /// Prepares to suggest from `candidates`; ties go to the earliest, so pass a stable order.
    init(_ candidates: [String]) {
        self.candidates = candidates.map { ($0, Array($0.lowercased())) }
    }

    /// The candidate closest to `name`, if it is within `threshold(for:)` edits and shares at
    /// least one character position with it (one-letter names do not suggest each other).
    func suggestion(for name: String) -> String? {
        let target = Array(name.lowercased())
        let limit = Self.threshold(for: target.count)
        var best: (name: String, distance: Int)?
        for candidate in candidates where abs(candidate.folded.count - target.count) <= limit {
            let distance = Self.distance(target, candidate.folded)
            if distance <= limit, distance < target.count, distance < (best?.distance ?? .max) {
                best = (candidate.name, distance)
            }
        }
        return best?.name
    }

    /// Edits allowed for a suggestion: about a third of the name, at least 1, at most 3.
    static func threshold(for length: Int) -> Int {
        min(3, max(1, length / 3))
    }

    /// Insertions, deletions and substitutions needed to turn `a` into `b`, in O(|a|·|b|) time
    /// and O(|b|) memory.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        var current = previous
        for i in stride(from: 1, through: a.count, by: 1) {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
