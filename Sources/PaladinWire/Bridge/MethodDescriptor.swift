/// How a method exchanges messages.
public enum MethodKind: Sendable, Hashable {
    /// One request, one response.
    case unary
    /// One request, zero or more responses.
    case serverStreaming
}

/// A method of the contract with its request and response types, generated per service.
public struct MethodDescriptor<Request: ProtoMessage, Response: ProtoMessage>: Sendable, Hashable {
    /// Fully qualified name, `"paladin.v1.Health/Check"`: the `method` of a REQUEST frame.
    public let path: String
    /// Unary or server streaming.
    public let kind: MethodKind

    /// Creates a descriptor; generated code is the usual caller.
    public init(path: String, kind: MethodKind) {
        self.path = path
        self.kind = kind
    }

    /// The descriptor without its types, for listings.
    public var erased: AnyMethodDescriptor { AnyMethodDescriptor(path: path, kind: kind) }
}

/// A method's name and kind without its message types.
public struct AnyMethodDescriptor: Sendable, Hashable {
    /// Fully qualified name, `"paladin.v1.Health/Check"`.
    public let path: String
    /// Unary or server streaming.
    public let kind: MethodKind

    /// Creates a descriptor.
    public init(path: String, kind: MethodKind) {
        self.path = path
        self.kind = kind
    }
}
