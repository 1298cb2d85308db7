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
    /// - Parameter request: a request the caller keeps between calls (members run one after
    ///   another), made this paladin's first-turn request in place: fields equal to the previous
    ///   paladin's are left as they are and the messages buffer is reused, so a call allocates and
    ///   copies nothing unless the provider kept the previous request (then copied on write).
    static func answerImmediately(_ storage: PaladinAgent.Storage, input: String,
                                  request: inout CompletionRequest) throws -> ImmediateAnswer {
        guard storage.answerNow != nil else { return .declined }
        prepare(&request, from: storage.request, system: storage.definition.systemPrompt, user: input)
        // Called through the optional, not bound first: binding copied the closure out of the
        // storage, retaining its context for the call (two atomic operations; decision 44).
        guard let completion = try storage.answerNow?(request) else { return .declined }
        guard completion.toolCalls.isEmpty else { return .needsTools(completion) }  // tools are async
        let usage = completion.usage ?? TokenUsage(
            promptTokens: request.messages.reduce(0) { $0 + TokenEstimator.estimate($1.content) },
            completionTokens: TokenEstimator.estimate(completion.text))
        let (output, _) = finalOutput(of: completion, stops: storage.definition.stop)
        return .answered(output: output, usage: usage)
    }

    /// `request` made equal to `template` with the first turn's messages: the system prompt (if
    /// any), then `user`. A field already equal is not assigned (no retain, no release).
    private static func prepare(_ request: inout CompletionRequest, from template: CompletionRequest,
                                system: String, user: String) {
        if request.model != template.model { request.model = template.model }
        if request.temperature != template.temperature { request.temperature = template.temperature }
        if request.maxTokens != template.maxTokens { request.maxTokens = template.maxTokens }
        // Most paladins have neither stop words nor tools: two empty arrays are equal without the
        // call to the generic `==` (~45 instructions a member).
        if !(request.stop.isEmpty && template.stop.isEmpty) && request.stop != template.stop {
            request.stop = template.stop
        }
        if !(request.tools.isEmpty && template.tools.isEmpty) && request.tools != template.tools {
            request.tools = template.tools
        }
        if request.agent != template.agent { request.agent = template.agent }
        fill(&request.messages, system: system, user: user)
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
