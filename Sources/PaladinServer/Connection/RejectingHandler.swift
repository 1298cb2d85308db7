import NIOCore
import PaladinWire

/// Sits alone in the pipeline of a connection the server cannot take (too many connections,
/// or shutting down): sends GOAWAY with the reason and closes without reading anything.
final class RejectingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let code: StatusCode
    private let message: String

    init(code: StatusCode, message: String) {
        self.code = code
        self.message = message
    }

    func channelActive(context: ChannelHandlerContext) {
        var goAway = Paladin_V1_GoAway()
        goAway.code = code.rawValue
        goAway.message = message
        var buffer = context.channel.allocator.buffer(capacity: 64)
        FrameWriter.write(.goAway, streamID: 0, message: goAway, to: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
