import Crypto

/// How the server authenticates connections: the configured principals and, when `auth.jwt`
/// is set, the JWT verifier. Built once at start and shared by every connection.
public struct ServerAccess: Sendable {
    let authenticator: Authenticator
    let jwt: JWTVerifier?

    public init(authenticator: Authenticator, jwt: JWTVerifier? = nil) {
        self.authenticator = authenticator
        self.jwt = jwt
    }

    /// No authentication: every peer is `Principal.anonymous`.
    public static let open = ServerAccess(authenticator: .open)

    /// One shared token, proving an admin principal named `token` in the default tenant.
    public static func sharedToken(_ token: String) -> ServerAccess {
        ServerAccess(authenticator: Authenticator(principals: [sharedTokenPrincipal(token)]))
    }

    private static func sharedTokenPrincipal(_ token: String) -> PrincipalSpec {
        PrincipalSpec(principal: Principal(name: "token", tenant: Principal.defaultTenant, role: .admin),
                      credential: .bearerTokenDigest(Array(SHA256.hash(data: Array(token.utf8)))))
    }

    /// From the `auth` section, plus the single shared token of `server.auth_token_env` (an
    /// admin principal named `token` in the default tenant), if set.
    public static func make(_ settings: AuthSettings, sharedToken: String = "") async throws(JWTSetupError) -> ServerAccess {
        var principals = settings.principals
        if !sharedToken.isEmpty { principals.append(sharedTokenPrincipal(sharedToken)) }
        var jwt: JWTVerifier?
        if let settings = settings.jwt { jwt = try await JWTVerifier(settings) }
        return ServerAccess(authenticator: Authenticator(principals: principals, acceptsJWT: jwt != nil), jwt: jwt)
    }
}
