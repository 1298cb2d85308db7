/// One scripted answer of a `ScriptedProvider`.
public enum ScriptedReply: Sendable {
    /// Answer with this text.
    case text(String)
    /// Ask for these tool calls (the agent runs them and calls again).
    case toolCalls([ToolCall])
    /// Fail with this error.
    case failure(ProviderError)
    /// Wait (cancellably), then give the inner reply.
    indirect case delayed(Duration, ScriptedReply)
    /// Compute the answer from the request.
    case computed(@Sendable (CompletionRequest) -> String)
    /// Override the reported usage of the inner reply.
    indirect case withUsage(TokenUsage, ScriptedReply)

    /// Answers with the last user message prefixed by `prefix` (handy for pipelines).
    public static func echo(prefix: String = "") -> ScriptedReply {
        .computed { request in prefix + (request.messages.last { $0.role == .user }?.content ?? "") }
    }
}
