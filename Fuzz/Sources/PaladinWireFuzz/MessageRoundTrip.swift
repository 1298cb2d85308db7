import NIOCore
import PaladinWire

/// Decodes a payload as one message type and, when it decodes, checks that the value survives
/// encoding: every encode path gives the same bytes, those bytes decode to an equal value, and
/// re-encoding that value gives the same bytes again. A frame written around the value with
/// `FrameWriter` parses back to the same header and payload.
struct MessageRoundTrip: Sendable {
    let name: String
    /// Returns the decoded value when the payload decodes.
    private let body: @Sendable (ByteBuffer, FrameHeader) -> (any ProtoMessage)?

    init<M: ProtoMessage>(_ type: M.Type) {
        name = String(describing: M.self)
        body = { payload, header in Self.check(M.self, payload, header) }
    }

    /// Runs the checks on `payload`, which arrived in a frame with `header`.
    @discardableResult
    func run(_ payload: ByteBuffer, header: FrameHeader) -> (any ProtoMessage)? {
        body(payload, header)
    }

    private static func check<M: ProtoMessage>(_: M.Type, _ payload: ByteBuffer, _ header: FrameHeader) -> M? {
        guard let value = try? M(decoding: payload) else { return nil }
        let name = M.self
        let encoded = value.serializedBytes()
        Invariant.check(encoded.count == value.serializedSize, "\(name): serializedSize \(value.serializedSize), encoding \(encoded.count) bytes")
        var buffer = ByteBuffer()
        let written = value.encode(into: &buffer)
        Invariant.check(written == encoded.count && buffer.withUnsafeReadableBytes { Array($0) } == encoded,
                        "\(name): encode(into:) and serializedBytes() differ")

        let again: M
        do {
            again = try M(decoding: encoded)
        } catch {
            Invariant.fail("\(name): its own encoding does not decode (\(error)): \(encoded)")
        }
        Invariant.check(again.serializedBytes() == encoded, "\(name): encoding is not stable across a round trip")
        // A double holding NaN is not equal to itself; such a value is checked by its bytes only.
        if value == value {
            Invariant.check(again == value, "\(name): round trip changed the value: \(value) vs \(again)")
        }

        var framed = ByteBuffer()
        FrameWriter.write(header.type, flags: header.flags, streamID: header.streamID, message: value, to: &framed)
        var parser = FrameParser(expectPreface: false, maxFrameSize: encoded.count)
        parser.append(framed)
        let expected = Frame(type: header.type, flags: header.flags, streamID: header.streamID, payload: ByteBuffer(bytes: encoded))
        let reparsed = try? parser.next()
        Invariant.check(reparsed == .frame(expected) && parser.bufferedBytes == 0, "\(name): FrameWriter output does not parse back")
        return value
    }
}
