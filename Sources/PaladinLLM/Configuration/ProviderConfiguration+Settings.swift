extension ProviderConfiguration {
    /// `timeouts: {connect, total, idle}`.
    public struct Timeouts: Sendable, Hashable {
        /// `connect`: establishing TCP and TLS.
        public var connect: Duration
        /// `total`: a whole call, streaming included; `nil` for none.
        public var total: Duration?
        /// `idle`: the longest a response may go without a byte (stalled streams); whole seconds.
        public var idle: Duration?

        public init(connect: Duration = .seconds(10), total: Duration? = .seconds(600), idle: Duration? = .seconds(60)) {
            self.connect = connect
            self.total = total
            self.idle = idle
        }

        var http: HTTPTimeouts { HTTPTimeouts(connect: connect, total: total, idle: idle) }
    }

    /// `retry: {max_attempts, initial_backoff, max_backoff}`.
    public struct Retry: Sendable, Hashable {
        /// `max_attempts`: calls in all, the first included; 1 disables retries.
        public var maxAttempts: Int
        /// `initial_backoff`: the wait before the first retry; doubled each time, with jitter.
        public var initialBackoff: Duration
        /// `max_backoff`: the longest wait; also the longest Retry-After honoured.
        public var maxBackoff: Duration

        public init(maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30)) {
            self.maxAttempts = maxAttempts
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
        }
    }

    /// `cache: {enabled, max_entries, ttl, any_temperature}`.
    public struct Cache: Sendable, Hashable {
        /// `enabled`: off by default.
        public var enabled: Bool
        /// `max_entries`: least recently used entries go first.
        public var maxEntries: Int
        /// `ttl`: how long an answer stays valid.
        public var ttl: Duration
        /// `any_temperature`: also cache sampled answers (temperature > 0 or unset).
        public var anyTemperature: Bool

        public init(enabled: Bool = false, maxEntries: Int = 1000, ttl: Duration = .seconds(3600), anyTemperature: Bool = false) {
            self.enabled = enabled
            self.maxEntries = maxEntries
            self.ttl = ttl
            self.anyTemperature = anyTemperature
        }
    }
}

extension ProviderConfiguration {
    /// `limits: {max_response_bytes, max_sse_line_bytes, max_completion_bytes}`, in bytes.
    /// Past any of them a call fails with `ProviderError.Kind.responseTooLarge` (not retried).
    public struct Limits: Sendable, Hashable {
        /// Bounds of each limit, checked by `validate()` and the configuration reader.
        public static let maxResponseBytesRange = 1024...(1 << 30)
        public static let maxSSELineBytesRange = 1024...(64 << 20)
        public static let maxCompletionBytesRange = 1024...(256 << 20)

        /// `max_response_bytes`: the body of a non-streamed response.
        public var maxResponseBytes: Int
        /// `max_sse_line_bytes`: one line of a streamed response, and one event's data lines together.
        public var maxSSELineBytes: Int
        /// `max_completion_bytes`: the text of one completion, streamed or not (content and tool calls).
        public var maxCompletionBytes: Int

        public init(maxResponseBytes: Int = 16 << 20, maxSSELineBytes: Int = 1 << 20, maxCompletionBytes: Int = 4 << 20) {
            self.maxResponseBytes = maxResponseBytes
            self.maxSSELineBytes = maxSSELineBytes
            self.maxCompletionBytes = maxCompletionBytes
        }

        /// The limits a provider's requests carry, naming it in their errors.
        func response(provider: String) -> ResponseLimits {
            ResponseLimits(provider: provider, maxResponseBytes: maxResponseBytes, maxSSELineBytes: maxSSELineBytes,
                           maxCompletionBytes: maxCompletionBytes)
        }
    }
}
