import NIOCore
import PaladinWire

/// Decodes a frame's payload as the type its frame type implies, as the server and client do:
/// HELLO a `Hello`, REQUEST a `Request` and then its `message` as the method's request type,
/// END a `Status`, GOAWAY a `GoAway`. MESSAGE frames and types without a payload message
/// decode as a type picked by the stream id, so every type of the contract is reachable.
enum FrameDecodeCheck {
    private static let hello = MessageRoundTrip(Paladin_V1_Hello.self)
    private static let requestEnvelope = MessageRoundTrip(Paladin_V1_Request.self)
    private static let status = MessageRoundTrip(Paladin_V1_Status.self)
    private static let goAway = MessageRoundTrip(Paladin_V1_GoAway.self)

    static func run(_ frame: Frame) {
        let header = frame.header
        switch frame.type {
        case .hello:
            hello.run(frame.payload, header: header)
        case .end:
            status.run(frame.payload, header: header)
        case .goAway:
            goAway.run(frame.payload, header: header)
        case .request:
            guard let request = requestEnvelope.run(frame.payload, header: header) as? Paladin_V1_Request
            else { return }
            let inner = ByteBuffer(bytes: request.message)
            let messageHeader = FrameHeader(length: UInt32(inner.readableBytes), type: .message, streamID: frame.streamID)
            if let decoder = FuzzedContract.requestByMethod[request.method] {
                decoder.run(inner, header: messageHeader)
            } else {
                pick(frame.streamID).run(inner, header: messageHeader)
            }
        default:
            pick(frame.streamID).run(frame.payload, header: header)
        }
    }

    private static func pick(_ streamID: UInt32) -> MessageRoundTrip {
        let all = FuzzedContract.allMessages
        return all[Int(streamID % UInt32(all.count))]
    }
}
