import NIOCore
import NIOPosix
import PaladinWire
import Synchronization

/// A bare TCP client for hostile-input tests: it sends whatever bytes a test gives it, and cuts
/// what the server sends back into frames. Every wait has a timeout, so a test cannot hang on a
/// server that stays silent.
///
/// ```swift
/// let raw = try await RawConnection.connect(port: server.port)
/// let ack = try await raw.handshake()
/// try await raw.send(frame: .ping, streamID: 0, bytes: [1, 2, 3, 4, 5, 6, 7, 8])
/// let reply = try await raw.nextFrame()      // nil once the server has closed
/// await raw.close()
/// ```
final class RawConnection: Sendable {
    /// A wait ran out before the server sent anything (or closed).
    struct Timeout: Error, CustomStringConvertible {
        var waitingFor: String
        var after: Duration
        var description: String { "timed out after \(after) waiting for \(waitingFor)" }
    }

    /// The server sent bytes that are not a frame (the parser failed).
    struct UnparseableOutput: Error, CustomStringConvertible {
        var reason: String
        var description: String { "the server sent bytes that do not parse as frames: \(reason)" }
    }

    /// The handshake did not end with a HELLO ACK.
    struct HandshakeFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// What a wait can end with.
    enum Event: Sendable {
        case frame(Frame)
        case closed
        case unparseable(String)
        case timedOut
    }

    private let channel: any Channel
    private let inbox: Inbox

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Opens a TCP connection to 127.0.0.1:`port`; sends nothing yet.
    static func connect(port: Int, timeout: Duration = .seconds(3)) async throws -> RawConnection {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.milliseconds(timeout.wholeMilliseconds))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Reader(inbox: inbox))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawConnection(channel: channel, inbox: inbox)
    }

    // MARK: Sending

    /// Writes `bytes` as they are.
    func send(_ bytes: [UInt8]) async throws {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        try await channel.writeAndFlush(buffer)
    }

    /// Writes one frame with a raw payload.
    func send(frame type: FrameType, flags: FrameFlags = [], streamID: UInt32, bytes: [UInt8] = []) async throws {
        try await send(Self.frame(type, flags: flags, streamID: streamID, bytes: bytes))
    }

    /// Writes one frame whose payload is the encoding of `message`.
    func send(frame type: FrameType, flags: FrameFlags = [], streamID: UInt32, message: some ProtoMessage) async throws {
        try await send(Self.frame(type, flags: flags, streamID: streamID, bytes: message.serializedBytes()))
    }

    /// Writes the preface `PLDN 1 0 0 0` and a HELLO; does not wait for the answer.
    func sendPrefaceAndHello(authToken: String = "") async throws {
        try await send(Self.prefaceAndHello(authToken: authToken))
    }

    /// Preface, HELLO, then waits for the HELLO ACK and returns it.
    /// - Throws: `HandshakeFailed` if the server answers anything else or closes.
    @discardableResult
    func handshake(authToken: String = "", timeout: Duration = .seconds(3)) async throws -> Paladin_V1_Hello {
        try await sendPrefaceAndHello(authToken: authToken)
        guard let frame = try await nextFrame(timeout: timeout) else {
            throw HandshakeFailed(description: "the server closed instead of answering HELLO")
        }
        guard frame.type == .hello, frame.flags.contains(.ack), frame.streamID == 0 else {
            let goAway = frame.type == .goAway ? (try? Paladin_V1_GoAway(decoding: frame.payload)) : nil
            let what = goAway.map { "GOAWAY{\($0.lastStreamID), \($0.code), \"\($0.message)\"}" }
                ?? "\(frame.type) flags \(frame.flags.rawValue) on stream \(frame.streamID)"
            throw HandshakeFailed(description: "expected HELLO ACK, got \(what)")
        }
        return try Paladin_V1_Hello(decoding: frame.payload)
    }

    /// Shuts down the write side only (a half-close: the server sees end-of-input).
    func shutdownOutput() async throws {
        try await channel.close(mode: .output)
    }

    /// Closes the socket (both directions).
    func close() async {
        try? await channel.close()
    }

    // MARK: Receiving

    /// The next frame from the server, or `nil` once the server has closed the connection.
    /// - Throws: `Timeout` when nothing arrives in time, `UnparseableOutput` on bytes that are
    ///   not frames.
    func nextFrame(timeout: Duration = .seconds(3)) async throws -> Frame? {
        switch await nextEvent(timeout: timeout) {
        case .frame(let frame): return frame
        case .closed: return nil
        case .unparseable(let reason): throw UnparseableOutput(reason: reason)
        case .timedOut: throw Timeout(waitingFor: "a frame from the server", after: timeout)
        }
    }

    /// The next event, never throwing: a frame, the close, unparseable output, or `.timedOut`.
    func nextEvent(timeout: Duration = .seconds(3)) async -> Event {
        await inbox.next(timeout: timeout, on: channel.eventLoop)
    }

    /// Waits for the server to close the connection, discarding frames that arrive first.
    /// - Returns: false if the connection is still open after `timeout`.
    func waitForClose(timeout: Duration = .seconds(3)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            switch await nextEvent(timeout: left) {
            case .frame: continue
            case .closed, .unparseable: return true
            case .timedOut: return false
            }
        }
    }

    /// Whether the server closed the connection, without waiting.
    var isClosed: Bool { !channel.isActive }

    // MARK: Building bytes

    /// The bytes of one frame.
    static func frame(_ type: FrameType, flags: FrameFlags = [], streamID: UInt32, bytes: [UInt8] = []) -> [UInt8] {
        var buffer = ByteBuffer()
        FrameWriter.write(type, flags: flags, streamID: streamID, bytes: bytes, to: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// The bytes of one frame whose payload is the encoding of `message`.
    static func frame(_ type: FrameType, flags: FrameFlags = [], streamID: UInt32, message: some ProtoMessage) -> [UInt8] {
        frame(type, flags: flags, streamID: streamID, bytes: message.serializedBytes())
    }

    /// The preface for protocol 1.0 and a HELLO with agent `"hostile-test"`.
    static func prefaceAndHello(authToken: String = "") -> [UInt8] {
        var hello = Paladin_V1_Hello()
        hello.agent = "hostile-test"
        hello.authToken = authToken
        return Preface().bytes + frame(.hello, streamID: 0, message: hello)
    }

    // MARK: Internals

    /// Events waiting to be taken, and at most one test waiting for them.
    private final class Inbox: Sendable {
        private struct State {
            var events: [Event] = []
            var closed = false
            var waiter: (id: Int, continuation: CheckedContinuation<Event, Never>)?
            var nextWaiterID = 0
            /// Waits whose timer fired before they started waiting.
            var expiredEarly: Set<Int> = []
        }

        private let state = Mutex(State())

        /// Delivers an event to the waiting test, or keeps it for the next wait.
        func push(_ event: Event) {
            let waiter: CheckedContinuation<Event, Never>? = state.withLock { state in
                if state.closed { return nil }
                if case .closed = event { state.closed = true }
                if case .unparseable = event { state.closed = true }
                if let waiter = state.waiter {
                    state.waiter = nil
                    return waiter.continuation
                }
                state.events.append(event)
                return nil
            }
            waiter?.resume(returning: event)
        }

        /// The oldest event; `.closed` forever once the connection has closed; `.timedOut` if
        /// nothing comes within `timeout`.
        func next(timeout: Duration, on loop: any EventLoop) async -> Event {
            let id: Int = state.withLock { state in
                state.nextWaiterID += 1
                return state.nextWaiterID
            }
            let timer = loop.scheduleTask(in: .milliseconds(timeout.wholeMilliseconds)) { [self] in
                self.expire(id)
            }
            defer { timer.cancel() }
            return await withCheckedContinuation { (continuation: CheckedContinuation<Event, Never>) in
                let ready: Event? = state.withLock { state in
                    precondition(state.waiter == nil, "RawConnection: one wait at a time")
                    if !state.events.isEmpty { return state.events.removeFirst() }
                    if state.closed { return .closed }
                    if state.expiredEarly.remove(id) != nil { return .timedOut }
                    state.waiter = (id, continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }

        private func expire(_ id: Int) {
            let waiter: CheckedContinuation<Event, Never>? = state.withLock { state in
                guard let waiter = state.waiter, waiter.id == id else {
                    if id == state.nextWaiterID { state.expiredEarly.insert(id) }
                    return nil
                }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume(returning: .timedOut)
        }
    }

    /// Feeds the bytes the server sends to a `FrameParser` and hands frames to the inbox.
    private final class Reader: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private let inbox: Inbox
        /// The server never sends more than its limit; any u32 length is accepted here so a
        /// test sees exactly what was sent.
        private var parser = FrameParser(expectPreface: false, maxFrameSize: Int(UInt32.max))

        init(inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            parser.append(unwrapInboundIn(data))
            do {
                while let item = try parser.next() {
                    if case .frame(let frame) = item { inbox.push(.frame(frame)) }
                }
            } catch {
                inbox.push(.unparseable("\(error)"))
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if parser.hasPartialFrame {
                inbox.push(.unparseable("the connection closed in the middle of a frame (\(parser.bufferedBytes) bytes)"))
            }
            inbox.push(.closed)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // Reset by peer and the like: the connection is gone.
            context.close(promise: nil)
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down (at least 1 for any positive duration).
    fileprivate var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return self > .zero ? max(ms, 1) : ms
    }
}
