/// Who is calling, established once per connection at HELLO: a configured principal, a JWT's
/// subject, or the anonymous admin of a server with no `auth` configured.
public struct Principal: Sendable, Hashable, CustomStringConvertible {
    /// The principal's name (a JWT's `sub`); logged, never secret.
    public var name: String
    /// The tenant whose data the principal sees.
    public var tenant: String
    /// What it may do.
    public var role: AccessRole

    public init(name: String, tenant: String, role: AccessRole) {
        self.name = name
        self.tenant = tenant
        self.role = role
    }

    /// The tenant of a server without tenants configured, and of the anonymous principal.
    public static let defaultTenant = "default"

    /// The caller on a server with no `auth.principals` (loopback or `--insecure` only).
    public static let anonymous = Principal(name: "anonymous", tenant: defaultTenant, role: .admin)

    public var description: String { "\(name)@\(tenant) (\(role.rawValue))" }
}
