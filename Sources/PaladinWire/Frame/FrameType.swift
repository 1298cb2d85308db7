/// The type byte of a frame header (docs/protocol.md, "Frame types").
public struct FrameType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Handshake, stream 0: `Hello` (ACK from the server).
    public static let hello = FrameType(rawValue: 0x01)
    /// Opens a call: `Request`.
    public static let request = FrameType(rawValue: 0x02)
    /// One response message.
    public static let message = FrameType(rawValue: 0x03)
    /// Last frame of a call: `Status`.
    public static let end = FrameType(rawValue: 0x04)
    /// Client asks the server to stop a call; empty payload.
    public static let cancel = FrameType(rawValue: 0x05)
    /// Liveness probe, stream 0, 8 opaque bytes echoed with ACK.
    public static let ping = FrameType(rawValue: 0x06)
    /// The sender takes no stream above `GoAway.last_stream_id`.
    public static let goAway = FrameType(rawValue: 0x07)

    /// Whether protocol 1.0 defines this type.
    public var isKnown: Bool { (0x01...0x07).contains(rawValue) }

    /// Whether frames of this type travel on stream 0 (connection frames).
    public var isConnectionFrame: Bool { self == .hello || self == .ping || self == .goAway }

    public var description: String {
        switch self {
        case .hello: "HELLO"
        case .request: "REQUEST"
        case .message: "MESSAGE"
        case .end: "END"
        case .cancel: "CANCEL"
        case .ping: "PING"
        case .goAway: "GOAWAY"
        default: "0x" + String(rawValue, radix: 16)
        }
    }
}
