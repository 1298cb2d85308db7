import PaladinWire

/// Per-call settings.
public struct CallOptions: Sendable, Hashable {
    /// The call fails with DEADLINE_EXCEEDED after this long; sent to the server as the
    /// request's relative deadline. `nil`: no deadline.
    public var timeout: Duration?
    /// Request metadata, sent in order.
    public var metadata: [MetadataPair]

    public init(timeout: Duration? = nil, metadata: [MetadataPair] = []) {
        self.timeout = timeout
        self.metadata = metadata
    }
}

/// One metadata key and value.
public struct MetadataPair: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
