/// How a configured principal proves itself (`auth.principals.NAME`).
public enum Credential: Sendable, Hashable {
    /// A bearer token sent in HELLO, stored only as its SHA-256 digest (`token_sha256`, or the
    /// digest of the token in `token_env`'s variable).
    case bearerTokenDigest([UInt8])
    /// A client certificate the TLS client CA verified, whose subject common name or a DNS,
    /// URI or e-mail SAN equals this identity (`mtls`).
    case certificateIdentity(String)
}
