import PaladinCore
import PaladinWire

/// Converts paladin definitions and results between the wire types and the core's.
enum PaladinMapping {
    /// The core definition of a wire definition.
    /// Sizes are checked against `limits` first, so an oversized definition is refused before
    /// it is copied.
    /// - Throws: `RPCError(.invalidArgument)` naming the first bad field.
    static func definition(from message: Paladin_V1_PaladinDefinition,
                           limits: CatalogLimits) throws(RPCError) -> PaladinDefinition {
        try limits.check(message)
        var definition = PaladinDefinition(
            name: message.name, description: message.description, systemPrompt: message.systemPrompt,
            provider: message.provider.isEmpty ? "default" : message.provider, model: message.model,
            temperature: message.temperature == 0 ? nil : message.temperature,
            maxTokens: message.maxTokens == 0 ? nil : Int(message.maxTokens), stop: message.stop,
            tools: message.tools.map(\.name), timeout: message.timeoutMs == 0 ? nil : .milliseconds(Int64(message.timeoutMs)),
            maxTurns: message.maxTurns == 0 ? 8 : Int(message.maxTurns))
        if let retry = message.retry { definition.retry = try self.retry(from: retry, field: "retry") }
        definition.concurrentSession = switch message.concurrentSession {
        case .unspecified, .queue: .queue
        case .reject: .reject
        case .interrupt: .interrupt
        case .unrecognized(let value):
            throw RPCError(.invalidArgument, "definition.concurrent_session \(value) is not a known policy (queue, reject or interrupt)",
                           details: ["field": "definition.concurrent_session"])
        }
        if let garrison = message.garrison, garrison.eviction != .unspecified || garrison.maxEntries != 0 || garrison.maxTokens != 0 {
            definition.garrisonPolicy = GarrisonPolicy(
                eviction: eviction(garrison.eviction),
                maxEntries: garrison.maxEntries == 0 ? 100 : Int(garrison.maxEntries),
                maxTokens: garrison.maxTokens == 0 ? nil : Int(garrison.maxTokens))
        }
        if let rule = message.approval { definition.approval = try approvalRule(rule) }
        if let problem = definition.validate().first {
            throw RPCError(.invalidArgument, "definition.\(problem.field) \(problem.message)",
                           details: ["field": "definition.\(problem.field)"])
        }
        return definition
    }

    /// The wire definition of a core definition.
    static func message(from definition: PaladinDefinition) -> Paladin_V1_PaladinDefinition {
        var message = Paladin_V1_PaladinDefinition()
        message.name = definition.name
        message.description = definition.description
        message.systemPrompt = definition.systemPrompt
        message.provider = definition.provider
        message.model = definition.model
        message.temperature = definition.temperature ?? 0
        message.maxTokens = UInt32(clamping: definition.maxTokens ?? 0)
        message.stop = definition.stop
        message.tools = definition.tools.map { var ref = Paladin_V1_ToolRef(); ref.name = $0; return ref }
        message.timeoutMs = UInt32(clamping: definition.timeout.map(milliseconds) ?? 0)
        message.maxTurns = UInt32(clamping: definition.maxTurns)
        if let rule = definition.approval {
            var wire = Paladin_V1_ApprovalRule()
            wire.when = .beforeRun
            wire.reason = rule.reason
            wire.timeoutMs = UInt64(clamping: rule.timeout.map(milliseconds) ?? 0)
            wire.onTimeout = rule.onTimeout == .fail ? .fail : .reject
            message.approval = wire
        }
        message.concurrentSession = switch definition.concurrentSession {
        case .queue: .queue
        case .reject: .reject
        case .interrupt: .interrupt
        }
        if definition.retry.maxAttempts > 1 { message.retry = retryMessage(definition.retry) }
        if let policy = definition.garrisonPolicy {
            var garrison = Paladin_V1_GarrisonPolicy()
            garrison.eviction = evictionMessage(policy.eviction)
            garrison.maxEntries = UInt32(clamping: policy.maxEntries)
            garrison.maxTokens = UInt32(clamping: policy.maxTokens ?? 0)
            message.garrison = garrison
        }
        return message
    }

    /// The core rule of a wire approval rule; nil when it asks for none.
    static func approvalRule(_ message: Paladin_V1_ApprovalRule) throws(RPCError) -> ApprovalRule? {
        func invalid(_ field: String, _ text: String) -> RPCError {
            RPCError(.invalidArgument, "definition.approval.\(field) \(text)", details: ["field": "definition.approval.\(field)"])
        }
        switch message.when {
        case .unspecified: return nil
        case .beforeRun: break
        case .beforeTools: throw invalid("when", "before_tools is not built yet; use before_run")
        case .unrecognized(let value): throw invalid("when", "\(value) is not a known approval point")
        }
        guard message.reason.utf8.count <= 4096 else { throw invalid("reason", "is longer than 4096 bytes") }
        guard message.timeoutMs <= 30 * 86_400_000 else { throw invalid("timeout_ms", "is longer than 30 days") }
        let onTimeout: ApprovalRule.TimeoutAction = switch message.onTimeout {
        case .unspecified, .reject: .reject
        case .fail: .fail
        case .unrecognized(let value): throw invalid("on_timeout", "\(value) is not a known action")
        }
        return ApprovalRule(reason: message.reason, timeout: message.timeoutMs == 0 ? nil : .milliseconds(Int64(message.timeoutMs)),
                            onTimeout: onTimeout)
    }

    /// A retry policy from the wire; `field` names it in errors.
    static func retry(from message: Paladin_V1_RetryPolicy, field: String) throws(RPCError) -> RetryPolicy {
        guard message.maxAttempts <= 20 else {
            throw RPCError(.invalidArgument, "\(field).max_attempts must be 0 to 20", details: ["field": "\(field).max_attempts"])
        }
        let base = message.baseDelayMs == 0 ? 100 : Int64(message.baseDelayMs)
        let cap = message.maxDelayMs == 0 ? 10_000 : Int64(message.maxDelayMs)
        guard cap >= base else {
            throw RPCError(.invalidArgument, "\(field).max_delay_ms must not be below base_delay_ms",
                           details: ["field": "\(field).max_delay_ms"])
        }
        return RetryPolicy(maxAttempts: max(1, Int(message.maxAttempts)), baseDelay: .milliseconds(base),
                           maxDelay: .milliseconds(cap), jitter: message.jitter)
    }

    static func retryMessage(_ policy: RetryPolicy) -> Paladin_V1_RetryPolicy {
        var message = Paladin_V1_RetryPolicy()
        message.maxAttempts = UInt32(clamping: policy.maxAttempts)
        message.baseDelayMs = UInt32(clamping: milliseconds(policy.baseDelay))
        message.maxDelayMs = UInt32(clamping: milliseconds(policy.maxDelay))
        message.jitter = policy.jitter
        return message
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    static func microseconds(_ duration: Duration) -> UInt64 {
        UInt64(clamping: duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000)
    }

    private static func eviction(_ policy: Paladin_V1_EvictionPolicy) -> EvictionPolicy {
        switch policy {
        case .slidingWindow: .slidingWindow
        case .tokenBudget: .tokenBudget
        case .importance: .importance
        default: .fifo
        }
    }

    private static func evictionMessage(_ policy: EvictionPolicy) -> Paladin_V1_EvictionPolicy {
        switch policy {
        case .fifo: .fifo
        case .slidingWindow: .slidingWindow
        case .tokenBudget: .tokenBudget
        case .importance: .importance
        }
    }
}
