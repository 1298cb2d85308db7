import Synchronization

/// Every step of a run as it finishes, so a run that times out or is cancelled still reports
/// what its members did.
public final class StepLog: Sendable {
    private let steps = Mutex<[MemberStep]>([])

    public init() {}

    func append(_ step: MemberStep) { steps.withLock { $0.append(step) } }

    /// Steps so far, in the order members started.
    public var all: [MemberStep] {
        steps.withLock { $0 }.sorted { $0.startedAt < $1.startedAt }
    }
}
