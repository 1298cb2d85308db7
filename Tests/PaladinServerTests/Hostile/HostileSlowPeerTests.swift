import NIOCore
import PaladinClient
import PaladinServer
import PaladinWire
import Testing

/// Peers that hold resources: a stream they never finish, a handshake they never complete, a
/// connection they leave quiet (docs/protocol.md §6.1, §6.4).
@Suite("Hostile: slow and silent peers", .timeLimit(.minutes(1)))
struct HostileSlowPeerTests {
    @Test("a peer with a Health/Watch it never cancels does not stop others being served, is not idled out, and its close is harmless")
    func openStreamPeer() async throws {
        try await withTestServer(configure: {
            $0.timeouts.handshakeMilliseconds = 1000
            $0.timeouts.idleMilliseconds = 1500
        }) { server in
            let watcher = try await RawConnection.connect(port: server.port)
            try await watcher.handshake()
            try await watcher.send(RawConnection.request(streamID: 1, method: RawConnection.healthWatchPath))
            try await watcher.expectServing(streamID: 1, thenEnd: false)

            // Silent connections next to it: one sends only the preface, one nothing at all.
            let prefaceOnly = try await RawConnection.connect(port: server.port)
            try? await prefaceOnly.send(Preface().bytes)  // on a slow machine the timeout may already have hit
            let mute = try await RawConnection.connect(port: server.port)
            // A handshaken connection with no stream: this one is idle.
            let idle = try await RawConnection.connect(port: server.port)
            try await idle.handshake()

            // Others are served while all of that is held open.
            try await server.expectStillServingNewClients()

            try await prefaceOnly.expectGoAwayAndClose(lastStreamID: 0, code: .deadlineExceeded,
                                                       message: "handshake not completed within 1 s")
            try await mute.expectGoAwayAndClose(lastStreamID: 0, code: .deadlineExceeded,
                                                message: "handshake not completed within 1 s")
            try await idle.expectGoAwayAndClose(lastStreamID: 0, code: .ok, message: "idle")

            // The watcher has an open stream, so it is not idle: nothing arrives, it stays open
            // (by now it has been quiet for longer than the idle timeout).
            switch await watcher.nextEvent(timeout: .milliseconds(500)) {
            case .timedOut: break
            case .frame(let frame): Issue.record("the Watch peer got \(RawConnection.describe(frame))")
            case .closed, .unparseable: Issue.record("the server closed the connection of a peer with an open stream")
            }
            try await watcher.expectPingAnswered()
            try await server.expectStillServingNewClients()

            // It goes away without cancelling; the server cleans up and keeps serving.
            await watcher.close()
            try await server.expectStillServingNewClients()
            let next = try await RawConnection.connect(port: server.port)
            try await next.handshake()
            try await next.send(RawConnection.request(streamID: 1, method: RawConnection.healthWatchPath))
            try await next.expectServing(streamID: 1, thenEnd: false)
            try await next.send(frame: .cancel, streamID: 1)
            try await next.expectEnd(streamID: 1, code: .cancelled, message: "cancelled by the client")
            await next.close()
        }
    }

    @Test("peers that hold Watch streams on every connection slot but one do not block the last slot")
    func watchersOnManyConnections() async throws {
        try await withTestServer(configure: { $0.limits.maxConnections = 6 }) { server in
            var watchers: [RawConnection] = []
            for _ in 0..<5 {
                let raw = try await RawConnection.connect(port: server.port)
                try await raw.handshake()
                for stream in stride(from: UInt32(1), through: 19, by: 2) {
                    try await raw.send(RawConnection.request(streamID: stream, method: RawConnection.healthWatchPath))
                }
                for stream in stride(from: UInt32(1), through: 19, by: 2) {
                    try await raw.expectServing(streamID: stream, thenEnd: false)
                }
                watchers.append(raw)
            }
            try await server.expectStillServingNewClients()
            for raw in watchers { await raw.close() }
            try await server.expectStillServingNewClients(retryFor: .seconds(3))
        }
    }

    @Test("a half-close (end of input) with a Watch open: the server cancels the call and closes, without END")
    func halfCloseWithOpenStream() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(RawConnection.request(streamID: 1, method: RawConnection.healthWatchPath))
            try await raw.expectServing(streamID: 1, thenEnd: false)
            try await raw.shutdownOutput()
            switch await raw.nextEvent(timeout: .seconds(3)) {
            case .closed: break
            case .frame(let frame): Issue.record("after end of input the server sent \(RawConnection.describe(frame))")
            case .unparseable(let reason): Issue.record("unparseable output: \(reason)")
            case .timedOut: Issue.record("the server kept the connection open for 3 s after end of input")
            }
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }
}
