import NIOCore
import PaladinWire

/// One server connection: cuts bytes into frames, applies the protocol rules
/// (`ServerConnectionStateMachine`, which also records the open streams), runs calls, and
/// writes frames back through a `FrameOutbox`, flushed once per read burst or once per batch
/// of completions.
///
/// Everything here runs on the channel's event loop. Calls that do real work run as tasks pinned
/// to that loop (`EventLoopTaskExecutor`), so their completion comes back without a thread hop.
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What runs for a stream whose call is asynchronous; kept by the state machine with the
    /// stream, so ending the stream stops them.
    struct RunningCall {
        var task: Task<Void, Never>
        var deadline: Scheduled<Void>?

        func stop() {
            task.cancel()
            deadline?.cancel()
        }
    }

    private let router: ServiceRouter
    private let configuration: ServerConfiguration
    private let access: ServerAccess
    /// Who the peer proved to be at HELLO.
    private(set) var principal: Principal?
    /// Frames wait in the parser while a JWT is verified off the loop; reading the socket
    /// stops meanwhile, so they are at most one read burst.
    private var pausedForAuthentication = false
    private var machine: ServerConnectionStateMachine<RunningCall>
    private var parser: FrameParser
    private var floodGuard: ControlFrameFloodGuard
    private let outbox = FrameOutbox()
    private var closing = false
    /// Frames are left in the parser while the channel cannot take more output: a peer that
    /// does not read its replies stops being served instead of filling the server's memory.
    private var pausedForOutput = false
    private var writabilityWaiters: [EventLoopPromise<Void>] = []
    private var context: ChannelHandlerContext?
    private var executor: EventLoopTaskExecutor?
    private var handshakeTimer: Scheduled<Void>?
    private var partialFrameTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    private var drainTimer: Scheduled<Void>?
    private var writeStallTimer: Scheduled<Void>?
    private var lastReadTime = NIODeadline.now()
    /// What the client's verified TLS certificate names, once the handshake completed.
    private(set) var peerIdentity: PeerCertificateIdentity?

    init(router: ServiceRouter, configuration: ServerConfiguration, access: ServerAccess) {
        self.router = router
        self.configuration = configuration
        self.access = access
        self.machine = ServerConnectionStateMachine(limits: configuration.limits)
        self.parser = FrameParser(expectPreface: true, maxFrameSize: configuration.limits.maxFrameSize,
                                  maxFirstFrameSize: HandshakeLimits.maxHelloSize)
        self.floodGuard = ControlFrameFloodGuard(
            maxStrikes: configuration.limits.maxControlStrikes,
            minInterval: .milliseconds(configuration.limits.controlStrikeIntervalMilliseconds))
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.executor = EventLoopTaskExecutor(context.eventLoop)
        outbox.attach(to: context)
        let loop = context.eventLoop.assumeIsolated()
        handshakeTimer = loop.scheduleTask(in: .milliseconds(configuration.timeouts.handshakeMilliseconds)) {
            self.connectionError(.deadlineExceeded, "handshake not completed within \(describeMilliseconds(self.configuration.timeouts.handshakeMilliseconds))")
        }
        scheduleIdleCheck(after: .milliseconds(configuration.timeouts.idleMilliseconds))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The context holds this handler strongly; dropping our reference breaks the cycle,
        // so the handler, its buffers and timers are freed with the connection.
        tearDown()
        outbox.detach()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        lastReadTime = .now()
        outbox.readBegan()
        parser.append(unwrapInboundIn(data))
        if !pausedForOutput && !pausedForAuthentication { processFrames() }
    }

    /// Handles the frames the parser holds, until it holds no whole frame or the output backs up:
    /// past `outboxWriteThreshold` bytes the outbox is written out, and when that leaves the
    /// channel unwritable (past its high watermark) the rest waits for `channelWritabilityChanged`.
    /// `BackPressureHandler`, before this handler, stops reading the socket meanwhile.
    private func processFrames() {
        var completed = 0
        do {
            while !closing && !pausedForAuthentication {
                if let context, !context.channel.isWritable {  // replies already back up (async ones too)
                    pausedForOutput = true
                    break
                }
                guard let item = try parser.next() else { break }
                completed += 1
                switch item {
                case .preface(let preface): machine.receivedPreface(preface)
                case .frame(let frame): handle(frame)
                }
                if outbox.buffer.readableBytes >= Self.outboxWriteThreshold {
                    outbox.flush()  // the writability check above sees whether it backed up
                }
            }
        } catch {
            switch error {
            case .oversize(let length, let limit):
                connectionError(.resourceExhausted, "frame of \(length) bytes exceeds the limit of \(limit)")
            case .oversizeFirstFrame(let type, let length, let limit):
                connectionError(type == .hello ? .resourceExhausted : .internal,
                                type == .hello ? "HELLO of \(length) bytes exceeds the limit of \(limit) before authentication" : "expected HELLO, got \(type)")
            case .preface(.badMagic):
                connectionError(.internal, "bad preface")
            case .preface(.unsupportedVersion(let major, let minor)):
                connectionError(.unimplemented, "unsupported protocol version \(major).\(minor); this server speaks \(Preface.currentMajor).x")
            }
        }
        updatePartialFrameTimer(restart: completed > 0)
    }

    /// Output bytes past which a read burst's replies are written out before more frames are
    /// handled (they are otherwise written once, at the end of the burst).
    static let outboxWriteThreshold = 64 * 1024

    func channelReadComplete(context: ChannelHandlerContext) {
        outbox.readEnded()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateWriteStallTimer(writable: context.channel.isWritable)
        if context.channel.isWritable {
            let waiters = writabilityWaiters
            writabilityWaiters.removeAll()
            for waiter in waiters { waiter.succeed() }
            if pausedForOutput && !closing && !pausedForAuthentication {  // the peer read its replies: serve what it sent meanwhile
                pausedForOutput = false
                processFrames()
                outbox.requestFlush()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let identity = event as? PeerCertificateIdentity {
            peerIdentity = identity
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Socket errors (reset by peer and the like): nothing to tell the peer.
        tearDown()
        context.close(promise: nil)
    }

    // MARK: Frames

    private func handle(_ frame: Frame) {
        // A CANCEL of a stream that was opened and has ended is a race with its END, not a flood:
        // only CANCELs of ids never opened count.
        if frame.type == .ping || (frame.type == .cancel && frame.streamID > machine.lastStreamID),
           !floodGuard.idleFrameArrived(at: .now()) {
            return connectionError(.resourceExhausted, "too many PING and CANCEL frames without calls")
        }
        switch machine.received(frame) {
        case .authenticate(let hello):
            authenticate(hello)
        case .openStream(let streamID, let request):

            floodGuard.workArrived()
            open(streamID, request)
        case .rejectStream(let streamID, let error):
            writeEnd(streamID, error)
            outbox.requestFlush()
        case .cancelStream(let streamID):
            finishStream(streamID, with: RPCError(.cancelled, "cancelled by the client"))
        case .answerPing(let payload):
            FrameWriter.write(.ping, flags: .ack, streamID: 0, payload: payload, to: &outbox.buffer)
            outbox.requestFlush()
        case .peerGoingAway:
            closeIfDrained()
        case .none:
            break
        case .connectionError(let code, let message):
            connectionError(code, message)
        }
    }

    // MARK: Authentication

    /// Decides who the peer is from its HELLO token and its TLS certificate; a JWT is verified
    /// off the loop while the frames after HELLO wait.
    private func authenticate(_ hello: Paladin_V1_Hello) {
        let outcome = access.authenticator.authenticate(token: hello.authToken, certificateNames: peerIdentity?.names ?? [])
        guard case .verifyJWT(let token) = outcome, let jwt = access.jwt, let context else {
            return finishAuthentication(outcome)
        }
        pausedForAuthentication = true
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        Task {
            let verified = await jwt.verify(token)
            loop.execute { bound.value.finishAuthentication(verified) }
        }
    }

    private func finishAuthentication(_ outcome: Authenticator.Outcome) {
        guard !closing, let context else { return }
        let resumed = pausedForAuthentication
        if resumed {
            pausedForAuthentication = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        }
        guard case .authenticated(let principal) = outcome else {
            machine.refused()
            if case .refused(let message) = outcome { return connectionError(.unauthenticated, message) }
            return connectionError(.unauthenticated, "invalid auth token")
        }
        self.principal = principal
        machine.authenticated()
        handshakeTimer?.cancel()
        handshakeTimer = nil
        var ack = Paladin_V1_Hello()
        ack.agent = "paladin/\(PaladinVersion.current)"
        ack.maxFrameSize = UInt32(clamping: configuration.limits.maxFrameSize)
        ack.maxConcurrentStreams = UInt32(clamping: configuration.limits.maxConcurrentStreams)
        ack.maxMetadataSize = UInt32(clamping: configuration.limits.maxMetadataSize)
        ack.protocolMinor = UInt32(Preface.currentMinor)
        FrameWriter.write(.hello, flags: .ack, streamID: 0, message: ack, to: &outbox.buffer)
        outbox.requestFlush()
        if resumed && !pausedForOutput {  // the frames pipelined after HELLO
            processFrames()
            outbox.requestFlush()
        }
    }

    // MARK: Calls

    private func open(_ streamID: UInt32, _ request: Paladin_V1_Request) {
        guard let route = router.handler(for: request.method) else {
            let known = PaladinContract.methods.contains { $0.path == request.method }
            finishStream(streamID, with: RPCError(.unimplemented, known
                ? "\(request.method) is not implemented yet"
                : "unknown method \(RPCError.truncated(request.method, toBytes: RPCError.maxEchoedBytes))"))
            return
        }
        let principal = self.principal ?? .anonymous
        if let denied = MethodAccess.check(principal, request.method) {
            finishStream(streamID, with: denied)
            return
        }
        var deadline: NIODeadline?
        var timeoutMicros: UInt64 = 0
        if request.timeoutUs > 0 {
            timeoutMicros = min(request.timeoutUs, configuration.limits.maxTimeoutMicroseconds)
            deadline = .now() + .microseconds(Int64(timeoutMicros))
        }
        let callContext = ServerCallContext(
            method: request.method,
            metadata: request.metadata.map { (key: $0.key, value: $0.value) },
            deadline: deadline,
            principal: principal
        )
        // A large request is decoded and handled on the global concurrent executor: decoding
        // megabytes (or refusing them at the decode budget) takes milliseconds that would
        // otherwise stall every other connection on this loop. Small ones stay on the loop.
        let offLoop = request.message.count > ServiceRouter.offLoopRequestBytes
        let preference: (any TaskExecutor)? = offLoop ? globalConcurrentExecutor : executor
        switch offLoop ? route.asynchronous : route {
        case .inline(let body):
            let headerIndex = outbox.buffer.writerIndex
            FrameHeader(length: 0, type: .message, streamID: streamID).write(to: &outbox.buffer)
            do throws(RPCError) {
                try body(request.message, callContext, &outbox.buffer)
                let length = outbox.buffer.writerIndex - headerIndex - FrameHeader.size
                if length > configuration.limits.maxFrameSize {
                    outbox.buffer.moveWriterIndex(to: headerIndex)
                    finishStream(streamID, with: responseTooLarge(length))
                } else {
                    outbox.buffer.setInteger(UInt32(length), at: headerIndex)
                    finishStream(streamID, with: nil)
                }
            } catch {
                outbox.buffer.moveWriterIndex(to: headerIndex)
                finishStream(streamID, with: error)
            }
        case .unary(let body):
            let bound = NIOLoopBound(self, eventLoop: context!.eventLoop)
            let task = Task(executorPreference: preference) {
                let result: Result<ByteBuffer, any Error>
                do { result = .success(try await body(request.message, callContext)) } catch { result = .failure(error) }
                bound.runOnLoop {
                    $0.completeUnary(streamID, result)
                    $0.machine.callFinished(streamID)  // the slot is free only now the work has stopped
                }
            }
            startedTask(task, streamID: streamID, deadline: deadline, timeoutMicros: timeoutMicros)
        case .serverStreaming(let body):
            let bound = NIOLoopBound(self, eventLoop: context!.eventLoop)
            let sink = ConnectionStreamSink(handler: bound, streamID: streamID)
            let task = Task(executorPreference: preference) {
                let failure = await runStreaming(body, request.message, callContext, sink)
                bound.runOnLoop {
                    $0.finishStream(streamID, with: failure)
                    $0.machine.callFinished(streamID)  // the slot is free only now the work has stopped
                }
            }
            startedTask(task, streamID: streamID, deadline: deadline, timeoutMicros: timeoutMicros)
        }
    }

    /// Attaches a started call to its stream, with a timer for the call's deadline.
    private func startedTask(_ task: Task<Void, Never>, streamID: UInt32, deadline: NIODeadline?, timeoutMicros: UInt64) {
        var call = RunningCall(task: task)
        if let deadline {
            let timeoutMs = (timeoutMicros + 999) / 1000
            call.deadline = context!.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                self.finishStream(streamID, with: RPCError(.deadlineExceeded, "deadline of \(timeoutMs) ms exceeded"))
            }
        }
        // The task runs on this loop, but only after we return: its stream is still open.
        if !machine.attach(call, to: streamID) { call.stop() }
    }

    private func completeUnary(_ streamID: UInt32, _ result: Result<ByteBuffer, any Error>) {
        guard machine.isOpen(streamID) else { return }
        switch result {
        case .success(var payload):
            if payload.readableBytes > configuration.limits.maxFrameSize {
                finishStream(streamID, with: responseTooLarge(payload.readableBytes))
                return
            }
            FrameHeader(length: UInt32(payload.readableBytes), type: .message, streamID: streamID).write(to: &outbox.buffer)
            outbox.buffer.writeBuffer(&payload)
            finishStream(streamID, with: nil)
        case .failure(let error):
            finishStream(streamID, with: Self.status(for: error))
        }
    }

    /// Sends one message of a streaming call; the promise completes when the peer can take more.
    fileprivate func writeStreamMessage(_ streamID: UInt32, _ payload: ByteBuffer, promise: EventLoopPromise<Void>) {
        guard machine.isOpen(streamID), !closing, let context else {
            promise.fail(CancellationError())
            return
        }
        guard payload.readableBytes <= configuration.limits.maxFrameSize else {
            promise.fail(responseTooLarge(payload.readableBytes))
            return
        }
        FrameWriter.write(.message, streamID: streamID, payload: payload, to: &outbox.buffer)
        outbox.requestFlush()
        if context.channel.isWritable { promise.succeed() } else { writabilityWaiters.append(promise) }
    }

    /// Ends a stream once: cancels its work and timer, writes END, and closes if draining. The
    /// stream's slot stays taken until its task returns (`callFinished` on the state machine).
    private func finishStream(_ streamID: UInt32, with error: RPCError?) {
        guard let stream = machine.streamClosed(streamID) else { return }
        stream.call?.stop()
        writeEnd(streamID, error)
        outbox.requestFlush()
        closeIfDrained()
    }

    private func writeEnd(_ streamID: UInt32, _ error: RPCError?) {
        // Bounded: a message that repeats caller input must not outgrow the frame limit.
        guard let error = error?.bounded else {
            FrameHeader(length: 0, type: .end, streamID: streamID).write(to: &outbox.buffer)
            return
        }
        var status = Paladin_V1_Status()
        status.code = error.code.rawValue
        status.message = error.message
        status.details = error.details.sorted { $0.key < $1.key }.map {
            var entry = Paladin_V1_MetadataEntry()
            entry.key = $0.key
            entry.value = $0.value
            return entry
        }
        FrameWriter.write(.end, streamID: streamID, message: status, to: &outbox.buffer)
    }

    private func responseTooLarge(_ length: Int) -> RPCError {
        RPCError(.resourceExhausted, "response of \(length) bytes exceeds the limit of \(configuration.limits.maxFrameSize)")
    }

    static func status(for error: any Error) -> RPCError {
        if let error = error as? RPCError { return error }
        if error is CancellationError { return RPCError(.cancelled, "call cancelled") }
        return RPCError(.unknown, String(describing: error))
    }

    // MARK: Shutdown and errors

    /// Graceful shutdown: GOAWAY now, finish in-flight calls, end the rest after the grace period.
    func beginDrain() {
        guard !closing, let context else { return }
        let last = machine.beginDraining()
        var goAway = Paladin_V1_GoAway()
        goAway.lastStreamID = last
        goAway.message = "server shutting down"
        FrameWriter.write(.goAway, streamID: 0, message: goAway, to: &outbox.buffer)
        outbox.requestFlush()
        drainTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(configuration.timeouts.drainGraceMilliseconds)) {
            for id in self.machine.openStreamIDs {
                self.finishStream(id, with: RPCError(.unavailable, "server shut down before the call finished"))
            }
            self.closeIfDrained()
        }
        closeIfDrained()
    }

    private func closeIfDrained() {
        guard machine.isDrained, !closing, let context else { return }
        closing = true
        outbox.flush()
        context.close(promise: nil)
    }

    /// A connection error: GOAWAY with the reason, then close at once.
    private func connectionError(_ code: StatusCode, _ message: String) {
        guard !closing, let context else { return }
        var goAway = Paladin_V1_GoAway()
        goAway.lastStreamID = machine.lastStreamID
        goAway.code = code.rawValue
        goAway.message = message
        FrameWriter.write(.goAway, streamID: 0, message: goAway, to: &outbox.buffer)
        closing = true
        for call in machine.close() { call.stop() }
        outbox.flush()
        context.close(promise: nil)
    }

    private func tearDown() {
        closing = true
        for call in machine.close() { call.stop() }
        for timer in [handshakeTimer, partialFrameTimer, idleTimer, drainTimer, writeStallTimer] { timer?.cancel() }
        let waiters = writabilityWaiters
        writabilityWaiters.removeAll()
        for waiter in waiters { waiter.fail(CancellationError()) }
    }

    // MARK: Timers

    /// Times the frame now incomplete from its first byte: a frame completed in this read
    /// means the partial bytes, if any, started a new frame.
    private func updatePartialFrameTimer(restart: Bool) {
        guard !closing, let context else { return }
        if pausedForOutput {  // the parser holds frames because the peer is not reading, not a stall
            partialFrameTimer?.cancel()
            partialFrameTimer = nil
            return
        }
        if restart {
            partialFrameTimer?.cancel()
            partialFrameTimer = nil
        }
        if parser.hasPartialFrame {
            if partialFrameTimer == nil {
                let ms = configuration.timeouts.partialFrameMilliseconds
                partialFrameTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(ms)) {
                    self.connectionError(.deadlineExceeded, "frame not completed within \(describeMilliseconds(ms))")
                }
            }
        } else {
            partialFrameTimer?.cancel()
            partialFrameTimer = nil
        }
    }

    /// Starts the write-stall clock when the output backs up and stops it when the peer reads
    /// again; if it runs out the connection ends, which ends its calls and frees what they hold.
    private func updateWriteStallTimer(writable: Bool) {
        if writable {
            writeStallTimer?.cancel()
            writeStallTimer = nil
        } else if writeStallTimer == nil, !closing, let context {
            let ms = configuration.timeouts.writeStallMilliseconds
            writeStallTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(ms)) {
                self.connectionError(.deadlineExceeded, "peer read no output for \(describeMilliseconds(ms))")
            }
        }
    }

    private func scheduleIdleCheck(after delay: TimeAmount) {
        guard let context else { return }
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            guard !self.closing else { return }
            let idle = TimeAmount.milliseconds(self.configuration.timeouts.idleMilliseconds)
            let quietFor = NIODeadline.now() - self.lastReadTime
            if !self.machine.hasOpenStreams && quietFor >= idle {
                var goAway = Paladin_V1_GoAway()
                goAway.lastStreamID = self.machine.lastStreamID
                goAway.message = "idle"
                FrameWriter.write(.goAway, streamID: 0, message: goAway, to: &self.outbox.buffer)
                self.closing = true
                self.outbox.flush()
                context.close(promise: nil)
            } else if self.machine.hasOpenStreams {
                // Calls are open: not idle, however quiet. Look again a full period later.
                self.scheduleIdleCheck(after: idle)
            } else {
                self.scheduleIdleCheck(after: max(idle - quietFor, .milliseconds(10)))
            }
        }
    }
}

/// Where a streaming call's `ResponseWriter` sends its messages.
private struct ConnectionStreamSink: StreamSink {
    let handler: NIOLoopBound<ServerConnectionHandler>
    let streamID: UInt32

    func send(_ payload: ByteBuffer) async throws {
        try Task.checkCancellation()
        let promise = handler.eventLoop.makePromise(of: Void.self)
        handler.runOnLoop { $0.writeStreamMessage(streamID, payload, promise: promise) }
        try await promise.futureResult.get()
    }
}

/// Runs a streaming handler to its end; `nil` means it ended OK.
private func runStreaming(
    _ body: @Sendable ([UInt8], ServerCallContext, any StreamSink) async throws -> Void,
    _ message: [UInt8], _ context: ServerCallContext, _ sink: any StreamSink
) async -> RPCError? {
    do {
        try await body(message, context, sink)
        return nil
    } catch {
        return ServerConnectionHandler.status(for: error)
    }
}

/// `10 s` for whole seconds, else `1500 ms`: the form docs/protocol.md uses in messages.
func describeMilliseconds(_ ms: Int64) -> String {
    ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
}
