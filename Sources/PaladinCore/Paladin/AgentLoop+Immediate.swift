/// How `AgentLoop.answerImmediately` ended.
enum ImmediateAnswer {
    /// The execution is over after one model call: its output (stop words enforced) and usage.
    case answered(output: String, usage: TokenUsage)
    /// Nothing was consumed: run the async loop as usual.
    case declined
    /// The first completion asks for tools: the async loop goes on from it.
    case needsTools(Completion)
}

extension AgentLoop {
    /// The whole execution without suspending, when it can be: no session, no listener, no
    /// retries, and a provider that answers at once (`ImmediateLLMProvider`) without asking for
    /// tools. Gives the output and usage `run(input:sessionID: nil)` would give; the caller has
    /// checked for cancellation. No `PaladinResult` is built: battalions keep output and usage
    /// only, and time the step themselves.
    ///
    /// - Parameter messages: a buffer the caller keeps between calls (members run one after
    ///   another): the request's messages are written into it, so it is allocated once, not per
    ///   call, unless the provider kept the previous request (it is then copied on write).
    static func answerImmediately(_ storage: PaladinAgent.Storage, input: String,
                                  messages: inout [ChatMessage]) throws -> ImmediateAnswer {
        guard let answerNow = storage.answerNow else { return .declined }
        fill(&messages, system: storage.definition.systemPrompt, user: input)
        var request = storage.request  // the definition's fields, built once
        swap(&request.messages, &messages)
        defer { swap(&request.messages, &messages) }  // the buffer comes back for the next call
        guard let completion = try answerNow(request) else { return .declined }
        guard completion.toolCalls.isEmpty else { return .needsTools(completion) }  // tools are async
        let usage = completion.usage ?? TokenUsage(
            promptTokens: request.messages.reduce(0) { $0 + TokenEstimator.estimate($1.content) },
            completionTokens: TokenEstimator.estimate(completion.text))
        let (output, _) = finalOutput(of: completion, stops: storage.definition.stop)
        return .answered(output: output, usage: usage)
    }

    /// `messages` made the first turn's: the system prompt (if any), then `user`. Messages this
    /// function wrote have these roles and nothing else, so only their texts are replaced.
    private static func fill(_ messages: inout [ChatMessage], system: String, user: String) {
        if system.isEmpty {
            if messages.count == 1 && messages[0].role == .user {
                messages[0].content = user
            } else {
                messages = [.user(user)]
            }
        } else if messages.count == 2 && messages[0].role == .system && messages[1].role == .user {
            messages[0].content = system
            messages[1].content = user
        } else {
            messages = [.system(system), .user(user)]
        }
    }
}
