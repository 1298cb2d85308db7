import PaladinCore

/// What a streamed battalion run reports, in order; the last event is `.result`.
/// `Herald.ndjson(_:)` turns each into one NDJSON line.
public enum BattalionEvent: Sendable, Hashable {
    /// A member began its step (its name).
    case memberStarted(String)
    /// A piece of a member's streamed answer.
    case memberDelta(member: String, text: String)
    /// A member's step ended, however it ended.
    case memberFinished(MemberStep)
    /// The run ended; the whole result.
    case result(BattalionResult)
}
