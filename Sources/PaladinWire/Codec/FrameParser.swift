import NIOCore

/// Cuts a byte stream into a preface (optionally) and frames, enforcing the frame size limit
/// from the header alone, before a payload byte is buffered.
///
/// Plain struct, no NIO channel: the server and client connection handlers feed it what they
/// read, and tests feed it hostile bytes directly.
public struct FrameParser: Sendable {
    /// What the parser yields.
    public enum Item: Hashable, Sendable {
        case preface(Preface)
        case frame(Frame)
    }

    /// Why the byte stream cannot be parsed any further (a connection error).
    public enum Failure: Error, Hashable, Sendable {
        /// A header announced a payload larger than the limit.
        case oversize(length: UInt32, limit: Int)
        /// The first frame's header announced a payload larger than `maxFirstFrameSize`.
        case oversizeFirstFrame(type: FrameType, length: UInt32, limit: Int)
        /// The first 8 bytes were not an acceptable preface.
        case preface(Preface.Failure)
    }

    private var buffer = ByteBuffer()
    private var awaitingPreface: Bool
    /// Largest payload accepted, in bytes.
    public var maxFrameSize: Int
    /// Largest payload of the first frame, in bytes, when it is smaller than `maxFrameSize`;
    /// `nil` once the first frame has been parsed (or when there is no such limit).
    private var maxFirstFrameSize: Int?

    /// - Parameters:
    ///   - expectPreface: true on the server side, where the client's preface comes first.
    ///   - maxFrameSize: the payload limit checked against every header.
    ///   - maxFirstFrameSize: a lower limit for the first frame only: the server's HELLO cap
    ///     (`HandshakeLimits.maxHelloSize`), checked from the header like the other limit.
    public init(expectPreface: Bool, maxFrameSize: Int, maxFirstFrameSize: Int? = nil) {
        self.awaitingPreface = expectPreface
        self.maxFrameSize = maxFrameSize
        self.maxFirstFrameSize = maxFirstFrameSize
    }

    /// Adds bytes read from the socket.
    public mutating func append(_ bytes: ByteBuffer) {
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            var bytes = bytes
            buffer.writeBuffer(&bytes)
        }
    }

    /// The next complete item, or `nil` when more bytes are needed.
    public mutating func next() throws(Failure) -> Item? {
        if awaitingPreface {
            guard let bytes = buffer.readBytes(length: Preface.size) else { return nil }
            awaitingPreface = false
            do throws(Preface.Failure) {
                return .preface(try Preface.parse(bytes))
            } catch {
                throw .preface(error)
            }
        }
        guard let header = FrameHeader.peek(in: buffer) else {
            compactIfEmpty()
            return nil
        }
        if let limit = maxFirstFrameSize, limit < maxFrameSize, Int(header.length) > limit {
            throw .oversizeFirstFrame(type: header.type, length: header.length, limit: limit)
        }
        guard Int(header.length) <= maxFrameSize else {
            throw .oversize(length: header.length, limit: maxFrameSize)
        }
        guard buffer.readableBytes >= FrameHeader.size + Int(header.length) else { return nil }
        maxFirstFrameSize = nil
        buffer.moveReaderIndex(forwardBy: FrameHeader.size)
        let payload = buffer.readSlice(length: Int(header.length))!
        return .frame(Frame(type: header.type, flags: header.flags, streamID: header.streamID, payload: payload))
    }

    /// Whether part of a frame (or of the preface) has arrived and its rest has not.
    public var hasPartialFrame: Bool { buffer.readableBytes > 0 }

    /// Bytes held while waiting for the rest of a frame.
    public var bufferedBytes: Int { buffer.readableBytes }

    private mutating func compactIfEmpty() {
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else if buffer.readerIndex > 64 * 1024 {
            buffer.discardReadBytes()
        }
    }
}
