import ArgumentParser
import PaladinClient
import PaladinWire

/// `paladin info`: the server's version, limits and methods.
struct Info: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the server's version, protocol, limits and methods."
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let info = try await connection.withConnection { conn in
            try await Paladin_V1_ServerInfoClient(conn).get(Paladin_V1_ServerInfoRequest(), options: connection.callOptions)
        }
        print("version         \(info.version)")
        print("protocol        \(info.protocolMajor).\(info.protocolMinor)")
        print("uptime          \(info.uptimeSeconds) s")
        if let limits = info.limits {
            print("max frame       \(limits.maxFrameSize) bytes")
            print("max streams     \(limits.maxConcurrentStreams) per connection")
            print("max metadata    \(limits.maxMetadataSize) bytes")
            print("max connections \(limits.maxConnections)")
        }
        print("methods:")
        for method in info.methods {
            let kind = method.kind == .serverStreaming ? "stream" : "unary "
            print("  \(method.implemented ? "yes" : "no ") \(kind) \(method.name)")
        }
    }
}
