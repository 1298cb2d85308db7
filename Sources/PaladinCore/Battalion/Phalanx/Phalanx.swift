/// Phalanx: members run concurrently on the same input, at most `maxConcurrency` at a time
/// (0 = all at once), and an `Aggregation` makes one output of theirs.
///
/// FailFast cancels the members still running at the first failure. FirstSuccess cancels them
/// at the first success, whatever the strategy.
public struct Phalanx: BattalionPattern {
    public var members: [String]
    public var aggregation: Aggregation
    public var maxConcurrency: Int

    public init(members: [String], aggregation: Aggregation = .collectAll, maxConcurrency: Int = 0) {
        self.members = members
        self.aggregation = aggregation
        self.maxConcurrency = maxConcurrency
    }

    public var patternName: String { "phalanx" }
    public var memberNames: [String] {
        if case .vote(let judge) = aggregation { return members + [judge] }
        return members
    }

    public func validate() -> [String] {
        var problems: [String] = []
        if members.isEmpty { problems.append("a phalanx needs at least one member") }
        if !Self.areDistinct(members) { problems.append("phalanx members must be distinct") }
        if maxConcurrency < 0 { problems.append("max_concurrency must not be negative") }
        if case .vote(let judge) = aggregation, members.contains(judge) { problems.append("the judge \(judge) cannot also be a member") }
        return problems
    }

    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        let steps = try await Self.runConcurrently(members, input: input, limit: maxConcurrency, in: context,
                                                   stopAtFirstSuccess: aggregation == .firstSuccess)
        let failures = steps.filter { $0.status == .failed }
        if context.options.errorStrategy == .failFast, let first = failures.first {
            return PatternOutcome(finalOutput: "", failure: "member \(first.member) failed: \(first.error ?? "")")
        }
        let successes = steps.filter { $0.status == .succeeded }  // already in member order
        guard !successes.isEmpty else { return PatternOutcome(finalOutput: "", failure: "every member failed") }
        switch aggregation {
        case .collectAll:
            return PatternOutcome(finalOutput: successes.map(\.output).joined(separator: "\n---\n"))
        case .firstSuccess:
            let winner = successes.min { $0.finishedAt < $1.finishedAt }!
            return PatternOutcome(finalOutput: winner.output, reasoning: "first success: \(winner.member)")
        case .majority:
            return Self.majority(of: successes, memberCount: members.count)
        case .vote(let judge):
            return try await Self.vote(judge: judge, task: input, candidates: successes, in: context)
        }
    }

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
    static func runConcurrently(_ names: [String], input: String, limit: Int, in context: BattalionContext,
                                stopAtFirstSuccess: Bool = false) async throws -> [MemberStep] {
        let width = limit > 0 ? min(limit, names.count) : names.count
        let failFast = context.options.errorStrategy == .failFast
        let stop = StopFlag()
        var steps: [MemberStep?] = Array(repeating: nil, count: names.count)
        await withTaskGroup(of: (Int, MemberStep).self) { group in
            var next = 0
            var running = 0  // child tasks not yet finished; inline members take no slot
            var stopped = false
            var request = MemberRunner.scratchRequest()  // reused by the members that run inline
            func startNext() {
                let index = next
                next += 1
                if stopped {  // a member that never suspended already ended the run
                    steps[index] = MemberRunner.cancelledBeforeStart(names[index], in: context)
                    return
                }
                var answered: Completion?
                var step = MemberStep(member: "", status: .skipped)
                switch MemberRunner.runImmediately(names[index], at: index, input: input, in: context, request: &request,
                                                   step: &step) {
                case .done:  // ran without suspending: no task needed
                    MemberRunner.record(step, in: context)
                    steps[index] = step
                    if (step.status == .failed && failFast) || (step.status == .succeeded && stopAtFirstSuccess) {
                        stop.raise()
                    }
                    return
                case .declined: break
                case .needsTools(let first): answered = first
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
                steps[index] = step
                stopIfRaised()
                while !stopped && next < names.count && running < width {
                    startNext()
                    stopIfRaised()
                }
            }
        }
        try Task.checkCancellation()
        return names.indices.map { index in
            steps[index] ?? MemberStep(member: names[index], status: .skipped, startedAt: context.elapsed)
        }
    }

    static func majority(of successes: [MemberStep], memberCount: Int) -> PatternOutcome {
        var counts: [String: (count: Int, first: Int)] = [:]
        for (index, step) in successes.enumerated() {
            let key = Self.trimmed(step.output)
            counts[key, default: (0, index)].count += 1
        }
        let best = counts.max { ($0.value.count, -$0.value.first) < ($1.value.count, -$1.value.first) }!
        guard best.value.count * 2 > memberCount else {
            return PatternOutcome(finalOutput: "", failure: "no majority: the most common answer has \(best.value.count) of \(memberCount) votes")
        }
        return PatternOutcome(finalOutput: best.key, reasoning: "\(best.value.count) of \(memberCount) members agreed")
    }

    static func vote(judge: String, task: String, candidates: [MemberStep], in context: BattalionContext) async throws -> PatternOutcome {
        var prompt = "Task:\n\(task)\n\nCandidate answers:\n"
        for (index, candidate) in candidates.enumerated() {
            prompt += "\n[\(index + 1)] (from \(candidate.member))\n\(candidate.output)\n"
        }
        prompt += "\nReply with the number of the best answer, e.g. \"BEST: 2\", then one line on why."
        let step = await MemberRunner.run(judge, input: prompt, in: context)
        if step.status == .cancelled { throw CancellationError() }
        guard step.status == .succeeded else { return PatternOutcome(finalOutput: "", failure: "judge \(judge) failed: \(step.error ?? "")") }
        guard let choice = ReplyParsing.firstInteger(in: step.output), (1...candidates.count).contains(choice) else {
            return PatternOutcome(finalOutput: "", failure: "judge \(judge) did not name a candidate from 1 to \(candidates.count)")
        }
        let winner = candidates[choice - 1]
        return PatternOutcome(finalOutput: winner.output, reasoning: "judge \(judge) chose \(winner.member): \(step.output)")
    }
}
