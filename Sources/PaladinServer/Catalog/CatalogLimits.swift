import PaladinWire

/// Bounds on what the catalog holds and on each definition in it (YAML `catalog:`), so that
/// neither a caller defining paladins over the wire nor a configuration file can make the
/// server keep an unbounded amount of state. Checked by the same code for both.
public struct CatalogLimits: Sendable, Hashable {
    /// `catalog.max_paladins`: paladins held; a create beyond it is RESOURCE_EXHAUSTED.
    public var maxPaladins = 10_000
    /// `catalog.max_battalions`: battalions held; a create beyond it is RESOURCE_EXHAUSTED.
    public var maxBattalions = 10_000
    /// `catalog.max_system_prompt_bytes`: a paladin's system prompt (and a conclave's
    /// synthesis prompt).
    public var maxSystemPromptBytes = 64 * 1024
    /// `catalog.max_description_bytes`: a paladin's description.
    public var maxDescriptionBytes = 4 * 1024
    /// `catalog.max_model_bytes`: a paladin's model name.
    public var maxModelBytes = 256
    /// `catalog.max_stop_words`: a paladin's stop sequences (count).
    public var maxStopWords = 16
    /// `catalog.max_tools`: tools one paladin names.
    public var maxTools = 64
    /// `catalog.max_members`: members a battalion names (each list of its pattern, and all of
    /// them together); a campaign's nodes and entry points.
    public var maxMembers = 256
    /// `catalog.max_edges`: a campaign's edges.
    public var maxEdges = 1024
    /// `catalog.max_routes`: a grove's routes, and the keywords of one route.
    public var maxRoutes = 256
    /// `catalog.max_labels`: labels on one paladin.
    public var maxLabels = 64
    /// `catalog.max_label_key_bytes`: a label's key (at least 1 byte).
    public var maxLabelKeyBytes = 63
    /// `catalog.max_label_value_bytes`: a label's value.
    public var maxLabelValueBytes = 256

    public init() {}

    // MARK: Checks

    /// Refuses a paladin definition over a size limit, before anything else reads it.
    /// - Throws: `RPCError(.invalidArgument)` naming the field and the config key.
    func check(_ definition: Paladin_V1_PaladinDefinition) throws(RPCError) {
        try bytes(definition.systemPrompt, "definition.system_prompt", maxSystemPromptBytes, "max_system_prompt_bytes")
        try bytes(definition.description, "definition.description", maxDescriptionBytes, "max_description_bytes")
        try bytes(definition.model, "definition.model", maxModelBytes, "max_model_bytes")
        try count(definition.stop.count, "definition.stop", "stop words", maxStopWords, "max_stop_words")
        try count(definition.tools.count, "definition.tools", "tools", maxTools, "max_tools")
        try check(labels: definition.labels)
    }

    /// Refuses more than `maxLabels` labels, or a key or value out of its byte range.
    /// - Throws: `RPCError(.invalidArgument)` with field `definition.labels`.
    func check(labels: [String: String]) throws(RPCError) {
        try count(labels.count, "definition.labels", "labels", maxLabels, "max_labels")
        for (key, value) in labels {
            guard !key.isEmpty, key.utf8.count <= maxLabelKeyBytes, value.utf8.count <= maxLabelValueBytes else {
                throw RPCError(.invalidArgument,
                               "definition.labels \(RPCError.echo(key)) needs a key of 1-\(maxLabelKeyBytes) bytes "
                               + "(catalog.max_label_key_bytes) and a value of at most \(maxLabelValueBytes) "
                               + "(catalog.max_label_value_bytes)",
                               details: ["field": "definition.labels"])
            }
        }
    }

    /// Refuses a battalion definition whose lists are over a count limit, before its pattern is
    /// built or validated (a 150,000-node campaign is refused here, in constant time).
    /// - Throws: `RPCError(.invalidArgument)` naming the field and the config key.
    func check(_ definition: Paladin_V1_BattalionDefinition) throws(RPCError) {
        func members(_ count: Int, _ field: String) throws(RPCError) {
            try self.count(count, "definition.\(field)", "members", maxMembers, "max_members")
        }
        switch definition.pattern {
        case .formation(let f): try members(f.members.count, "formation.members")
        case .phalanx(let p): try members(p.members.count, "phalanx.members")
        case .campaign(let c):
            try members(c.members.count, "campaign.members")
            try members(c.entryPoints.count, "campaign.entry_points")
            try count(c.edges.count, "definition.campaign.edges", "edges", maxEdges, "max_edges")
        case .chainOfCommand(let c): try members(c.specialists.count, "chain_of_command.specialists")
        case .conclave(let c):
            try members(c.experts.count, "conclave.experts")
            try bytes(c.synthesisPrompt, "definition.conclave.synthesis_prompt", maxSystemPromptBytes, "max_system_prompt_bytes")
        case .council(let c): try members(c.participants.count, "council.participants")
        case .grove(let g):
            try count(g.routes.count, "definition.grove.routes", "routes", maxRoutes, "max_routes")
            for (index, route) in g.routes.enumerated() {
                try count(route.keywords.count, "definition.grove.routes[\(index)].keywords", "keywords", maxRoutes, "max_routes")
            }
        case .maneuver(let m): try bytes(m.flow, "definition.maneuver.flow", maxSystemPromptBytes, "max_system_prompt_bytes")
        case .auto(let a): try members(a.members.count, "auto.members")
        case nil: break
        }
    }

    /// Refuses a pattern naming more than `maxMembers` members in all (a flow, or a pattern
    /// whose lists are each within the limit).
    func checkMemberCount(_ names: [String], field: String) throws(RPCError) {
        try count(names.count, field, "members", maxMembers, "max_members")
    }

    private func count(_ count: Int, _ field: String, _ what: String, _ limit: Int, _ key: String) throws(RPCError) {
        guard count <= limit else {
            throw RPCError(.invalidArgument, "\(field) has \(count) \(what); at most \(limit) are allowed (catalog.\(key))",
                           details: ["field": field])
        }
    }

    private func bytes(_ text: String, _ field: String, _ limit: Int, _ key: String) throws(RPCError) {
        let size = text.utf8.count
        guard size <= limit else {
            throw RPCError(.invalidArgument, "\(field) is \(size) bytes; at most \(limit) are allowed (catalog.\(key))",
                           details: ["field": field])
        }
    }
}
