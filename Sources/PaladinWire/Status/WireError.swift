/// A failure to read or write the wire format itself (not an RPC status).
public enum WireError: Error, Hashable, Sendable {
    /// protobuf-c could not decode a message of the named type.
    case malformedMessage(String)
}

extension WireError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformedMessage(let type): "malformed \(type) message"
        }
    }
}
