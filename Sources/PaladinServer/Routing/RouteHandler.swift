import NIOCore
import PaladinWire

/// A method's handler with the message types erased, as the connection runs it.
enum RouteHandler: Sendable {
    /// Cheap methods answered synchronously on the event loop (no task, no hop).
    /// Decodes the request, appends a MESSAGE frame's payload to the buffer.
    case inline(@Sendable ([UInt8], ServerCallContext, inout ByteBuffer) throws(RPCError) -> Void)
    /// A unary method that does real work in a task pinned to the connection's event loop.
    case unary(@Sendable ([UInt8], ServerCallContext) async throws -> ByteBuffer)
    /// A server-streaming method; messages go through the sink, the return ends the call.
    case serverStreaming(@Sendable ([UInt8], ServerCallContext, any StreamSink) async throws -> Void)

    /// The same handler as a task: an inline one becomes unary, the others are unchanged.
    var asynchronous: RouteHandler {
        guard case .inline(let body) = self else { return self }
        return .unary { payload, context in
            var out = ByteBuffer()
            try body(payload, context, &out)
            return out
        }
    }
}

/// Decodes a request or throws the status the protocol promises: INVALID_ARGUMENT when
/// malformed, RESOURCE_EXHAUSTED when over the decode budget.
@inline(__always)
func decodeRequest<Request: ProtoMessage>(_ type: Request.Type, from payload: [UInt8]) throws(RPCError) -> Request {
    do {
        return try Request(decoding: payload)
    } catch {
        throw RPCError(undecodable: error, malformed: "malformed \(String(cString: Request.protobufCDescriptor.pointee.name))")
    }
}

/// Appends a reply's encoding, or throws the INTERNAL error that ends the call when a string in
/// it holds U+0000 (protobuf-c would cut it at the NUL): the caller never gets a shortened reply.
@inline(__always)
func encodeResponse(_ response: some ProtoMessage, into buffer: inout ByteBuffer) throws(RPCError) {
    do {
        try response.encodeChecked(into: &buffer)
    } catch {
        throw RPCError(.internal, "response not sent: \(error)")
    }
}
