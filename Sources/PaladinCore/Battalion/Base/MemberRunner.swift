/// Runs one member once per the error strategy (with retries for RetryThenContinue), times it,
/// reports it to the observer, and turns every outcome into a `MemberStep` (never throws).
enum MemberRunner {
    /// - Parameters:
    ///   - hint: where the member is expected among the context's members (found by name anyway).
    ///   - answered: the first model answer of a paladin, already obtained by `runImmediately`
    ///     (one asking for tools); the run goes on from it.
    static func run(_ name: String, at hint: Int = 0, input: String, in context: BattalionContext,
                    answered: Completion? = nil) async -> MemberStep {
        let startedAt = context.elapsed
        guard let member = context.table.member(named: name, hint: hint) else {
            let step = MemberStep(member: name, status: .failed, error: "unknown member \"\(name)\"", startedAt: startedAt)
            context.log.append(step)
            return step
        }
        let observer = context.observer
        observer?.memberStarted(name)
        if var replayed = context.prior?.take(name) {  // resuming: this member already succeeded
            replayed.startedAt = startedAt
            context.log.append(replayed)
            observer?.memberFinished(replayed)
            return replayed
        }
        var events: (@Sendable (PaladinEvent) -> Void)?
        if let observer, context.observerWantsDeltas {
            events = { event in
                if case .delta(let text) = event { observer.memberDelta(name, text) }
            }
        }
        let policy = context.options.errorStrategy == .retryThenContinue ? context.options.retry : .none
        var attempts = 0
        var step: MemberStep
        do {
            let result: PaladinResult
            if let answered, let agent = member.asPaladinAgent {
                attempts = 1
                result = try await agent.execute(input, answered: answered)
            } else if policy.maxAttempts == 1 {  // no retry: call directly, without the retry closure
                attempts = 1
                result = try await member.run(input, events: events)
            } else {
                result = try await policy.run(onRetry: { _, _ in }) { attempt in
                    attempts = attempt
                    return try await member.run(input, events: events)
                }
            }
            step = MemberStep(member: name, status: .succeeded, output: result.output, startedAt: startedAt,
                              duration: context.elapsed - startedAt, usage: result.usage, attempts: attempts)
        } catch {
            let cancelled = error is CancellationError || Task.isCancelled
            step = MemberStep(member: name, status: cancelled ? .cancelled : .failed, error: describe(error),
                              startedAt: startedAt, duration: context.elapsed - startedAt, attempts: max(attempts, 1))
        }
        context.log.append(step)
        observer?.memberFinished(step)
        return step
    }

    /// How a cancelled step's error reads.
    static let cancelledDescription = "cancelled"

    static func describe(_ error: any Error) -> String {
        if error is CancellationError { return cancelledDescription }
        return String(describing: error)
    }
}
