/// What an execution on a garrison session does while another execution holds the same session
/// ("double-texting": a user sends a second message before the first is answered).
public enum ConcurrentSessionPolicy: String, Sendable, Hashable, CaseIterable {
    /// Wait for the earlier executions on the session, in arrival order.
    case queue
    /// Refuse at once while the session is busy.
    case reject
    /// Stop the execution holding the session and go next.
    case interrupt
}
