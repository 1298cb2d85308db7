import PaladinWire
import Yams

extension PaladinConfig {
    static let patternKeys: Set<String> = [
        "formation", "phalanx", "campaign", "chain_of_command", "conclave", "council", "grove", "maneuver", "auto",
    ]

    /// Reads `battalions:`, a mapping of name to definition with exactly one pattern key.
    static func readBattalions(_ m: Node.Mapping, _ r: inout ConfigReader) -> [Paladin_V1_BattalionDefinition] {
        var definitions: [Paladin_V1_BattalionDefinition] = []
        for (name, node) in r.named(m, at: "battalions") {
            let path = "battalions.\(name)"
            guard let b = r.mapping(node, at: path) else { continue }
            r.rejectUnknownKeys(b, known: patternKeys.union(["description", "error_strategy", "retry", "timeout_ms", "on_interrupt"]), at: path)
            var d = Paladin_V1_BattalionDefinition()
            d.name = name
            r.string(b, "description", at: path, into: &d.description)
            r.choice(b, "error_strategy", at: path, ["fail_fast": .failFast, "continue_on_error": .continueOnError,
                                                      "retry_then_continue": Paladin_V1_ErrorStrategy.retryThenContinue],
                     into: &d.errorStrategy)
            if let retry = r.mapping(b["retry"], at: "\(path).retry") { d.retry = readRetry(retry, at: "\(path).retry", &r) }
            r.integer(b, "timeout_ms", at: path, range: 1...86_400_000, into: &d.timeoutMs)
            r.choice(b, "on_interrupt", at: path, ["resume": .resume, "mark": Paladin_V1_InterruptPolicy.mark], into: &d.onInterrupt)
            let chosen = b.keys.compactMap(\.string).filter(patternKeys.contains)
            guard chosen.count == 1, let key = chosen.first else {
                r.fail(path, chosen.isEmpty ? "needs one pattern: \(patternKeys.sorted().joined(separator: ", "))"
                                            : "has more than one pattern: \(chosen.joined(separator: ", "))")
                continue
            }
            d.pattern = readPattern(key, b[key]!, at: "\(path).\(key)", &r)
            definitions.append(d)
        }
        return definitions
    }

    private static func readPattern(_ key: String, _ node: Node, at path: String,
                                    _ r: inout ConfigReader) -> Paladin_V1_BattalionDefinition.Pattern? {
        if key == "maneuver" {
            guard let flow = node.scalar?.string else { r.fail(path, "expected the flow as a string, e.g. \"a -> (b, c) -> d\""); return nil }
            var spec = Paladin_V1_ManeuverSpec()
            spec.flow = flow
            return .maneuver(spec)
        }
        guard let m = r.mapping(node, at: path) else { return nil }
        switch key {
        case "formation":
            r.rejectUnknownKeys(m, known: ["members", "shared_context"], at: path)
            var spec = Paladin_V1_FormationSpec()
            r.strings(m, "members", at: path, into: &spec.members)
            r.string(m, "shared_context", at: path, into: &spec.sharedContext)
            return .formation(spec)
        case "phalanx":
            r.rejectUnknownKeys(m, known: ["members", "aggregation", "max_concurrency", "judge"], at: path)
            var spec = Paladin_V1_PhalanxSpec()
            r.strings(m, "members", at: path, into: &spec.members)
            r.choice(m, "aggregation", at: path, ["collect_all": .collectAll, "first_success": .firstSuccess,
                                                  "majority": .majority, "vote": Paladin_V1_Aggregation.vote], into: &spec.aggregation)
            r.integer(m, "max_concurrency", at: path, range: 0...10_000, into: &spec.maxConcurrency)
            r.string(m, "judge", at: path, into: &spec.judge)
            return .phalanx(spec)
        case "campaign":
            return .campaign(readCampaign(m, at: path, &r))
        case "chain_of_command":
            r.rejectUnknownKeys(m, known: ["commander", "specialists"], at: path)
            var spec = Paladin_V1_ChainOfCommandSpec()
            r.string(m, "commander", at: path, into: &spec.commander)
            r.strings(m, "specialists", at: path, into: &spec.specialists)
            return .chainOfCommand(spec)
        case "conclave":
            r.rejectUnknownKeys(m, known: ["experts", "aggregator", "synthesis_prompt"], at: path)
            var spec = Paladin_V1_ConclaveSpec()
            r.strings(m, "experts", at: path, into: &spec.experts)
            r.string(m, "aggregator", at: path, into: &spec.aggregator)
            r.string(m, "synthesis_prompt", at: path, into: &spec.synthesisPrompt)
            return .conclave(spec)
        case "council":
            return .council(readCouncil(m, at: path, &r))
        case "grove":
            return .grove(readGrove(m, at: path, &r))
        default:
            r.rejectUnknownKeys(m, known: ["members"], at: path)
            var spec = Paladin_V1_AutoSpec()
            r.strings(m, "members", at: path, into: &spec.members)
            return .auto(spec)
        }
    }

    private static func readCampaign(_ m: Node.Mapping, at path: String, _ r: inout ConfigReader) -> Paladin_V1_CampaignSpec {
        r.rejectUnknownKeys(m, known: ["members", "edges", "entry_points"], at: path)
        var spec = Paladin_V1_CampaignSpec()
        r.strings(m, "members", at: path, into: &spec.members)
        r.strings(m, "entry_points", at: path, into: &spec.entryPoints)
        r.mappings(m, "edges", at: path) { e, edgePath, r in
            r.rejectUnknownKeys(e, known: ["from", "to", "when", "pattern"], at: edgePath)
            var edge = Paladin_V1_CampaignEdge()
            edge.condition = .always
            r.string(e, "from", at: edgePath, into: &edge.from)
            r.string(e, "to", at: edgePath, into: &edge.to)
            r.choice(e, "when", at: edgePath, ["always": .always, "contains": .contains,
                                               "regex": Paladin_V1_EdgeConditionKind.regex], into: &edge.condition)
            r.string(e, "pattern", at: edgePath, into: &edge.pattern)
            spec.edges.append(edge)
        }
        return spec
    }

    private static func readCouncil(_ m: Node.Mapping, at path: String, _ r: inout ConfigReader) -> Paladin_V1_CouncilSpec {
        r.rejectUnknownKeys(m, known: ["participants", "moderator", "turns", "termination", "max_rounds", "keyword"], at: path)
        var spec = Paladin_V1_CouncilSpec()
        r.strings(m, "participants", at: path, into: &spec.participants)
        r.string(m, "moderator", at: path, into: &spec.moderator)
        r.choice(m, "turns", at: path, ["round_robin": .roundRobin, "moderator": Paladin_V1_TurnStrategy.moderator], into: &spec.turns)
        r.choice(m, "termination", at: path, ["max_rounds": .maxRounds, "consensus": .consensus,
                                              "moderator_decision": .moderatorDecision,
                                              "keyword": Paladin_V1_Termination.keyword], into: &spec.termination)
        r.integer(m, "max_rounds", at: path, range: 1...50, into: &spec.maxRounds)
        r.string(m, "keyword", at: path, into: &spec.keyword)
        return spec
    }

    private static func readGrove(_ m: Node.Mapping, at path: String, _ r: inout ConfigReader) -> Paladin_V1_GroveSpec {
        r.rejectUnknownKeys(m, known: ["routes", "router", "fallback"], at: path)
        var spec = Paladin_V1_GroveSpec()
        r.string(m, "router", at: path, into: &spec.router)
        r.string(m, "fallback", at: path, into: &spec.fallback)
        r.mappings(m, "routes", at: path) { e, routePath, r in
            r.rejectUnknownKeys(e, known: ["member", "keywords"], at: routePath)
            var route = Paladin_V1_GroveRoute()
            r.string(e, "member", at: routePath, into: &route.member)
            r.strings(e, "keywords", at: routePath, into: &route.keywords)
            spec.routes.append(route)
        }
        return spec
    }
}
