/// A configured principal: who it is and how it proves it.
public struct PrincipalSpec: Sendable, Hashable {
    public var principal: Principal
    public var credential: Credential

    public init(principal: Principal, credential: Credential) {
        self.principal = principal
        self.credential = credential
    }
}
