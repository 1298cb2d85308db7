import Synchronization

/// Counts the calls of each member in one run, so the n-th call of a member has the same
/// number in every attempt of the run (a resume replays the calls in order).
final class OccurrenceCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// The number (from 1) of this call of `member`.
    func next(_ member: String) -> Int {
        counts.withLock { counts in
            counts[member, default: 0] += 1
            return counts[member]!
        }
    }
}
