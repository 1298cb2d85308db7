import Crypto
import Yams

extension PaladinConfig {
    /// `auth:` — `principals` (by name: `tenant`, `role`, and one of `token_sha256`,
    /// `token_env`, `mtls`) and `jwt` (`issuer`, `audience`, one of `jwks_file`,
    /// `public_key_file`, `hmac_secret_env`; `tenant_claim`, `role_claim`). Secrets come only
    /// from the environment: the file holds digests, variable names and paths.
    mutating func readAuth(_ m: Node.Mapping, _ r: inout ConfigReader, _ environment: [String: String]) {
        r.rejectUnknownKeys(m, known: ["principals", "jwt"], at: "auth")
        if let principals = r.mapping(m["principals"], at: "auth.principals") {
            for (name, node) in r.named(principals, at: "auth.principals") {
                let p = "auth.principals.\(name)"
                guard let entry = r.mapping(node, at: p) else { continue }
                if let spec = Self.readPrincipal(name, entry, at: p, &r, environment) { auth.principals.append(spec) }
            }
        }
        if let jwt = r.mapping(m["jwt"], at: "auth.jwt") { auth.jwt = Self.readJWT(jwt, &r, environment) }
    }

    private static func readPrincipal(_ name: String, _ m: Node.Mapping, at p: String, _ r: inout ConfigReader,
                                      _ environment: [String: String]) -> PrincipalSpec? {
        r.rejectUnknownKeys(m, known: ["tenant", "role", "token_sha256", "token_env", "mtls"], at: p)
        var tenant = Principal.defaultTenant, role = AccessRole.reader
        r.string(m, "tenant", at: p, into: &tenant)
        if tenant.isEmpty { r.fail("\(p).tenant", "must not be empty") }
        r.choice(m, "role", at: p, Dictionary(uniqueKeysWithValues: AccessRole.allCases.map { ($0.rawValue, $0) }), into: &role)
        var digestHex = "", tokenEnv = "", identity = ""
        r.string(m, "token_sha256", at: p, into: &digestHex)
        r.string(m, "token_env", at: p, into: &tokenEnv)
        r.string(m, "mtls", at: p, into: &identity)
        let given = [digestHex, tokenEnv, identity].filter { !$0.isEmpty }.count
        guard given == 1 else {
            r.fail(p, "needs exactly one of token_sha256, token_env or mtls (found \(given))")
            return nil
        }
        let principal = Principal(name: name, tenant: tenant, role: role)
        if !identity.isEmpty { return PrincipalSpec(principal: principal, credential: .certificateIdentity(identity)) }
        if !tokenEnv.isEmpty {
            guard let token = environment[tokenEnv], !token.isEmpty else {
                r.fail("\(p).token_env", "environment variable \(tokenEnv) is not set or empty")
                return nil
            }
            return PrincipalSpec(principal: principal, credential: .bearerTokenDigest(Array(SHA256.hash(data: Array(token.utf8)))))
        }
        guard let digest = decodeHex(digestHex), digest.count == 32 else {
            r.fail("\(p).token_sha256", "expected 64 hex digits: the SHA-256 of the token (printf %s TOKEN | sha256sum)")
            return nil
        }
        return PrincipalSpec(principal: principal, credential: .bearerTokenDigest(digest))
    }

    private static func readJWT(_ m: Node.Mapping, _ r: inout ConfigReader, _ environment: [String: String]) -> JWTSettings? {
        let p = "auth.jwt"
        r.rejectUnknownKeys(m, known: ["issuer", "audience", "jwks_file", "public_key_file", "hmac_secret_env",
                                       "tenant_claim", "role_claim"], at: p)
        var issuer = "", audience = "", jwks = "", publicKey = "", secretEnv = ""
        r.string(m, "issuer", at: p, into: &issuer)
        r.string(m, "audience", at: p, into: &audience)
        r.string(m, "jwks_file", at: p, into: &jwks)
        r.string(m, "public_key_file", at: p, into: &publicKey)
        r.string(m, "hmac_secret_env", at: p, into: &secretEnv)
        if issuer.isEmpty { r.fail("\(p).issuer", "required: the iss every token must carry") }
        if audience.isEmpty { r.fail("\(p).audience", "required: the aud every token must include") }
        let keys: JWTSettings.Keys
        switch (jwks.isEmpty, publicKey.isEmpty, secretEnv.isEmpty) {
        case (false, true, true): keys = .jwksFile(jwks)
        case (true, false, true): keys = .publicKeyFile(publicKey)
        case (true, true, false):
            guard let secret = environment[secretEnv], secret.utf8.count >= 32 else {
                r.fail("\(p).hmac_secret_env", "environment variable \(secretEnv) must hold a secret of at least 32 bytes")
                return nil
            }
            keys = .hmacSecret(secret)
        default:
            r.fail(p, "needs exactly one of jwks_file, public_key_file or hmac_secret_env")
            return nil
        }
        guard !issuer.isEmpty, !audience.isEmpty else { return nil }
        var settings = JWTSettings(issuer: issuer, audience: audience, keys: keys)
        r.string(m, "tenant_claim", at: p, into: &settings.tenantClaim)
        r.string(m, "role_claim", at: p, into: &settings.roleClaim)
        return settings
    }

    private static func decodeHex(_ text: String) -> [UInt8]? {
        let digits = Array(text.lowercased().utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}
