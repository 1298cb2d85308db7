import Foundation
import PaladinServer
import Testing

/// The CLI's TLS flags against a TLS server, and `serve`'s refusal to bind in the open.
@Suite("paladin CLI over TLS")
struct CLITLSTests {
    @Test("--ca-file speaks TLS; --cert/--key present a client certificate; plaintext is refused", .enabled(if: CLITests.available))
    func tlsFlags() async throws {
        try await withTestServer(configure: {
            $0.tls = TLSFixtures.server(.require)
            $0.timeouts.handshakeMilliseconds = 2000
        }) { server in
            let ok = try await CLITests.run(["health", "--ca-file", TLSFixtures.path("ca.pem"), "--cert", TLSFixtures.path("client.pem"),
                                             "--key", TLSFixtures.path("client.key")], port: server.port)
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.stdout.contains("SERVING"), "\(ok.stdout)")
            let noCertificate = try await CLITests.run(["health", "--ca-file", TLSFixtures.path("ca.pem"), "--timeout", "3"], port: server.port)
            #expect(noCertificate.status != 0)
            let plaintext = try await CLITests.run(["health", "--timeout", "3"], port: server.port)
            #expect(plaintext.status != 0)
            #expect(plaintext.stderr.contains("cannot reach the paladin server"), "\(plaintext.stderr)")
            let halfPair = try await CLITests.run(["health", "--ca-file", TLSFixtures.path("ca.pem"), "--cert", TLSFixtures.path("client.pem")],
                                                  port: server.port)
            #expect(halfPair.stderr.contains("needs both its certificate and its key file"), "\(halfPair.stderr)")
        }
    }

    @Test("serve refuses 0.0.0.0 without TLS and principals, in one line, unless --insecure", .enabled(if: CLITests.available))
    func refusesToBindInTheOpen() async throws {
        let refused = try await CLITests.run(["serve", "--host", "0.0.0.0", "--port", "0", "--store", ":memory:"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("refusing to listen on 0.0.0.0 without TLS (server.tls) and a principal"), "\(refused.stderr)")
    }
}
