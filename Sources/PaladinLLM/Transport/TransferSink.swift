/// Where a transfer's response goes. Called on the engine's driver thread only, in order:
/// `head` once, `body` per piece, `finish` once; so an implementation needs no lock for its
/// own state, and must never block.
protocol TransferSink: AnyObject, Sendable {
    func head(_ head: HTTPHead)
    /// Takes a piece of the body, or declines it: `.pause` leaves the bytes with libcurl, which
    /// hands them over again once the engine resumes the transfer (see `StreamBuffer`).
    func body(_ bytes: UnsafeRawBufferPointer) -> BodyReply
    /// `nil` for a complete response.
    func finish(_ error: (any Error)?)
}

/// A sink's answer to a piece of the body.
enum BodyReply {
    /// Taken: go on.
    case taken
    /// Not taken: the consumer is behind; pause the transfer until it catches up.
    case pause
    /// Not taken: abort the transfer (the consumer is gone, or the body is bad).
    case abort
}

/// The sink behind `CurlEngine.start`: forwards everything to a bounded stream.
final class EventStreamSink: TransferSink {
    /// Charged per event besides its bytes.
    static let overhead = 64

    let buffer: StreamBuffer<HTTPEvent>

    init(_ buffer: StreamBuffer<HTTPEvent>) { self.buffer = buffer }

    func head(_ head: HTTPHead) { buffer.push(.head(head), weight: Self.overhead) }

    func body(_ bytes: UnsafeRawBufferPointer) -> BodyReply {
        switch buffer.admit() {
        case .gone: return .abort
        case .pause: return .pause
        case .go: return buffer.push(.body(Array(bytes)), weight: bytes.count + Self.overhead) ? .taken : .abort
        }
    }

    func finish(_ error: (any Error)?) { buffer.finish(error) }
}
