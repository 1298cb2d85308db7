/// One write, as the audit log keeps it: who, in which tenant, called what on which object,
/// and how it ended. Never a request body or a credential.
public struct AuditRecord: Sendable, Hashable {
    public var principal: String
    public var tenant: String
    public var method: String
    /// The object written: `paladin NAME`, `battalion NAME`, `run ID`, `run ID step S`,
    /// `session ID`; empty when the request could not be decoded.
    public var target: String
    /// The status the call ended with (`OK`, `NOT_FOUND`, ...).
    public var outcome: String
    /// The error message when the call failed.
    public var message: String
}
