import NIOCore

/// Appends whole frames to a buffer, encoding protobuf payloads in place (no intermediate copy).
///
/// The header's length is written after the payload, so a message is encoded exactly once.
public enum FrameWriter {
    /// Appends a frame whose payload is the encoding of `message`; returns the payload length.
    @discardableResult
    public static func write(
        _ type: FrameType, flags: FrameFlags = [], streamID: UInt32,
        message: some ProtoMessage, to buffer: inout ByteBuffer
    ) -> Int {
        let headerIndex = buffer.writerIndex
        FrameHeader(length: 0, type: type, flags: flags, streamID: streamID).write(to: &buffer)
        let length = message.encode(into: &buffer)
        buffer.setInteger(UInt32(length), at: headerIndex)
        return length
    }

    /// Appends a frame with raw payload bytes.
    public static func write(
        _ type: FrameType, flags: FrameFlags = [], streamID: UInt32,
        payload: ByteBuffer, to buffer: inout ByteBuffer
    ) {
        Frame(type: type, flags: flags, streamID: streamID, payload: payload).write(to: &buffer)
    }

    /// Appends a frame with raw payload bytes.
    public static func write(
        _ type: FrameType, flags: FrameFlags = [], streamID: UInt32,
        bytes: some Collection<UInt8>, to buffer: inout ByteBuffer
    ) {
        FrameHeader(length: UInt32(bytes.count), type: type, flags: flags, streamID: streamID).write(to: &buffer)
        buffer.writeBytes(bytes)
    }
}
