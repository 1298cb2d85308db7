import Synchronization

/// Every step of a run as it finishes, so a run that times out or is cancelled still reports
/// what its members did.
public final class StepLog: Sendable {
    private let steps: Mutex<[MemberStep]>

    public init() { steps = Mutex([]) }

    /// A log with room for `capacity` steps (a run's members), so appends do not regrow it.
    init(capacity: Int) {
        var steps: [MemberStep] = []
        steps.reserveCapacity(capacity)
        self.steps = Mutex(steps)
    }

    func append(_ step: MemberStep) { steps.withLock { $0.append(step) } }

    /// Steps so far, in the order members started.
    public var all: [MemberStep] {
        let steps = steps.withLock { $0 }
        // Sequential patterns log in start order already: return them without a sorted copy.
        var ordered = true
        for index in steps.indices.dropFirst() where steps[index - 1].startedAt > steps[index].startedAt {
            ordered = false
            break
        }
        if ordered { return steps }
        return steps.sorted { $0.startedAt < $1.startedAt }
    }
}
