import Foundation
import JWTKit

/// The claims Paladin reads from a JWT: the registered ones it checks, and every string claim
/// by name (the tenant and role claims are configurable).
struct PaladinClaims: JWTPayload {
    var sub: String?
    var iss: String?
    var aud: [String]
    var exp: ExpirationClaim
    var nbf: NotBeforeClaim?
    var strings: [String: String]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        sub = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "sub"))
        iss = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "iss"))
        let audience = Key(stringValue: "aud")
        if let one = try? container.decode(String.self, forKey: audience) {
            aud = [one]
        } else {
            aud = try container.decodeIfPresent([String].self, forKey: audience) ?? []
        }
        exp = try container.decode(ExpirationClaim.self, forKey: Key(stringValue: "exp"))
        nbf = try container.decodeIfPresent(NotBeforeClaim.self, forKey: Key(stringValue: "nbf"))
        var strings: [String: String] = [:]
        for key in container.allKeys {
            if let value = try? container.decode(String.self, forKey: key) { strings[key.stringValue] = value }
        }
        self.strings = strings
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in strings { try container.encode(value, forKey: Key(stringValue: name)) }
        try container.encode(aud, forKey: Key(stringValue: "aud"))
        try container.encode(exp, forKey: Key(stringValue: "exp"))
        try container.encodeIfPresent(nbf, forKey: Key(stringValue: "nbf"))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}
