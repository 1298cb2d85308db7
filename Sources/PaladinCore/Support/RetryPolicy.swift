/// How often and how patiently to try again: exponential backoff with optional jitter.
///
/// Attempt 1 runs at once; attempt n > 1 waits `min(maxDelay, baseDelay * 2^(n-2))`, multiplied
/// by a random factor in [0.5, 1.0] when `jitter` is on (so synchronized clients spread out).
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts including the first; 1 means no retry.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var jitter: Bool

    public init(maxAttempts: Int = 1, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(10), jitter: Bool = true) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// No retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before `attempt` (2 or more).
    public func delay(beforeAttempt attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        guard attempt > 1 else { return .zero }
        let exponent = min(attempt - 2, 30)
        var delay = baseDelay * (1 << exponent)
        if delay > maxDelay { delay = maxDelay }
        if jitter { delay = delay * Double.random(in: 0.5...1.0, using: &random) }
        return delay
    }

    /// Runs `body` up to `maxAttempts` times while `shouldRetry` says the error is worth it.
    /// Cancellation ends the waiting at once. `onRetry` hears each failed attempt that is retried.
    public func run<T: Sendable>(
        shouldRetry: (any Error) -> Bool = { _ in true },
        onRetry: (Int, any Error) -> Void = { _, _ in },
        _ body: (Int) async throws -> T
    ) async throws -> T {
        guard maxAttempts > 1 else { return try await body(1) }
        return try await retrying(shouldRetry: shouldRetry, onRetry: onRetry, body)
    }

    /// `run` with retries: the backoff state lives only in the calls that can retry.
    private func retrying<T: Sendable>(
        shouldRetry: (any Error) -> Bool, onRetry: (Int, any Error) -> Void, _ body: (Int) async throws -> T
    ) async throws -> T {
        var random = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                return try await body(attempt)
            } catch {
                if error is CancellationError || Task.isCancelled || attempt >= maxAttempts || !shouldRetry(error) { throw error }
                onRetry(attempt, error)
                attempt += 1
                try await Task.sleep(for: delay(beforeAttempt: attempt, using: &random))
            }
        }
    }
}
