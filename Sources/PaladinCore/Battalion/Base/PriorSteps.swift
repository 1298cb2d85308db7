import Synchronization

/// Steps an earlier, interrupted run of the same battalion and input finished, handed to a
/// resumed run (`BattalionContext(members:options:observer:resuming:)`): `MemberRunner` returns
/// a recorded success instead of calling its member again.
///
/// Steps are matched by member name and occurrence: the n-th call of a member in the resumed
/// run takes that member's n-th recorded success. This is exact for patterns that call members
/// in an order fixed by their outputs (Formation, Phalanx, Campaign...), which a replay keeps.
/// Failed, skipped and cancelled steps are not replayed: those members run again.
public final class PriorSteps: Sendable {
    private let queues: Mutex<[String: ArraySlice<MemberStep>]>

    /// - Parameter steps: the interrupted run's steps in the order they started
    ///   (`RunRecord.steps`); only successes are kept.
    public init(_ steps: [MemberStep]) {
        var queues: [String: ArraySlice<MemberStep>] = [:]
        for step in steps where step.status == .succeeded { queues[step.member, default: []].append(step) }
        self.queues = Mutex(queues)
    }

    /// The next recorded success of `member`, removed; nil when none is left.
    public func take(_ member: String) -> MemberStep? {
        queues.withLock { $0[member]?.popFirst() }
    }

    /// Recorded successes not replayed yet.
    public var remaining: Int {
        queues.withLock { $0.values.reduce(0) { $0 + $1.count } }
    }
}
