/// A way of running members together. Each pattern checks its own shape (`validate`) and runs
/// (`execute`); `run`, shared by every pattern, adds the run timeout, cancellation and the result.
public protocol BattalionPattern: Sendable {
    /// "formation", "phalanx", ...
    var patternName: String { get }
    /// Every member the pattern uses, for validation against the battalion's members.
    var memberNames: [String] { get }
    /// Problems with the pattern's own shape; empty when it can run.
    func validate() -> [String]
    /// Runs the pattern. Steps go to `context.log` through `MemberRunner`.
    func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome
}

/// What `execute` returns besides the steps.
public struct PatternOutcome: Sendable, Hashable {
    public var finalOutput: String
    /// Why the run failed, when it did (FailFast, no majority, ...).
    public var failure: String?
    public var reasoning: String?

    public init(finalOutput: String, failure: String? = nil, reasoning: String? = nil) {
        self.finalOutput = finalOutput
        self.failure = failure
        self.reasoning = reasoning
    }
}

extension BattalionPattern {
    /// Validates, runs under the battalion's timeout, and reports every outcome as a result:
    /// completed, failed (with the reason), timed out or cancelled (with the steps done so far).
    public func run(_ input: String, in context: BattalionContext) async -> BattalionResult {
        if let refused = refusal(in: context) { return refused }
        do {
            let outcome: PatternOutcome
            if let timeout = context.options.timeout {
                outcome = try await withTimeout(timeout) { try await execute(input, in: context) }
            } else {
                outcome = try await execute(input, in: context)
            }
            return .finished(patternName, outcome, in: context)
        } catch {
            return .stopped(patternName, by: error, in: context)
        }
    }

    /// The failed result of a pattern that cannot run (its own shape, or members the battalion
    /// lacks); nil when it can.
    func refusal(in context: BattalionContext) -> BattalionResult? {
        var problems = validate()
        for name in memberNames where context.members[name] == nil {
            problems.append("unknown member \"\(name)\"")
        }
        guard problems.isEmpty else {
            return BattalionResult(pattern: patternName, status: .failed, finalOutput: "", steps: [],
                                   error: problems.joined(separator: "; "))
        }
        return nil
    }
}

extension BattalionResult {
    /// The result of a run of `pattern` that returned `outcome`: completed, or failed with its reason.
    static func finished(_ pattern: String, _ outcome: PatternOutcome, in context: BattalionContext) -> BattalionResult {
        BattalionResult(pattern: pattern, status: outcome.failure == nil ? .completed : .failed,
                        finalOutput: outcome.finalOutput, steps: context.log.all, error: outcome.failure,
                        duration: context.elapsed, reasoning: outcome.reasoning)
    }

    /// The result of a run of `pattern` that threw `error`: timed out, cancelled or failed, with
    /// the steps done so far.
    static func stopped(_ pattern: String, by error: any Error, in context: BattalionContext) -> BattalionResult {
        if let error = error as? TimeoutError {
            return BattalionResult(pattern: pattern, status: .timedOut, finalOutput: "", steps: context.log.all,
                                   error: error.description, duration: context.elapsed)
        }
        let cancelled = error is CancellationError || Task.isCancelled
        return BattalionResult(pattern: pattern, status: cancelled ? .cancelled : .failed, finalOutput: "",
                               steps: context.log.all, error: MemberRunner.describe(error), duration: context.elapsed)
    }
}
