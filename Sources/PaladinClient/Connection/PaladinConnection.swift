#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import NIOSSL
import PaladinWire

/// One connection to a Paladin server, safe to share: any number of tasks may call over it
/// at once, and each call is its own stream (docs/protocol.md).
///
/// ```swift
/// let connection = try await PaladinConnection.connect(host: "127.0.0.1", port: 50051)
/// let health = Paladin_V1_HealthClient(connection)
/// let reply = try await health.check(Paladin_V1_HealthCheckRequest())
/// await connection.close()
/// ```
public final class PaladinConnection: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<ClientConnectionHandler>
    /// The server's HELLO: its limits and version.
    public let serverHello: Paladin_V1_Hello

    private init(channel: any Channel, handler: NIOLoopBound<ClientConnectionHandler>,
                 serverHello: Paladin_V1_Hello) {
        self.channel = channel
        self.handler = handler
        self.serverHello = serverHello
    }

    /// Connects, sends the preface and HELLO, and waits for the server's HELLO.
    /// - Parameter group: event loops to use; by default NIO's shared singleton group, which
    ///   lives as long as the process, so a closed connection never strands a pending call.
    /// - Throws: `RPCError` with UNAVAILABLE when the server cannot be reached, DEADLINE_EXCEEDED
    ///   when it does not answer in time, or the server's GOAWAY code (UNAUTHENTICATED, ...).
    public static func connect(host: String, port: Int, configuration: ClientConfiguration = ClientConfiguration(),
                               group: (any EventLoopGroup)? = nil) async throws -> PaladinConnection {
        let loopGroup: any EventLoopGroup = group ?? MultiThreadedEventLoopGroup.singleton
        let tlsContext: NIOSSLContext?
        do { tlsContext = try configuration.tls?.makeContext() } catch {
            throw RPCError(.invalidArgument, "cannot set up TLS: \(error)")
        }
        let verifiedName = configuration.tls?.verifiedName(for: host)
        do {
            let timeout = TimeAmount.nanoseconds(Int64(configuration.connectTimeout.components.seconds) * 1_000_000_000
                                                 + configuration.connectTimeout.components.attoseconds / 1_000_000_000)
            let (channel, handler, helloFuture) = try await ClientBootstrap(group: loopGroup)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(timeout)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { () throws -> (any Channel, NIOLoopBound<ClientConnectionHandler>, EventLoopFuture<Paladin_V1_Hello>) in
                        let promise = channel.eventLoop.makePromise(of: Paladin_V1_Hello.self)
                        let handler = ClientConnectionHandler(configuration: configuration, helloPromise: promise)
                        if let tlsContext {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: tlsContext, serverHostname: verifiedName))
                        }
                        try channel.pipeline.syncOperations.addHandler(handler)
                        return (channel, NIOLoopBound(handler, eventLoop: channel.eventLoop), promise.futureResult)
                    }
                }
            let timer = channel.eventLoop.scheduleTask(in: timeout) {
                handler.value.helloPromise.fail(RPCError(.deadlineExceeded, "server did not answer HELLO within \(configuration.connectTimeout)"))
            }
            defer { timer.cancel() }
            let hello: Paladin_V1_Hello
            do {
                hello = try await helloFuture.get()
            } catch {
                try? await channel.close()
                throw error
            }
            return PaladinConnection(channel: channel, handler: handler, serverHello: hello)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.unavailable, "cannot connect to \(host):\(port): \(Self.describe(error))")
        }
    }

    /// Makes a unary call.
    /// - Throws: `RPCError` with the server's status, DEADLINE_EXCEEDED, CANCELLED when the
    ///   calling task is cancelled, or UNAVAILABLE when the connection is gone.
    public func unary<Request, Response>(_ method: MethodDescriptor<Request, Response>, _ request: Request,
                                         options: CallOptions = CallOptions()) async throws -> Response {
        let wire = try Self.requestMessage(method.path, request, options)
        let call = ClientCall()
        let handler = self.handler
        let payload: ByteBuffer = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                handler.runOnLoop { $0.start(call, sink: .unary(continuation), request: wire, timeout: options.timeout.map(Self.timeAmount)) }
            }
        } onCancel: {
            handler.runOnLoop { $0.cancel(call) }
        }
        do {
            return try Response(decoding: payload)
        } catch {
            throw RPCError(.internal, "malformed response from the server: \(error)")
        }
    }

    /// Makes a server-streaming call; it starts when iteration starts. Stopping iteration or
    /// cancelling the iterating task cancels the call.
    public func serverStream<Request, Response>(_ method: MethodDescriptor<Request, Response>, _ request: Request,
                                                options: CallOptions = CallOptions()) -> ResponseStream<Response> {
        let built = Result { () throws(RPCError) in try Self.requestMessage(method.path, request, options) }
        let handler = self.handler
        return ResponseStream {
            let wire: Paladin_V1_Request
            switch built {
            case .success(let request): wire = request
            case .failure(let error): return AsyncThrowingStream { $0.finish(throwing: error) }
            }
            let call = ClientCall()
            let (stream, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self, throwing: (any Error).self)
            continuation.onTermination = { reason in
                if case .cancelled = reason { handler.runOnLoop { $0.cancel(call) } }
            }
            handler.runOnLoop { $0.start(call, sink: .stream(continuation), request: wire, timeout: options.timeout.map(Self.timeAmount)) }
            return stream
        }
    }

    /// Why new calls would fail, or `nil` while the connection is usable.
    public var unavailableReason: RPCError? {
        get async { try? await handler.value(on: channel.eventLoop) { $0.unavailableReason }.get() }
    }

    /// Closes the connection; pending calls fail with UNAVAILABLE.
    public func close() async {
        try? await channel.close()
    }

    /// The REQUEST envelope of a call.
    /// - Throws: INVALID_ARGUMENT, before anything is sent, when a string of the request or of
    ///   its metadata holds U+0000 (protobuf-c strings would cut it at the NUL).
    private static func requestMessage<Request: ProtoMessage>(
        _ path: String, _ request: Request, _ options: CallOptions
    ) throws(RPCError) -> Paladin_V1_Request {
        var wire = Paladin_V1_Request()
        wire.method = path
        do { wire.message = try request.checkedSerializedBytes() } catch {
            throw RPCError(.invalidArgument, "request not sent: \(error)")
        }
        for pair in options.metadata where pair.key.utf8.contains(0) || pair.value.utf8.contains(0) {
            throw RPCError(.invalidArgument, "request not sent: metadata entry \(pair.key.debugDescription) holds U+0000, which protocol strings cannot carry")
        }
        if let timeout = options.timeout {
            let micros = timeout.components.seconds * 1_000_000 + timeout.components.attoseconds / 1_000_000_000_000
            wire.timeoutUs = UInt64(max(1, micros))
        }
        wire.metadata = options.metadata.map {
            var entry = Paladin_V1_MetadataEntry()
            entry.key = $0.key
            entry.value = $0.value
            return entry
        }
        return wire
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return describe(first.error)
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        return "\(error)"
    }
}
