import NIOCore
@testable import PaladinServer
import PaladinWire
import Testing

/// The machine with a string standing in for the handler's running call.
private typealias Machine = ServerConnectionStateMachine<String>

/// The connection rules with no sockets: every frame in every phase, and the open streams.
@Suite("Server connection state machine")
struct ServerConnectionStateMachineTests {
    private func machine(limits: (inout ServerLimits) -> Void = { _ in }) -> Machine {
        var l = ServerLimits()
        limits(&l)
        return Machine(limits: l)
    }

    private func hello(token: String = "") -> Frame {
        var hello = Paladin_V1_Hello()
        hello.authToken = token
        var payload = ByteBuffer()
        hello.encode(into: &payload)
        return Frame(type: .hello, streamID: 0, payload: payload)
    }

    private func request(_ id: UInt32, method: String = "paladin.v1.Health/Check", flags: FrameFlags = .endStream) -> Frame {
        var request = Paladin_V1_Request()
        request.method = method
        var payload = ByteBuffer()
        request.encode(into: &payload)
        return Frame(type: .request, flags: flags, streamID: id, payload: payload)
    }

    private func ready(_ m: inout Machine) {
        m.receivedPreface(Preface())
        guard case .authenticate = m.received(hello()) else {
            Issue.record("HELLO not passed on for authentication")
            return
        }
        m.authenticated()
    }

    private func connectionError(_ action: Machine.Action) -> (StatusCode, String)? {
        if case .connectionError(let code, let message) = action { return (code, message) }
        return nil
    }

    private func rejection(_ action: Machine.Action) -> RPCError? {
        if case .rejectStream(_, let error) = action { return error }
        return nil
    }

    @Test func handshakeThenStreamsOpenAndClose() {
        var m = machine()
        ready(&m)
        guard case .openStream(let id, let request) = m.received(request(1)) else {
            Issue.record("stream not opened")
            return
        }
        #expect(id == 1 && request.method == "paladin.v1.Health/Check")
        #expect(m.openStreamIDs == [1] && m.isOpen(1))
        #expect(m.streamClosed(1) != nil)
        #expect(!m.hasOpenStreams && !m.isOpen(1))
        #expect(m.streamClosed(1) == nil, "a stream ends once")
    }

    @Test func theCallAttachedToAStreamComesBackWhenItEnds() {
        var m = machine()
        ready(&m)
        _ = m.received(request(1))
        _ = m.received(request(3))
        let attached = m.attach("call 1", to: 1)
        #expect(attached)
        #expect(m.streamClosed(1)?.call == "call 1")
        #expect(m.streamClosed(3).map { $0.call == nil } == true, "a stream answered at once has no call")
        let late = m.attach("late", to: 3)
        #expect(!late, "a call for an ended stream is refused, so the handler stops it")
    }

    @Test func aStreamEndedWhileItsCallRunsKeepsItsSlotUntilTheCallReturns() {
        var m = machine { $0.maxConcurrentStreams = 2 }
        ready(&m)
        _ = m.received(request(1))
        _ = m.attach("call 1", to: 1)
        _ = m.received(request(3))
        #expect(m.streamClosed(3) != nil, "answered at once: no call, the slot is free at once")
        #expect(m.streamClosed(1)?.call == "call 1", "cancelled: END goes out now")
        #expect(!m.hasOpenStreams && m.streamsInUse == 1)
        _ = m.received(request(5))
        _ = m.attach("call 5", to: 5)
        #expect(m.streamsInUse == 2)
        #expect(rejection(m.received(request(7)))?.message == "too many concurrent streams (limit 2)",
                "the cancelled call still runs: it still counts")
        m.callFinished(1)
        guard case .openStream(9, _) = m.received(request(9)) else {
            Issue.record("slot not freed when the call returned")
            return
        }
        m.callFinished(1)
        #expect(m.streamsInUse == 2, "a call returns once; a second report changes nothing")
    }

    @Test func closingEndsEveryStreamAndReturnsTheirCalls() {
        var m = machine()
        ready(&m)
        for id: UInt32 in [1, 3, 5] { _ = m.received(request(id)) }
        #expect(m.openStreamIDs == [1, 3, 5])
        _ = m.attach("call 1", to: 1)
        _ = m.attach("call 5", to: 5)
        #expect(m.close().sorted() == ["call 1", "call 5"])
        #expect(!m.hasOpenStreams && m.phase == .closed && !m.isDrained)
        #expect(m.close().isEmpty)
        guard case .none = m.received(Frame(type: .cancel, streamID: 3)) else {
            Issue.record("frame after close not ignored")
            return
        }
    }

    @Test func cancelForAnOpenStreamCancelsIt() {
        var m = machine()
        ready(&m)
        _ = m.received(request(1))
        guard case .cancelStream(1) = m.received(Frame(type: .cancel, streamID: 1)) else {
            Issue.record("CANCEL of an open stream not acted on")
            return
        }
    }

    @Test func firstFrameMustBeHello() {
        var m = machine()
        m.receivedPreface(Preface())
        #expect(connectionError(m.received(request(1)))?.1 == "expected HELLO, got REQUEST")
        #expect(m.phase == .closed)
    }

    @Test("HELLO hands its token over for authentication; calls open only once it succeeded")
    func helloWaitsForAuthentication() {
        var m = machine()
        m.receivedPreface(Preface())
        guard case .authenticate(let hello) = m.received(hello(token: "s3cret")) else {
            Issue.record("HELLO not passed on for authentication")
            return
        }
        #expect(hello.authToken == "s3cret")
        #expect(m.phase == .authenticating)
        m.authenticated()
        #expect(m.phase == .ready)
        var refused = machine()
        refused.receivedPreface(Preface())
        _ = refused.received(self.hello(token: "guess"))
        refused.refused()
        #expect(refused.phase == .closed)
        guard case .none = refused.received(request(1)) else {
            Issue.record("a refused connection opened a call")
            return
        }
    }

    @Test func streamIDsMustIncrease() {
        var m = machine()
        ready(&m)
        _ = m.received(request(5))
        #expect(connectionError(m.received(request(5)))?.1 == "stream id 5 is not greater than the previous stream id 5")
    }

    @Test func streamLimitRejectsButCountsTheID() {
        var m = machine { $0.maxConcurrentStreams = 1 }
        ready(&m)
        _ = m.received(request(1))
        #expect(rejection(m.received(request(2))) == RPCError(.resourceExhausted, "too many concurrent streams (limit 1)"))
        #expect(m.lastStreamID == 2)
        m.streamClosed(1)
        guard case .openStream = m.received(request(3)) else {
            Issue.record("stream 3 not opened")
            return
        }
    }

    @Test func drainingRefusesNewStreamsAndDrainsWhenEmpty() {
        var m = machine()
        ready(&m)
        _ = m.received(request(1))
        #expect(m.beginDraining() == 1)
        #expect(!m.isDrained)
        #expect(rejection(m.received(request(2))) == RPCError(.unavailable, "server is shutting down"))
        m.streamClosed(1)
        #expect(m.isDrained)
    }

    @Test func clientGoAwayClosesAfterInFlightCalls() {
        var m = machine()
        ready(&m)
        _ = m.received(request(1))
        var payload = ByteBuffer()
        Paladin_V1_GoAway().encode(into: &payload)
        guard case .peerGoingAway = m.received(Frame(type: .goAway, streamID: 0, payload: payload)) else {
            Issue.record("GOAWAY not understood")
            return
        }
        #expect(rejection(m.received(request(2))) == RPCError(.unavailable, "connection is closing"))
        m.streamClosed(1)
        #expect(m.isDrained)
    }

    @Test func pingsAreAnsweredAndAcksAreNot() {
        var m = machine()
        ready(&m)
        let payload = ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8])
        guard case .answerPing(let echoed) = m.received(Frame(type: .ping, streamID: 0, payload: payload)) else {
            Issue.record("PING not answered")
            return
        }
        #expect(echoed == payload)
        guard case .none = m.received(Frame(type: .ping, flags: .ack, streamID: 0, payload: payload)) else {
            Issue.record("PING ACK answered")
            return
        }
    }

    @Test func cancelForAClosedStreamIsIgnored() {
        var m = machine()
        ready(&m)
        guard case .none = m.received(Frame(type: .cancel, streamID: 9)) else {
            Issue.record("CANCEL of an unknown stream not ignored")
            return
        }
    }

    @Test func unknownTypesNeedIgnorable() {
        var m = machine()
        ready(&m)
        guard case .none = m.received(Frame(type: FrameType(rawValue: 0x40), flags: .ignorable, streamID: 0)) else {
            Issue.record("ignorable frame not skipped")
            return
        }
        #expect(connectionError(m.received(Frame(type: FrameType(rawValue: 0x40), streamID: 0)))?.1 == "unknown frame type 0x40")
    }

    @Test func requestWithoutEndStreamAndMalformedRequestAreStreamErrors() {
        var m = machine()
        ready(&m)
        #expect(rejection(m.received(request(1, flags: []))) == RPCError(.invalidArgument, "client streaming is not supported in protocol 1.0"))
        let garbage = Frame(type: .request, flags: .endStream, streamID: 2, payload: ByteBuffer(bytes: [0xFF, 0xFF, 0xFF]))
        #expect(rejection(m.received(garbage)) == RPCError(.invalidArgument, "malformed Request"))
        #expect(m.phase == .ready)
    }
}
