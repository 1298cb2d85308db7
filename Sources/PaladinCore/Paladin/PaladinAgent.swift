/// A paladin ready to run: its definition bound to a provider, its tools and (optionally) a
/// garrison for conversation memory.
///
/// `execute` runs the agent loop: call the model; if it asks for tools, run them, feed the
/// results back and call again; stop on an answer without tool calls, or after `maxTurns`
/// model calls (reported as `.maxTurns`, never silently).
///
/// Immutable once built, and shared: the catalog builds one per paladin and every execution,
/// battalion member and task uses that one (a reference, so handing it on copies nothing).
public final class PaladinAgent: Sendable {
    public let definition: PaladinDefinition
    public let provider: any LLMProvider
    /// The tools the definition names, by name.
    public let tools: [String: any Tool]
    public let garrison: (any GarrisonStore)?
    /// What the model is told of `tools`, in the definition's order.
    let specs: [ToolSpec]

    /// - Throws: `PaladinError.unknownTool` when the definition names a tool not in `tools`,
    ///   `PaladinError.invalidDefinition` when `definition.validate()` finds problems.
    public init(_ definition: PaladinDefinition, provider: any LLMProvider, tools: [any Tool] = [],
                garrison: (any GarrisonStore)? = nil) throws(PaladinError) {
        let problems = definition.validate()
        guard problems.isEmpty else { throw .invalidDefinition(problems) }
        var byName: [String: any Tool] = [:]
        for tool in tools where definition.tools.contains(tool.spec.name) { byName[tool.spec.name] = tool }
        for name in definition.tools where byName[name] == nil { throw .unknownTool(name) }
        self.definition = definition
        self.provider = provider
        self.tools = byName
        self.garrison = garrison
        self.specs = definition.tools.compactMap { byName[$0]?.spec }
    }

    /// Runs to a final answer.
    public func execute(_ input: String, sessionID: String? = nil) async throws -> PaladinResult {
        try await execute(input, sessionID: sessionID, emit: nil)
    }

    /// Runs to a final answer, reporting text deltas, tool calls and results as they happen.
    /// The last event is `.final`; cancelling the consumer cancels the run.
    public func executeStream(_ input: String, sessionID: String? = nil) -> AsyncThrowingStream<PaladinEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: PaladinEvent.self)
        let task = Task { [self] in
            do {
                let result = try await execute(input, sessionID: sessionID, emit: { continuation.yield($0) })
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
        try await execute(input, sessionID: sessionID, emit: events)
    }

    /// The agent loop under the definition's timeout, if it has one; `emit` hears events when given.
    func execute(_ input: String, sessionID: String?,
                 emit: (@Sendable (PaladinEvent) -> Void)?) async throws -> PaladinResult {
        guard let timeout = definition.timeout else {
            var loop = AgentLoop(agent: self, emit: emit)
            return try await loop.run(input: input, sessionID: sessionID)
        }
        return try await withTimeout(timeout) { [self] in
            var loop = AgentLoop(agent: self, emit: emit)
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
