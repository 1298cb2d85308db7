/// A formation's run in progress: the loop of `Formation.execute` as a value, so that the part
/// that never suspends (members that answer at once) runs in a plain function, and a run whose
/// members all answer at once needs no async frame beyond `run`'s own (decision 42).
///
/// It keeps neither the formation nor its member array, which are passed to each call: copying
/// either retained and released the array once a run (two atomic operations).
struct FormationMarch {
    /// The next member's input. Derivable (`lastOutput`, else the run's input) but kept: deriving
    /// it cost ~15 instructions a member and ~60 a run (decision 43).
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
    /// Why the run failed, once it is over and did (FailFast, or every member failed).
    private var failure: String?

    /// - Parameter sharedContext: the formation's.
    init(sharedContext: String, input: String) {
        current = sharedContext.isEmpty ? input : sharedContext + "\n\n" + input
    }

    /// Runs members while they answer at once. Returns true at the end of the run (`result`,
    /// `outcome`), false at a member that must be awaited (`index`). A flag, not the outcome:
    /// copying a `PatternOutcome` out of an optional went through the compiler's merged generic
    /// copies of its `String?` fields (~300 instructions a run), and the result is built from
    /// this value's own fields instead (decision 43).
    mutating func advance(_ members: [String], in context: BattalionContext) throws -> Bool {
        while index < members.count {
            try Task.checkCancellation()
            switch MemberRunner.runImmediately(members[index], at: index, input: current, in: context, request: &request,
                                               step: &step, cancellationChecked: true, startedAt: previousEnd) {
            case .done:
                MemberRunner.record(step, in: context)
                previousEnd = context.hasObserver ? nil : step.finishedAt
            case .declined:
                previousEnd = nil
                return false
            case .needsTools(let first):
                previousEnd = nil
                toolsAnswer = first
                return false
            }
            if try settle(members, in: context) { return true }
        }
        if lastOutput == nil { failure = "every member failed" }
        return true
    }

    /// Runs to the end after `advance` stopped at a member that must be awaited: awaits it (it is
    /// not asked again), then goes on, awaiting any later member that does not answer at once.
    mutating func finish(_ members: [String], in context: BattalionContext) async throws {
        while true {
            if let first = toolsAnswer {
                toolsAnswer = nil
                step = await MemberRunner.run(members[index], at: index, input: current, in: context, answered: first)
            } else {
                step = await MemberRunner.run(members[index], at: index, input: current, in: context)
            }
            if try settle(members, in: context) { return }
            if try advance(members, in: context) { return }
        }
    }

    /// After member `index` ran into `step`: passes its output on (or skips it over), moves to
    /// the next member, or ends the run (FailFast: returns true).
    private mutating func settle(_ members: [String], in context: BattalionContext) throws -> Bool {
        switch step.status {
        case .succeeded:
            current = step.output
            lastOutput = step.output
        case .cancelled:
            throw CancellationError()
        case .failed, .skipped:
            if context.options.errorStrategy == .failFast {
                failure = "member \(members[index]) failed: \(step.error ?? "")"
                return true
            }
        }
        index += 1
        return false
    }

    /// The outcome of a run that is over: the last successful output, and the failure if any.
    var outcome: PatternOutcome { PatternOutcome(finalOutput: lastOutput ?? "", failure: failure) }

    /// `BattalionResult.finished` of the run that is over. When the last step ran without
    /// suspending and nothing ran after it (no observer), the run ends with that step: its end,
    /// already read, is the run's duration (one clock read, ~31 ns, a run fewer). The output and
    /// failure are moved out, not copied (the march is over).
    @inline(__always)
    mutating func result(_ pattern: String, in context: BattalionContext) -> BattalionResult {
        .finished(pattern, PatternOutcome(finalOutput: lastOutput.take() ?? "", failure: failure.take()), in: context,
                  endedAt: previousEnd)
    }
}
