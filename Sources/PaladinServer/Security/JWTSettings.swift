/// Where JWT principals come from (`auth.jwt`): the issuer and audience a token must name, the
/// keys that sign it, and which claims carry the tenant and the role.
public struct JWTSettings: Sendable, Hashable {
    /// The signing keys.
    public enum Keys: Sendable, Hashable {
        /// A JSON Web Key Set file (`jwks_file`).
        case jwksFile(String)
        /// A PEM public key file, EC P-256 (ES256) or RSA (RS256) (`public_key_file`).
        case publicKeyFile(String)
        /// An HS256 shared secret, read from this environment variable (`hmac_secret_env`).
        case hmacSecret(String)
    }

    public var issuer: String
    public var audience: String
    public var keys: Keys
    /// Claim holding the tenant (default `tenant`); a token without it is refused.
    public var tenantClaim = "tenant"
    /// Claim holding the role (default `role`); a token without it gets `reader`.
    public var roleClaim = "role"

    public init(issuer: String, audience: String, keys: Keys) {
        self.issuer = issuer
        self.audience = audience
        self.keys = keys
    }
}
