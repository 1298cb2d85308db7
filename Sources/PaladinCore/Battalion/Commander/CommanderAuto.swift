/// Commander Auto: chooses a pattern for the task from its words and the members, says why,
/// and runs it. The choice (`choose`) needs no model call:
///
/// 1. One member: it runs alone (a Formation of one); the reference chose a Formation that
///    needed two members and failed.
/// 2. Otherwise the first row of `CommanderRule.table` (priority Conclave > Council > Grove >
///    Campaign > Formation > Phalanx > ChainOfCommand) with a keyword in the task and enough
///    members wins; keywords match as whole words and phrases, case-insensitively ("after"
///    does not match "afternoon", as the reference's substring matching did). No match:
///    Formation of every member in order.
///
/// How each choice uses the members (in their given order):
/// - Conclave (≥3): the last member aggregates, the others are experts; the aggregator is
///   never counted as an expert (the reference's default aggregator collided with one).
/// - Council (≥2): every member takes part, 3 rounds, round-robin, no moderator.
/// - Grove (≥2): keyword routing, one route per member with its name, the words of its name
///   and (for a `PaladinAgent`) the words of its description as keywords; no route matches ->
///   the first member (the reference gave routes no keywords, so it always chose the first).
/// - Campaign: a linear chain of `.always` edges, member 1 -> 2 -> ..., entered at member 1.
/// - Formation, Phalanx (collect all): every member.
/// - ChainOfCommand (≥2): the first member commands, the others are specialists.
///
/// `execute` runs the chosen pattern's `execute`; its outcome's `reasoning` is
/// "chose <pattern>: <why>", followed by "; " and the inner reasoning when there is one.
public struct CommanderAuto: BattalionPattern {
    public var members: [String]

    public init(members: [String]) {
        self.members = members
    }

    public var patternName: String { "commander_auto" }
    public var memberNames: [String] { members }

    public func validate() -> [String] {
        var problems: [String] = []
        if members.isEmpty { problems.append("the commander needs at least one member") }
        if Set(members).count != members.count { problems.append("commander members must be distinct") }
        return problems
    }

    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        let choice = Self.choose(task: input, members: members, context: context)
        let header = "chose \(choice.name): \(choice.reasoning)"
        let problems = choice.pattern.validate()
        guard problems.isEmpty else {
            return PatternOutcome(finalOutput: "", failure: "\(choice.name) cannot run: " + problems.joined(separator: "; "),
                                  reasoning: header)
        }
        var outcome = try await choice.pattern.execute(input, in: context)
        outcome.reasoning = [header, outcome.reasoning].compactMap { $0 }.joined(separator: "; ")
        return outcome
    }

    /// The pattern for `task` over `members`, its `patternName`, and why it was chosen.
    /// `context` supplies member descriptions for Grove routes.
    public static func choose(task: String, members: [String], context: BattalionContext)
        -> (pattern: any BattalionPattern, name: String, reasoning: String) {
        if members.count == 1 {
            return (Formation(members: members), "formation", "only one member (\(members[0])), so it runs alone")
        }
        let words = WordMatching.words(task)
        var passedOver: [String] = []
        for rule in CommanderRule.table {
            guard let keyword = WordMatching.firstMatch(of: rule.keywords, inWords: words) else { continue }
            guard members.count >= rule.minMembers else {
                passedOver.append("\(rule.pattern) (\"\(keyword)\") needs at least \(rule.minMembers) members, there are \(members.count)")
                continue
            }
            let (pattern, shape) = build(rule.pattern, members: members, context: context)
            var why = "the task mentions \"\(keyword)\"; \(shape)"
            if !passedOver.isEmpty { why += "; passed over " + passedOver.joined(separator: ", ") }
            return (pattern, pattern.patternName, why)
        }
        var why = "no pattern keyword in the task, so the members run in order (\(members.joined(separator: " -> ")))"
        if !passedOver.isEmpty { why += "; passed over " + passedOver.joined(separator: ", ") }
        return (Formation(members: members), "formation", why)
    }

    /// The pattern named `name` over `members`, and a description of how it uses them.
    static func build(_ name: String, members: [String], context: BattalionContext) -> (any BattalionPattern, String) {
        let list = members.joined(separator: ", ")
        switch name {
        case "conclave":
            let experts = Array(members.dropLast())
            return (Conclave(experts: experts, aggregator: members.last!),
                    "experts \(experts.joined(separator: ", ")), aggregated by \(members.last!)")
        case "council":
            return (Council(participants: members, turns: .roundRobin, termination: .maxRounds, maxRounds: 3),
                    "\(list) discuss for 3 rounds, round-robin")
        case "grove":
            let routes = members.map { GroveRoute(member: $0, keywords: routeKeywords(for: $0, in: context)) }
            return (Grove(routes: routes), "routed by keywords to one of \(list) (default \(members[0]))")
        case "campaign":
            let edges = zip(members, members.dropFirst()).map { CampaignEdge(from: $0, to: $1, condition: .always) }
            return (Campaign(members: members, edges: edges, entryPoints: [members[0]]),
                    "a linear campaign \(members.joined(separator: " -> "))")
        case "phalanx":
            return (Phalanx(members: members), "\(list) run concurrently, every output collected")
        case "chain_of_command":
            return (ChainOfCommand(commander: members[0], specialists: Array(members.dropFirst())),
                    "\(members[0]) commands \(members.dropFirst().joined(separator: ", "))")
        default:
            return (Formation(members: members), "the members run in order (\(members.joined(separator: " -> ")))")
        }
    }

    /// A Grove route's keywords: the member's name, its words, and (for a `PaladinAgent`) the
    /// words of its description of three letters or more, minus common words; each once.
    static func routeKeywords(for member: String, in context: BattalionContext) -> [String] {
        var keywords = [member] + WordMatching.words(member).map(String.init)
        if let agent = context.paladin(member) {
            keywords += WordMatching.words(agent.definition.description).map(String.init)
                .filter { $0.count >= 3 && !commonWords.contains($0) }
        }
        var seen: Set<String> = []
        return keywords.filter { seen.insert($0.lowercased()).inserted }
    }

    private static let commonWords: Set<String> = [
        "the", "and", "for", "with", "that", "this", "from", "into", "are", "was", "you", "your", "its", "who",
        "what", "when", "which", "about", "all", "any", "can", "will", "has", "have", "not", "but", "our", "they",
        "them", "their", "how", "use", "uses", "using", "agent", "paladin",
    ]
}
