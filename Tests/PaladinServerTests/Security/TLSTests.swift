import Foundation
import NIOCore
import PaladinClient
@testable import PaladinServer
import PaladinWire
import Testing

/// TLS on the listening port, end to end with the real client: server authentication, mTLS,
/// and certificate reload.
@Suite("TLS")
struct TLSTests {
    private func check(_ connection: PaladinConnection) async throws -> Paladin_V1_ServingStatus {
        try await Paladin_V1_HealthClient(connection)
            .check(Paladin_V1_HealthCheckRequest(), options: CallOptions(timeout: .seconds(5))).status
    }

    @Test("a TLS client calls a TLS server, by name and by IP address; the server presents its certificate")
    func callsOverTLS() async throws {
        try await withTestServer(configure: { $0.tls = TLSFixtures.server() }) { server in
            #expect(server.server.usesTLS)
            let byAddress = try await server.connect { $0.tls = TLSFixtures.client() }
            #expect(try await check(byAddress) == .serving)
            await byAddress.close()
            let byName = try await PaladinConnection.connect(host: "localhost", port: server.port,
                                                             configuration: { var c = ClientConfiguration(); c.tls = TLSFixtures.client(); return c }())
            #expect(try await check(byName) == .serving)
            await byName.close()
            #expect(try await TLSFixtures.presentedCommonName(port: server.port) == "paladin-test-server")
        }
    }

    @Test("a plaintext client, and a client that does not trust the CA are refused")
    func refusedPeers() async throws {
        try await withTestServer(configure: {
            $0.tls = TLSFixtures.server()
            $0.timeouts.handshakeMilliseconds = 2000
        }) { server in
            let plaintext = await #expect(throws: RPCError.self) {
                let connection = try await server.connect { $0.connectTimeout = .seconds(3) }
                await connection.close()
            }
            #expect(plaintext?.code == .unavailable || plaintext?.code == .deadlineExceeded)
            let untrusted = await #expect(throws: RPCError.self) {
                let connection = try await server.connect { $0.tls = ClientTLS(caFile: TLSFixtures.path("other-ca.pem")) }
                await connection.close()
            }
            #expect(untrusted?.code == .unavailable)
            #expect(untrusted?.message.contains("certificate") == true || untrusted?.message.contains("handshake") == true,
                    "\(untrusted?.message ?? "")")
        }
    }

    @Test("mTLS required: a certificate the client CA signed gets in; none, or one from another CA, does not")
    func mutualTLS() async throws {
        try await withTestServer(configure: { $0.tls = TLSFixtures.server(.require) }) { server in
            let trusted = try await server.connect { $0.tls = TLSFixtures.client(identity: "client") }
            #expect(try await check(trusted) == .serving)
            await trusted.close()
            for identity in [nil, "stranger"] {
                let error = await #expect(throws: RPCError.self) {
                    let connection = try await server.connect {
                        $0.tls = TLSFixtures.client(identity: identity)
                        $0.connectTimeout = .seconds(3)
                    }
                    _ = try await check(connection)
                    await connection.close()
                }
                #expect(error?.code == .unavailable, "\(identity ?? "no certificate"): \(String(describing: error))")
            }
        }
    }

    @Test("mTLS optional: a client without a certificate connects")
    func optionalClientCertificates() async throws {
        try await withTestServer(configure: { $0.tls = TLSFixtures.server(.optional) }) { server in
            let anonymous = try await server.connect { $0.tls = TLSFixtures.client() }
            #expect(try await check(anonymous) == .serving)
            await anonymous.close()
            let withCertificate = try await server.connect { $0.tls = TLSFixtures.client(identity: "client") }
            #expect(try await check(withCertificate) == .serving)
            await withCertificate.close()
        }
    }

    @Test("reload: new connections get the new certificate, an open stream and its connection go on; bad files keep the old")
    func reload() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paladin-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func install(_ name: String) throws {
            for suffix in ["pem", "key"] {
                let target = "\(directory)/live.\(suffix)"
                try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: TLSFixtures.path("\(name).\(suffix)"), toPath: target)
            }
        }
        try install("server")
        let settings = TLSFixtures.server(certificate: "\(directory)/live.pem", key: "\(directory)/live.key")
        try await withTestServer(configure: { $0.tls = settings }) { server in
            let old = try await server.connect { $0.tls = TLSFixtures.client() }
            let watch = Paladin_V1_HealthClient(old).watch(Paladin_V1_HealthCheckRequest())
            var updates = watch.makeAsyncIterator()
            #expect(try await updates.next()?.status == .serving)

            try install("server2")
            try server.server.reloadTLS()
            #expect(try await TLSFixtures.presentedCommonName(port: server.port) == "paladin-test-server-reloaded")
            let fresh = try await server.connect { $0.tls = TLSFixtures.client() }
            #expect(try await check(fresh) == .serving)
            #expect(try await check(old) == .serving)  // the connection made before the reload lives

            try "not a certificate".write(toFile: "\(directory)/live.pem", atomically: true, encoding: .utf8)
            #expect(throws: TLSSetupError.self) { try server.server.reloadTLS() }
            #expect(try await TLSFixtures.presentedCommonName(port: server.port) == "paladin-test-server-reloaded")
            await fresh.close()
            await old.close()
        }
    }

    @Test("unusable TLS files stop the server from starting, naming the file")
    func badFilesRefuseToStart() async throws {
        let missing = TLSSettings(certificateChainFile: "/nonexistent/server.pem", privateKeyFile: TLSFixtures.path("server.key"))
        let error = await #expect(throws: TLSSetupError.self) {
            try await withTestServer(configure: { $0.tls = missing }) { _ in }
        }
        #expect(error?.description.contains("/nonexistent/server.pem") == true)
        let mismatched = TLSSettings(certificateChainFile: TLSFixtures.path("server.pem"), privateKeyFile: TLSFixtures.path("client.key"))
        await #expect(throws: TLSSetupError.self) {
            try await withTestServer(configure: { $0.tls = mismatched }) { _ in }
        }
    }
}
