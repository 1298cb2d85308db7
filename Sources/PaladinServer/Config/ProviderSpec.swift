import PaladinLLM

/// A model provider as configured under `providers:`.
public enum ProviderSpec: Sendable, Hashable {
    /// The deterministic `ScriptedProvider`: for tests and offline demos, not a model.
    case scripted(ScriptedSettings)
    /// An HTTP API: OpenAI-compatible or Anthropic.
    case http(ProviderConfiguration)

    /// What a scripted provider answers (`kind: scripted`).
    public struct ScriptedSettings: Sendable, Hashable {
        /// `default_reply`: what every paladin without replies answers; `nil` echoes the input.
        public var defaultReply: String?
        /// `replies`: per paladin, answers given in order; the last one repeats.
        public var replies: [String: [String]] = [:]
        /// `delay`: how long each answer takes.
        public var delay: Duration?

        public init(defaultReply: String? = nil, replies: [String: [String]] = [:], delay: Duration? = nil) {
            self.defaultReply = defaultReply
            self.replies = replies
            self.delay = delay
        }
    }
}
