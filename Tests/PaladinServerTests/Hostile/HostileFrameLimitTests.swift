import NIOCore
import PaladinServer
import PaladinWire
import Testing

/// Frame size limits, truncated and stalled frames (docs/protocol.md §5.1, §6.4, §11, §12.1).
@Suite("Hostile: frame limits, truncated and stalled frames", .timeLimit(.minutes(1)))
struct HostileFrameLimitTests {
    /// `goaway_oversize` from Tests/PaladinWireTests/Fixtures/golden-frames.txt.
    static let goldenGoAwayOversize =
        "00000037070000000000000010081a336672616d65206f662034313934333035206279746573206578636565647320746865206c696d6974206f662034313934333034"

    @Test("default limit: a header announcing 4 MiB + 1 gets exactly the golden GOAWAY and close, payload never sent")
    func oversizeDefaultLimit() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            // Only the 12-byte header: the server must decide from it alone.
            var header = ByteBuffer()
            FrameHeader(length: 4 * 1024 * 1024 + 1, type: .request, flags: .endStream, streamID: 1).write(to: &header)
            try await raw.send(Array(header.readableBytesView))
            let frame = try #require(try await raw.nextFrame(), "the server closed without a GOAWAY")
            #expect(RawConnection.hex(RawConnection.wireBytes(frame)) == Self.goldenGoAwayOversize,
                    "GOAWAY bytes differ from the golden vector: \(RawConnection.describe(frame))")
            await raw.expectClosedWithoutMoreFrames()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("max_frame_size 16384: a header announcing 16385 gets GOAWAY{highest id, 8, \"frame of 16385 bytes exceeds the limit of 16384\"}",
          arguments: [FrameType.request, .ping, .hello, FrameType(rawValue: 0x40)])
    func oversizeConfiguredLimit(_ type: FrameType) async throws {
        try await withTestServer(configure: { $0.limits.maxFrameSize = 16384 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.expectHealthCheckWorks(streamID: 1)
            // Any type, even an ignorable unknown one, is checked against the limit first.
            var header = ByteBuffer()
            FrameHeader(length: 16385, type: type, flags: .ignorable, streamID: type == .request ? 3 : 0).write(to: &header)
            try await raw.send(Array(header.readableBytesView))
            try await raw.expectGoAwayAndClose(lastStreamID: 1, code: .resourceExhausted,
                                               message: "frame of 16385 bytes exceeds the limit of 16384")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("an oversize first frame, before HELLO, is refused for its size (checked first)")
    func oversizeBeforeHello() async throws {
        try await withTestServer(configure: { $0.limits.maxFrameSize = 16384 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            var bytes = ByteBuffer(bytes: Preface().bytes)
            FrameHeader(length: UInt32.max, type: .hello, streamID: 0).write(to: &bytes)
            try await raw.send(Array(bytes.readableBytesView))
            try await raw.expectGoAwayAndClose(lastStreamID: 0, code: .resourceExhausted,
                                               message: "frame of 4294967295 bytes exceeds the limit of 16384")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a frame of exactly max_frame_size bytes is accepted (limits are inclusive)")
    func frameAtTheLimitIsAccepted() async throws {
        try await withTestServer(configure: { $0.limits.maxFrameSize = 16384 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(frame: FrameType(rawValue: 0x40), flags: .ignorable, streamID: 0,
                               bytes: [UInt8](repeating: 0xAB, count: 16384))
            try await raw.expectHealthCheckWorks(streamID: 1)
            await raw.close()
        }
    }

    @Test("a truncated frame then close (header + half the payload) does not hurt the server",
          arguments: [true, false])
    func truncatedFrameThenClose(afterHandshake: Bool) async throws {
        // One connection slot: a new connection is only accepted once the server has let go of
        // the truncated one, so this also shows the server noticed the close.
        try await withTestServer(configure: { $0.limits.maxConnections = 1 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            let request = RawConnection.healthCheck(streamID: 1)
            let cut = Array(request.prefix(FrameHeader.size + (request.count - FrameHeader.size) / 2))
            if afterHandshake {
                try await raw.handshake()
                try await raw.send(cut)
            } else {
                try await raw.send(Preface().bytes + Array(RawConnection.prefaceAndHello().dropFirst(8).prefix(20)))
            }
            await raw.close()
            let next = try await server.rawConnectionOnceAccepted()
            try await next.expectHealthCheckWorks(streamID: 1)
            await next.close()
            try await server.expectStillServingNewClients(retryFor: .seconds(3))
        }
    }

    @Test("a stalled partial frame gets GOAWAY{highest id, 4, \"frame not completed within 300 ms\"} and close",
          arguments: [
              ("half a header", 6),
              ("a header and half its payload", FrameHeader.size + 4),
          ])
    func stalledPartialFrame(_ name: String, sentBytes: Int) async throws {
        try await withTestServer(configure: { $0.timeouts.partialFrameMilliseconds = 300 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.expectHealthCheckWorks(streamID: 1)
            let ping = RawConnection.frame(.ping, streamID: 0, bytes: [1, 2, 3, 4, 5, 6, 7, 8])
            let started = ContinuousClock.now
            try await raw.send(Array(ping.prefix(sentBytes)))
            try await raw.expectGoAwayAndClose(lastStreamID: 1, code: .deadlineExceeded,
                                               message: "frame not completed within 300 ms")
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(250), "GOAWAY after \(elapsed), before the 300 ms timeout")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a frame completed in pieces within the timeout is accepted")
    func slowButCompleteFrameIsAccepted() async throws {
        try await withTestServer(configure: { $0.timeouts.partialFrameMilliseconds = 5000 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            let request = RawConnection.healthCheck(streamID: 1)
            for chunk in stride(from: 0, to: request.count, by: 7) {
                try await raw.send(Array(request[chunk..<min(chunk + 7, request.count)]))
                try await Task.sleep(for: .milliseconds(10))
            }
            try await raw.expectServing(streamID: 1)
            await raw.close()
        }
    }

    @Test("the stalled-frame timeout counts from the first byte of the frame that is incomplete")
    func stalledFrameTimerRestartsPerFrame() async throws {
        // Timeline, timeout 2000 ms: t=0 PING #1 header only; t≈1000 its payload + half of
        // PING #2; t≈2000 the rest of PING #2. No frame stays incomplete for 2000 ms (#1: 1000,
        // #2: 1000), so both are answered. A timer that keeps running from t=0 fires at t=2000.
        try await withTestServer(configure: { $0.timeouts.partialFrameMilliseconds = 2000 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            let first = RawConnection.frame(.ping, streamID: 0, bytes: [1, 1, 1, 1, 1, 1, 1, 1])
            let second = RawConnection.frame(.ping, streamID: 0, bytes: [2, 2, 2, 2, 2, 2, 2, 2])
            let t0 = ContinuousClock.now
            try await raw.send(Array(first.prefix(FrameHeader.size)))
            try await Task.sleep(for: .milliseconds(1000))
            try? await raw.send(Array(first.dropFirst(FrameHeader.size)) + Array(second.prefix(6)))
            let secondStarted = ContinuousClock.now
            // On a machine so loaded that the 1000 ms sleep took most of the timeout, PING #1 was
            // legitimately stalled: the timeline this test needs did not happen, so it says nothing.
            guard secondStarted - t0 < .milliseconds(1700) else {
                await raw.close()
                return
            }
            let ack1 = try #require(try await raw.nextFrame(), "closed instead of answering PING #1")
            #expect(ack1.type == .ping && Array(ack1.payload.readableBytesView) == [1, 1, 1, 1, 1, 1, 1, 1],
                    "expected PING ACK #1, got \(RawConnection.describe(ack1))")
            // PING #2 has been incomplete for under 2000 ms during this whole wait: nothing may come.
            let during = await raw.nextEvent(timeout: .milliseconds(1000))
            let at = ContinuousClock.now
            switch during {
            case .timedOut:
                try? await raw.send(Array(second.dropFirst(6)))
                let ack2 = try #require(try await raw.nextFrame(), "closed instead of answering PING #2")
                #expect(ack2.type == .ping && Array(ack2.payload.readableBytesView) == [2, 2, 2, 2, 2, 2, 2, 2],
                        "expected PING ACK #2, got \(RawConnection.describe(ack2))")
            case .frame(let frame):
                Issue.record("""
                    got \(RawConnection.describe(frame)) \(at - t0) after PING #1 started, \
                    only \(at - secondStarted) after PING #2 started
                    """)
            case .closed, .unparseable:
                Issue.record("the server closed while PING #2 was incomplete for less than the timeout")
            }
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }
}
