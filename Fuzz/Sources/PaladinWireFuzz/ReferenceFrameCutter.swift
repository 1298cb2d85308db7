import NIOCore
import PaladinWire

/// The framing of docs/protocol.md written as plainly as possible, on a whole byte array: the
/// oracle `WireParseCheck` compares `FrameParser` with.
enum ReferenceFrameCutter {
    static func cut(_ input: FuzzInput) -> ParseOutcome {
        let wire = input.wire
        var outcome = ParseOutcome()
        var offset = 0
        if input.expectPreface {
            guard wire.count >= 8 else {
                outcome.buffered = wire.count
                return outcome
            }
            offset = 8
            guard Array(wire[0..<4]) == [0x50, 0x4C, 0x44, 0x4E], wire[6] == 0, wire[7] == 0 else {
                outcome.failure = .preface(.badMagic)
                return outcome
            }
            guard wire[4] == 1 else {
                outcome.failure = .preface(.unsupportedVersion(major: wire[4], minor: wire[5]))
                return outcome
            }
            outcome.items.append(.preface(Preface(major: wire[4], minor: wire[5])))
        }
        while wire.count - offset >= 12 {
            let length = bigEndian(wire, offset)
            guard Int(length) <= input.maxFrameSize else {
                outcome.failure = .oversize(length: length, limit: input.maxFrameSize)
                return outcome
            }
            guard wire.count - offset - 12 >= Int(length) else { break }
            let payloadStart = offset + 12
            let frame = Frame(
                type: FrameType(rawValue: wire[offset + 4]),
                flags: FrameFlags(rawValue: wire[offset + 5]),
                streamID: bigEndian(wire, offset + 8),
                payload: ByteBuffer(bytes: wire[payloadStart..<payloadStart + Int(length)])
            )
            outcome.items.append(.frame(frame))
            offset = payloadStart + Int(length)
        }
        outcome.buffered = wire.count - offset
        return outcome
    }

    private static func bigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}
