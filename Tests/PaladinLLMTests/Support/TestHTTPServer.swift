import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback HTTP/1.1 server for provider tests: each request gets the response a script
/// returns for it (by request number, from 0), written in timed parts.
final class TestHTTPServer: Sendable {
    typealias Script = @Sendable (RecordedRequest, Int) -> ScriptedResponse

    private let channel: any Channel
    private let recorder: RequestRecorder
    let port: Int

    private init(channel: any Channel, recorder: RequestRecorder) {
        self.channel = channel
        self.recorder = recorder
        port = channel.localAddress?.port ?? 0
    }

    /// Base URL ending in /v1, as providers are configured.
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Every request received so far, in order.
    var requests: [RecordedRequest] { recorder.log.withLock { $0 } }

    static func start(_ script: @escaping Script) async throws -> TestHTTPServer {
        let recorder = RequestRecorder(script: script)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHTTPHandler(recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestHTTPServer(channel: channel, recorder: recorder)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// Shared between connections: the script and the request log.
final class RequestRecorder: Sendable {
    let script: TestHTTPServer.Script
    let log = Mutex<[RecordedRequest]>([])

    init(script: @escaping TestHTTPServer.Script) { self.script = script }

    func record(_ request: RecordedRequest) -> ScriptedResponse {
        let index = log.withLock { log in
            log.append(request)
            return log.count - 1
        }
        return script(request, index)
    }
}
