import NIOCore
import PaladinWire

/// A unary response through the wire codec and back: MESSAGE{ExecuteResponse} and an OK END,
/// written as the server writes them, parsed and decoded as the client reads them.
struct ResponseCodecWorkload: PerfWorkload {
    static let name = "codec-response"
    static let summary = "Unary response (MESSAGE ExecuteResponse + END): encode, parse, decode"

    private let response: Paladin_V1_ExecuteResponse
    private var buffer = ByteBufferAllocator().buffer(capacity: 1024)
    private var streamID: UInt32 = 1

    init() throws {
        var response = Paladin_V1_ExecuteResponse()
        response.output = "The pass is shorter by the river; the battalion should take it at dawn."
        var usage = Paladin_V1_Usage()
        usage.promptTokens = 42
        usage.completionTokens = 17
        response.usage = usage
        response.turns = 1
        response.durationUs = 1_250
        response.stopReason = "final"
        self.response = response
    }

    mutating func iterate() async throws {
        buffer.clear()
        FrameWriter.write(.message, streamID: streamID, message: response, to: &buffer)
        FrameHeader(length: 0, type: .end, streamID: streamID).write(to: &buffer)
        var parser = FrameParser(expectPreface: false, maxFrameSize: 4 * 1024 * 1024)
        parser.append(buffer)
        guard case .frame(let message)? = try parser.next(), message.type == .message,
              case .frame(let end)? = try parser.next(), end.type == .end else {
            throw WorkloadFailure("codec-response: MESSAGE and END not parsed")
        }
        let decoded = try Paladin_V1_ExecuteResponse(decoding: message.payload)
        let status = try Paladin_V1_Status(decoding: end.payload)
        guard decoded.output == response.output, decoded.usage == response.usage, status.code == 0 else {
            throw WorkloadFailure("codec-response: decoded \(decoded), status \(status.code)")
        }
        streamID &+= 2
    }
}
