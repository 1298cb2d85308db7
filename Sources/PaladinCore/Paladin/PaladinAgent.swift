/// A paladin ready to run: its definition bound to a provider, its tools and (optionally) a
/// garrison for conversation memory.
///
/// `execute` runs the agent loop: call the model; if it asks for tools, run them, feed the
/// results back and call again; stop on an answer without tool calls, or after `maxTurns`
/// model calls (reported as `.maxTurns`, never silently).
public struct PaladinAgent: Sendable {
    /// Everything the agent holds, behind one reference: copying an agent (into a task, a
    /// closure, an agent loop) costs one retain instead of one per field of its definition.
    final class Storage: Sendable {
        let definition: PaladinDefinition
        let provider: any LLMProvider
        let tools: [String: any Tool]
        let garrison: (any GarrisonStore)?
        /// The specs of `definition.tools`, in order, computed once.
        let specs: [ToolSpec]
        /// `provider.completeImmediately` when the provider can answer without waiting (cast once,
        /// here), and nil when the definition retries model calls (the immediate path makes one
        /// call, no retries). A closure: calling it copies no existential.
        let answerNow: (@Sendable (CompletionRequest) throws -> Completion?)?
        /// A request with the definition's fields and no messages, copied for each model call.
        let request: CompletionRequest

        init(definition: PaladinDefinition, provider: any LLMProvider, tools: [String: any Tool], garrison: (any GarrisonStore)?) {
            self.definition = definition
            self.provider = provider
            self.tools = tools
            self.garrison = garrison
            self.specs = definition.tools.compactMap { tools[$0]?.spec }
            if definition.retry.maxAttempts == 1, let immediate = provider as? any ImmediateLLMProvider {
                self.answerNow = { try immediate.completeImmediately($0) }
            } else {
                self.answerNow = nil
            }
            self.request = CompletionRequest(model: definition.model, messages: [], temperature: definition.temperature,
                                             maxTokens: definition.maxTokens, stop: definition.stop, tools: specs,
                                             agent: definition.name)
        }
    }

    let storage: Storage
    public var definition: PaladinDefinition { storage.definition }
    public var provider: any LLMProvider { storage.provider }
    public var tools: [String: any Tool] { storage.tools }
    public var garrison: (any GarrisonStore)? { storage.garrison }

    /// - Throws: `PaladinError.unknownTool` when the definition names a tool not in `tools`,
    ///   `PaladinError.invalidDefinition` when `definition.validate()` finds problems.
    public init(_ definition: PaladinDefinition, provider: any LLMProvider, tools: [any Tool] = [],
                garrison: (any GarrisonStore)? = nil) throws(PaladinError) {
        let problems = definition.validate()
        guard problems.isEmpty else { throw .invalidDefinition(problems) }
        var byName: [String: any Tool] = [:]
        for tool in tools { byName[tool.spec.name] = tool }
        for name in definition.tools where byName[name] == nil { throw .unknownTool(name) }
        storage = Storage(definition: definition, provider: provider,
                          tools: byName.filter { definition.tools.contains($0.key) }, garrison: garrison)
    }

    /// Runs to a final answer.
    public func execute(_ input: String, sessionID: String? = nil) async throws -> PaladinResult {
        guard let timeout = storage.definition.timeout else {  // no limit: no closure, no task
            var loop = AgentLoop(agent: self, emit: nil)
            return try await loop.run(input: input, sessionID: sessionID)
        }
        return try await withTimeout(timeout) { [self] in
            var loop = AgentLoop(agent: self, emit: nil)
            return try await loop.run(input: input, sessionID: sessionID)
        }
    }

    /// Goes on from a first completion `AgentLoop.answerImmediately` obtained (one asking for tools).
    func execute(_ input: String, answered first: Completion) async throws -> PaladinResult {
        guard let timeout = storage.definition.timeout else {
            var loop = AgentLoop(agent: self, emit: nil, answered: first)
            return try await loop.run(input: input, sessionID: nil)
        }
        return try await withTimeout(timeout) { [self] in
            var loop = AgentLoop(agent: self, emit: nil, answered: first)
            return try await loop.run(input: input, sessionID: nil)
        }
    }

    /// Runs to a final answer, reporting text deltas, tool calls and results as they happen.
    /// The last event is `.final`; cancelling the consumer cancels the run.
    public func executeStream(_ input: String, sessionID: String? = nil) -> AsyncThrowingStream<PaladinEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: PaladinEvent.self)
        let task = Task { [self] in
            do {
                let result = try await withTimeout(definition.timeout) { [self] in
                    var loop = AgentLoop(agent: self, emit: { continuation.yield($0) })
                    return try await loop.run(input: input, sessionID: sessionID)
                }
                continuation.yield(.final(result))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Runs with an event callback (used by battalions to forward member deltas).
    public func execute(_ input: String, sessionID: String? = nil,
                        events: @escaping @Sendable (PaladinEvent) -> Void) async throws -> PaladinResult {
        guard let timeout = storage.definition.timeout else {
            var loop = AgentLoop(agent: self, emit: events)
            return try await loop.run(input: input, sessionID: sessionID)
        }
        return try await withTimeout(timeout) { [self] in
            var loop = AgentLoop(agent: self, emit: events)
            return try await loop.run(input: input, sessionID: sessionID)
        }
    }
}

/// Why a paladin could not be built or run.
public enum PaladinError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidDefinition([DefinitionProblem])
    case unknownTool(String)

    public var description: String {
        switch self {
        case .invalidDefinition(let problems): "invalid paladin: " + problems.map(\.description).joined(separator: "; ")
        case .unknownTool(let name): "unknown tool \"\(name)\""
        }
    }
}
