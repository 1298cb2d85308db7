/// When a person must approve a paladin's work in a battalion run, and what happens when
/// nobody decides in time.
public struct ApprovalRule: Sendable, Hashable {
    /// What the run does when the deadline passes without a decision.
    public enum TimeoutAction: String, Sendable, Hashable, CaseIterable {
        /// The step is rejected; the battalion's error strategy decides what follows.
        case reject
        /// The run ends failed.
        case fail
    }

    /// Shown to the approver; "{member}" and "{input}" are replaced.
    public var reason: String
    /// How long the run waits for a decision; nil means no deadline.
    public var timeout: Duration?
    public var onTimeout: TimeoutAction

    public init(reason: String = "", timeout: Duration? = nil, onTimeout: TimeoutAction = .reject) {
        self.reason = reason
        self.timeout = timeout
        self.onTimeout = onTimeout
    }

    /// The reason shown for `member` about to get `input` (the input cut to 2,000 characters).
    public func reason(member: String, input: String) -> String {
        let template = reason.isEmpty ? "{member} needs approval before it runs" : reason
        return template.replacingOccurrences(of: "{member}", with: member)
            .replacingOccurrences(of: "{input}", with: String(input.prefix(2000)))
    }
}
