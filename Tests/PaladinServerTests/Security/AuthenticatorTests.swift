import Crypto
@testable import PaladinServer
import PaladinWire
import Testing

/// Who a HELLO proves to be, with no sockets.
@Suite("Authenticator")
struct AuthenticatorTests {
    private let reader = Principal(name: "ci", tenant: "acme", role: .reader)
    private let service = Principal(name: "svc-a", tenant: "acme", role: .operator)

    private func authenticator(jwt: Bool = false) -> Authenticator {
        Authenticator(principals: [
            PrincipalSpec(principal: reader, credential: .bearerTokenDigest(Array(SHA256.hash(data: Array("reader-token".utf8))))),
            PrincipalSpec(principal: service, credential: .certificateIdentity("spiffe://paladin.test/svc-a")),
        ], acceptsJWT: jwt)
    }

    @Test("no principals configured: everyone is the anonymous admin")
    func open() {
        #expect(Authenticator.open.authenticate(token: "", certificateNames: []) == .authenticated(.anonymous))
        #expect(Authenticator.open.authenticate(token: "anything", certificateNames: []) == .authenticated(.anonymous))
    }

    @Test("a bearer token proves the principal whose digest it matches; any other token is refused")
    func tokens() {
        let auth = authenticator()
        #expect(auth.authenticate(token: "reader-token", certificateNames: []) == .authenticated(reader))
        for wrong in ["reader-token ", "Reader-token", "reader-toke", "x"] {
            #expect(auth.authenticate(token: wrong, certificateNames: []) == .refused("invalid auth token"))
        }
        // A token decides even when a certificate comes along: a wrong one is not rescued by it.
        #expect(auth.authenticate(token: "x", certificateNames: ["spiffe://paladin.test/svc-a"]) == .refused("invalid auth token"))
    }

    @Test("a client certificate proves the principal one of its names matches")
    func certificates() {
        let auth = authenticator()
        #expect(auth.authenticate(token: "", certificateNames: ["svc-a", "spiffe://paladin.test/svc-a"]) == .authenticated(service))
        #expect(auth.authenticate(token: "", certificateNames: ["svc-b"])
            == .refused("client certificate svc-b is not a configured principal"))
        #expect(auth.authenticate(token: "", certificateNames: [])
            == .refused("authentication required: send a bearer token in HELLO or a client certificate"))
    }

    @Test("a JWT-shaped token is handed to the JWT verifier only when auth.jwt is configured")
    func jwtShape() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
        #expect(authenticator(jwt: true).authenticate(token: token, certificateNames: []) == .verifyJWT(token))
        #expect(authenticator(jwt: false).authenticate(token: token, certificateNames: []) == .refused("invalid auth token"))
    }

    @Test("every method of the contract has a least role; reads are a reader's, writes an operator's")
    func everyMethodClassified() {
        for method in PaladinContract.methods.map(\.path) {
            #expect(MethodAccess.required[method] != nil, "\(method) has no entry in MethodAccess")
        }
        #expect(MethodAccess.check(reader, "paladin.v1.PaladinService/ListPaladins") == nil)
        #expect(MethodAccess.check(reader, "paladin.v1.PaladinService/CreatePaladin")?.code == .permissionDenied)
        #expect(MethodAccess.check(service, "paladin.v1.PaladinService/CreatePaladin") == nil)
        #expect(MethodAccess.check(service, "paladin.v1.Unknown/Method")?.code == .permissionDenied)
    }
}
