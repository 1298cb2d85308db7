import PaladinCore
import Testing
@testable import PaladinLLM

/// Runs `body` with a fresh server and a fresh engine, then checks that no transfer leaked.
func withServer<T>(_ script: @escaping TestHTTPServer.Script,
                   _ body: (TestHTTPServer, CurlEngine) async throws -> T) async throws -> T {
    let server = try await TestHTTPServer.start(script)
    let engine = CurlEngine()
    defer { engine.shutdown() }
    let result: T
    do { result = try await body(server, engine) } catch {
        await server.stop()
        throw error
    }
    await server.stop()
    #expect(await settled(engine), "a transfer leaked")
    return result
}

/// Waits (up to 5 s) for the engine to have no open transfer.
func settled(_ engine: CurlEngine) async -> Bool {
    for _ in 0..<500 {
        if engine.activeTransfers == 0 { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return false
}

/// The error `body` throws, or `nil`.
func caught(_ body: () async throws -> Void) async -> (any Error)? {
    do { try await body() } catch { return error }
    return nil
}

/// Collects a stream: the text pieces and the completion of `.done`.
func collect(_ stream: AsyncThrowingStream<CompletionChunk, any Error>) async throws -> (pieces: [String], done: Completion?) {
    var pieces: [String] = []
    var done: Completion?
    for try await chunk in stream {
        switch chunk {
        case .text(let text): pieces.append(text)
        case .done(let completion): done = completion
        }
    }
    return (pieces, done)
}

func openAI(_ server: TestHTTPServer, _ engine: CurlEngine, key: String? = "sk-test", idle: Duration? = .seconds(60)) -> OpenAIProvider {
    OpenAIProvider(ProviderEndpoint(baseURL: server.baseURL, model: "test-model", apiKey: key, headers: ["X-Team": "paladin"],
                                    timeouts: HTTPTimeouts(connect: .seconds(5), total: .seconds(30), idle: idle)), engine: engine)
}

func anthropic(_ server: TestHTTPServer, _ engine: CurlEngine, idle: Duration? = .seconds(60)) -> AnthropicProvider {
    AnthropicProvider(ProviderEndpoint(baseURL: server.baseURL, model: "claude-test", apiKey: "ak-test",
                                       timeouts: HTTPTimeouts(connect: .seconds(5), total: .seconds(30), idle: idle)), engine: engine)
}

let weatherTool = ToolSpec(name: "get_weather", description: "Weather for a city",
                           parametersSchema: #"{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"#)
