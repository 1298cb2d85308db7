import NIOCore

/// The fixed 12-byte header in front of every frame:
/// `length u32 | type u8 | flags u8 | reserved u16 | stream_id u32`, big-endian.
public struct FrameHeader: Hashable, Sendable {
    /// Bytes in a header.
    public static let size = 12

    /// Payload length in bytes (the header excluded).
    public var length: UInt32
    public var type: FrameType
    public var flags: FrameFlags
    public var streamID: UInt32

    public init(length: UInt32, type: FrameType, flags: FrameFlags = [], streamID: UInt32) {
        self.length = length
        self.type = type
        self.flags = flags
        self.streamID = streamID
    }

    /// Reads a header at the reader index without consuming it; `nil` until 12 bytes are there.
    public static func peek(in buffer: ByteBuffer) -> FrameHeader? {
        let at = buffer.readerIndex
        guard buffer.readableBytes >= size,
              let length = buffer.getInteger(at: at, as: UInt32.self),
              let type = buffer.getInteger(at: at + 4, as: UInt8.self),
              let flags = buffer.getInteger(at: at + 5, as: UInt8.self),
              let stream = buffer.getInteger(at: at + 8, as: UInt32.self)
        else { return nil }
        return FrameHeader(length: length, type: FrameType(rawValue: type), flags: FrameFlags(rawValue: flags), streamID: stream)
    }

    /// Appends the 12 header bytes to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(length, type.rawValue, flags.rawValue, UInt16(0), streamID)
    }
}
