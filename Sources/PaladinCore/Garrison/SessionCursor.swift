/// A position in the session listing (most recently active first, then by id): a paged
/// `GarrisonStore.sessions` continues with the sessions after it.
public struct SessionCursor: Sendable, Hashable {
    public var lastActivityMicros: Int64
    public var sessionID: String

    public init(lastActivityMicros: Int64, sessionID: String) {
        self.lastActivityMicros = lastActivityMicros
        self.sessionID = sessionID
    }

    /// The position of `summary`, to continue after it.
    public init(after summary: SessionSummary) {
        self.init(lastActivityMicros: summary.lastActivityMicros, sessionID: summary.sessionID)
    }

    /// Whether `summary` comes after this position in the listing's order.
    public func admits(_ summary: SessionSummary) -> Bool {
        summary.lastActivityMicros < lastActivityMicros
            || (summary.lastActivityMicros == lastActivityMicros && summary.sessionID > sessionID)
    }
}
