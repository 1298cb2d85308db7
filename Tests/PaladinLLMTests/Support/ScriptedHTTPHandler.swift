import NIOCore
import NIOHTTP1

/// Collects a request, asks the recorder for the response, and plays it: head, parts with
/// pauses, then the ending (complete, dropped connection, or a stall).
final class ScriptedHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let recorder: RequestRecorder
    private var request: RecordedRequest?

    init(recorder: RequestRecorder) { self.recorder = recorder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            request = RecordedRequest(method: head.method.rawValue, uri: head.uri, headers: headers, body: [],
                                      clientPort: context.channel.remoteAddress?.port ?? 0)
        case .body(let buffer):
            request?.body += Array(buffer.readableBytesView)
        case .end:
            guard let request else { return }
            self.request = nil
            let response = recorder.record(request)
            var headers = HTTPHeaders(response.headers)
            if response.ending == .drop || response.ending == .stall || response.parts.count > 1 {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            } else {
                let length = response.parts.reduce(0) { if case .bytes(let b) = $1 { $0 + b.count } else { $0 } }
                headers.add(name: "Content-Length", value: String(length))
            }
            let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            play(response.parts[...], ending: response.ending, context: context)
        }
    }

    private func play(_ parts: ArraySlice<ScriptedResponse.Part>, ending: ScriptedResponse.Ending, context: ChannelHandlerContext) {
        guard let part = parts.first else {
            switch ending {
            case .complete: context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case .drop: context.close(promise: nil)
            case .stall: break
            }
            return
        }
        let rest = parts.dropFirst()
        switch part {
        case .bytes(let bytes):
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            play(rest, ending: ending, context: context)
        case .pause(let duration):
            let loop = context.eventLoop.assumeIsolated()
            loop.scheduleTask(in: .nanoseconds(Int64(duration.components.attoseconds / 1_000_000_000 + duration.components.seconds * 1_000_000_000))) {
                guard context.channel.isActive else { return }
                self.play(rest, ending: ending, context: context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
