/// How one member's part of a run ended.
public enum StepStatus: String, Sendable, Hashable {
    case succeeded, failed, skipped, cancelled
}

/// One member's part of a run.
public struct MemberStep: Sendable, Hashable {
    public var member: String
    public var status: StepStatus
    public var output: String
    public var error: String?
    /// When it started, from the start of the run.
    public var startedAt: Duration
    public var duration: Duration
    public var usage: TokenUsage
    public var attempts: Int
    /// Taken from an earlier attempt of a resumed run instead of calling the member again
    /// (already stored; not a stored field).
    public var replayed = false

    public init(member: String, status: StepStatus, output: String = "", error: String? = nil, startedAt: Duration = .zero,
                duration: Duration = .zero, usage: TokenUsage = .zero, attempts: Int = 0) {
        self.member = member
        self.status = status
        self.output = output
        self.error = error
        self.startedAt = startedAt
        self.duration = duration
        self.usage = usage
        self.attempts = attempts
    }

    /// When it finished, from the start of the run.
    public var finishedAt: Duration { startedAt + duration }
}

/// How a whole run ended.
public enum RunOutcome: String, Sendable, Hashable {
    case completed, failed, cancelled
    case timedOut = "timed_out"
}

/// The outcome of a battalion run: every member's step, the final output, and totals.
public struct BattalionResult: Sendable, Hashable {
    /// The pattern that ran ("formation", ...).
    public var pattern: String
    public var status: RunOutcome
    public var finalOutput: String
    /// Steps in the order members started.
    public var steps: [MemberStep]
    public var error: String?
    /// From the context's creation to when the result was built.
    public var duration: Duration
    /// Why the pattern (or a route, or a selection) was chosen, where a choice was made.
    public var reasoning: String?

    public init(pattern: String, status: RunOutcome, finalOutput: String, steps: [MemberStep], error: String? = nil,
                duration: Duration = .zero, reasoning: String? = nil) {
        self.pattern = pattern
        self.status = status
        self.finalOutput = finalOutput
        self.steps = steps
        self.error = error
        self.duration = duration
        self.reasoning = reasoning
    }

    /// Token usage summed over every step.
    public var usage: TokenUsage { steps.reduce(.zero) { $0 + $1.usage } }
    public var succeeded: Int { steps.count { $0.status == .succeeded } }
    public var failed: Int { steps.count { $0.status == .failed } }
}

/// Why a battalion cannot run as defined.
public struct BattalionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
