import PaladinCore
import Synchronization
import Testing
@testable import PaladinLLM

/// Waits a retrying provider asked for.
final class Waits: Sendable {
    let list = Mutex<[Duration]>([])
    var all: [Duration] { list.withLock { $0 } }
}

@Suite struct RetryTests {
    let request = CompletionRequest(model: "m", messages: [.user("q")])
    let policy = ProviderConfiguration.Retry(maxAttempts: 3, initialBackoff: .milliseconds(10), maxBackoff: .seconds(5))

    /// A retrying provider whose waits are recorded (and kept short).
    func retrying(_ base: any LLMProvider, _ waits: Waits) -> RetryingProvider {
        RetryingProvider(base, policy: policy) { duration in
            waits.list.withLock { $0.append(duration) }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    @Test func rateLimitHonoursRetryAfterThenSucceeds() async throws {
        let waits = Waits()
        try await withServer({ _, index in
            index == 0 ? .json(#"{"error":{"message":"slow down"}}"#, status: 429, headers: [("Retry-After", "2")])
                       : .json(OpenAIProviderTests.answer)
        }) { server, engine in
            let completion = try await retrying(openAI(server, engine), waits).complete(request)
            #expect(completion.text == "Hello there")
            #expect(server.requests.count == 2)
            #expect(waits.all == [.seconds(2)])
        }
    }

    @Test func serverErrorThenSuccessStreaming() async throws {
        let waits = Waits()
        let events = [#"data: {"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}"#, "data: [DONE]"]
        try await withServer({ _, index in index == 0 ? .json("boom", status: 500) : .sse(events) }) { server, engine in
            let (pieces, done) = try await collect(retrying(openAI(server, engine), waits).stream(request))
            #expect(pieces == ["ok"])
            #expect(done?.text == "ok")
            #expect(server.requests.count == 2)
            let wait = try #require(waits.all.first)
            #expect(wait >= .milliseconds(5) && wait <= .milliseconds(10))
        }
    }

    @Test func otherClientErrorsAreNeverRetried() async throws {
        let waits = Waits()
        try await withServer({ _, _ in .json(#"{"error":{"message":"bad field"}}"#, status: 422) }) { server, engine in
            let error = await caught { _ = try await retrying(openAI(server, engine), waits).complete(request) }
            #expect(error as? ProviderError == ProviderError(.invalidRequest, "bad field"))
            #expect(server.requests.count == 1)
            #expect(waits.all.isEmpty)
        }
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let waits = Waits()
        try await withServer({ _, _ in .json("down", status: 503) }) { server, engine in
            let error = await caught { _ = try await retrying(openAI(server, engine), waits).complete(request) }
            #expect((error as? ProviderError)?.kind == .server)
            #expect(server.requests.count == 3)
            #expect(waits.all.count == 2)
        }
    }

    @Test func backoffGrowsWithJitterAndIsCapped() {
        let provider = RetryingProvider(ScriptedProvider(), policy: .init(maxAttempts: 10, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(500)))
        let error = ProviderError(.network, "reset")
        for (attempt, full) in [(1, 100), (2, 200), (3, 400), (4, 500), (8, 500)] {
            let wait = provider.delay(after: error, attempt: attempt)
            #expect(wait.map { $0 >= .milliseconds(full / 2) && $0 <= .milliseconds(full) } == true, "attempt \(attempt)")
        }
        #expect(provider.delay(after: error, attempt: 10) == nil)
        #expect(provider.delay(after: ProviderError(.rateLimited, "x", retryAfter: .seconds(60)), attempt: 1) == nil)
        #expect(provider.delay(after: ProviderError(.authentication, "x"), attempt: 1) == nil)
    }
}
