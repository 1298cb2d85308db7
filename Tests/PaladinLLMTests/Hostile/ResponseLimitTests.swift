import PaladinCore
import Testing
@testable import PaladinLLM

/// A provider that answers too much: an SSE line that never ends, a body that never ends or
/// declares gigabytes, a completion whose text passes the cap in small pieces. Each call fails
/// promptly with `responseTooLarge` naming the limit's key, and memory stays bounded. (An
/// infinite Retry-After is `OpenAIFailureTests.retryAfterIsReadAndClamped`.)
@Suite(.serialized) struct ResponseLimitTests {
    let request = CompletionRequest(model: "m", messages: [.user("q")])
    /// What the process may grow by during a probe. The probes without caps grow without end
    /// (past 256 MiB in a few seconds); the bound is loose because suites running beside this
    /// one in the same process grow it too (it measured over 96 MiB in CI). `sent.bytes` is the
    /// exact check that reading stopped at the cap.
    static let growthBound = 192 << 20

    func openAI(_ server: TestHTTPServer, _ engine: CurlEngine, _ limits: ResponseLimits = ResponseLimits(provider: "fake"))
        -> OpenAIProvider {
        OpenAIProvider(ProviderEndpoint(baseURL: server.baseURL, model: "m",
                                        timeouts: HTTPTimeouts(connect: .seconds(5), total: .seconds(60), idle: .seconds(5)), limits: limits),
                       engine: engine)
    }

    /// The error `body` throws, as a `ProviderError` of kind `responseTooLarge` naming `key`.
    func expectTooLarge(_ error: (any Error)?, key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let failure = error as? ProviderError
        #expect(failure?.kind == .responseTooLarge, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(failure?.message.contains("provider \"fake\"") == true, sourceLocation: sourceLocation)
        #expect(failure?.message.contains("providers.fake.limits.\(key)") == true, "\(String(describing: error))",
                sourceLocation: sourceLocation)
    }

    @Test func anEndlessSSELineFailsAtTheLineCap() async throws {
        let sent = SentCounter()
        let response = ScriptedResponse(headers: [("Content-Type", "text/event-stream")],
                                        parts: [.bytes(Array("data: ".utf8)), .endless(filler(64 * 1024))], sent: sent)
        try await withServer({ _, _ in response }) { server, engine in
            let before = try residentBytes()
            let error = await caught { _ = try await collect(openAI(server, engine).stream(request)) }
            expectTooLarge(error, key: "max_sse_line_bytes")
            #expect(sent.bytes < 64 << 20, "the client read on past the cap")
            #expect(try residentBytes() - before < Self.growthBound)
        }
    }

    @Test func anEndlessBodyFailsAtTheBodyCap() async throws {
        let sent = SentCounter()
        let response = ScriptedResponse(headers: [("Content-Type", "application/json")],
                                        parts: [.bytes(Array(#"{"choices":[{"message":{"content":""#.utf8)), .endless(filler(64 * 1024))],
                                        sent: sent)
        try await withServer({ _, _ in response }) { server, engine in
            let before = try residentBytes()
            let error = await caught { _ = try await openAI(server, engine).complete(request) }
            expectTooLarge(error, key: "max_response_bytes")
            #expect((error as? ProviderError)?.message.contains("\(16 << 20) bytes") == true)
            #expect(sent.bytes < 64 << 20, "the client read on past the cap")
            #expect(try residentBytes() - before < Self.growthBound)
        }
    }

    /// A declared Content-Length over the cap fails on the headers: this server never sends a
    /// byte of body, so reading any would wait for the idle timeout instead.
    @Test func aHugeContentLengthFailsBeforeTheBody() async throws {
        let response = ScriptedResponse(headers: [("Content-Type", "application/json")], ending: .stall, declaredLength: 10_000_000_000)
        try await withServer({ _, _ in response }) { server, engine in
            let error = await caught { _ = try await openAI(server, engine).complete(request) }
            expectTooLarge(error, key: "max_response_bytes")
        }
    }

    /// Text in many small chunks: the stream fails once the total passes the cap, having
    /// handed out no more than the cap.
    @Test func aStreamedCompletionPastTheCapFails() async throws {
        let piece = #"data: {"choices":[{"index":0,"delta":{"content":"0123456789abcdef"}}]}"#
        let events = Array(repeating: piece, count: 10_000) + [#"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#, "data: [DONE]"]
        try await withServer({ _, _ in .sse(events, split: 64 * 1024) }) { server, engine in
            var received = 0
            let error = await caught {
                for try await chunk in openAI(server, engine, ResponseLimits(provider: "fake", maxCompletionBytes: 64 * 1024)).stream(request) {
                    if case .text(let text) = chunk { received += text.utf8.count }
                }
            }
            expectTooLarge(error, key: "max_completion_bytes")
            #expect(received <= 64 * 1024 && received > 60 * 1024)
        }
    }

    /// Tool-call arguments count against the same cap, and so do calls without any text.
    @Test(arguments: [#"{"index":0,"function":{"arguments":"0123456789abcdef"}}"#, #"{"index":IDX}"#])
    func toolCallsCountAgainstTheCompletionCap(call: String) async throws {
        let events = (0..<10_000).map { #"data: {"choices":[{"index":0,"delta":{"tool_calls":["# + call.replacingOccurrences(of: "IDX", with: "\($0)") + "]}}]}" }
        try await withServer({ _, _ in .sse(events + ["data: [DONE]"], split: 64 * 1024) }) { server, engine in
            let error = await caught {
                _ = try await collect(openAI(server, engine, ResponseLimits(provider: "fake", maxCompletionBytes: 64 * 1024)).stream(request))
            }
            expectTooLarge(error, key: "max_completion_bytes")
        }
    }

    @Test func anAnthropicStreamPastTheCapFails() async throws {
        let piece = #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"0123456789abcdef"}}"#
        let events = Array(repeating: piece, count: 10_000) + [#"data: {"type":"message_stop"}"#]
        try await withServer({ _, _ in .sse(events, split: 64 * 1024) }) { server, engine in
            let provider = AnthropicProvider(ProviderEndpoint(baseURL: server.baseURL, model: "c",
                                                              limits: ResponseLimits(provider: "fake", maxCompletionBytes: 64 * 1024)),
                                             engine: engine)
            let error = await caught { _ = try await collect(provider.stream(request)) }
            expectTooLarge(error, key: "max_completion_bytes")
        }
    }

    @Test func aCompleteAnswerPastTheCapFails() async throws {
        let text = String(repeating: "x", count: 100 * 1024)
        let answer = #"{"choices":[{"index":0,"message":{"role":"assistant","content":""# + text + #""},"finish_reason":"stop"}]}"#
        try await withServer({ _, _ in .json(answer) }) { server, engine in
            let limits = ResponseLimits(provider: "fake", maxCompletionBytes: 64 * 1024)
            expectTooLarge(await caught { _ = try await openAI(server, engine, limits).complete(request) }, key: "max_completion_bytes")
            let roomy = ResponseLimits(provider: "fake", maxCompletionBytes: 128 * 1024)
            let completion = try await openAI(server, engine, roomy).complete(request)
            #expect(completion.text == text)
        }
    }

    /// Past a cap is final: the retry policy does not call again.
    @Test func aResponseTooLargeIsNotRetried() async throws {
        let response = ScriptedResponse(headers: [("Content-Type", "application/json")], parts: [.endless(filler(64 * 1024))])
        try await withServer({ _, _ in response }) { server, engine in
            let limits = ResponseLimits(provider: "fake", maxResponseBytes: 1 << 20)
            let retrying = RetryingProvider(openAI(server, engine, limits), policy: .init(maxAttempts: 3, initialBackoff: .milliseconds(1)))
            expectTooLarge(await caught { _ = try await retrying.complete(request) }, key: "max_response_bytes")
            expectTooLarge(await caught { _ = try await collect(retrying.stream(request)) }, key: "max_sse_line_bytes")
            #expect(server.requests.count == 2)
        }
    }

    /// An error status with an endless body ends after the part kept for its message.
    @Test func anErrorWithAnEndlessBodyEndsPromptly() async throws {
        let response = ScriptedResponse(status: 500, headers: [("Content-Type", "text/plain")], parts: [.endless(filler(64 * 1024))])
        try await withServer({ _, _ in response }) { server, engine in
            let error = await caught { _ = try await collect(openAI(server, engine).stream(request)) }
            #expect((error as? ProviderError)?.kind == .server)
            let unary = await caught { _ = try await openAI(server, engine).complete(request) }
            #expect((unary as? ProviderError)?.kind == .server)
        }
    }
}

extension ResponseLimitTests {
    /// A body within the byte cap that would cost the JSON parser many times its size.
    @Test func aBodyOfCountlessTinyValuesFails() async throws {
        let values = Array(repeating: "0", count: JSON.maxValues + 1).joined(separator: ",")
        let answer = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"x":["# + values + "]}"
        try await withServer({ _, _ in .json(answer) }) { server, engine in
            let error = await caught { _ = try await openAI(server, engine).complete(request) }
            #expect((error as? ProviderError)?.kind == .responseTooLarge)
            #expect((error as? ProviderError)?.message.contains("JSON values") == true)
        }
        // Six openers and separators outside strings; those inside (escaped quote included) do not count.
        #expect(JSON.fits(Array(#"{"a":"[,{:","b":[1,2]}"#.utf8), values: 6))
        #expect(!JSON.fits(Array(#"{"a":"[,{:","b":[1,2]}"#.utf8), values: 5))
        #expect(JSON.fits(Array(#"{"a":"\"[,{:","b":[1,2]}"#.utf8), values: 6))
    }
}
