/// What a battalion does when a member fails.
public enum ErrorStrategy: String, Sendable, Hashable {
    /// The first failure fails the run; members still running are cancelled.
    case failFast = "fail_fast"
    /// Failures are recorded; the run goes on without those outputs.
    case continueOnError = "continue_on_error"
    /// A failing member is retried per `BattalionOptions.retry`, then treated as ContinueOnError.
    case retryThenContinue = "retry_then_continue"
}

/// Settings every pattern shares.
public struct BattalionOptions: Sendable, Hashable {
    public var errorStrategy: ErrorStrategy
    /// Used by `.retryThenContinue` (every error is retried, with backoff and jitter).
    public var retry: RetryPolicy
    /// Limit for the whole run; `nil` means none.
    public var timeout: Duration?

    public init(errorStrategy: ErrorStrategy = .failFast,
                retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(100), maxDelay: .seconds(10)),
                timeout: Duration? = nil) {
        self.errorStrategy = errorStrategy
        self.retry = retry
        self.timeout = timeout
    }
}

/// Hears a run as it happens (the server turns these into RunStream events). Called from
/// member tasks, concurrently; implementations must be thread-safe.
public protocol BattalionObserver: Sendable {
    func memberStarted(_ member: String)
    func memberDelta(_ member: String, _ text: String)
    func memberFinished(_ step: MemberStep)
    /// Whether `memberDelta` is wanted. When false, members run without streaming (a provider
    /// answers in one piece). Default true.
    var wantsDeltas: Bool { get }
}

extension BattalionObserver {
    public var wantsDeltas: Bool { true }
}
