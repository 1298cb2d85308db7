/// Council (turn-taking discussion): participants speak in turns on a topic (the input), each
/// seeing the transcript so far, until a termination condition holds or `maxRounds` is reached.
///
/// - A round is `participants.count` turns. `.roundRobin`: each participant speaks once per
///   round, in declared order. `.moderator`: before each turn the moderator is asked to name the
///   next speaker (`NEXT: name`); an unknown or missing name, or a failed moderator under
///   ContinueOnError, gives the turn to the participant after the previous speaker in declared
///   order, and says so in the reasoning.
/// - A speaker's input: the topic, the participants, the transcript so far as
///   `[Round r] name: text` lines (a failed turn as `[Round r] name: (failed)`), and its cue.
/// - Termination, always capped by `maxRounds` (1...50), so every council ends:
///   `.maxRounds` runs all rounds; `.consensus` stops after a round in which every participant's
///   latest turn contains the word AGREE (a failed turn does not agree); `.moderatorDecision`
///   asks the moderator after every round but the last and stops when its answer contains the
///   word CONCLUDE; `.keyword` stops right after any participant message containing `keyword`.
///   Words match whole and case-insensitively (see `WordMatching`). The reference had no cap
///   for non-MaxRounds conditions and never advanced rounds under ModeratorDirected.
/// - Conclusion (final output): with a moderator, its closing summary of the transcript;
///   without, the last participant message. The reasoning says why it stopped, e.g.
///   "consensus after round 2" or "max rounds (3) reached without consensus".
/// - A failed speaker: FailFast fails the run; ContinueOnError / RetryThenContinue (after the
///   retries) skip it for that turn. A failed moderator decision means "continue"; a failed
///   closing summary falls back to the last message. The run fails if no participant spoke.
public struct Council: BattalionPattern {
    /// Who speaks when.
    public enum TurnStrategy: String, Sendable, Hashable {
        case roundRobin = "round_robin"
        case moderator
    }

    /// When the discussion ends (besides `maxRounds`, which always ends it).
    public enum Termination: String, Sendable, Hashable {
        case maxRounds = "max_rounds"
        case consensus
        case moderatorDecision = "moderator_decision"
        case keyword
    }

    /// The allowed values of `maxRounds`.
    public static let roundLimits = 1...50

    public var participants: [String]
    public var moderator: String?
    public var turns: TurnStrategy
    public var termination: Termination
    public var maxRounds: Int
    /// The stop word or phrase for `.keyword`.
    public var keyword: String?

    public init(participants: [String], moderator: String? = nil, turns: TurnStrategy = .roundRobin,
                termination: Termination = .maxRounds, maxRounds: Int = 3, keyword: String? = nil) {
        self.participants = participants
        self.moderator = moderator
        self.turns = turns
        self.termination = termination
        self.maxRounds = maxRounds
        self.keyword = keyword
    }

    public var patternName: String { "council" }
    public var memberNames: [String] { participants + (moderator.map { [$0] } ?? []) }

    public func validate() -> [String] {
        var problems: [String] = []
        if participants.count < 2 { problems.append("a council needs at least two participants") }
        if Set(participants).count != participants.count { problems.append("council participants must be distinct") }
        if let moderator, participants.contains(moderator) {
            problems.append("the moderator \(moderator) cannot also be a participant")
        }
        if !Self.roundLimits.contains(maxRounds) { problems.append("max_rounds must be 1 to 50") }
        if moderator == nil && turns == .moderator { problems.append("moderator turns need a moderator") }
        if moderator == nil && termination == .moderatorDecision { problems.append("moderator decision needs a moderator") }
        if termination == .keyword && WordMatching.words(keyword ?? "").isEmpty {
            problems.append("keyword termination needs a keyword with a letter or digit")
        }
        return problems
    }

    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        var session = CouncilSession(council: self, topic: input, context: context)
        return try await session.run()
    }
}
