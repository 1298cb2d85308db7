import Synchronization

/// A deterministic `LLMProvider` for tests, benchmarks and offline demos. It is not a model:
/// it answers from a script, per agent, and records every request it was sent.
///
/// Each agent has a queue of replies consumed in order; when an agent's queue is empty its
/// fallback reply answers (by default `.echo()`). Usage is reported from the `TokenEstimator`
/// of the messages and the answer unless a reply sets it.
public final class ScriptedProvider: ImmediateLLMProvider {
    private struct State {
        var queues: [String: [ScriptedReply]] = [:]
        var fallbacks: [String: ScriptedReply] = [:]
        var requests: [CompletionRequest] = []
    }

    private let state = Mutex(State())
    private let defaultReply: ScriptedReply
    private let recordRequests: Bool
    /// Whether `defaultReply` answers without waiting (fixed at init).
    private let defaultIsImmediate: Bool
    /// The text of `defaultReply` when it is `.text`: answered without copying the reply enum.
    private let defaultText: String?
    /// `TokenEstimator.estimate(defaultText)`, counted once: the default reply never changes.
    private let defaultTextTokens: Int
    /// Set (under the lock, for good) by the first `script` or `fallback`. Until then, and when
    /// requests are not recorded, every request gets `defaultReply` and touches no state: the
    /// answer needs no lock.
    private let scripted = Atomic<Bool>(false)

    /// - Parameters:
    ///   - defaultReply: what agents without a script answer.
    ///   - recordRequests: keep every request for `requests` (turn off in benchmarks).
    public init(defaultReply: ScriptedReply = .echo(), recordRequests: Bool = true) {
        self.defaultReply = defaultReply
        self.recordRequests = recordRequests
        self.defaultIsImmediate = Self.isImmediate(defaultReply)
        if case .text(let text) = defaultReply { defaultText = text } else { defaultText = nil }
        defaultTextTokens = defaultText.map(TokenEstimator.estimate) ?? 0
    }

    /// True when a request is answered by `defaultReply` without touching any state.
    private var answersStatelessly: Bool { !recordRequests && !scripted.load(ordering: .acquiring) }

    /// Appends replies to an agent's queue.
    public func script(_ agent: String, _ replies: ScriptedReply...) {
        state.withLock {
            scripted.store(true, ordering: .releasing)
            $0.queues[agent, default: []].append(contentsOf: replies)
        }
    }

    /// Sets what an agent answers once its queue is empty.
    public func fallback(_ agent: String, _ reply: ScriptedReply) {
        state.withLock {
            scripted.store(true, ordering: .releasing)
            $0.fallbacks[agent] = reply
        }
    }

    /// Every request received, in order.
    public var requests: [CompletionRequest] { state.withLock { $0.requests } }

    /// Requests received from one agent.
    public func requests(from agent: String) -> [CompletionRequest] { requests.filter { $0.agent == agent } }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        if answersStatelessly {
            if defaultIsImmediate { return try Self.immediateAnswer(defaultReply, request, usage: nil)! }
            return try await answer(defaultReply, request, usage: nil)
        }
        let reply = state.withLock { state -> ScriptedReply in
            if recordRequests { state.requests.append(request) }
            if state.queues.isEmpty && state.fallbacks.isEmpty { return defaultReply }  // nothing scripted: no lookups
            if var queue = state.queues[request.agent], !queue.isEmpty {
                let next = queue.removeFirst()
                state.queues[request.agent] = queue
                return next
            }
            return state.fallbacks[request.agent] ?? defaultReply
        }
        // Replies without a delay are answered synchronously: no async frames, no suspension.
        if let completion = try Self.immediateAnswer(reply, request, usage: nil) { return completion }
        return try await answer(reply, request, usage: nil)
    }

    /// The answer of `reply` when it needs no waiting; nil for a `.delayed` reply (at any depth).
    private static func immediateAnswer(_ reply: ScriptedReply, _ request: CompletionRequest,
                                        usage: TokenUsage?) throws -> Completion? {
        switch reply {
        case .text(let text):
            return Completion(text: text, usage: usage ?? Self.usage(request, text), finishReason: .stop)
        case .toolCalls(let calls):
            return Completion(text: "", toolCalls: calls, usage: usage ?? Self.usage(request, ""), finishReason: .toolCalls)
        case .failure(let error):
            throw error
        case .delayed:
            return nil
        case .computed(let body):
            let text = body(request)
            return Completion(text: text, usage: usage ?? Self.usage(request, text), finishReason: .stop)
        case .withUsage(let given, let inner):
            return try immediateAnswer(inner, request, usage: given)
        }
    }

    /// Answers at once unless the reply due is delayed (at any depth); a declined request
    /// consumes nothing, so `complete` then gives that same reply after its delay.
    public func completeImmediately(_ request: CompletionRequest) throws -> Completion? {
        if answersStatelessly {
            if let defaultText {
                return Completion(text: defaultText, usage: Self.usage(request, completionTokens: defaultTextTokens),
                                  finishReason: .stop)
            }
            return defaultIsImmediate ? try Self.immediateAnswer(defaultReply, request, usage: nil) : nil
        }
        let reply = state.withLock { state -> ScriptedReply? in
            if state.queues.isEmpty && state.fallbacks.isEmpty {
                guard defaultIsImmediate else { return nil }
                if recordRequests { state.requests.append(request) }
                return defaultReply
            }
            let reply: ScriptedReply
            if let queue = state.queues[request.agent], let first = queue.first {
                reply = first
                guard Self.isImmediate(reply) else { return nil }
                state.queues[request.agent]!.removeFirst()
            } else {
                reply = state.fallbacks[request.agent] ?? defaultReply
                guard Self.isImmediate(reply) else { return nil }
            }
            if recordRequests { state.requests.append(request) }
            return reply
        }
        guard let reply else { return nil }
        return try Self.immediateAnswer(reply, request, usage: nil)
    }

    private static func isImmediate(_ reply: ScriptedReply) -> Bool {
        switch reply {
        case .delayed: false
        case .withUsage(_, let inner): isImmediate(inner)
        default: true
        }
    }

    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error> {
        // An undelayed reply is streamed from a buffer: no task, so no hop off the caller's executor.
        do {
            if let completion = try completeImmediately(request) {
                return AsyncThrowingStream { continuation in
                    for piece in Self.pieces(of: completion.text) { continuation.yield(.text(piece)) }
                    continuation.yield(.done(completion))
                    continuation.finish()
                }
            }
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
        return AsyncThrowingStream { continuation in
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

    private func answer(_ reply: ScriptedReply, _ request: CompletionRequest, usage: TokenUsage?) async throws -> Completion {
        switch reply {
        case .delayed(let delay, let inner):
            try await Task.sleep(for: delay)
            return try await answer(inner, request, usage: usage)
        case .withUsage(let given, let inner):
            return try await answer(inner, request, usage: given)
        default:
            return try Self.immediateAnswer(reply, request, usage: usage)!
        }
    }

    /// Estimated usage: every message's tokens as prompt, the answer as completion.
    static func usage(_ request: CompletionRequest, _ text: String) -> TokenUsage {
        usage(request, completionTokens: TokenEstimator.estimate(text))
    }

    /// Estimated usage with the completion's tokens already counted.
    static func usage(_ request: CompletionRequest, completionTokens: Int) -> TokenUsage {
        TokenUsage(promptTokens: request.messages.reduce(0) { $0 + TokenEstimator.estimate($1.content) },
                   completionTokens: completionTokens)
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
