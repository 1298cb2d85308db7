import NIOCore

extension NIOLoopBound {
    /// Runs `body` with the value on its event loop: at once when already there, else enqueued.
    /// Connection handlers use it to take results back from tasks without an extra hop.
    public func runOnLoop(_ body: @escaping @Sendable (Value) -> Void) {
        if eventLoop.inEventLoop {
            body(value)
        } else {
            eventLoop.execute { body(self.value) }
        }
    }

    /// Reads something from the value on its event loop.
    public func value<T: Sendable>(on loop: any EventLoop, _ body: @escaping @Sendable (Value) -> T) -> EventLoopFuture<T> {
        loop.submit { body(self.value) }
    }
}
