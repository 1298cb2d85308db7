import Logging
import NIOCore
import PaladinClient
import PaladinServer
import PaladinWire

/// A real server on 127.0.0.1 with a free port, for end-to-end tests.
struct TestServer {
    let server: PaladinServer
    let services: PaladinServices
    let port: Int

    /// Starts a server with the built-in services; `configure` adjusts limits and timeouts.
    static func start(
        services: PaladinServices = PaladinServices(),
        extraRoutes: (inout ServiceRouter) -> Void = { _ in },
        access: ServerAccess? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.threads = 2
        configure(&configuration)
        var router = services.makeRouter(configuration: configuration)
        extraRoutes(&router)
        let server = PaladinServer(configuration: configuration, router: router, health: services.health,
                                   access: access, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let address: SocketAddress
        do { address = try await server.start() } catch {
            await server.shutdownGracefully()
            throw error
        }
        return TestServer(server: server, services: services, port: address.port!)
    }

    /// A connected client.
    func connect(_ configure: (inout ClientConfiguration) -> Void = { _ in }) async throws -> PaladinConnection {
        var configuration = ClientConfiguration()
        configure(&configuration)
        return try await PaladinConnection.connect(host: "127.0.0.1", port: port, configuration: configuration)
    }

    func stop() async {
        await server.shutdownGracefully()
    }
}

/// Runs `body` against a fresh server and always stops it.
func withTestServer<T>(
    services: PaladinServices = PaladinServices(),
    extraRoutes: (inout ServiceRouter) -> Void = { _ in },
    access: ServerAccess? = nil,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.start(services: services, extraRoutes: extraRoutes, access: access, configure: configure)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
