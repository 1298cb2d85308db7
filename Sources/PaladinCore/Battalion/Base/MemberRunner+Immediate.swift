/// How `MemberRunner.runImmediately` ended.
enum ImmediateStep {
    /// The member ran to its step without suspending, written to the caller's `step`; the
    /// caller records it (`record(_:in:)`).
    case done
    /// Nothing happened: run the member with `MemberRunner.run`.
    case declined
    /// The member's first model answer asks for tools: go on with `run(..., answered:)`.
    case needsTools(Completion)
}

extension MemberRunner {
    /// The member's step without suspending, when it can be had that way: a `PaladinAgent` whose
    /// provider answers at once (`ImmediateLLMProvider`), no observer that wants deltas, no
    /// retries, no resumed steps, a task not cancelled. The step is the one `run` would record; the
    /// caller records it with `record(_:in:)` once it has read what it needs (no copy then).
    ///
    /// - Parameters:
    ///   - hint: where the member is expected among the context's members (found by name anyway).
    ///   - request: the request the caller keeps between members (`AgentLoop.answerImmediately`).
    ///   - step: set to the member's step when it is `.done` (an inout, so the step is not copied
    ///     out of an enum's payload); untouched otherwise.
    ///   - cancellationChecked: the caller has just checked that the task is not cancelled.
    ///   - startedAt: when the step starts, if the caller has just read the clock (the previous
    ///     step's end); read here otherwise.
    static func runImmediately(_ name: String, at hint: Int = 0, input: String, in context: BattalionContext,
                               request: inout CompletionRequest, step: inout MemberStep,
                               cancellationChecked: Bool = false, startedAt known: Duration? = nil) -> ImmediateStep {
        guard !context.observerWantsDeltas, context.prior == nil, context.options.errorStrategy != .retryThenContinue,
              let position = context.table.position(of: name, hint: hint),
              context.table.entries[position].agent != nil else { return .declined }
        // The agent's storage, used without a retain (copying the agent out of the table retained
        // it twice a step, four atomic operations): safe because the context, borrowed for this
        // call, holds the table, whose entries are constants, so the storage outlives every use
        // below (decision 43).
        let storage = Unmanaged.passUnretained(context.table.entries[position].agent.unsafelyUnwrapped.storage)
        if !cancellationChecked && Task.isCancelled { return .declined }
        let startedAt = known ?? context.elapsed
        do {
            switch try storage._withUnsafeGuaranteedRef({
                try AgentLoop.answerImmediately($0, input: input, request: &request)
            }) {
            case .declined: return .declined
            case .needsTools(let first): return .needsTools(first)
            case .answered(let output, let usage):
                set(&step, name, .succeeded, output: output, error: nil, startedAt: startedAt, in: context)
                step.usage = usage
            }
        } catch {
            set(&step, name, error is CancellationError ? .cancelled : .failed, output: "", error: describe(error),
                startedAt: startedAt, in: context)
            step.usage = .zero
        }
        return .done
    }

    /// Writes a step field by field: assigning a whole `MemberStep` copied it through its value
    /// witness (a call and a temporary) where each field is one store.
    private static func set(_ step: inout MemberStep, _ name: String, _ status: StepStatus, output: String, error: String?,
                            startedAt: Duration, in context: BattalionContext) {
        step.member = name
        step.status = status
        step.output = output
        step.error = error
        step.startedAt = startedAt
        step.duration = context.elapsed - startedAt
        step.attempts = 1
    }

    /// Logs a step that ran without suspending and reports it to the observer as started, then
    /// finished (as `run` does); without an observer, the optional existential is not copied.
    static func record(_ step: MemberStep, in context: BattalionContext) {
        guard context.hasObserver, let observer = context.observer else { return context.log.append(step) }
        observer.memberStarted(step.member)
        context.log.append(step)
        observer.memberFinished(step)
    }

    /// An empty request for `runImmediately` to fill in place, member after member.
    static func scratchRequest() -> CompletionRequest { CompletionRequest(model: "", messages: []) }

    /// The step of a member a stopped concurrent run never started: cancelled, as it would have
    /// been at its first cancellation check (logged and reported like any step).
    /// - Parameter startedAt: when the run was stopped (one clock read for all such members).
    static func cancelledBeforeStart(_ name: String, at startedAt: Duration, in context: BattalionContext) -> MemberStep {
        let step = MemberStep(member: name, status: .cancelled, error: cancelledDescription, startedAt: startedAt,
                              attempts: 1)
        record(step, in: context)
        return step
    }
}
