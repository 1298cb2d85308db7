import PaladinWire
import Yams

extension PaladinConfig {
    static let paladinKeys: Set<String> = [
        "description", "system_prompt", "provider", "model", "temperature", "max_tokens", "stop", "tools",
        "garrison", "timeout_ms", "retry", "max_turns", "labels", "concurrent_session", "approval",
    ]

    /// Reads `paladins:`, a mapping of name to definition, into wire definitions (checked later
    /// by the same code that checks CreatePaladin).
    static func readPaladins(_ m: Node.Mapping, _ r: inout ConfigReader) -> [Paladin_V1_PaladinDefinition] {
        var definitions: [Paladin_V1_PaladinDefinition] = []
        for (name, node) in r.named(m, at: "paladins") {
            let path = "paladins.\(name)"
            guard let p = r.mapping(node, at: path) else { continue }
            r.rejectUnknownKeys(p, known: paladinKeys, at: path)
            var d = Paladin_V1_PaladinDefinition()
            d.name = name
            r.string(p, "description", at: path, into: &d.description)
            r.string(p, "system_prompt", at: path, into: &d.systemPrompt)
            r.string(p, "provider", at: path, into: &d.provider)
            r.string(p, "model", at: path, into: &d.model)
            r.double(p, "temperature", at: path, range: 0...2, into: &d.temperature)
            r.integer(p, "max_tokens", at: path, range: 1...1_000_000, into: &d.maxTokens)
            r.strings(p, "stop", at: path, into: &d.stop)
            var tools: [String] = []
            r.strings(p, "tools", at: path, into: &tools)
            d.tools = tools.map { var ref = Paladin_V1_ToolRef(); ref.name = $0; return ref }
            r.integer(p, "timeout_ms", at: path, range: 1...86_400_000, into: &d.timeoutMs)
            r.integer(p, "max_turns", at: path, range: 1...64, into: &d.maxTurns)
            r.choice(p, "concurrent_session", at: path,
                     ["queue": .queue, "reject": .reject, "interrupt": Paladin_V1_ConcurrentSessionPolicy.interrupt],
                     into: &d.concurrentSession)
            if let g = r.mapping(p["garrison"], at: "\(path).garrison") {
                d.garrison = readGarrisonPolicy(g, at: "\(path).garrison", &r)
            }
            if let retry = r.mapping(p["retry"], at: "\(path).retry") {
                d.retry = readRetry(retry, at: "\(path).retry", &r)
            }
            if let approval = r.mapping(p["approval"], at: "\(path).approval") {
                let at = "\(path).approval"
                r.rejectUnknownKeys(approval, known: ["when", "reason", "timeout_ms", "on_timeout"], at: at)
                var rule = Paladin_V1_ApprovalRule()
                rule.when = .beforeRun
                r.choice(approval, "when", at: at, ["before_run": .beforeRun, "before_tools": Paladin_V1_ApprovalPoint.beforeTools],
                         into: &rule.when)
                r.string(approval, "reason", at: at, into: &rule.reason)
                r.integer(approval, "timeout_ms", at: at, range: 1...(30 * 86_400_000), into: &rule.timeoutMs)
                r.choice(approval, "on_timeout", at: at, ["reject": .reject, "fail": Paladin_V1_ApprovalTimeoutAction.fail],
                         into: &rule.onTimeout)
                d.approval = rule
            }
            if let labels = r.mapping(p["labels"], at: "\(path).labels") {
                for (key, value) in r.named(labels, at: "\(path).labels") {
                    if let text = value.scalar?.string { d.labels[key] = text } else { r.fail("\(path).labels.\(key)", "expected a string") }
                }
            }
            definitions.append(d)
        }
        return definitions
    }

    static func readGarrisonPolicy(_ g: Node.Mapping, at path: String, _ r: inout ConfigReader) -> Paladin_V1_GarrisonPolicy {
        r.rejectUnknownKeys(g, known: ["eviction", "max_entries", "max_tokens"], at: path)
        var policy = Paladin_V1_GarrisonPolicy()
        policy.eviction = .fifo
        r.choice(g, "eviction", at: path, ["fifo": .fifo, "sliding_window": .slidingWindow, "token_budget": .tokenBudget,
                                            "importance": Paladin_V1_EvictionPolicy.importance], into: &policy.eviction)
        r.integer(g, "max_entries", at: path, range: 1...1_000_000, into: &policy.maxEntries)
        r.integer(g, "max_tokens", at: path, range: 1...100_000_000, into: &policy.maxTokens)
        return policy
    }

    static func readRetry(_ m: Node.Mapping, at path: String, _ r: inout ConfigReader) -> Paladin_V1_RetryPolicy {
        r.rejectUnknownKeys(m, known: ["max_attempts", "base_delay_ms", "max_delay_ms", "jitter"], at: path)
        var retry = Paladin_V1_RetryPolicy()
        retry.jitter = true
        r.integer(m, "max_attempts", at: path, range: 1...20, into: &retry.maxAttempts)
        r.integer(m, "base_delay_ms", at: path, range: 1...600_000, into: &retry.baseDelayMs)
        r.integer(m, "max_delay_ms", at: path, range: 1...3_600_000, into: &retry.maxDelayMs)
        r.bool(m, "jitter", at: path, into: &retry.jitter)
        return retry
    }
}
