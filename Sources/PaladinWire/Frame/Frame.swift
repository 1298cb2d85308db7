import NIOCore

/// One frame: its header fields and its payload (a slice of the receive buffer, no copy).
public struct Frame: Hashable, Sendable {
    public var type: FrameType
    public var flags: FrameFlags
    public var streamID: UInt32
    public var payload: ByteBuffer

    public init(type: FrameType, flags: FrameFlags = [], streamID: UInt32, payload: ByteBuffer = ByteBuffer()) {
        self.type = type
        self.flags = flags
        self.streamID = streamID
        self.payload = payload
    }

    /// The header that goes in front of this frame's payload.
    public var header: FrameHeader {
        FrameHeader(length: UInt32(payload.readableBytes), type: type, flags: flags, streamID: streamID)
    }

    /// Appends header and payload to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        header.write(to: &buffer)
        var payload = payload
        buffer.writeBuffer(&payload)
    }
}
