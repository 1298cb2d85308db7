/// One execution of the agent loop; a value that lives for one `execute` call.
struct AgentLoop {
    let agent: PaladinAgent
    let emit: (@Sendable (PaladinEvent) -> Void)?
    private var usage = TokenUsage.zero
    private var toolCalls: [ToolCall] = []
    private var toolResults: [ToolResult] = []

    init(agent: PaladinAgent, emit: (@Sendable (PaladinEvent) -> Void)?) {
        self.agent = agent
        self.emit = emit
    }

    mutating func run(input: String, sessionID: String?) async throws -> PaladinResult {
        let start = ContinuousClock.now
        let definition = agent.definition
        var messages: [ChatMessage] = []
        if !definition.systemPrompt.isEmpty { messages.append(.system(definition.systemPrompt)) }
        if let sessionID, let garrison = agent.garrison, let policy = definition.garrisonPolicy {
            try await garrison.setPolicy(policy, for: sessionID)
        }
        if let sessionID, let garrison = agent.garrison, definition.historyLimit > 0 {
            for entry in try await garrison.history(sessionID: sessionID, limit: definition.historyLimit)
            where entry.role != .system {
                messages.append(ChatMessage(role: ChatRole(entry.role), content: entry.content))
            }
        }
        messages.append(.user(input))

        var turns = 0
        var completion = Completion(text: "")
        while true {
            try Task.checkCancellation()
            turns += 1
            completion = try await call(request(messages))
            usage += completion.usage ?? TokenUsage(
                promptTokens: messages.reduce(0) { $0 + TokenEstimator.estimate($1.content) },
                completionTokens: TokenEstimator.estimate(completion.text))
            guard !completion.toolCalls.isEmpty else { break }
            messages.append(.assistant(completion.text, toolCalls: completion.toolCalls))
            for call in completion.toolCalls {
                emit?(.toolCall(call))
                toolCalls.append(call)
                let result = await runTool(call)
                emit?(.toolResult(result))
                toolResults.append(result)
                messages.append(.tool(result.output, callID: call.id))
            }
            if turns >= definition.maxTurns {
                return finish(output: completion.text, turns: turns, reason: .maxTurns, start: start)
            }
        }

        let (output, reason) = Self.finalOutput(of: completion, stops: definition.stop)
        if let sessionID, let garrison = agent.garrison {
            _ = try await garrison.append([
                GarrisonEntry(sessionID: sessionID, role: .user, content: input),
                GarrisonEntry(sessionID: sessionID, role: .assistant, content: output,
                              tokenCount: completion.usage?.completionTokens ?? 0),
            ], to: sessionID)
        }
        return finish(output: output, turns: turns, reason: reason, start: start)
    }

    /// The answer with stop words enforced, and why it ended.
    static func finalOutput(of completion: Completion, stops: [String]) -> (String, StopReason) {
        if let cut = firstStop(in: completion.text, stops: stops) { return (String(completion.text[..<cut]), .stopWord) }
        return (completion.text, completion.finishReason == .length ? .length : .final)
    }

    private func finish(output: String, turns: Int, reason: StopReason, start: ContinuousClock.Instant) -> PaladinResult {
        PaladinResult(paladin: agent.definition.name, output: output, usage: usage, turns: turns, toolCalls: toolCalls,
                      toolResults: toolResults, duration: start.duration(to: .now), stopReason: reason)
    }

    /// The model request of one turn: the definition's settings and the conversation so far.
    private func request(_ messages: [ChatMessage]) -> CompletionRequest {
        let definition = agent.definition
        return CompletionRequest(model: definition.model, messages: messages, temperature: definition.temperature,
                                 maxTokens: definition.maxTokens, stop: definition.stop, tools: agent.specs,
                                 agent: definition.name)
    }

    /// One model call with the paladin's retry policy; streams deltas when someone listens.
    private func call(_ request: CompletionRequest) async throws -> Completion {
        let provider = agent.provider
        let emit = self.emit
        return try await agent.definition.retry.run(shouldRetry: { ($0 as? ProviderError)?.isRetryable ?? false }) { _ in
            guard let emit else { return try await provider.complete(request) }
            for try await chunk in provider.stream(request) {
                switch chunk {
                case .text(let piece): emit(.delta(piece))
                case .done(let completion): return completion
                }
            }
            // A stream also ends early, without an error, when this task is cancelled.
            try Task.checkCancellation()
            throw ProviderError(.malformedResponse, "the stream ended without a completion")
        }
    }

    /// Runs a tool; failures become an error result the model can read, not a failed run.
    private func runTool(_ call: ToolCall) async -> ToolResult {
        guard let tool = agent.tools[call.name] else {
            return ToolResult(callID: call.id, name: call.name, output: "error: unknown tool \"\(call.name)\"", isError: true)
        }
        do {
            return ToolResult(callID: call.id, name: call.name, output: try await tool.call(arguments: call.arguments))
        } catch {
            return ToolResult(callID: call.id, name: call.name, output: "error: \(error)", isError: true)
        }
    }

    /// Where the earliest stop sequence starts, if any.
    static func firstStop(in text: String, stops: [String]) -> String.Index? {
        guard !stops.isEmpty else { return nil }
        return stops.filter { !$0.isEmpty }.compactMap { text.firstRange(of: $0)?.lowerBound }.min()
    }
}

extension ChatRole {
    init(_ role: Role) {
        switch role {
        case .system: self = .system
        case .user: self = .user
        case .assistant: self = .assistant
        case .tool: self = .tool
        }
    }
}
