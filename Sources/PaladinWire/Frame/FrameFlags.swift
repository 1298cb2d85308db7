/// The flag byte of a frame header. Unknown bits are ignored on receipt.
public struct FrameFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// On REQUEST: the client sends nothing more on this stream (required in 1.0).
    public static let endStream = FrameFlags(rawValue: 0x01)
    /// On HELLO and PING: this frame answers the peer's.
    public static let ack = FrameFlags(rawValue: 0x02)
    /// On any type: a receiver that does not know the type skips the frame.
    public static let ignorable = FrameFlags(rawValue: 0x80)
}
