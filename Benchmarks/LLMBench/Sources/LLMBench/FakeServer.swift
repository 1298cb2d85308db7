import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The fake model server: every POST gets an OpenAI chat-completions SSE stream of `chunks`
/// text deltas, `pause` apart, then a usage chunk and [DONE]. Runs in its own process so that
/// its threads and CPU time do not count against the client being measured.
enum FakeServer {
    static func run(chunks: Int, pause: Duration) async throws {
        var events: [[UInt8]] = []
        for index in 0..<chunks {
            events.append(Array(#"data: {"id":"b","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"token\#(index) "}}]}"#.utf8 + [10, 10]))
        }
        events.append(Array(#"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#.utf8 + [10, 10]))
        events.append(Array(#"data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":\#(chunks)}}"#.utf8 + [10, 10]))
        events.append(Array("data: [DONE]\n\n".utf8))
        let script = events
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(StreamHandler(events: script, pause: pause))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        say("port \(channel.localAddress?.port ?? 0)")
        try await channel.closeFuture.get()
    }
}

/// Answers each request with the scripted event stream.
final class StreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let events: [[UInt8]]
    let pause: Duration

    init(events: [[UInt8]], pause: Duration) {
        self.events = events
        self.pause = pause
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let head = HTTPResponseHead(version: .http1_1, status: .ok,
                                    headers: ["Content-Type": "text/event-stream", "Transfer-Encoding": "chunked"])
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        send(0, context: context)
    }

    private func send(_ index: Int, context: ChannelHandlerContext) {
        guard index < events.count else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: events[index])))), promise: nil)
        let nanos = Int64(pause.components.seconds) * 1_000_000_000 + Int64(pause.components.attoseconds / 1_000_000_000)
        context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanos)) {
            guard context.channel.isActive else { return }
            self.send(index + 1, context: context)
        }
    }
}
