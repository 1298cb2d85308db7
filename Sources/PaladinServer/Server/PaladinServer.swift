import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PaladinWire
import Synchronization

/// The Paladin RPC server: binds a TCP port, speaks the framed protocol of docs/protocol.md,
/// and dispatches calls to a `ServiceRouter`.
///
/// ```swift
/// let server = PaladinServer(configuration: config, router: services.makeRouter(configuration: config))
/// let address = try await server.start()
/// // ...
/// await server.shutdownGracefully()
/// ```
public final class PaladinServer: Sendable {
    private let configuration: ServerConfiguration
    private let router: ServiceRouter
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    private let registry = ConnectionRegistry()
    private let logger: Logger
    private let listener = Mutex<(any Channel)?>(nil)
    private let health: HealthStatusStore?
    private let shutDown = Atomic<Bool>(false)
    private let tlsContexts = Mutex<TLSContextSource?>(nil)
    private let access: ServerAccess

    /// - Parameters:
    ///   - configuration: address, limits and timeouts.
    ///   - router: the methods to serve.
    ///   - health: told to report NOT_SERVING when shutdown begins.
    ///   - access: how connections authenticate; by default `configuration.authToken` when set
    ///     (an admin principal), else no authentication.
    ///   - group: event loops to use; by default the server creates `configuration.threads` and
    ///     shuts them down with itself.
    public init(configuration: ServerConfiguration, router: ServiceRouter, health: HealthStatusStore? = nil,
                access: ServerAccess? = nil, group: (any EventLoopGroup)? = nil,
                logger: Logger = Logger(label: "paladin.server")) {
        self.configuration = configuration
        self.access = access ?? (configuration.authToken.isEmpty ? .open : ServerAccess.sharedToken(configuration.authToken))
        self.router = router
        self.health = health
        self.logger = logger
        if let group {
            self.group = group
            self.ownsGroup = false
        } else {
            let threads = configuration.threads > 0 ? configuration.threads : System.coreCount
            self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
            self.ownsGroup = true
        }
    }

    /// Binds and starts accepting; returns the bound address (useful with port 0). Throws
    /// `TLSSetupError` when `configuration.tls` names files that cannot be used.
    public func start() async throws -> SocketAddress {
        let registry = self.registry
        let configuration = self.configuration
        let router = self.router
        let access = self.access
        let tls = try configuration.tls.map { try TLSContextSource($0) }
        tlsContexts.withLock { $0 = tls }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = ServerConnectionHandler(router: router, configuration: configuration, access: access)
                    let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        // The protocol preface and everything after it travel inside TLS.
                        try sync.addHandler(NIOSSLServerHandler(context: tls.current))
                        try sync.addHandler(PeerIdentityHandler())
                    }
                    if registry.add(channel, handler: bound, limit: configuration.limits.maxConnections) {
                        // Holds the socket's reads while the channel is unwritable (its queued
                        // output past the high watermark); the handler pauses its frames too.
                        try sync.addHandler(BackPressureHandler())
                        try sync.addHandler(handler)
                        channel.closeFuture.whenComplete { _ in registry.remove(channel) }
                    } else {
                        try sync.addHandler(RejectingHandler(code: .resourceExhausted, message: "too many connections"))
                    }
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        listener.withLock { $0 = channel }
        logger.info("listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        return channel.localAddress!
    }

    /// Re-reads the TLS certificate, key and client CA files (on SIGHUP): new connections use
    /// them, open ones keep theirs. Throws `TLSSetupError` and keeps the old files' context
    /// when the new ones cannot be used; does nothing on a plaintext server.
    public func reloadTLS() throws(TLSSetupError) {
        guard let source = tlsContexts.withLock({ $0 }) else { return }
        try source.reload()
        logger.info("reloaded TLS certificates")
    }

    /// Whether the server speaks TLS.
    public var usesTLS: Bool { configuration.tls != nil }

    /// The bound address once `start` returned.
    public var localAddress: SocketAddress? { listener.withLock { $0?.localAddress } }

    /// Graceful shutdown: stop accepting, GOAWAY every connection, let in-flight calls finish
    /// (up to the drain grace period), close, and stop the event loops if the server owns them.
    /// A second call returns at once.
    public func shutdownGracefully() async {
        guard !shutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        health?.shutDown()
        if let channel = listener.withLock({ $0 }) {
            try? await channel.close()
        }
        let connections = registry.beginDraining()
        logger.info("draining", metadata: ["connections": "\(connections.count)"])
        for connection in connections {
            connection.handler.runOnLoop { $0.beginDrain() }
        }
        for connection in connections {
            try? await connection.channel.closeFuture.get()
        }
        if ownsGroup {
            try? await group.shutdownGracefully()
        }
        logger.info("stopped")
    }

    /// Suspends until the listening socket closes (after `shutdownGracefully`).
    public func waitUntilClosed() async {
        if let channel = listener.withLock({ $0 }) {
            try? await channel.closeFuture.get()
        }
    }
}
