import PaladinCore

/// What a running battalion reports, in the order it happened.
enum RunEventSignal: Sendable {
    case started(String)
    case delta(String, String)
    case finished(MemberStep)
}

/// Forwards a battalion's observer calls into a stream the run's recorder reads in order.
struct StreamingObserver: BattalionObserver {
    let continuation: AsyncStream<RunEventSignal>.Continuation
    /// Whether deltas are wanted (only streaming calls show them); without them members run
    /// unstreamed.
    let wantsDeltas: Bool

    func memberStarted(_ member: String) { continuation.yield(.started(member)) }
    func memberDelta(_ member: String, _ text: String) {
        if wantsDeltas { continuation.yield(.delta(member, text)) }
    }
    func memberFinished(_ step: MemberStep) { continuation.yield(.finished(step)) }
}
