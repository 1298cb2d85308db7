import Foundation
import JWTKit
@testable import PaladinServer
import Testing

/// JWT principals: tokens signed here with jwt-kit, checked by the server's verifier.
@Suite("JWT verifier")
struct JWTVerifierTests {
    static let secret = "a-test-secret-of-at-least-32-bytes!!"
    static let settings = JWTSettings(issuer: "https://idp.test", audience: "paladin", keys: .hmacSecret(secret))

    struct Claims: JWTPayload {
        var sub: String?
        var iss: String?
        var aud: [String]
        var exp: ExpirationClaim
        var tenant: String?
        var role: String?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func claims(sub: String? = "alice", iss: String = "https://idp.test", aud: [String] = ["paladin"],
                       expiresIn: TimeInterval = 300, tenant: String? = "acme", role: String? = "operator") -> Claims {
        Claims(sub: sub, iss: iss, aud: aud, exp: ExpirationClaim(value: Date().addingTimeInterval(expiresIn)),
               tenant: tenant, role: role)
    }

    static func sign(_ claims: Claims, secret: String = secret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

    @Test("a valid token proves its subject, tenant and role")
    func valid() async throws {
        let verifier = try await JWTVerifier(Self.settings)
        let outcome = await verifier.verify(try await Self.sign(Self.claims()))
        #expect(outcome == .authenticated(Principal(name: "alice", tenant: "acme", role: .operator)))
        let noRole = await verifier.verify(try await Self.sign(Self.claims(role: nil)))
        #expect(noRole == .authenticated(Principal(name: "alice", tenant: "acme", role: .reader)))
    }

    @Test("expired, wrong audience, wrong issuer, wrong signature, no tenant, unknown role: each refused with its reason",
          arguments: [
              ("expired", claims(expiresIn: -60), secret, "expired"),
              ("wrong audience", claims(aud: ["other"]), secret, "audience does not include paladin"),
              ("wrong issuer", claims(iss: "https://evil.test"), secret, "issuer is not https://idp.test"),
              ("wrong signature", claims(), "another-secret-of-at-least-32-bytes!!", "invalid JWT"),
              ("no tenant", claims(tenant: nil), secret, "no tenant claim"),
              ("no subject", claims(sub: nil), secret, "no sub claim"),
              ("unknown role", claims(role: "root"), secret, "role root is not reader, operator or admin"),
          ])
    func refused(_ name: String, _ claims: Claims, _ secret: String, _ reason: String) async throws {
        let verifier = try await JWTVerifier(Self.settings)
        let outcome = await verifier.verify(try await Self.sign(claims, secret: secret))
        guard case .refused(let message) = outcome else {
            Issue.record("\(name): accepted")
            return
        }
        #expect(message.contains(reason), "\(name): \(message)")
    }

    @Test("an ES256 public key file verifies tokens its private key signed, and only those")
    func publicKeyFile() async throws {
        let key = ES256PrivateKey()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("paladin-es256-\(UUID().uuidString).pem").path
        try key.publicKey.pemRepresentation.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let verifier = try await JWTVerifier(JWTSettings(issuer: "https://idp.test", audience: "paladin", keys: .publicKeyFile(path)))
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: key)
        let good = await verifier.verify(try await signer.sign(Self.claims()))
        #expect(good == .authenticated(Principal(name: "alice", tenant: "acme", role: .operator)))
        let other = JWTKeyCollection()
        await other.add(ecdsa: ES256PrivateKey())
        guard case .refused = await verifier.verify(try await other.sign(Self.claims())) else {
            Issue.record("a token signed by another key was accepted")
            return
        }
    }

    @Test("unusable key files are refused when the server starts")
    func badKeys() async throws {
        await #expect(throws: JWTSetupError.self) {
            _ = try await JWTVerifier(JWTSettings(issuer: "i", audience: "a", keys: .publicKeyFile("/nonexistent.pem")))
        }
    }
}
