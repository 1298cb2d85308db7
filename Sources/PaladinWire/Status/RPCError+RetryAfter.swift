extension RPCError {
    /// The `details` key a server uses to say how long to wait before retrying a call it shed
    /// (RESOURCE_EXHAUSTED at a cap on work in flight, a busy database), in milliseconds.
    public static let retryAfterKey = "retry_after_ms"

    /// The server's hint of how long to wait before retrying, from `details["retry_after_ms"]`;
    /// `nil` when there is none or it is not a whole number of milliseconds.
    public var retryAfter: Duration? {
        guard let text = details[Self.retryAfterKey], let ms = Int64(text), ms >= 0 else { return nil }
        return .milliseconds(ms)
    }
}
