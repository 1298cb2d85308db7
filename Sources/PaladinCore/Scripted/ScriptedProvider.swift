import Synchronization

/// A deterministic `LLMProvider` for tests, benchmarks and offline demos. It is not a model:
/// it answers from a script, per agent, and records every request it was sent.
///
/// Each agent has a queue of replies consumed in order; when an agent's queue is empty its
/// fallback reply answers (by default `.echo()`). Usage is reported from the `TokenEstimator`
/// of the messages and the answer unless a reply sets it.
public final class ScriptedProvider: LLMProvider {
    private struct State {
        var queues: [String: [ScriptedReply]] = [:]
        var fallbacks: [String: ScriptedReply] = [:]
        var requests: [CompletionRequest] = []
    }

    private let state = Mutex(State())
    private let defaultReply: ScriptedReply
    private let recordRequests: Bool

    /// - Parameters:
    ///   - defaultReply: what agents without a script answer.
    ///   - recordRequests: keep every request for `requests` (turn off in benchmarks).
    public init(defaultReply: ScriptedReply = .echo(), recordRequests: Bool = true) {
        self.defaultReply = defaultReply
        self.recordRequests = recordRequests
    }

    /// Appends replies to an agent's queue.
    public func script(_ agent: String, _ replies: ScriptedReply...) {
        state.withLock { $0.queues[agent, default: []].append(contentsOf: replies) }
    }

    /// Sets what an agent answers once its queue is empty.
    public func fallback(_ agent: String, _ reply: ScriptedReply) {
        state.withLock { $0.fallbacks[agent] = reply }
    }

    /// Every request received, in order.
    public var requests: [CompletionRequest] { state.withLock { $0.requests } }

    /// Requests received from one agent.
    public func requests(from agent: String) -> [CompletionRequest] { requests.filter { $0.agent == agent } }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        var reply = state.withLock { state -> ScriptedReply in
            if recordRequests { state.requests.append(request) }
            if var queue = state.queues[request.agent], !queue.isEmpty {
                let next = queue.removeFirst()
                state.queues[request.agent] = queue
                return next
            }
            return state.fallbacks[request.agent] ?? defaultReply
        }
        var usage: TokenUsage?
        while true {  // unwrap delays and usage overrides down to the answer
            switch reply {
            case .delayed(let delay, let inner):
                try await Task.sleep(for: delay)
                reply = inner
            case .withUsage(let given, let inner):
                usage = given
                reply = inner
            case .text(let text):
                return Completion(text: text, usage: usage ?? Self.usage(request, text), finishReason: .stop)
            case .toolCalls(let calls):
                return Completion(text: "", toolCalls: calls, usage: usage ?? Self.usage(request, ""), finishReason: .toolCalls)
            case .computed(let body):
                let text = body(request)
                return Completion(text: text, usage: usage ?? Self.usage(request, text), finishReason: .stop)
            case .failure(let error):
                throw error
            }
        }
    }

    /// Streams the completion in word-sized pieces, then the whole completion.
    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let completion = try await complete(request)
                    for piece in Self.pieces(of: completion.text) { continuation.yield(.text(piece)) }
                    continuation.yield(.done(completion))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Estimated usage: every message's tokens as prompt, the answer as completion.
    static func usage(_ request: CompletionRequest, _ text: String) -> TokenUsage {
        TokenUsage(promptTokens: request.messages.reduce(0) { $0 + TokenEstimator.estimate($1.content) },
                   completionTokens: TokenEstimator.estimate(text))
    }

    /// Splits text into word-sized pieces (each keeps its trailing space) to mimic streaming.
    static func pieces(of text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == " " || character == "\n" {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
