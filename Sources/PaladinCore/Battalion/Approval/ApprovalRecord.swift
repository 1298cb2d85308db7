/// A step of a run that waits, or waited, for a person's decision ("human in the loop").
public struct ApprovalRecord: Sendable, Hashable {
    /// Where a decision stands.
    public enum Decision: String, Sendable, Hashable, CaseIterable {
        case pending, approved, rejected
        /// Nobody decided before the deadline; the rule's `onTimeout` applied.
        case expired
    }

    /// "member#n": the n-th call (from 1) of `member` in the run; the same in every attempt,
    /// since a resumed run replays its calls in the same order.
    public var step: String
    public var member: String
    /// The input the member would get.
    public var input: String
    public var reason: String
    public var requestedAtMicros: Int64
    /// nil: no deadline.
    public var deadlineMicros: Int64?
    public var decision: Decision
    public var comment: String
    /// The input the approver gave instead of `input`.
    public var editedInput: String?
    public var decidedAtMicros: Int64?

    public init(step: String, member: String, input: String, reason: String, requestedAtMicros: Int64,
                deadlineMicros: Int64? = nil, decision: Decision = .pending, comment: String = "",
                editedInput: String? = nil, decidedAtMicros: Int64? = nil) {
        self.step = step
        self.member = member
        self.input = input
        self.reason = reason
        self.requestedAtMicros = requestedAtMicros
        self.deadlineMicros = deadlineMicros
        self.decision = decision
        self.comment = comment
        self.editedInput = editedInput
        self.decidedAtMicros = decidedAtMicros
    }

    /// The step key of the `occurrence`-th call (from 1) of `member`.
    public static func step(_ member: String, _ occurrence: Int) -> String { "\(member)#\(occurrence)" }
}
