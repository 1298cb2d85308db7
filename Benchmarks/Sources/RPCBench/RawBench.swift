import NIOCore
import NIOPosix

/// Health/Check with pre-encoded frames written from a channel handler on the client's event
/// loop (the style of ../shared/bench/nio-styles' client): no protobuf encoding, no Swift
/// Concurrency, no per-call objects on the client, so what is measured is the server's own cost
/// plus the kernel's.
///
/// Bytes on the wire (docs/protocol.md §15, Tests/PaladinWireTests/Fixtures/golden-frames.txt):
/// preface, `hello_client`, then `request_health_check` with a new, increasing stream id per
/// request. Each call must come back as MESSAGE `08 01` (SERVING) and an empty END (OK).
enum RawFrames {
    static let preface: [UInt8] = hex("504c444e01000000")
    static let helloClient: [UInt8] = hex("0000001401000000000000000a126578616d706c652d636c69656e742f312e30")
    /// `request_health_check`: method, metadata x-request-id=42, timeout_us 5 s; stream id 1.
    static let requestGolden: [UInt8] = hex(
        "0000003202010000000000010a1770616c6164696e2e76312e4865616c74682f436865636b12120a0c782d726571756573742d69641202343218c096b102")
    /// The same call as PaladinClient sends it by default: only `method` set (no metadata, no deadline).
    static let requestMinimal: [UInt8] = hex("0000001902010000000000010a1770616c6164696e2e76312e4865616c74682f436865636b")
    static let servingPayload: [UInt8] = [0x08, 0x01]

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = s.utf8.makeIterator()
        func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
        while let hi = it.next(), let lo = it.next() { out.append(nibble(hi) << 4 | nibble(lo)) }
        return out
    }

    static let typeHello: UInt8 = 0x01, typeMessage: UInt8 = 0x03, typeEnd: UInt8 = 0x04, typeGoAway: UInt8 = 0x07
}

/// Reassembles response frames from what the socket delivers.
struct ResponseReader {
    private var buffer = ByteBuffer()

    mutating func append(_ bytes: ByteBuffer) {
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            var bytes = bytes
            buffer.writeBuffer(&bytes)
        }
    }

    /// The next complete frame: type, stream id, payload.
    mutating func next() -> (type: UInt8, streamID: UInt32, payload: ByteBuffer)? {
        let at = buffer.readerIndex
        guard buffer.readableBytes >= 12, let length = buffer.getInteger(at: at, as: UInt32.self),
              buffer.readableBytes >= 12 + Int(length) else {
            if buffer.readableBytes == 0 { buffer.clear() }
            return nil
        }
        let type = buffer.getInteger(at: at + 4, as: UInt8.self)!
        let stream = buffer.getInteger(at: at + 8, as: UInt32.self)!
        buffer.moveReaderIndex(forwardBy: 12)
        let payload = buffer.readSlice(length: Int(length))!
        return (type, stream, payload)
    }
}

/// What a raw handler checks on every frame it reads.
struct CallChecker {
    var messages = 0

    /// Returns true for an END (OK) on a call stream; throws on anything unexpected.
    mutating func handle(type: UInt8, streamID: UInt32, payload: ByteBuffer) throws -> Bool {
        switch type {
        case RawFrames.typeHello:
            return false
        case RawFrames.typeMessage:
            guard payload.readableBytesView.elementsEqual(RawFrames.servingPayload) else {
                throw BenchError(description: "stream \(streamID): unexpected MESSAGE payload \(Array(payload.readableBytesView))")
            }
            messages += 1
            return false
        case RawFrames.typeEnd:
            guard payload.readableBytes == 0 else {
                throw BenchError(description: "stream \(streamID): END with a non-OK Status, payload \(Array(payload.readableBytesView))")
            }
            return true
        case RawFrames.typeGoAway:
            throw BenchError(description: "server sent GOAWAY, payload \(Array(payload.readableBytesView))")
        default:
            return false
        }
    }
}

/// Builds REQUEST frames from the template, each with the next stream id.
struct RequestWriter {
    let template: ByteBuffer
    var nextStreamID: UInt32 = 1

    init(request: String) {
        template = ByteBuffer(bytes: request == "minimal" ? RawFrames.requestMinimal : RawFrames.requestGolden)
    }

    mutating func write(into out: inout ByteBuffer) {
        let at = out.writerIndex
        out.writeImmutableBuffer(template)
        out.setInteger(nextStreamID, at: at + 8)
        nextStreamID += 1
    }

    static func handshake(into out: inout ByteBuffer) {
        out.writeBytes(RawFrames.preface)
        out.writeBytes(RawFrames.helloClient)
    }
}

struct RawLatencyResult: Sendable {
    var samples: [UInt64]
    var elapsed: UInt64
    var cpuMicros: Double
}

final class RawLatencyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var reader = ResponseReader()
    private var checker = CallChecker()
    private var requests: RequestWriter
    private let warmup: Int
    private let count: Int
    private let result: EventLoopPromise<RawLatencyResult>
    private var done = 0
    private var current: UInt32 = 0
    private var messagesAtSend = 0
    private var sentAt: UInt64 = 0
    private var timedStart: UInt64 = 0
    private var cpuStart = 0.0
    private var samples: [UInt64] = []

    init(request: String, warmup: Int, count: Int, result: EventLoopPromise<RawLatencyResult>) {
        self.requests = RequestWriter(request: request)
        self.warmup = warmup
        self.count = count
        self.result = result
        samples.reserveCapacity(count)
    }

    private func send(context: ChannelHandlerContext, handshake: Bool = false) {
        var out = context.channel.allocator.buffer(capacity: 128)
        if handshake { RequestWriter.handshake(into: &out) }
        current = requests.nextStreamID
        requests.write(into: &out)
        messagesAtSend = checker.messages
        if done == warmup {
            cpuStart = processCPUMicros()
            timedStart = nowNanos()
        }
        sentAt = nowNanos()
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context, handshake: true)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = nowNanos()
        reader.append(unwrapInboundIn(data))
        do {
            while let frame = reader.next() {
                guard try checker.handle(type: frame.type, streamID: frame.streamID, payload: frame.payload) else { continue }
                guard frame.streamID == current, checker.messages == messagesAtSend + 1 else {
                    throw BenchError(description: "END for stream \(frame.streamID) (waiting for \(current)) or not exactly one MESSAGE before it")
                }
                if done >= warmup { samples.append(now - sentAt) }
                done += 1
                if done == warmup + count {
                    result.succeed(RawLatencyResult(samples: samples, elapsed: now - timedStart, cpuMicros: processCPUMicros() - cpuStart))
                    context.close(promise: nil)
                    return
                }
                send(context: context)
            }
        } catch {
            result.fail(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        result.fail(BenchError(description: "connection closed after \(done) calls"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        result.fail(error)
        context.close(promise: nil)
    }
}

struct RawPipelineResult: Sendable {
    /// Every call completed on the connection, warm-up included.
    var total: UInt64 = 0
    var calls: UInt64
    var nanos: UInt64
    var cpuMicros: Double
}

final class RawPipelineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var reader = ResponseReader()
    private var checker = CallChecker()
    private var requests: RequestWriter
    private let inflight: Int
    private let measureFrom: NIODeadline
    private let measureTo: NIODeadline
    private let result: EventLoopPromise<RawPipelineResult>
    private var out = ByteBuffer()
    private var completed: UInt64 = 0
    private var fromCount: UInt64 = 0
    private var fromTime: UInt64 = 0
    private var fromCPU = 0.0
    private var sending = true

    init(request: String, inflight: Int, measureFrom: NIODeadline, measureTo: NIODeadline,
         result: EventLoopPromise<RawPipelineResult>) {
        self.requests = RequestWriter(request: request)
        self.inflight = inflight
        self.measureFrom = measureFrom
        self.measureTo = measureTo
        self.result = result
    }

    func channelActive(context: ChannelHandlerContext) {
        let loop = context.eventLoop.assumeIsolated()
        loop.scheduleTask(deadline: measureFrom) {
            self.fromCount = self.completed
            self.fromTime = nowNanos()
            self.fromCPU = processCPUMicros()
        }
        loop.scheduleTask(deadline: measureTo) {
            let now = nowNanos()
            self.sending = false
            self.result.succeed(RawPipelineResult(total: self.completed, calls: self.completed - self.fromCount, nanos: now - self.fromTime,
                                                  cpuMicros: processCPUMicros() - self.fromCPU))
            context.close(promise: nil)
        }
        out = context.channel.allocator.buffer(capacity: 64 * inflight + 64)
        RequestWriter.handshake(into: &out)
        for _ in 0..<inflight { requests.write(into: &out) }
        flush(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reader.append(unwrapInboundIn(data))
        do {
            while let frame = reader.next() {
                guard try checker.handle(type: frame.type, streamID: frame.streamID, payload: frame.payload) else { continue }
                completed += 1
                if sending { requests.write(into: &out) }
            }
        } catch {
            result.fail(error)
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush(context: context)
        context.fireChannelReadComplete()
    }

    private func flush(context: ChannelHandlerContext) {
        guard out.readableBytes > 0 else { return }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        out.clear()
    }

    func channelInactive(context: ChannelHandlerContext) {
        result.fail(BenchError(description: "connection closed before the end of the run"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        result.fail(error)
        context.close(promise: nil)
    }
}

enum RawBench {
    static func latency(_ options: Options) async throws -> String {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let promise = group.next().makePromise(of: RawLatencyResult.self)
        let request = options.request, warmup = options.warmup, n = options.n
        _ = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        RawLatencyHandler(request: request, warmup: warmup, count: n, result: promise))
                }
            }
            .connect(host: benchHost, port: options.port)
            .get()
        let result = try await promise.futureResult.get()
        try? await group.shutdownGracefully()
        return latencyLine(mode: "raw-latency", client: "raw-nio", samples: result.samples, elapsedNanos: result.elapsed,
                           cpuMicros: result.cpuMicros, totalCalls: warmup + n, extra: " request=\(request)")
    }

    static func throughput(_ options: Options) async throws -> String {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
        let start = NIODeadline.now()
        let measureFrom = start + .nanoseconds(Int64(options.warmupSeconds * 1e9))
        let measureTo = measureFrom + .nanoseconds(Int64(options.duration * 1e9))
        let request = options.request, inflight = options.inflight
        var futures: [EventLoopFuture<RawPipelineResult>] = []
        for _ in 0..<options.connections {
            let loop = group.next()
            let promise = loop.makePromise(of: RawPipelineResult.self)
            futures.append(promise.futureResult)
            _ = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            RawPipelineHandler(request: request, inflight: inflight, measureFrom: measureFrom,
                                               measureTo: measureTo, result: promise))
                    }
                }
                .connect(host: benchHost, port: options.port)
                .get()
        }
        var calls: UInt64 = 0
        var rps = 0.0
        var cpu = 0.0
        var nanos: UInt64 = 0
        var total: UInt64 = 0
        for future in futures {
            let r = try await future.get()
            total += r.total
            calls += r.calls
            rps += Double(r.calls) / (Double(r.nanos) / 1e9)
            cpu = max(cpu, r.cpuMicros)  // process-wide, sampled by every connection over the same window
            nanos = max(nanos, r.nanos)
        }
        try? await group.shutdownGracefully()
        return "mode=raw-throughput client=raw-nio conns=\(options.connections) inflight=\(options.inflight)"
            + " threads=\(options.threads) duration_s=\(fixed1(Double(nanos) / 1e9)) requests=\(calls)"
            + " rps=\(Int(rps.rounded())) client_cpu_us_per_call=\(fixed1(calls > 0 ? cpu / Double(calls) : 0))"
            + " total_calls=\(total) request=\(request)"
    }
}
