import Foundation
import PaladinCore
import Synchronization
import Testing
@testable import PaladinLLM

/// The base URL of the real local model (scripts/local-model start), when one is running.
let localModelURL = ProcessInfo.processInfo.environment["PALADIN_LOCAL_MODEL_URL"]

/// Records the requests that pass through to the real provider.
final class RecordingProvider: LLMProvider {
    let base: any LLMProvider
    let seen = Mutex<[CompletionRequest]>([])

    init(_ base: any LLMProvider) { self.base = base }

    var requests: [CompletionRequest] { seen.withLock { $0 } }

    func complete(_ request: CompletionRequest) async throws -> Completion {
        seen.withLock { $0.append(request) }
        return try await base.complete(request)
    }

    func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error> {
        seen.withLock { $0.append(request) }
        return base.stream(request)
    }
}

/// End to end through SmolLM2-135M on llama-cpp-python. Its answers are weak: these tests check
/// shapes, streaming and flow, never content. scripts/test starts the model and sets the URL.
@Suite(.enabled(if: localModelURL != nil, "set PALADIN_LOCAL_MODEL_URL (scripts/local-model start)"), .serialized)
struct LocalModelTests {
    let provider = OpenAIProvider(ProviderEndpoint(
        baseURL: localModelURL ?? "http://127.0.0.1:1/v1", model: "smollm2",
        timeouts: HTTPTimeouts(connect: .seconds(5), total: .seconds(300), idle: .seconds(120))))

    func paladin(_ name: String, _ prompt: String, provider: any LLMProvider) throws -> PaladinAgent {
        try PaladinAgent(PaladinDefinition(name: name, systemPrompt: prompt, model: "smollm2", temperature: 0, maxTokens: 24),
                         provider: provider)
    }

    @Test func aPaladinAnswers() async throws {
        let result = try await paladin("sage", "You are a helpful assistant. Answer in one sentence.", provider: provider)
            .execute("What is the capital of France?")
        #expect(!result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(result.turns == 1)
        #expect(result.usage.promptTokens > 10)
        #expect(result.usage.completionTokens > 0 && result.usage.completionTokens <= 24)
    }

    @Test func aPaladinStreams() async throws {
        var deltas: [String] = []
        var final: PaladinResult?
        for try await event in try paladin("bard", "You are a helpful assistant.", provider: provider).executeStream("Name three colours.") {
            switch event {
            case .delta(let text): deltas.append(text)
            case .final(let result): final = result
            default: break
            }
        }
        let result = try #require(final)
        #expect(deltas.count >= 2, "the answer arrived in pieces")
        #expect(deltas.joined() == result.output)
        // llama-cpp-python 0.3.36 ignores stream_options.include_usage, so a streamed run has no usage.
        #expect(result.turns == 1)
    }

    @Test func aTwoMemberFormationRuns() async throws {
        let recorder = RecordingProvider(provider)
        let writer = try paladin("writer", "Write one short sentence about the topic.", provider: recorder)
        let critic = try paladin("critic", "Rewrite the sentence you are given more simply.", provider: recorder)
        let result = await Formation(members: ["writer", "critic"])
            .run("The sea.", in: BattalionContext(members: [writer, critic]))
        #expect(result.status == .completed)
        #expect(result.steps.map(\.member) == ["writer", "critic"])
        #expect(result.steps.allSatisfy { $0.status == .succeeded && $0.usage.completionTokens > 0 })
        #expect(result.finalOutput == result.steps[1].output)
        let requests = recorder.requests
        #expect(requests.count == 2)
        #expect(requests.last?.messages.last?.content.contains(result.steps[0].output) == true, "the critic got the writer's output")
    }

    @Test func anUnknownRouteIsAClearError() async throws {
        let broken = OpenAIProvider(ProviderEndpoint(baseURL: (localModelURL ?? "") + "/nope", model: "smollm2"))
        let error = await caught { _ = try await broken.complete(CompletionRequest(model: "", messages: [.user("hi")])) }
        #expect((error as? ProviderError)?.kind == .invalidRequest)
    }
}
