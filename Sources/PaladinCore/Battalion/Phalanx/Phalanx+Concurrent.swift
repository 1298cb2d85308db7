extension Phalanx {
    /// Runs members concurrently (at most `limit` at once) and returns their steps in member
    /// order. FailFast (or `stopAtFirstSuccess`) cancels the rest at the first failure (success).
    ///
    /// A member that can run without suspending (`MemberRunner.runImmediately`: a paladin whose
    /// provider answers at once) runs inline, with no task; the others are child tasks started
    /// immediately (`addImmediateTask`): each runs on the caller's thread until its first
    /// suspension (a model call waiting on the network), then the next member starts. So members
    /// overlap wherever they wait, and one that never waits costs no task and no thread hop. A
    /// step that stops the run raises `stop`; members of the first wave (`limit`) not started by
    /// then are recorded cancelled, and those beyond it never start (reported `.skipped`).
    ///
    /// Members are run inline, in order, until one needs to suspend: only then is a task group
    /// made (`runInGroup`), for that member and the rest. A run whose members all answer at once
    /// makes no group, no stop flag and no table of optional steps.
    static func runConcurrently(_ names: [String], input: String, limit: Int, in context: BattalionContext,
                                stopAtFirstSuccess: Bool = false) async throws -> [MemberStep] {
        let width = limit > 0 ? min(limit, names.count) : names.count
        let failFast = context.options.errorStrategy == .failFast
        var steps: [MemberStep] = []
        steps.reserveCapacity(names.count)
        var request = MemberRunner.scratchRequest()  // reused by the members that run inline
        var stoppedAt: Duration?  // when a step stopped the run
        while steps.count < names.count {
            let index = steps.count
            if let stoppedAt {  // the first wave's members not started are cancelled; the rest skipped
                guard index < width else { break }
                let step = MemberRunner.cancelledBeforeStart(names[index], at: stoppedAt, in: context)
                steps.append(consume step)  // moved, not copied
                continue
            }
            var step = MemberStep(member: "", status: .skipped)
            switch MemberRunner.runImmediately(names[index], at: index, input: input, in: context, request: &request,
                                               step: &step) {
            case .done:
                MemberRunner.record(step, in: context)
                if (step.status == .failed && failFast) || (step.status == .succeeded && stopAtFirstSuccess) {
                    stoppedAt = context.elapsed
                }
                steps.append(consume step)  // moved, not copied
            case .declined:
                return try await runInGroup(names, from: index, answered: nil, done: steps, input: input, width: width,
                                            in: context, stopAtFirstSuccess: stopAtFirstSuccess)
            case .needsTools(let first):
                return try await runInGroup(names, from: index, answered: first, done: steps, input: input, width: width,
                                            in: context, stopAtFirstSuccess: stopAtFirstSuccess)
            }
        }
        try Task.checkCancellation()
        for index in steps.count..<names.count {  // beyond the first wave of a stopped run
            steps.append(MemberStep(member: names[index], status: .skipped, startedAt: context.elapsed))
        }
        return steps
    }

    /// The rest of `runConcurrently` from the member at `start`, the first that has to suspend
    /// (`answered`: its first model answer, when it asked for tools), with a task group; `done`
    /// are the steps of the members before it, which ran inline without stopping the run.
    private static func runInGroup(_ names: [String], from start: Int, answered handed: Completion?, done: [MemberStep],
                                   input: String, width: Int, in context: BattalionContext,
                                   stopAtFirstSuccess: Bool) async throws -> [MemberStep] {
        let failFast = context.options.errorStrategy == .failFast
        let stop = StopFlag()
        var steps: [MemberStep?] = Array(repeating: nil, count: names.count - start)
        await withTaskGroup(of: (Int, MemberStep).self) { group in
            var next = start
            var running = 0  // child tasks not yet finished; inline members take no slot
            var stopped = false
            var handoff: Completion?? = .some(handed)  // the member at `start` goes straight to a task
            var request = MemberRunner.scratchRequest()  // reused by the members that run inline
            func startNext() {
                let index = next
                next += 1
                if stopped {  // a member that never suspended already ended the run
                    steps[index - start] = MemberRunner.cancelledBeforeStart(names[index], at: context.elapsed, in: context)
                    return
                }
                var answered: Completion?
                if let handed = handoff {
                    handoff = nil
                    answered = handed
                } else {
                    var step = MemberStep(member: "", status: .skipped)
                    switch MemberRunner.runImmediately(names[index], at: index, input: input, in: context, request: &request,
                                                       step: &step) {
                    case .done:  // ran without suspending: no task needed
                        MemberRunner.record(step, in: context)
                        steps[index - start] = step
                        if (step.status == .failed && failFast) || (step.status == .succeeded && stopAtFirstSuccess) {
                            stop.raise()
                        }
                        return
                    case .declined: break
                    case .needsTools(let first): answered = first
                    }
                }
                let operation: @Sendable () async -> (Int, MemberStep) = { [answered] in
                    let step = await MemberRunner.run(names[index], at: index, input: input, in: context, answered: answered)
                    if (step.status == .failed && failFast) || (step.status == .succeeded && stopAtFirstSuccess) {
                        stop.raise()
                    }
                    return (index, step)
                }
                running += 1
                if #available(macOS 26, *) {
                    group.addImmediateTask(operation: operation)
                } else {
                    group.addTask(operation: operation)
                }
            }
            func stopIfRaised() {
                if stop.isRaised && !stopped {
                    stopped = true
                    group.cancelAll()
                }
            }
            // The first wave. Once the run is stopped, its members not started yet are cancelled
            // as they would have been had they been running (every one of them reports a step);
            // members beyond it are skipped.
            while next < names.count && running < width {
                stopIfRaised()
                if stopped && next >= width { break }
                startNext()
            }
            for await (index, step) in group {
                running -= 1
                steps[index - start] = step
                stopIfRaised()
                while !stopped && next < names.count && running < width {
                    startNext()
                    stopIfRaised()
                }
            }
        }
        try Task.checkCancellation()
        var all = done
        all.reserveCapacity(names.count)
        for index in start..<names.count {
            all.append(steps[index - start] ?? MemberStep(member: names[index], status: .skipped, startedAt: context.elapsed))
        }
        return all
    }
}
