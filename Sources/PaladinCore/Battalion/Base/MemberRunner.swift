/// Runs one member once per the error strategy (with retries for RetryThenContinue), times it,
/// reports it to the observer, and turns every outcome into a `MemberStep` (never throws).
enum MemberRunner {
    static func run(_ name: String, input: String, in context: BattalionContext) async -> MemberStep {
        let startedAt = context.elapsed
        guard let member = context.members[name] else {
            let step = MemberStep(member: name, status: .failed, error: "unknown member \"\(name)\"", startedAt: startedAt)
            context.log.append(step)
            return step
        }
        let observer = context.observer
        observer?.memberStarted(name)
        let occurrence = context.occurrences?.next(name) ?? 0
        let step: MemberStep
        if var replayed = context.prior?.take(name) {  // resuming: this member already succeeded
            replayed.startedAt = startedAt
            replayed.replayed = true
            step = replayed
        } else if Task.isCancelled {  // the run stopped before this member began: it is not called
            step = cancelled(name, startedAt: startedAt)
        } else if let gate = context.approvals, gate.requiresApproval(name) {
            switch gate.check(member: name, occurrence: occurrence, input: input) {
            case .proceed(let approved):
                step = await attempt(member, input: approved, startedAt: startedAt, in: context)
            case .rejected(let why):
                step = MemberStep(member: name, status: .failed, error: why, startedAt: startedAt, attempts: 0)
            case .pause:
                step = MemberStep(member: name, status: .cancelled, error: waitingDescription, startedAt: startedAt, attempts: 0)
            }
        } else {
            step = await attempt(member, input: input, startedAt: startedAt, in: context)
        }
        context.log.append(step)
        observer?.memberFinished(step)
        return step
    }

    /// Calls the member (retrying under RetryThenContinue) and makes its step.
    private static func attempt(_ member: any BattalionMember, input: String, startedAt: Duration,
                                in context: BattalionContext) async -> MemberStep {
        let name = member.name
        var events: (@Sendable (PaladinEvent) -> Void)?
        if let observer = context.observer, observer.wantsDeltas {
            events = { event in
                if case .delta(let text) = event { observer.memberDelta(name, text) }
            }
        }
        let policy = context.options.errorStrategy == .retryThenContinue ? context.options.retry : .none
        var attempts = 0
        do {
            let result = try await policy.run(onRetry: { _, _ in }) { attempt in
                attempts = attempt
                return try await member.run(input, events: events)
            }
            return MemberStep(member: name, status: .succeeded, output: result.output, startedAt: startedAt,
                              duration: context.elapsed - startedAt, usage: result.usage, attempts: attempts)
        } catch {
            let cancelled = error is CancellationError || Task.isCancelled
            return MemberStep(member: name, status: cancelled ? .cancelled : .failed, error: describe(error),
                              startedAt: startedAt, duration: context.elapsed - startedAt, attempts: max(attempts, 1))
        }
    }

    /// The step of a member a stopped run never began: cancelled, logged and reported to the
    /// observer like any step, the member not called.
    static func notStarted(_ name: String, in context: BattalionContext) -> MemberStep {
        let step = cancelled(name, startedAt: context.elapsed)
        context.observer?.memberStarted(name)
        context.log.append(step)
        context.observer?.memberFinished(step)
        return step
    }

    /// The step of a member cancelled before it was called.
    private static func cancelled(_ name: String, startedAt: Duration) -> MemberStep {
        MemberStep(member: name, status: .cancelled, error: cancelledDescription, startedAt: startedAt, attempts: 1)
    }

    /// How the step of a member waiting for approval reads (it runs once approved).
    static let waitingDescription = "waiting for approval"

    /// How a cancelled step's error reads.
    static let cancelledDescription = "cancelled"

    static func describe(_ error: any Error) -> String {
        if error is CancellationError { return cancelledDescription }
        return String(describing: error)
    }
}
