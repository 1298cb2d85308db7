import NIOCore
import PaladinWire

/// The protocol rules of one server connection, with no I/O: what each incoming frame means
/// and whether it is allowed. The channel handler performs the actions it returns.
///
/// It is also the one record of the connection's open streams. `Call` is what the handler
/// keeps for a stream whose call runs asynchronously (its task, its deadline timer); the rules
/// never look inside it, so they stay testable with any type.
///
/// A stream holds its `max_concurrent_streams` slot until its work really ends: a stream ended
/// early (CANCEL, deadline) while its call still runs stays counted as finishing until the
/// handler reports the call's end, so cancelling and reopening cannot run unbounded work.
struct ServerConnectionStateMachine<Call> {
    /// A stream opened by a REQUEST and not yet ended.
    struct OpenStream {
        /// The handler's running call, once attached; `nil` for calls answered at once.
        var call: Call?
    }

    enum Phase: Equatable {
        case awaitingPreface
        case awaitingHello
        /// HELLO arrived; the handler is deciding who the peer is. It hands the machine no
        /// frame until `authenticated()` or `refused()`.
        case authenticating
        case ready
        /// GOAWAY sent (or received): no new streams above `lastAccepted`.
        case draining
        case closed
    }

    /// What the handler must do for an incoming frame.
    enum Action {
        /// Authenticate the peer with the HELLO's token, then call `authenticated()` and answer
        /// with the server's HELLO (ACK), or `refused()`.
        case authenticate(Paladin_V1_Hello)
        /// Start the call; the stream is now open and counted.
        case openStream(streamID: UInt32, request: Paladin_V1_Request)
        /// End this stream at once with the error; the connection lives.
        case rejectStream(streamID: UInt32, error: RPCError)
        /// Stop the call and answer END(CANCELLED).
        case cancelStream(streamID: UInt32)
        /// Answer a PING with ACK and the same payload.
        case answerPing(ByteBuffer)
        /// The client will open no new streams: finish what is open, then close.
        case peerGoingAway
        /// Nothing to do (an ignorable unknown frame, a PING ACK, a CANCEL for a closed stream).
        case none
        /// Send GOAWAY with this code and message, then close at once.
        case connectionError(StatusCode, String)
    }

    private(set) var phase: Phase = .awaitingPreface
    private(set) var clientMinor: UInt8 = 0
    /// Highest stream id the server has accepted (opened or rejected).
    private(set) var lastStreamID: UInt32 = 0
    private var openStreams: [UInt32: OpenStream] = [:]
    /// Streams already ended (END written) whose call has not returned yet.
    private var finishingCalls: Set<UInt32> = []
    /// The server sent GOAWAY (graceful shutdown).
    private(set) var serverWentAway = false
    /// The client sent GOAWAY.
    private(set) var peerWentAway = false
    private let limits: ServerLimits

    init(limits: ServerLimits) {
        self.limits = limits
    }

    /// The peer proved who it is: calls may now open.
    mutating func authenticated() {
        precondition(phase == .authenticating || phase == .closed)
        if phase == .authenticating { phase = serverWentAway ? .draining : .ready }
    }

    /// The peer's credentials were refused; the handler sends GOAWAY(UNAUTHENTICATED).
    mutating func refused() {
        phase = .closed
    }

    /// The preface arrived intact.
    mutating func receivedPreface(_ preface: Preface) {
        precondition(phase == .awaitingPreface)
        clientMinor = preface.minor
        phase = .awaitingHello
    }

    /// A frame arrived; decides what it means.
    mutating func received(_ frame: Frame) -> Action {
        if phase == .closed { return .none }
        if !frame.type.isKnown {
            if frame.flags.contains(.ignorable) { return .none }
            return protocolError("unknown frame type " + hex(frame.type.rawValue))
        }
        if frame.type.isConnectionFrame && frame.streamID != 0 {
            return protocolError("\(frame.type) must use stream 0")
        }
        if !frame.type.isConnectionFrame && frame.streamID == 0 {
            return protocolError("\(frame.type) must not use stream 0")
        }
        if phase == .awaitingHello {
            guard frame.type == .hello else { return protocolError("expected HELLO, got \(frame.type)") }
            return receivedHello(frame)
        }
        switch frame.type {
        case .hello:
            return protocolError("duplicate HELLO")
        case .request:
            return receivedRequest(frame)
        case .cancel:
            return isOpen(frame.streamID) ? .cancelStream(streamID: frame.streamID) : .none
        case .ping:
            guard frame.payload.readableBytes == 8 else {
                return protocolError("PING payload must be 8 bytes, got \(frame.payload.readableBytes)")
            }
            return frame.flags.contains(.ack) ? .none : .answerPing(frame.payload)
        case .goAway:
            do { _ = try Paladin_V1_GoAway(decoding: frame.payload) } catch {
                return envelopeError(error, "GoAway")
            }
            peerWentAway = true
            if phase == .ready { phase = .draining }
            return .peerGoingAway
        case .message, .end:
            return protocolError("\(frame.type) from a client is not allowed in protocol 1.0")
        default:
            return .none
        }
    }

    /// Whether `streamID` is open: accepted and not yet ended.
    func isOpen(_ streamID: UInt32) -> Bool {
        openStreams[streamID] != nil
    }

    /// Whether any stream is open.
    var hasOpenStreams: Bool { !openStreams.isEmpty }

    /// The open streams' ids, lowest first.
    var openStreamIDs: [UInt32] { openStreams.keys.sorted() }

    /// Records the handler's running call on an open stream.
    /// - Returns: `false` when the stream has already ended; the caller then stops the call.
    mutating func attach(_ call: Call, to streamID: UInt32) -> Bool {
        guard openStreams[streamID] != nil else { return false }
        openStreams[streamID]!.call = call
        return true
    }

    /// A stream ends (its END is about to be written). A stream with a running call keeps its
    /// slot until `callFinished`; one answered at once frees it now.
    /// - Returns: the stream, for the handler to stop its call; `nil` when it was not open
    ///   (already ended), so a stream ends once.
    @discardableResult
    mutating func streamClosed(_ streamID: UInt32) -> OpenStream? {
        guard let stream = openStreams.removeValue(forKey: streamID) else { return nil }
        if stream.call != nil, phase != .closed { finishingCalls.insert(streamID) }
        return stream
    }

    /// The call of `streamID` has returned (after its END or before it): its slot is free.
    /// Calls of a still-open stream are also fine: their END follows at once.
    mutating func callFinished(_ streamID: UInt32) {
        finishingCalls.remove(streamID)
    }

    /// Streams counted against `max_concurrent_streams`: open ones and ended ones whose call
    /// still runs.
    var streamsInUse: Int { openStreams.count + finishingCalls.count }

    /// The server begins a graceful shutdown; returns the id to put in GOAWAY.
    mutating func beginDraining() -> UInt32 {
        serverWentAway = true
        if phase == .ready { phase = .draining }
        return lastStreamID
    }

    /// The connection is gone (or going at once): every stream ends without an END.
    /// - Returns: the calls still attached, for the handler to stop.
    mutating func close() -> [Call] {
        phase = .closed
        let calls = openStreams.values.compactMap(\.call)
        openStreams.removeAll()
        finishingCalls.removeAll()
        return calls
    }

    /// Whether the connection may close: draining and nothing in flight.
    var isDrained: Bool { (serverWentAway || peerWentAway) && openStreams.isEmpty && phase != .closed }

    private mutating func receivedHello(_ frame: Frame) -> Action {
        let hello: Paladin_V1_Hello
        do { hello = try Paladin_V1_Hello(decoding: frame.payload) } catch {
            return envelopeError(error, "Hello")
        }
        phase = .authenticating
        return .authenticate(hello)
    }

    private mutating func receivedRequest(_ frame: Frame) -> Action {
        let id = frame.streamID
        guard id > lastStreamID else {
            return protocolError("stream id \(id) is not greater than the previous stream id \(lastStreamID)")
        }
        lastStreamID = id
        if serverWentAway {
            return .rejectStream(streamID: id, error: RPCError(.unavailable, "server is shutting down"))
        }
        if peerWentAway {
            return .rejectStream(streamID: id, error: RPCError(.unavailable, "connection is closing"))
        }
        guard streamsInUse < limits.maxConcurrentStreams else {
            return .rejectStream(streamID: id, error: RPCError(.resourceExhausted, "too many concurrent streams (limit \(limits.maxConcurrentStreams))"))
        }
        guard frame.flags.contains(.endStream) else {
            return .rejectStream(streamID: id, error: RPCError(.invalidArgument, "client streaming is not supported in protocol 1.0"))
        }
        let request: Paladin_V1_Request
        do { request = try Paladin_V1_Request(decoding: frame.payload) } catch {
            return .rejectStream(streamID: id, error: RPCError(undecodable: error, malformed: "malformed Request"))
        }
        if let refusal = metadataRefusal(request.metadata) {
            return .rejectStream(streamID: id, error: refusal)
        }
        openStreams[id] = OpenStream()
        return .openStream(streamID: id, request: request)
    }

    /// Bytes charged per metadata entry on top of its key and value, as HTTP/2 charges for a
    /// header field: it bounds what many tiny or empty entries cost the server.
    static var metadataEntryOverhead: Int { 32 }

    /// Why `metadata` is refused (too many entries, or too many bytes with the per-entry
    /// overhead), or `nil` when it is within the limits.
    private func metadataRefusal(_ metadata: [Paladin_V1_MetadataEntry]) -> RPCError? {
        guard metadata.count <= limits.maxMetadataEntries else {
            return RPCError(.resourceExhausted, "metadata of \(metadata.count) entries exceeds the limit of \(limits.maxMetadataEntries) (server.limits.max_metadata_entries)")
        }
        var metadataSize = 0
        for entry in metadata { metadataSize += entry.key.utf8.count + entry.value.utf8.count + Self.metadataEntryOverhead }
        guard metadataSize <= limits.maxMetadataSize else {
            return RPCError(.resourceExhausted, "metadata of \(metadataSize) bytes (keys and values plus \(Self.metadataEntryOverhead) per entry) exceeds the limit of \(limits.maxMetadataSize) (server.limits.max_metadata_size)")
        }
        return nil
    }

    /// A HELLO or GOAWAY that cannot be decoded ends the connection (there is no call to fail):
    /// malformed is a protocol error, over the decode budget is RESOURCE_EXHAUSTED.
    private mutating func envelopeError(_ error: WireError, _ type: String) -> Action {
        if case .decodeBudgetExceeded = error {
            phase = .closed
            return .connectionError(.resourceExhausted, error.description)
        }
        return protocolError("malformed \(type)")
    }

    private mutating func protocolError(_ message: String) -> Action {
        phase = .closed
        return .connectionError(.internal, message)
    }
}

/// `0x4a` style, two lower-case hex digits.
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
}
