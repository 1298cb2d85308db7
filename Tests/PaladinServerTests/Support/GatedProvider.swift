import PaladinCore
import Synchronization

/// A provider whose answer for an agent waits until the test opens that agent's gate, so a test
/// can hold a run at a chosen member. The answer is "<agent> done".
final class GatedProvider: LLMProvider {
    private let opened = Mutex<Set<String>>([])
    private let received = Mutex<[CompletionRequest]>([])

    /// Every request so far, in arrival order.
    var requests: [CompletionRequest] { received.withLock { $0 } }

    /// Lets `agent`'s calls (those waiting and later ones) answer.
    func open(_ agent: String) {
        _ = opened.withLock { $0.insert(agent) }
    }

    func complete(_ request: CompletionRequest) async throws -> Completion {
        received.withLock { $0.append(request) }
        while !opened.withLock({ $0.contains(request.agent) }) {
            try await Task.sleep(for: .milliseconds(2))  // throws when the run is cancelled
        }
        return Completion(text: "\(request.agent) done", usage: TokenUsage(promptTokens: 1, completionTokens: 1))
    }
}
