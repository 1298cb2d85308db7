/// Who speaks in a model conversation.
public enum ChatRole: String, Sendable, Hashable {
    case system, user, assistant, tool
}

/// One message of a model conversation, as providers take and return it.
public struct ChatMessage: Sendable, Hashable {
    public var role: ChatRole
    public var content: String
    /// Tool calls the assistant asked for (assistant messages only).
    public var toolCalls: [ToolCall]
    /// The call this message answers (tool messages only).
    public var toolCallID: String?

    public init(role: ChatRole, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    public static func assistant(_ text: String, toolCalls: [ToolCall] = []) -> ChatMessage {
        ChatMessage(role: .assistant, content: text, toolCalls: toolCalls)
    }
    public static func tool(_ output: String, callID: String) -> ChatMessage {
        ChatMessage(role: .tool, content: output, toolCallID: callID)
    }
}

/// A model's request to run a tool.
public struct ToolCall: Sendable, Hashable {
    /// Provider-assigned id that the tool result must quote.
    public var id: String
    public var name: String
    /// JSON-encoded arguments, as the model produced them.
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// What a tool returned for one call.
public struct ToolResult: Sendable, Hashable {
    public var callID: String
    public var name: String
    public var output: String
    public var isError: Bool

    public init(callID: String, name: String, output: String, isError: Bool = false) {
        self.callID = callID
        self.name = name
        self.output = output
        self.isError = isError
    }
}
