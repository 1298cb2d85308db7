import PaladinCore
import Testing
@testable import PaladinLLM

/// A provider that sends as fast as it can to a consumer that reads slowly: the transfer
/// pauses once the consumer is a bounded amount behind (the fake provider's writes stop
/// reaching the socket), memory stays bounded, and reading again resumes it, repeatedly.
@Suite(.serialized) struct SlowConsumerTests {
    enum Path: String, CaseIterable {
        /// The adapter's stream: the transfer feeds the consumer's buffer directly.
        case adapter
        /// Through the retry and concurrency policies: relay tasks between them.
        case policies
        /// `CurlEngine.start`: raw body events.
        case raw
    }

    let request = CompletionRequest(model: "m", messages: [.user("q")])
    /// How far ahead of its consumer a stream may get, with both ends' socket buffers.
    static let aheadBound = 32 << 20

    /// Events of 1,000 characters of text each, 64 to a write, until 128 MiB were sent.
    static func response(_ sent: SentCounter) -> ScriptedResponse {
        let event = #"data: {"choices":[{"index":0,"delta":{"content":""# + String(repeating: "x", count: 1000) + "\"}}]}\n\n"
        let chunk = Array(String(repeating: event, count: 64).utf8)
        return ScriptedResponse(headers: [("Content-Type", "text/event-stream")], parts: [.endless(chunk, limit: 128 << 20)], sent: sent)
    }

    /// Reads the stream of one path, one element at a time, as bytes of text or body.
    enum Reader {
        case chunks(AsyncThrowingStream<CompletionChunk, any Error>.AsyncIterator)
        case events(AsyncThrowingStream<HTTPEvent, any Error>.AsyncIterator)

        mutating func next() async throws -> Int? {
            switch self {
            case .chunks(var iterator):
                defer { self = .chunks(iterator) }
                while let chunk = try await iterator.next() { if case .text(let text) = chunk { return text.utf8.count } }
            case .events(var iterator):
                defer { self = .events(iterator) }
                while let event = try await iterator.next() { if case .body(let bytes) = event { return bytes.count } }
            }
            return nil
        }
    }

    func reader(_ path: Path, _ server: TestHTTPServer, _ engine: CurlEngine) -> Reader {
        let limits = ResponseLimits(provider: "fake", maxCompletionBytes: 256 << 20)
        let adapter = OpenAIProvider(ProviderEndpoint(baseURL: server.baseURL, model: "m", limits: limits), engine: engine)
        switch path {
        case .adapter:
            return .chunks(adapter.stream(request).makeAsyncIterator())
        case .policies:
            let limited = ConcurrencyLimitedProvider(adapter, limit: 2)
            return .chunks(RetryingProvider(limited, policy: .init(maxAttempts: 2)).stream(request).makeAsyncIterator())
        case .raw:
            let request = HTTPRequest(url: server.baseURL + "/raw", method: "GET", limits: ResponseLimits(maxResponseBytes: nil))
            return .events(engine.start(request).makeAsyncIterator())
        }
    }

    @Test(arguments: Path.allCases)
    func aSlowConsumerPausesTheTransfer(path: Path) async throws {
        let sent = SentCounter()
        try await withServer({ _, _ in Self.response(sent) }) { server, engine in
            var consumer = reader(path, server, engine)
            _ = try await consumer.next()  // under way; now the consumer stops reading
            let held = await quietCount(sent, ceiling: 64 << 20)
            #expect(held < Self.aheadBound, "the transfer ran \(held) bytes ahead of its consumer")
            var read = 0
            while read < 24 << 20, let count = try await consumer.next() { read += count }
            #expect(read >= 24 << 20, "the stream did not resume")
            #expect(sent.bytes > held)
        }
    }

    /// Waits until the server's count stops growing (unchanged over several polls) or passes
    /// `ceiling`, and returns it.
    func quietCount(_ sent: SentCounter, ceiling: Int) async -> Int {
        var last = -1
        var quiet = 0
        for _ in 0..<400 {
            let now = sent.bytes
            if now >= ceiling { return now }
            if now == last {
                quiet += 1
                if quiet >= 8 { return now }
            } else {
                quiet = 0
                last = now
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return sent.bytes
    }
}
