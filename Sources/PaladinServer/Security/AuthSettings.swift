/// The `auth` section: who may call, and how each caller proves it.
public struct AuthSettings: Sendable, Hashable {
    /// Configured principals, by name, in file order.
    public var principals: [PrincipalSpec] = []
    /// JWT principals, when set.
    public var jwt: JWTSettings?

    public init() {}

    /// Whether any credential is configured (then every connection must authenticate).
    public var isConfigured: Bool { !principals.isEmpty || jwt != nil }
}
