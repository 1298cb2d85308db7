/// A formation's run in progress: the loop of `Formation.execute` as a value, so that the part
/// that never suspends (members that answer at once) runs in a plain function, and a run whose
/// members all answer at once needs no async frame beyond `run`'s own (decision 42).
struct FormationMarch {
    let members: [String]
    /// The next member's input.
    private var current: String
    private var lastOutput: String?
    /// The member running or about to run.
    private var index = 0
    /// Reused by the members that answer without suspending.
    private var request = MemberRunner.scratchRequest()
    private var step = MemberStep(member: "", status: .skipped)
    /// Without an observer, nothing but this loop's bookkeeping runs between two members that
    /// answer at once: the clock read that ends one step also starts the next.
    private var previousEnd: Duration?
    /// The first answer of member `index` when it asked for tools (it must be awaited from there).
    private var toolsAnswer: Completion?

    init(_ formation: Formation, input: String) {
        members = formation.members
        current = formation.sharedContext.isEmpty ? input : formation.sharedContext + "\n\n" + input
    }

    /// Runs members while they answer at once. Returns the outcome at the end of the run, or nil
    /// at a member that must be awaited (`index`). A plain result, not an enum carrying the
    /// outcome: copying that enum went through generic value witnesses.
    mutating func advance(in context: BattalionContext) throws -> PatternOutcome? {
        while index < members.count {
            try Task.checkCancellation()
            switch MemberRunner.runImmediately(members[index], at: index, input: current, in: context, request: &request,
                                               step: &step, cancellationChecked: true, startedAt: previousEnd) {
            case .done:
                MemberRunner.record(step, in: context)
                previousEnd = context.hasObserver ? nil : step.finishedAt
            case .declined:
                previousEnd = nil
                return nil
            case .needsTools(let first):
                previousEnd = nil
                toolsAnswer = first
                return nil
            }
            if let outcome = try settle(in: context) { return outcome }
        }
        return conclusion
    }

    /// Runs to the end after `advance` stopped at a member that must be awaited: awaits it (it is
    /// not asked again), then goes on, awaiting any later member that does not answer at once.
    mutating func finish(in context: BattalionContext) async throws -> PatternOutcome {
        while true {
            if let first = toolsAnswer {
                toolsAnswer = nil
                step = await MemberRunner.run(members[index], at: index, input: current, in: context, answered: first)
            } else {
                step = await MemberRunner.run(members[index], at: index, input: current, in: context)
            }
            if let outcome = try settle(in: context) { return outcome }
            if let outcome = try advance(in: context) { return outcome }
        }
    }

    /// After member `index` ran into `step`: passes its output on (or skips it over), moves to
    /// the next member, or ends the run (FailFast).
    private mutating func settle(in context: BattalionContext) throws -> PatternOutcome? {
        switch step.status {
        case .succeeded:
            current = step.output
            lastOutput = step.output
        case .cancelled:
            throw CancellationError()
        case .failed, .skipped:
            if context.options.errorStrategy == .failFast {
                return PatternOutcome(finalOutput: lastOutput ?? "",
                                      failure: "member \(members[index]) failed: \(step.error ?? "")")
            }
        }
        index += 1
        return nil
    }

    /// The outcome once every member has run: the last successful output.
    private var conclusion: PatternOutcome {
        guard let lastOutput else { return PatternOutcome(finalOutput: "", failure: "every member failed") }
        return PatternOutcome(finalOutput: lastOutput)
    }
}
