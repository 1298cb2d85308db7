import NIOCore
import PaladinWire

/// Maps method names to handlers. Built once at startup, then read-only and shared by every
/// connection.
public struct ServiceRouter: Sendable {
    var routes: [String: RouteHandler] = [:]

    public init() {}

    /// Requests larger than this many bytes are decoded and handled on the global concurrent
    /// executor rather than the connection's event loop: decoding megabytes takes milliseconds,
    /// which would stall every connection on that loop; below it, decoding takes microseconds.
    public static let offLoopRequestBytes = 64 * 1024

    /// Removes the handler of `path`, so the method answers UNIMPLEMENTED ("not implemented
    /// yet"): for deployments that hide a method, and for tests of that answer.
    public mutating func removeRoute(_ path: String) {
        routes[path] = nil
    }

    /// Whether a handler is registered for `path`.
    public func isImplemented(_ path: String) -> Bool { routes[path] != nil }

    func handler(for path: String) -> RouteHandler? { routes[path] }

    /// Registers a cheap unary handler that runs on the event loop. It must not block.
    public mutating func registerInline<Req, Resp>(
        _ method: MethodDescriptor<Req, Resp>,
        _ body: @escaping @Sendable (Req, ServerCallContext) throws(RPCError) -> Resp
    ) {
        precondition(method.kind == .unary)
        routes[method.path] = .inline { payload, context, out throws(RPCError) in
            let request = try decodeRequest(Req.self, from: payload)
            try encodeResponse(try body(request, context), into: &out)
        }
    }

    /// Registers a unary handler that runs as a task on the connection's event loop.
    public mutating func registerUnary<Req, Resp>(
        _ method: MethodDescriptor<Req, Resp>,
        _ body: @escaping @Sendable (Req, ServerCallContext) async throws -> Resp
    ) {
        precondition(method.kind == .unary)
        routes[method.path] = .unary { payload, context in
            let request = try decodeRequest(Req.self, from: payload)
            let response = try await body(request, context)
            var out = ByteBuffer()
            try encodeResponse(response, into: &out)
            return out
        }
    }

    /// Registers a server-streaming handler; it writes messages and returns to end the call OK.
    public mutating func registerServerStreaming<Req, Resp>(
        _ method: MethodDescriptor<Req, Resp>,
        _ body: @escaping @Sendable (Req, ServerCallContext, ResponseWriter<Resp>) async throws -> Void
    ) {
        precondition(method.kind == .serverStreaming)
        routes[method.path] = .serverStreaming { payload, context, sink in
            let request = try decodeRequest(Req.self, from: payload)
            try await body(request, context, ResponseWriter(sink: sink))
        }
    }
}
