import NIOCore
import PaladinWire

/// A client's REQUEST frame through the wire codec and back: encoded into a frame as the client
/// writes it, cut out of the byte stream as the server reads it, and decoded with its message.
struct RequestCodecWorkload: PerfWorkload {
    static let name = "codec-request"
    static let summary = "REQUEST frame (Health/Check, metadata, deadline): encode, parse, decode"

    private let request: Paladin_V1_Request
    private var buffer = ByteBufferAllocator().buffer(capacity: 256)
    private var streamID: UInt32 = 1

    init() throws {
        // The golden `request_health_check` of docs/protocol.md.
        var request = Paladin_V1_Request()
        request.method = "paladin.v1.Health/Check"
        var entry = Paladin_V1_MetadataEntry()
        entry.key = "x-request-id"
        entry.value = "42"
        request.metadata = [entry]
        request.timeoutUs = 5_000_000
        request.message = Paladin_V1_HealthCheckRequest().serializedBytes()
        self.request = request
    }

    mutating func iterate() async throws {
        buffer.clear()
        FrameWriter.write(.request, flags: .endStream, streamID: streamID, message: request, to: &buffer)
        var parser = FrameParser(expectPreface: false, maxFrameSize: 4 * 1024 * 1024)
        parser.append(buffer)
        guard case .frame(let frame)? = try parser.next(), frame.type == .request, frame.streamID == streamID else {
            throw WorkloadFailure("codec-request: no REQUEST frame parsed")
        }
        let decoded = try Paladin_V1_Request(decoding: frame.payload)
        _ = try Paladin_V1_HealthCheckRequest(decoding: decoded.message)
        guard decoded.method == request.method, decoded.timeoutUs == request.timeoutUs else {
            throw WorkloadFailure("codec-request: decoded \(decoded)")
        }
        streamID &+= 2
    }
}
