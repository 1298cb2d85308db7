/// A call that ended with a non-OK status: what every Paladin API throws for RPC failures.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The gRPC status code.
    public var code: StatusCode
    /// Human-readable explanation.
    public var message: String
    /// Structured details, e.g. `["field": "definition.name"]` for INVALID_ARGUMENT.
    public var details: [String: String]

    public init(_ code: StatusCode, _ message: String, details: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String {
        message.isEmpty ? "\(code)" : "\(code): \(message)"
    }
}
