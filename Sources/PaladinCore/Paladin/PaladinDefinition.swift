/// What a paladin is: its prompt, model and behaviour. Plain data, validated by `validate()`.
public struct PaladinDefinition: Sendable, Hashable {
    /// Unique name, 1-64 characters of `[A-Za-z0-9_-]`.
    public var name: String
    public var description: String
    /// Sent as the first, system message of every conversation.
    public var systemPrompt: String
    /// Provider name from the server configuration (e.g. "local").
    public var provider: String
    public var model: String
    public var temperature: Double?
    public var maxTokens: Int?
    /// Stop sequences: sent to the model, and enforced on its answer if it ignores them.
    public var stop: [String]
    /// Names of the tools it may call.
    public var tools: [String]
    /// How many of the session's newest entries go into the prompt, when it runs with one.
    public var historyLimit: Int
    /// The eviction policy of the sessions it runs with; `nil` keeps the store's default.
    public var garrisonPolicy: GarrisonPolicy?
    /// Limit for one execution; `nil` means none (a caller's deadline still applies).
    public var timeout: Duration?
    /// Retries of failed model calls (only retryable provider errors are retried).
    public var retry: RetryPolicy
    /// The most model calls one execution may make before it stops with `.maxTurns`.
    public var maxTurns: Int
    /// What an execution on a session does while another holds that session.
    public var concurrentSession: ConcurrentSessionPolicy = .queue
    /// A person must approve each call of it in a battalion run; nil: never.
    public var approval: ApprovalRule?

    public init(name: String, description: String = "", systemPrompt: String = "", provider: String = "default",
                model: String = "", temperature: Double? = nil, maxTokens: Int? = nil, stop: [String] = [],
                tools: [String] = [], historyLimit: Int = 20, garrisonPolicy: GarrisonPolicy? = nil, timeout: Duration? = nil,
                retry: RetryPolicy = .none, maxTurns: Int = 8) {
        self.name = name
        self.description = description
        self.systemPrompt = systemPrompt
        self.provider = provider
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
        self.tools = tools
        self.historyLimit = historyLimit
        self.garrisonPolicy = garrisonPolicy
        self.timeout = timeout
        self.retry = retry
        self.maxTurns = maxTurns
    }

    /// Every problem with the definition, each naming its field; empty when valid.
    public func validate() -> [DefinitionProblem] {
        var problems: [DefinitionProblem] = []
        let nameOK = !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D
        }
        if !nameOK { problems.append(.init(field: "name", message: "must be 1-64 characters of A-Z a-z 0-9 _ -")) }
        if let temperature, !(0...2).contains(temperature) {
            problems.append(.init(field: "temperature", message: "must be between 0 and 2"))
        }
        if let maxTokens, maxTokens < 1 { problems.append(.init(field: "max_tokens", message: "must be positive")) }
        if !(1...64).contains(maxTurns) { problems.append(.init(field: "max_turns", message: "must be 1 to 64")) }
        if historyLimit < 0 { problems.append(.init(field: "history_limit", message: "must not be negative")) }
        if let garrisonPolicy {
            do { try garrisonPolicy.validate() } catch {
                problems.append(.init(field: "garrison", message: "is invalid: \(error)"))
            }
        }
        if let timeout, timeout <= .zero { problems.append(.init(field: "timeout", message: "must be positive")) }
        return problems
    }
}

/// One thing wrong with a definition: the field and why.
public struct DefinitionProblem: Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field) \(message)" }
}
