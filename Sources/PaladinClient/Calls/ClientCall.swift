import NIOCore
import PaladinWire

/// The client-side record of one call. Its mutable fields are touched only on the
/// connection's event loop (by `ClientConnectionHandler`).
final class ClientCall: @unchecked Sendable {
    // @unchecked: every var below is read and written on the connection's event loop only;
    // other threads just hold the reference to pass it back to the loop.

    enum Sink {
        case unary(CheckedContinuation<ByteBuffer, any Error>)
        case stream(AsyncThrowingStream<ByteBuffer, any Error>.Continuation)
    }

    var sink: Sink?
    var streamID: UInt32 = 0
    var cancelledBeforeStart = false
    var timer: Scheduled<Void>?
    /// The unary response, held until END arrives.
    var response: ByteBuffer?

    init() {}
}
