import Synchronization

/// A one-way flag members' tasks raise when their step ends a concurrent run early (the first
/// success of FirstSuccess, the first failure under FailFast), read by the task starting members.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .releasing) }

    var isRaised: Bool { raised.load(ordering: .acquiring) }
}
