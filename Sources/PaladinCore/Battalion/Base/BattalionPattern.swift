/// A way of running members together. Each pattern checks its own shape (`validate`) and runs
/// (`execute`); `run` adds what all share: the run timeout, cancellation and the result.
public protocol BattalionPattern: Sendable {
    /// "formation", "phalanx", ...
    var patternName: String { get }
    /// Every member the pattern uses, for validation against the battalion's members.
    var memberNames: [String] { get }
    /// Problems with the pattern's own shape; empty when it can run.
    func validate() -> [String]
    /// Runs the pattern. Steps go to `context.log` through `MemberRunner`.
    func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome
    /// Validates, runs under the battalion's timeout, and reports every outcome as a result. A
    /// requirement (with the one implementation below) so that each pattern's witness is the
    /// implementation specialized for it: no generic frames for `Self`, no witness calls.
    func run(_ input: String, in context: BattalionContext) async -> BattalionResult
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
        var problems = validate()
        for (index, name) in memberNames.enumerated() where context.table.position(of: name, hint: index) == nil {
            problems.append("unknown member \"\(name)\"")
        }
        guard problems.isEmpty else {
            return BattalionResult(pattern: patternName, status: .failed, finalOutput: "", steps: [],
                                   error: problems.joined(separator: "; "))
        }
        do {
            let outcome: PatternOutcome
            if let timeout = context.options.timeout {
                let pattern = self
                outcome = try await withTimeout(timeout) { try await pattern.execute(input, in: context) }
            } else {  // no limit: no closure to allocate
                outcome = try await execute(input, in: context)
            }
            return BattalionResult(pattern: patternName, status: outcome.failure == nil ? .completed : .failed,
                                   finalOutput: outcome.finalOutput, steps: context.log.all, error: outcome.failure,
                                   duration: context.elapsed, reasoning: outcome.reasoning)
        } catch let error as TimeoutError {
            return BattalionResult(pattern: patternName, status: .timedOut, finalOutput: "", steps: context.log.all,
                                   error: error.description, duration: context.elapsed)
        } catch {
            let cancelled = error is CancellationError || Task.isCancelled
            return BattalionResult(pattern: patternName, status: cancelled ? .cancelled : .failed, finalOutput: "",
                                   steps: context.log.all, error: MemberRunner.describe(error), duration: context.elapsed)
        }
    }
}
