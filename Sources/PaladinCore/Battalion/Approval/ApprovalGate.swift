/// Decides whether a member that needs approval may run now (`BattalionContext.approvals`).
/// The server's gate answers from the run's recorded decisions and pauses the run for a step
/// nobody has decided on yet.
public protocol ApprovalGate: Sendable {
    /// Whether `member` needs approval at all.
    func requiresApproval(_ member: String) -> Bool
    /// What the `occurrence`-th call (from 1) of `member`, about to get `input`, does.
    func check(member: String, occurrence: Int, input: String) -> ApprovalCheck
}

/// The answer of an `ApprovalGate`.
public enum ApprovalCheck: Sendable, Hashable {
    /// Run, with this input (the one given, or the approver's edit).
    case proceed(input: String)
    /// Do not run: the step fails with this error (the battalion's error strategy applies).
    case rejected(String)
    /// Nobody has decided: the step is not run now and the run pauses.
    case pause
}
