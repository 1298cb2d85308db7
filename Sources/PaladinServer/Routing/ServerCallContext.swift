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

    /// The first value of a metadata key.
    public subscript(metadata key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }

    public init(method: String, metadata: [(key: String, value: String)] = [], deadline: NIODeadline? = nil) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
    }
}
