import Synchronization

/// A one-way flag one task raises and another reads, across threads: a concurrent run's members
/// stop starting others once one raises it (the first success of FirstSuccess, the first failure
/// under FailFast), and a database job is skipped once the task waiting for it is cancelled.
public final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// A flag not raised yet.
    public init() {}

    /// Raises the flag; it stays raised.
    public func raise() { raised.store(true, ordering: .releasing) }

    /// Whether `raise()` has been called, on any thread.
    public var isRaised: Bool { raised.load(ordering: .acquiring) }
}
