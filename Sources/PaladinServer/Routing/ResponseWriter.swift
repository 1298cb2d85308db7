import NIOCore
import PaladinWire

/// Sends the messages of a server-streaming call, in order, waiting while the peer is slow.
public struct ResponseWriter<Response: ProtoMessage>: Sendable {
    let sink: StreamSink

    /// Sends one message. Suspends while the connection's send buffer is full.
    /// - Throws: `CancellationError` when the call has ended (cancelled, deadline, disconnect);
    ///   `RPCError` INTERNAL, sending nothing, when a string in `message` holds U+0000.
    public func write(_ message: Response) async throws {
        var buffer = ByteBuffer()
        try encodeResponse(message, into: &buffer)
        try await sink.send(buffer)
    }
}

/// The type-erased destination of a stream's messages; the connection implements it.
protocol StreamSink: Sendable {
    func send(_ payload: ByteBuffer) async throws
}
