/// A failure to read or write the wire format itself (not an RPC status).
public enum WireError: Error, Hashable, Sendable {
    /// protobuf-c could not decode a message of the named type.
    case malformedMessage(String)
    /// Decoding a message of the named type would allocate more than its budget
    /// (`DecodeBudget`): a payload made of very many empty fields or elements.
    case decodeBudgetExceeded(String)
    /// A string field of the named message type holds U+0000, which protobuf-c cannot encode
    /// (its strings end at the first NUL); `field` is the path, e.g. `"results[2].content"`.
    case stringHoldsNUL(message: String, field: String)
}

extension WireError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformedMessage(let type): "malformed \(type) message"
        case .decodeBudgetExceeded(let type):
            "\(type) message has too many fields or elements to decode (more than \(DecodeBudget.bytesPerPayloadByte) bytes of memory per payload byte)"
        case .stringHoldsNUL(let type, let field): "\(type) field \(field) holds U+0000, which protocol strings cannot carry"
        }
    }
}
