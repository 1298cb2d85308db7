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
            if let declared = response.declaredLength {
                headers.add(name: "Content-Length", value: String(declared))
            } else if response.ending == .drop || response.ending == .stall || response.parts.count > 1
                        || response.parts.contains(where: { if case .endless = $0 { true } else { false } }) {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            } else {
                let length = response.parts.reduce(0) { if case .bytes(let b) = $1 { $0 + b.count } else { $0 } }
                headers.add(name: "Content-Length", value: String(length))
            }
            let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            play(response.parts[...], ending: response.ending, sent: response.sent, context: context)
        }
    }

    private func play(_ parts: ArraySlice<ScriptedResponse.Part>, ending: ScriptedResponse.Ending, sent: SentCounter?,
                      context: ChannelHandlerContext) {
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
            sent?.add(bytes.count)
            play(rest, ending: ending, sent: sent, context: context)
        case .endless(let chunk, let limit):
            writeAgain(ByteBuffer(bytes: chunk), left: limit, then: rest, ending: ending, sent: sent, context: context)
        case .pause(let duration):
            let loop = context.eventLoop.assumeIsolated()
            loop.scheduleTask(in: .nanoseconds(Int64(duration.components.attoseconds / 1_000_000_000 + duration.components.seconds * 1_000_000_000))) {
                guard context.channel.isActive else { return }
                self.play(rest, ending: ending, sent: sent, context: context)
            }
        }
    }

    /// One write of an endless part; the next is scheduled when this one reached the socket,
    /// on a fresh turn of the loop so the writes do not nest.
    private func writeAgain(_ chunk: ByteBuffer, left: Int, then rest: ArraySlice<ScriptedResponse.Part>,
                            ending: ScriptedResponse.Ending, sent: SentCounter?, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard left > 0 else { return play(rest, ending: ending, sent: sent, context: context) }
        let loop = context.eventLoop.assumeIsolated()
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(chunk)))).assumeIsolated().whenSuccess {
            sent?.add(chunk.readableBytes)
            loop.execute {
                self.writeAgain(chunk, left: left - chunk.readableBytes, then: rest, ending: ending, sent: sent, context: context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
