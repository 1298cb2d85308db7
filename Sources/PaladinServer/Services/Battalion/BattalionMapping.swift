import PaladinCore
import PaladinWire

/// A battalion definition checked and turned into something the core can run.
struct BattalionPlan: Sendable {
    /// The definition as given, for Get and List.
    var message: Paladin_V1_BattalionDefinition
    var pattern: any BattalionPattern
    var options: BattalionOptions
}

/// Converts battalion definitions from the wire to core patterns.
enum BattalionMapping {
    /// The plan of a wire definition, with every problem of its shape named by field.
    /// Whether the members exist is checked by the catalog, which knows the paladins.
    /// List lengths are checked against `limits` before the pattern is built.
    /// - Throws: `RPCError(.invalidArgument)` naming the first bad field.
    static func plan(from message: Paladin_V1_BattalionDefinition,
                     limits: CatalogLimits) throws(RPCError) -> BattalionPlan {
        try limits.check(message)
        guard PaladinDefinition(name: message.name).validate().first(where: { $0.field == "name" }) == nil else {
            throw invalid("definition.name", "must be 1-64 characters of A-Z a-z 0-9 _ -")
        }
        guard let spec = message.pattern else { throw invalid("definition.pattern", "is not set: choose one of formation, phalanx, campaign, chain_of_command, conclave, council, grove, maneuver, auto") }
        let pattern = try pattern(from: spec)
        try limits.checkMemberCount(pattern.memberNames, field: "definition.\(pattern.configKey)")
        if let problem = pattern.validate().first {
            throw invalid("definition.\(pattern.configKey)", problem)
        }
        var options = BattalionOptions(errorStrategy: try strategy(message.errorStrategy))
        if let retry = message.retry { options.retry = try PaladinMapping.retry(from: retry, field: "definition.retry") }
        if message.timeoutMs != 0 { options.timeout = .milliseconds(Int64(message.timeoutMs)) }
        if case .unrecognized(let value) = message.onInterrupt {
            throw invalid("definition.on_interrupt", "\(value) is not a known policy (resume or mark)")
        }
        return BattalionPlan(message: message, pattern: pattern, options: options)
    }

    private static func pattern(from spec: Paladin_V1_BattalionDefinition.Pattern) throws(RPCError) -> any BattalionPattern {
        switch spec {
        case .formation(let f):
            return Formation(members: f.members, sharedContext: f.sharedContext)
        case .phalanx(let p):
            return Phalanx(members: p.members, aggregation: try aggregation(p), maxConcurrency: Int(p.maxConcurrency))
        case .campaign(let c):
            var edges: [CampaignEdge] = []
            for (index, edge) in c.edges.enumerated() {
                edges.append(CampaignEdge(from: edge.from, to: edge.to, condition: try condition(edge, index: index)))
            }
            return Campaign(members: c.members, edges: edges, entryPoints: c.entryPoints)
        case .chainOfCommand(let c):
            return ChainOfCommand(commander: c.commander, specialists: c.specialists)
        case .conclave(let c):
            return c.synthesisPrompt.isEmpty
                ? Conclave(experts: c.experts, aggregator: c.aggregator)
                : Conclave(experts: c.experts, aggregator: c.aggregator, synthesisPrompt: c.synthesisPrompt)
        case .council(let c):
            return Council(participants: c.participants, moderator: c.moderator.isEmpty ? nil : c.moderator,
                           turns: c.turns == .moderator ? .moderator : .roundRobin, termination: termination(c.termination),
                           maxRounds: c.maxRounds == 0 ? 3 : Int(c.maxRounds), keyword: c.keyword.isEmpty ? nil : c.keyword)
        case .grove(let g):
            return Grove(routes: g.routes.map { GroveRoute(member: $0.member, keywords: $0.keywords) },
                         router: g.router.isEmpty ? nil : g.router, fallback: g.fallback.isEmpty ? nil : g.fallback)
        case .maneuver(let m):
            return Maneuver(flow: m.flow)
        case .auto(let a):
            return CommanderAuto(members: a.members)
        }
    }

    private static func aggregation(_ p: Paladin_V1_PhalanxSpec) throws(RPCError) -> Aggregation {
        switch p.aggregation {
        case .unspecified, .collectAll: return .collectAll
        case .firstSuccess: return .firstSuccess
        case .majority: return .majority
        case .vote:
            guard !p.judge.isEmpty else { throw invalid("definition.phalanx.judge", "is required for AGGREGATION_VOTE") }
            return .vote(judge: p.judge)
        case .unrecognized(let value): throw invalid("definition.phalanx.aggregation", "\(value) is not a known aggregation")
        }
    }

    private static func condition(_ edge: Paladin_V1_CampaignEdge, index: Int) throws(RPCError) -> EdgeCondition {
        let field = "definition.campaign.edges[\(index)]"
        switch edge.condition {
        case .unspecified, .always: return .always
        case .contains:
            guard !edge.pattern.isEmpty else { throw invalid("\(field).pattern", "is required for CONTAINS") }
            return .contains(edge.pattern)
        case .regex:
            guard !edge.pattern.isEmpty else { throw invalid("\(field).pattern", "is required for REGEX") }
            return .regex(edge.pattern)
        case .unrecognized(let value): throw invalid("\(field).condition", "\(value) is not a known condition")
        }
    }

    private static func termination(_ t: Paladin_V1_Termination) -> Council.Termination {
        switch t {
        case .consensus: .consensus
        case .moderatorDecision: .moderatorDecision
        case .keyword: .keyword
        default: .maxRounds
        }
    }

    private static func strategy(_ s: Paladin_V1_ErrorStrategy) throws(RPCError) -> ErrorStrategy {
        switch s {
        case .unspecified, .failFast: .failFast
        case .continueOnError: .continueOnError
        case .retryThenContinue: .retryThenContinue
        case .unrecognized(let value): throw invalid("definition.error_strategy", "\(value) is not a known strategy")
        }
    }

    static func invalid(_ field: String, _ message: String) -> RPCError {
        RPCError(.invalidArgument, "\(field) \(message)", details: ["field": field])
    }
}
