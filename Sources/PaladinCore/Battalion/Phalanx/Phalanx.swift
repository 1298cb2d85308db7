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
        if context.options.errorStrategy == .failFast {
            for index in steps.indices where steps[index].status == .failed {
                return PatternOutcome(finalOutput: "", failure: "member \(steps[index].member) failed: \(steps[index].error ?? "")")
            }
        }
        // CollectAll and FirstSuccess read the successes in place; the others take them as an array.
        switch aggregation {
        case .collectAll:
            var outputs: [String] = []
            outputs.reserveCapacity(steps.count)
            for index in steps.indices where steps[index].status == .succeeded { outputs.append(steps[index].output) }
            guard !outputs.isEmpty else { return Self.everyMemberFailed }
            return PatternOutcome(finalOutput: outputs.joined(separator: "\n---\n"))
        case .firstSuccess:
            var winner: Int?  // the earliest to finish; the first of those in member order
            for index in steps.indices where steps[index].status == .succeeded {
                if let best = winner, steps[best].finishedAt <= steps[index].finishedAt { continue }
                winner = index
            }
            guard let winner else { return Self.everyMemberFailed }
            return PatternOutcome(finalOutput: steps[winner].output, reasoning: "first success: " + steps[winner].member)
        case .majority, .vote:
            let successes = steps.filter { $0.status == .succeeded }  // already in member order
            guard !successes.isEmpty else { return Self.everyMemberFailed }
            if case .vote(let judge) = aggregation {
                return try await Self.vote(judge: judge, task: input, candidates: successes, in: context)
            }
            return Self.majority(of: successes, memberCount: members.count)
        }
    }

    private static let everyMemberFailed = PatternOutcome(finalOutput: "", failure: "every member failed")

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
