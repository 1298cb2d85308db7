/// How one member's part of a run ended.
public enum StepStatus: String, Sendable, Hashable {
    case succeeded, failed, skipped, cancelled
}

/// One member's part of a run.
public struct MemberStep: Sendable, Hashable {
    public var status: StepStatus
    public var member: String
    public var output: String
    public var error: String?
    /// When it started, from the start of the run.
    public var startedAt: Duration
    public var duration: Duration
    public var usage: TokenUsage
    public var attempts: Int

    // No initializer here, as in `BattalionResult`: the public one, below, delegates to the
    // compiler's memberwise one (`status` first), which builds the value in place (decision 44).

    /// When it finished, from the start of the run.
    public var finishedAt: Duration { startedAt + duration }
}

extension MemberStep {
    public init(member: String, status: StepStatus, output: String = "", error: String? = nil, startedAt: Duration = .zero,
                duration: Duration = .zero, usage: TokenUsage = .zero, attempts: Int = 0) {
        self.init(status: status, member: member, output: output, error: error, startedAt: startedAt,
                  duration: duration, usage: usage, attempts: attempts)
    }
}

/// How a whole run ended.
public enum RunOutcome: String, Sendable, Hashable {
    case completed, failed, cancelled
    case timedOut = "timed_out"
}

/// The outcome of a battalion run: every member's step, the final output, and totals.
public struct BattalionResult: Sendable, Hashable {
    public var status: RunOutcome
    /// The pattern that ran ("formation", ...).
    public var pattern: String
    public var finalOutput: String
    /// Steps in the order members started.
    public var steps: [MemberStep]
    public var error: String?
    /// From the context's creation to the run's end: the end of its last step, or when the
    /// result was built.
    public var duration: Duration
    /// Why the pattern (or a route, or a selection) was chosen, where a choice was made.
    public var reasoning: String?

    // No initializer here: the compiler's memberwise one (internal; its labels in the order
    // above, `status` first, so no call meant for the public one matches it) builds the value in
    // place, where an initializer assigning each field built it in a temporary, copied it out and
    // destroyed it (~260 instructions and two atomic operations a result; decision 44). The
    // public initializer below delegates to it.

    /// Token usage summed over every step.
    public var usage: TokenUsage { steps.reduce(.zero) { $0 + $1.usage } }
    public var succeeded: Int { steps.count { $0.status == .succeeded } }
    public var failed: Int { steps.count { $0.status == .failed } }
}

extension BattalionResult {
    public init(pattern: String, status: RunOutcome, finalOutput: String, steps: [MemberStep], error: String? = nil,
                duration: Duration = .zero, reasoning: String? = nil) {
        self.init(status: status, pattern: pattern, finalOutput: finalOutput, steps: steps, error: error,
                  duration: duration, reasoning: reasoning)
    }
}

/// Why a battalion cannot run as defined.
public struct BattalionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
