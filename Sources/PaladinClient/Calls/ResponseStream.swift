import NIOCore
import PaladinWire

/// The responses of a server-streaming call, in order. Iterate it once; the call starts when
/// iteration starts and throws `RPCError` if it ends with a non-OK status.
public struct ResponseStream<Response: ProtoMessage>: AsyncSequence, Sendable {
    public typealias Element = Response
    private let start: @Sendable () -> AsyncThrowingStream<ByteBuffer, any Error>

    init(start: @escaping @Sendable () -> AsyncThrowingStream<ByteBuffer, any Error>) {
        self.start = start
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(start: start)
    }

    /// Yields decoded responses.
    public struct Iterator: AsyncIteratorProtocol {
        private let start: @Sendable () -> AsyncThrowingStream<ByteBuffer, any Error>
        private var base: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator?

        init(start: @escaping @Sendable () -> AsyncThrowingStream<ByteBuffer, any Error>) {
            self.start = start
        }

        public mutating func next() async throws -> Response? {
            if base == nil { base = start().makeAsyncIterator() }
            guard let payload = try await base!.next() else { return nil }
            do {
                return try Response(decoding: payload)
            } catch {
                throw RPCError(.internal, "malformed response from the server: \(error)")
            }
        }
    }
}
