import NIOCore

/// The frames a connection has yet to send, written to the socket in one `writeAndFlush` per
/// batch instead of one per frame: at the end of a read burst, or once after the work the event
/// loop is running now (a batch of call completions).
///
/// The client and server connection handlers each own one and use it on their channel's event
/// loop only: append frames to `buffer` (with `FrameWriter`), then call `requestFlush()`.
public final class FrameOutbox {
    /// Frames not yet written.
    public var buffer = ByteBuffer()
    private var context: ChannelHandlerContext?
    private var inReadBurst = false
    private var flushScheduled = false

    public init() {}

    /// The largest buffer kept between flushes.
    static let keptCapacity = 64 * 1024

    /// Starts writing through `context`, the owning handler's (call from `handlerAdded`).
    public func attach(to context: ChannelHandlerContext) {
        self.context = context
        buffer = context.channel.allocator.buffer(capacity: 1024)
    }

    /// Stops writing (call from `handlerRemoved`). The context holds the handler, which holds
    /// this outbox: dropping the context breaks that cycle.
    public func detach() {
        context = nil
    }

    /// A read began (`channelRead`): frames written until `readEnded()` go out together.
    public func readBegan() {
        inReadBurst = true
    }

    /// The read burst is over (`channelReadComplete`): sends what it produced.
    public func readEnded() {
        inReadBurst = false
        flush()
    }

    /// Sends the buffered frames at the end of the read burst, or else once after the work the
    /// event loop is running now, so completions that land together share one flush.
    public func requestFlush() {
        guard !inReadBurst, !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            self.flush()
        }
    }

    /// Sends the buffered frames now (before a close, or at the end of a burst).
    public func flush() {
        guard buffer.readableBytes > 0, let context else { return }
        context.writeAndFlush(NIOAny(buffer), promise: nil)
        if buffer.capacity > Self.keptCapacity {
            // After a large reply, start small again: clearing would allocate a copy of the large
            // storage whenever the socket has not taken the bytes yet.
            buffer = context.channel.allocator.buffer(capacity: 1024)
        } else {
            // Reuses the storage when the socket took the bytes at once (the usual case).
            buffer.clear()
        }
    }
}
