import NIOCore
import PaladinWire

/// The client end of one connection: sends the preface and HELLO, assigns stream ids in wire
/// order, matches MESSAGE and END frames to calls, and fails every pending call with
/// UNAVAILABLE when the connection ends. Frames go out through a `FrameOutbox`, flushed once per
/// read burst or batch of calls. Runs on the channel's event loop only.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var parser: FrameParser
    private let configuration: ClientConfiguration
    private var calls: [UInt32: ClientCall] = [:]
    /// Calls waiting for a free stream (the server's max_concurrent_streams is reached).
    private var waiting: [(call: ClientCall, request: Paladin_V1_Request, deadline: NIODeadline?)] = []
    private var waitingHead = 0
    /// The server's limit on open streams, from its HELLO (until then, the protocol default).
    private var maxConcurrentStreams = 100
    private var nextStreamID: UInt32 = 1
    private let outbox = FrameOutbox()
    private var context: ChannelHandlerContext?
    /// Set once the connection can take no new calls: why.
    private var refusal: RPCError?
    /// Highest stream id the server promised to process after its GOAWAY.
    private var goAwayLastStreamID: UInt32?
    let helloPromise: EventLoopPromise<Paladin_V1_Hello>

    init(configuration: ClientConfiguration, helloPromise: EventLoopPromise<Paladin_V1_Hello>) {
        self.configuration = configuration
        self.parser = FrameParser(expectPreface: false, maxFrameSize: configuration.maxFrameSize)
        self.helloPromise = helloPromise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        outbox.attach(to: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Breaks the handler <-> context cycle; a connection that never became active (refused)
        // still owes its HELLO promise an answer.
        connectionFailed(refusal ?? RPCError(.unavailable, "connection closed"))
        outbox.detach()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        Preface().write(to: &outbox.buffer)
        var hello = Paladin_V1_Hello()
        hello.agent = configuration.agent
        hello.authToken = configuration.authToken
        FrameWriter.write(.hello, streamID: 0, message: hello, to: &outbox.buffer)
        outbox.flush()
        context.fireChannelActive()
    }

    // MARK: Starting and cancelling calls (called on the loop by PaladinConnection)

    /// Writes the REQUEST for `call` with the next stream id, queues it while the server's
    /// stream limit is reached, or fails it at once.
    func start(_ call: ClientCall, sink: ClientCall.Sink, request: Paladin_V1_Request, timeout: TimeAmount?) {
        call.sink = sink
        if call.cancelledBeforeStart {
            fail(call, RPCError(.cancelled, "call cancelled before it started"))
            return
        }
        if let refusal {
            fail(call, refusal)
            return
        }
        let deadline = timeout.map { NIODeadline.now() + $0 }
        if let timeout, let context {
            let millis = (timeout.nanoseconds + 999_999) / 1_000_000
            call.timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                self.abandon(call, RPCError(.deadlineExceeded, "deadline of \(millis) ms exceeded"))
            }
        }
        if calls.count >= maxConcurrentStreams {
            waiting.append((call, request, deadline))
            return
        }
        send(call, request: request, deadline: deadline)
    }

    private func send(_ call: ClientCall, request: Paladin_V1_Request, deadline: NIODeadline?) {
        var request = request
        if let deadline {
            let remaining = (deadline - .now()).nanoseconds / 1000
            request.timeoutUs = UInt64(max(1, remaining))
        }
        let id = nextStreamID
        if id == UInt32.max { refusal = RPCError(.unavailable, "stream ids exhausted; open a new connection") }
        nextStreamID &+= 1
        call.streamID = id
        calls[id] = call
        FrameWriter.write(.request, flags: .endStream, streamID: id, message: request, to: &outbox.buffer)
        outbox.requestFlush()
    }

    /// Starts queued calls while streams are free.
    private func startWaiting() {
        while calls.count < maxConcurrentStreams, waitingHead < waiting.count, refusal == nil {
            let next = waiting[waitingHead]
            waitingHead += 1
            if next.call.sink != nil { send(next.call, request: next.request, deadline: next.deadline) }
        }
        if waitingHead == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        } else if waitingHead > 1024 && waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
    }

    /// The caller gave up (task cancelled or stream dropped): tell the server, fail locally.
    func cancel(_ call: ClientCall) {
        if call.streamID == 0 && call.sink == nil {
            call.cancelledBeforeStart = true
            return
        }
        abandon(call, RPCError(.cancelled, "call cancelled by the client"))
    }

    private func abandon(_ call: ClientCall, _ error: RPCError) {
        if call.streamID == 0 {
            // Still queued: it never reached the server. `startWaiting` skips finished calls.
            fail(call, error)
            return
        }
        // Sent and not yet abandoned. It keeps its stream slot until the server's END arrives
        // (docs/protocol.md §7.2: the server counts the stream until then, and until its work
        // has stopped), so a call queued behind it is not refused for a slot still in use.
        guard calls[call.streamID] != nil, call.sink != nil else { return }
        FrameHeader(length: 0, type: .cancel, streamID: call.streamID).write(to: &outbox.buffer)
        outbox.requestFlush()
        fail(call, error)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        outbox.readBegan()
        parser.append(unwrapInboundIn(data))
        do {
            while let item = try parser.next() {
                if case .frame(let frame) = item { handle(frame, context: context) }
            }
        } catch {
            connectionFailed(RPCError(.internal, "server sent an oversize frame"))
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        outbox.readEnded()
    }

    private func handle(_ frame: Frame, context: ChannelHandlerContext) {
        switch frame.type {
        case .hello where frame.flags.contains(.ack):
            do {
                let hello = try Paladin_V1_Hello(decoding: frame.payload)
                if hello.maxConcurrentStreams > 0 { maxConcurrentStreams = Int(hello.maxConcurrentStreams) }
                helloPromise.succeed(hello)
                startWaiting()
            } catch {
                helloPromise.fail(RPCError(.internal, "malformed HELLO from the server"))
            }
        case .message:
            guard let call = calls[frame.streamID] else { return }
            switch call.sink {
            case .unary: call.response = frame.payload
            case .stream(let continuation): continuation.yield(frame.payload)
            case nil: break
            }
        case .end:
            guard let call = calls.removeValue(forKey: frame.streamID) else { return }
            call.timer?.cancel()
            let status: Paladin_V1_Status
            do { status = try Paladin_V1_Status(decoding: frame.payload) } catch {
                fail(call, RPCError(.internal, "malformed END from the server"))
                return
            }
            if status.code == 0 {
                succeed(call)
            } else {
                var details: [String: String] = [:]
                for entry in status.details { details[entry.key] = entry.value }
                fail(call, RPCError(StatusCode(rawValue: status.code), status.message, details: details))
            }
            startWaiting()
        case .ping where !frame.flags.contains(.ack):
            FrameWriter.write(.ping, flags: .ack, streamID: 0, payload: frame.payload, to: &outbox.buffer)
            outbox.requestFlush()
        case .goAway:
            // Decoded within the same budget as every message; one that cannot be decoded
            // (malformed, or too many fields) still ends the connection, with lastStreamID 0.
            var goAway = Paladin_V1_GoAway()
            var reason = "server sent GOAWAY"
            do { goAway = try Paladin_V1_GoAway(decoding: frame.payload) } catch { reason = "server sent a GOAWAY that could not be decoded: \(error)" }
            if !goAway.message.isEmpty { reason = goAway.message }
            refusal = RPCError(goAway.code == 0 ? .unavailable : StatusCode(rawValue: goAway.code), reason)
            helloPromise.fail(refusal!)
            goAwayLastStreamID = goAway.lastStreamID
            for id in calls.keys.sorted() where id > goAway.lastStreamID {
                if let call = calls.removeValue(forKey: id) {
                    fail(call, RPCError(.unavailable, "server did not process the call: \(reason)"))
                }
            }
            for entry in waiting[waitingHead...] {
                fail(entry.call, RPCError(.unavailable, "server did not process the call: \(reason)"))
            }
            waiting.removeAll()
            waitingHead = 0
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionFailed(refusal ?? RPCError(.unavailable, "connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connectionFailed(RPCError(.unavailable, "connection error: \(error)"))
        context.close(promise: nil)
    }

    private func connectionFailed(_ error: RPCError) {
        if refusal == nil { refusal = error }
        helloPromise.fail(error)
        let pending = calls.keys.sorted().map { calls[$0]! } + waiting[waitingHead...].map(\.call)
        calls.removeAll()
        waiting.removeAll()
        waitingHead = 0
        for call in pending {
            fail(call, RPCError(error.code == .ok ? .unavailable : error.code,
                                "connection closed before the call finished: \(error.message)"))
        }
    }

    /// Whether new calls would be refused, and why.
    var unavailableReason: RPCError? { refusal }

    // MARK: Completing calls

    private func succeed(_ call: ClientCall) {
        switch call.sink {
        case .unary(let continuation):
            if let response = call.response {
                continuation.resume(returning: response)
            } else {
                continuation.resume(throwing: RPCError(.internal, "server ended a unary call OK without a response"))
            }
        case .stream(let continuation):
            continuation.finish()
        case nil:
            break
        }
        call.sink = nil
        call.response = nil
    }

    private func fail(_ call: ClientCall, _ error: RPCError) {
        call.timer?.cancel()
        switch call.sink {
        case .unary(let continuation): continuation.resume(throwing: error)
        case .stream(let continuation): continuation.finish(throwing: error)
        case nil: break
        }
        call.sink = nil
    }

    // MARK: Closing

    /// Closes the connection after failing nothing: pending calls end when the socket closes.
    func close() {
        context?.close(promise: nil)
    }
}
