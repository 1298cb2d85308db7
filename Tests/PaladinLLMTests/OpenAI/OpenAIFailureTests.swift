import PaladinCore
import Testing
@testable import PaladinLLM

@Suite struct OpenAIFailureTests {
    let request = CompletionRequest(model: "m", messages: [.user("q")])

    @Test(arguments: [
        (401, #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#,
         ProviderError.Kind.authentication, "Incorrect API key provided"),
        (400, #"{"error":{"message":"This model's maximum context length is 4097 tokens","code":"context_length_exceeded"}}"#,
         .contextTooLong, "This model's maximum context length is 4097 tokens"),
        (400, #"{"error":{"message":"'messages' is a required property","type":"invalid_request_error"}}"#,
         .invalidRequest, "'messages' is a required property"),
        (429, #"{"error":{"message":"Rate limit reached"}}"#, .rateLimited, "Rate limit reached"),
        (500, "upstream exploded", .server, "HTTP 500: upstream exploded"),
    ])
    func errorBodiesMapToKindsKeepingTheMessage(status: Int, body: String, kind: ProviderError.Kind, message: String) async throws {
        try await withServer({ _, _ in .json(body, status: status) }) { server, engine in
            let error = await caught { _ = try await openAI(server, engine).complete(request) }
            #expect((error as? ProviderError)?.kind == kind)
            #expect((error as? ProviderError)?.message == message)
            let streamed = await caught { _ = try await collect(openAI(server, engine).stream(request)) }
            #expect((streamed as? ProviderError)?.kind == kind)
        }
    }

    /// Absurd waits from a provider are clamped, not trapped on (a `Duration` cannot hold them).
    @Test(arguments: [
        (("Retry-After", "inf"), HTTPFailure.longestRetryAfter),
        (("Retry-After", "1e300"), HTTPFailure.longestRetryAfter),
        (("retry-after-ms", "1e40"), HTTPFailure.longestRetryAfter),
        (("Retry-After", "2.5"), Duration.milliseconds(2500)),
        (("retry-after-ms", "750"), Duration.milliseconds(750)),
    ])
    func retryAfterIsReadAndClamped(header: (String, String), expected: Duration) async throws {
        try await withServer({ _, _ in .json(#"{"error":{"message":"slow down"}}"#, status: 429, headers: [header]) }) { server, engine in
            let error = await caught { _ = try await openAI(server, engine).complete(request) }
            #expect((error as? ProviderError)?.kind == .rateLimited)
            #expect((error as? ProviderError)?.retryAfter == expected)
        }
    }

    @Test(arguments: ["nan", "-1", "soon", "-inf"])
    func meaninglessRetryAfterIsIgnored(value: String) async throws {
        try await withServer({ _, _ in .json(#"{"error":{"message":"slow down"}}"#, status: 429, headers: [("Retry-After", value)]) }) { server, engine in
            let error = await caught { _ = try await openAI(server, engine).complete(request) }
            #expect((error as? ProviderError)?.kind == .rateLimited)
            #expect((error as? ProviderError)?.retryAfter == nil)
        }
    }

    @Test func stalledStreamTimesOut() async throws {
        let events = [#"data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#]
        try await withServer({ _, _ in .sse(events, ending: .stall) }) { server, engine in
            var pieces: [String] = []
            let error = await caught {
                for try await chunk in openAI(server, engine, idle: .seconds(1)).stream(request) {
                    if case .text(let text) = chunk { pieces.append(text) }
                }
            }
            #expect(pieces == ["Hel"])
            #expect((error as? ProviderError)?.kind == .timeout)
        }
    }

    @Test func connectionDroppedMidStreamIsANetworkError() async throws {
        let events = [#"data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#]
        try await withServer({ _, _ in .sse(events, ending: .drop) }) { server, engine in
            let error = await caught { _ = try await collect(openAI(server, engine).stream(request)) }
            #expect((error as? ProviderError)?.kind == .network)
        }
    }

    @Test func streamWithoutDoneIsANetworkError() async throws {
        let events = [#"data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#]
        try await withServer({ _, _ in .sse(events) }) { server, engine in
            let error = await caught { _ = try await collect(openAI(server, engine).stream(request)) }
            #expect(error as? ProviderError == ProviderError(.network, "the stream ended before [DONE]"))
        }
    }

    @Test func malformedChunkIsAMalformedResponse() async throws {
        let events = [#"data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#, #"data: {"choices":[{"index":0,"delta":{"content""#, "data: [DONE]"]
        try await withServer({ _, _ in .sse(events, split: 4) }) { server, engine in
            let error = await caught { _ = try await collect(openAI(server, engine).stream(request)) }
            #expect((error as? ProviderError)?.kind == .malformedResponse)
        }
    }

    @Test func errorEventInsideAStream() async throws {
        let events = [#"data: {"error":{"message":"model overloaded","type":"server_error"}}"#]
        try await withServer({ _, _ in .sse(events) }) { server, engine in
            let error = await caught { _ = try await collect(openAI(server, engine).stream(request)) }
            #expect(error as? ProviderError == ProviderError(.server, "model overloaded"))
        }
    }

    @Test func cancellingTheCallerAbortsTheTransfer() async throws {
        try await withServer({ _, _ in .sse([], ending: .stall) }) { server, engine in
            let provider = openAI(server, engine)
            let task = Task { try await collect(provider.stream(request)) }
            for _ in 0..<500 where server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            #expect(engine.activeTransfers == 1)
            task.cancel()
            // A cancelled consumer either sees CancellationError or a stream that ended without `.done`.
            do { #expect(try await task.value.done == nil) } catch { #expect(error is CancellationError) }
            let complete = Task { try await provider.complete(request) }
            for _ in 0..<500 where server.requests.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
            complete.cancel()
            #expect(await caught { _ = try await complete.value } is CancellationError)
        }
    }

    @Test func refusedConnectionIsANetworkError() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let provider = OpenAIProvider(ProviderEndpoint(baseURL: "http://127.0.0.1:9/v1", model: "m"), engine: engine)
        let error = await caught { _ = try await provider.complete(request) }
        #expect((error as? ProviderError)?.kind == .network)
        #expect(await settled(engine))
    }
}
