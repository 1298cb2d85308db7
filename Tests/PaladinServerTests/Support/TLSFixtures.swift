import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PaladinClient
import PaladinServer

/// The certificates of Tests/Fixtures/tls (written by scripts/make-test-certs).
enum TLSFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tls").path

    static func path(_ name: String) -> String { "\(directory)/\(name)" }

    /// Server TLS with the test server certificate; `clientCertificates` other than `.none`
    /// trusts the test CA for client certificates.
    static func server(_ clientCertificates: TLSSettings.ClientCertificates = .none,
                       certificate: String = path("server.pem"), key: String = path("server.key")) -> TLSSettings {
        TLSSettings(certificateChainFile: certificate, privateKeyFile: key,
                    clientCAFile: clientCertificates == .none ? nil : path("ca.pem"), clientCertificates: clientCertificates)
    }

    /// Client TLS trusting the test CA, optionally presenting `identity` (`client` or `stranger`).
    static func client(identity: String? = nil, serverName: String? = nil) -> ClientTLS {
        ClientTLS(caFile: path("ca.pem"), certificateFile: identity.map { path("\($0).pem") },
                  keyFile: identity.map { path("\($0).key") }, serverName: serverName)
    }

    /// The subject common name of the certificate a server on `port` presents, read with a bare
    /// TLS handshake (no protocol traffic).
    static func presentedCommonName(port: Int) async throws -> String? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(path("ca.pem"))
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        defer { channel.close(promise: nil) }
        for _ in 0..<200 {
            let name = try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate?
                    .subjectName.first { $0.type == .commonName }?.value
            }.get()
            if let name { return name }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}
