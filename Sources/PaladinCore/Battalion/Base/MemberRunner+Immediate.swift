/// How `MemberRunner.runImmediately` ended.
enum ImmediateStep {
    /// The member ran to its step without suspending.
    case done(MemberStep)
    /// Nothing happened: run the member with `MemberRunner.run`.
    case declined
    /// The member's first model answer asks for tools: go on with `run(..., answered:)`.
    case needsTools(Completion)
}

extension MemberRunner {
    /// The member's step without suspending, when it can be had that way: a `PaladinAgent` whose
    /// provider answers at once (`ImmediateLLMProvider`), no observer that wants deltas, no
    /// retries, no resumed steps, a task not cancelled. The step is the one `run` would record
    /// (logged, and reported to the observer as started then finished).
    static func runImmediately(_ name: String, input: String, in context: BattalionContext) -> ImmediateStep {
        guard context.observer?.wantsDeltas != true, context.prior == nil, context.options.errorStrategy != .retryThenContinue,
              !Task.isCancelled, let agent = context.members[name]?.asPaladinAgent else { return .declined }
        let startedAt = context.elapsed
        let step: MemberStep
        do {
            switch try agent.executeImmediately(input) {
            case .declined: return .declined
            case .needsTools(let first): return .needsTools(first)
            case .finished(let result):
                step = MemberStep(member: name, status: .succeeded, output: result.output, startedAt: startedAt,
                                  duration: context.elapsed - startedAt, usage: result.usage, attempts: 1)
            }
        } catch {
            step = MemberStep(member: name, status: error is CancellationError ? .cancelled : .failed, error: describe(error),
                              startedAt: startedAt, duration: context.elapsed - startedAt, attempts: 1)
        }
        context.observer?.memberStarted(name)
        context.log.append(step)
        context.observer?.memberFinished(step)
        return .done(step)
    }

    /// `runImmediately` when it can, else `run`: the sequential patterns' way to run a member.
    static func runPreferringImmediate(_ name: String, input: String, in context: BattalionContext) async -> MemberStep {
        switch runImmediately(name, input: input, in: context) {
        case .done(let step): step
        case .declined: await run(name, input: input, in: context)
        case .needsTools(let first): await run(name, input: input, in: context, answered: first)
        }
    }

    /// The step of a member a stopped concurrent run never started: cancelled, as it would have
    /// been at its first cancellation check (logged and reported like any step).
    static func cancelledBeforeStart(_ name: String, in context: BattalionContext) -> MemberStep {
        let step = MemberStep(member: name, status: .cancelled, error: describe(CancellationError()),
                              startedAt: context.elapsed, attempts: 1)
        context.observer?.memberStarted(name)
        context.log.append(step)
        context.observer?.memberFinished(step)
        return step
    }
}
