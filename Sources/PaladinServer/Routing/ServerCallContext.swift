import NIOCore
import PaladinWire

/// What a method handler knows about its call besides the request message.
public struct ServerCallContext: Sendable {
    /// Fully qualified method name.
    public let method: String
    /// Request metadata in the order it was sent.
    public let metadata: [(key: String, value: String)]
    /// When the call must be finished, if the client set a deadline.
    public let deadline: NIODeadline?
    /// Who is calling (authenticated at HELLO).
    public let principal: Principal

    /// The first value of a metadata key.
    public subscript(metadata key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }

    public init(method: String, metadata: [(key: String, value: String)] = [], deadline: NIODeadline? = nil,
                principal: Principal = .anonymous) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.principal = principal
    }

    /// PERMISSION_DENIED unless the caller has at least `role` (for checks that depend on the
    /// request, beyond the method's own in `MethodAccess`).
    public func require(_ role: AccessRole, toDo action: String) throws(RPCError) {
        guard principal.role < role else { return }
        throw RPCError(.permissionDenied, "\(principal.name) (role \(principal.role.rawValue)) may not \(action): it needs role \(role.rawValue)")
    }
}
