import Foundation
import JWTKit

/// Checks a JWT sent as the HELLO bearer token with jwt-kit: signature against the configured
/// keys, `exp` (required) and `nbf`, `iss` and `aud`; the principal is the token's `sub`, its
/// tenant and role come from the configured claims.
public final class JWTVerifier: Sendable {
    private let settings: JWTSettings
    private let keys: JWTKeyCollection

    /// Loads the keys; throws a message naming the file or variable that cannot be used.
    public init(_ settings: JWTSettings) async throws(JWTSetupError) {
        self.settings = settings
        let keys = JWTKeyCollection()
        do {
            switch settings.keys {
            case .jwksFile(let path):
                let json = try String(contentsOfFile: path, encoding: .utf8)
                try await keys.add(jwksJSON: json)
            case .publicKeyFile(let path):
                let pem = try String(contentsOfFile: path, encoding: .utf8)
                if let key = try? ES256PublicKey(pem: pem) {
                    await keys.add(ecdsa: key)
                } else {
                    await keys.add(rsa: try Insecure.RSA.PublicKey(pem: pem), digestAlgorithm: .sha256)
                }
            case .hmacSecret(let secret):
                await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            }
        } catch {
            throw JWTSetupError("auth.jwt: cannot load the signing keys: \(error)")
        }
        self.keys = keys
    }

    /// The principal the token proves, or why it proves none (never the token itself).
    func verify(_ token: String) async -> Authenticator.Outcome {
        let claims: PaladinClaims
        do { claims = try await keys.verify(token, as: PaladinClaims.self) } catch let error as JWTError {
            return .refused("invalid JWT: \(error.reason ?? "\(error.errorType)")")
        } catch {
            return .refused("invalid JWT")
        }
        guard claims.iss == settings.issuer else { return .refused("invalid JWT: issuer is not \(settings.issuer)") }
        guard claims.aud.contains(settings.audience) else {
            return .refused("invalid JWT: audience does not include \(settings.audience)")
        }
        guard let subject = claims.sub, !subject.isEmpty else { return .refused("invalid JWT: no sub claim") }
        guard let tenant = claims.strings[settings.tenantClaim], !tenant.isEmpty else {
            return .refused("invalid JWT: no \(settings.tenantClaim) claim")
        }
        var role = AccessRole.reader
        if let named = claims.strings[settings.roleClaim] {
            guard let known = AccessRole(rawValue: named) else {
                return .refused("invalid JWT: \(settings.roleClaim) \(named) is not reader, operator or admin")
            }
            role = known
        }
        return .authenticated(Principal(name: subject, tenant: tenant, role: role))
    }
}

/// Why `auth.jwt`'s keys cannot be used.
public struct JWTSetupError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
