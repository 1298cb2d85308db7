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
            if let failed = steps.first(where: { $0.status == .failed }) {
                return PatternOutcome(finalOutput: "", failure: "member \(failed.member) failed: \(failed.error ?? "")")
            }
        }
        let successes = steps.filter { $0.status == .succeeded }  // in member order
        guard !successes.isEmpty else { return PatternOutcome(finalOutput: "", failure: "every member failed") }
        switch aggregation {
        case .collectAll:
            return PatternOutcome(finalOutput: successes.map(\.output).joined(separator: "\n---\n"))
        case .firstSuccess:
            // The earliest to finish; the first of those in member order.
            let winner = successes.min { $0.finishedAt < $1.finishedAt }!
            return PatternOutcome(finalOutput: winner.output, reasoning: "first success: " + winner.member)
        case .majority:
            return Self.majority(of: successes, memberCount: members.count)
        case .vote(let judge):
            return try await Self.vote(judge: judge, task: input, candidates: successes, in: context)
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
