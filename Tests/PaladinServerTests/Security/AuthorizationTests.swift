import Crypto
import Foundation
import NIOCore
import PaladinClient
@testable import PaladinServer
import PaladinWire
import Testing

/// Principals over the wire: each credential kind proves its principal, a bad one is
/// UNAUTHENTICATED, and a good one that may not do a thing is PERMISSION_DENIED.
@Suite("Authorization end to end")
struct AuthorizationTests {
    private static func digest(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }

    private static func access() async throws -> ServerAccess {
        let principals = [
            PrincipalSpec(principal: Principal(name: "ci", tenant: "acme", role: .reader), credential: .bearerTokenDigest(digest("reader-token"))),
            PrincipalSpec(principal: Principal(name: "ops", tenant: "acme", role: .operator), credential: .bearerTokenDigest(digest("operator-token"))),
            PrincipalSpec(principal: Principal(name: "svc-a", tenant: "acme", role: .operator), credential: .certificateIdentity("svc-a")),
        ]
        var settings = AuthSettings()
        settings.principals = principals
        settings.jwt = JWTVerifierTests.settings
        return try await ServerAccess.make(settings)
    }

    private func deletePaladin(_ connection: PaladinConnection) async throws {
        var request = Paladin_V1_DeletePaladinRequest()
        request.name = "no-such-paladin"
        _ = try await Paladin_V1_PaladinServiceClient(connection).deletePaladin(request, options: CallOptions(timeout: .seconds(5)))
    }

    private func listPaladins(_ connection: PaladinConnection) async throws -> Int {
        try await Paladin_V1_PaladinServiceClient(connection)
            .listPaladins(Paladin_V1_ListPaladinsRequest(), options: CallOptions(timeout: .seconds(5))).paladins.count
    }

    @Test("a reader reads and is denied writes; an operator's write gets past authorization")
    func roles() async throws {
        try await withTestServer(access: try await Self.access()) { server in
            let reader = try await server.connect { $0.authToken = "reader-token" }
            _ = try await listPaladins(reader)
            let denied = await #expect(throws: RPCError.self) { try await deletePaladin(reader) }
            #expect(denied?.code == .permissionDenied)
            #expect(denied?.message == "ci (role reader) may not call paladin.v1.PaladinService/DeletePaladin: it needs role operator")
            var run = Paladin_V1_RunRequest()
            run.battalion = "any"
            run.input = "x"
            let runDenied = await #expect(throws: RPCError.self) {
                _ = try await Paladin_V1_BattalionServiceClient(reader).run(run, options: CallOptions(timeout: .seconds(5)))
            }
            #expect(runDenied?.code == .permissionDenied)
            await reader.close()

            let writer = try await server.connect { $0.authToken = "operator-token" }
            let notFound = await #expect(throws: RPCError.self) { try await deletePaladin(writer) }
            #expect(notFound?.code == .notFound)
            await writer.close()
        }
    }

    @Test("bad credentials are UNAUTHENTICATED: none, an unknown token, a token with a stray byte")
    func badCredentials() async throws {
        try await withTestServer(access: try await Self.access()) { server in
            for token in ["", "guess", "reader-token\n"] {
                let error = await #expect(throws: RPCError.self) {
                    let connection = try await server.connect { $0.authToken = token }
                    await connection.close()
                }
                #expect(error?.code == .unauthenticated, "token \(token.debugDescription)")
            }
        }
    }

    @Test("a JWT proves its subject; pipelined requests wait for its verification; a bad one is refused")
    func jwtOverTheWire() async throws {
        try await withTestServer(access: try await Self.access()) { server in
            let token = try await JWTVerifierTests.sign(JWTVerifierTests.claims(role: "reader"))
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(RawConnection.prefaceAndHello(authToken: token) + RawConnection.healthCheck(streamID: 1))
            let ack = try #require(try await raw.nextFrame())
            #expect(ack.type == .hello && ack.flags == .ack)
            try await raw.expectServing(streamID: 1)
            await raw.close()

            let client = try await server.connect { $0.authToken = token }
            let denied = await #expect(throws: RPCError.self) { try await deletePaladin(client) }
            #expect(denied?.message.hasPrefix("alice (role reader)") == true)
            await client.close()

            let expired = try await JWTVerifierTests.sign(JWTVerifierTests.claims(expiresIn: -10))
            let bad = try await RawConnection.connect(port: server.port)
            try await bad.send(RawConnection.prefaceAndHello(authToken: expired) + RawConnection.healthCheck(streamID: 1))
            let goAway = try #require(try await bad.nextFrame())
            #expect(goAway.type == .goAway)
            let reason = try Paladin_V1_GoAway(decoding: goAway.payload)
            #expect(reason.code == UInt32(StatusCode.unauthenticated.rawValue))
            #expect(reason.message.contains("expired"), "\(reason.message)")
            #expect(await bad.waitForClose())
        }
    }

    @Test("an mTLS identity proves its principal; with client certificates optional, a peer without one (and no token) is refused")
    func certificateIdentity() async throws {
        try await withTestServer(access: try await Self.access(), configure: { $0.tls = TLSFixtures.server(.optional) }) { server in
            let service = try await server.connect { $0.tls = TLSFixtures.client(identity: "client") }
            let notFound = await #expect(throws: RPCError.self) { try await deletePaladin(service) }
            #expect(notFound?.code == .notFound)  // authorized as svc-a, an operator
            await service.close()
            let anonymous = await #expect(throws: RPCError.self) {
                let connection = try await server.connect { $0.tls = TLSFixtures.client() }
                await connection.close()
            }
            #expect(anonymous?.code == .unauthenticated)
        }
    }
}
