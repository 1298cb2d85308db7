import PaladinCore

/// Retries retryable failures (rate limits, timeouts, network errors, 5xx) of the wrapped
/// provider with exponential backoff and jitter; never other 4xx. A Retry-After from a 429 or
/// 503 is honoured when it is within `maxBackoff`; a longer one fails at once (waiting hours
/// inside a call helps nobody). A stream is retried only before its first chunk.
public struct RetryingProvider: LLMProvider {
    public let base: any LLMProvider
    public let policy: ProviderConfiguration.Retry
    private let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameter sleep: how to wait (a test may record instead).
    public init(_ base: any LLMProvider, policy: ProviderConfiguration.Retry,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.base = base
        self.policy = policy
        self.sleep = sleep
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        var attempt = 1
        while true {
            do { return try await base.complete(request) } catch let error as ProviderError {
                guard let wait = delay(after: error, attempt: attempt) else { throw error }
                try await sleep(wait)
                attempt += 1
            }
        }
    }

    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error> {
        relay { [self] out in
            var attempt = 1
            while true {
                var started = false
                do {
                    for try await chunk in base.stream(request) {
                        started = true
                        try await out.send(chunk)
                    }
                    return
                } catch let error as ProviderError where !started {
                    guard let wait = delay(after: error, attempt: attempt) else { throw error }
                    try await sleep(wait)
                    attempt += 1
                }
            }
        }
    }

    /// The wait before attempt `attempt + 1`, or `nil` to give up.
    func delay(after error: ProviderError, attempt: Int) -> Duration? {
        guard error.isRetryable, attempt < policy.maxAttempts else { return nil }
        if let asked = error.retryAfter {
            return asked <= policy.maxBackoff ? asked : nil
        }
        let exponential = policy.initialBackoff * Double(1 << min(attempt - 1, 30))
        let capped = min(exponential, policy.maxBackoff)
        return capped * Double.random(in: 0.5...1.0)
    }
}
