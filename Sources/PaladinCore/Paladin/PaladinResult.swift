/// Why an execution stopped.
public enum StopReason: String, Sendable, Hashable {
    /// The model gave a final answer (no more tool calls).
    case final
    /// The agent loop reached `maxTurns` while the model still asked for tools.
    case maxTurns = "max_turns"
    /// A stop sequence cut the answer.
    case stopWord = "stop_word"
    /// The model hit its token limit.
    case length
}

/// The outcome of one paladin execution.
public struct PaladinResult: Sendable, Hashable {
    public var paladin: String
    public var output: String
    public var usage: TokenUsage
    /// Model calls made.
    public var turns: Int
    public var toolCalls: [ToolCall]
    public var toolResults: [ToolResult]
    public var duration: Duration
    public var stopReason: StopReason

    public init(paladin: String, output: String, usage: TokenUsage = .zero, turns: Int = 1, toolCalls: [ToolCall] = [],
                toolResults: [ToolResult] = [], duration: Duration = .zero, stopReason: StopReason = .final) {
        self.paladin = paladin
        self.output = output
        self.usage = usage
        self.turns = turns
        self.toolCalls = toolCalls
        self.toolResults = toolResults
        self.duration = duration
        self.stopReason = stopReason
    }
}

/// What a streamed execution reports, in order; the last event is `.final`.
public enum PaladinEvent: Sendable, Hashable {
    case delta(String)
    case toolCall(ToolCall)
    case toolResult(ToolResult)
    case final(PaladinResult)
}
