import NIOCore
import PaladinWire

/// What cutting a byte stream into items gave: the items, the failure that ended it (if any),
/// and the bytes left buffered.
struct ParseOutcome: Equatable {
    var items: [FrameParser.Item] = []
    var failure: FrameParser.Failure?
    var buffered = 0
}

/// Feeds the wire bytes to `FrameParser` in the pieces the input picks and checks the result
/// against the same bytes given in one piece and against `ReferenceFrameCutter`.
///
/// Invariants: the pieces do not change what comes out; what comes out is exactly the bytes
/// on the wire, read by the spec; no frame is larger than the limit; after the parser has
/// yielded everything it can, it holds less than one header plus one maximal payload.
enum WireParseCheck {
    static func run(_ input: FuzzInput) -> ParseOutcome {
        let pieced = parse(input, pieces: input.pieces())
        let whole = input.splitSeed == 0 ? pieced : parse(input, pieces: [0..<input.wire.count])
        let reference = ReferenceFrameCutter.cut(input)

        Invariant.check(pieced.items == whole.items, "pieces changed the items: \(pieced.items.count) vs \(whole.items.count)")
        Invariant.check(pieced.failure == whole.failure, "pieces changed the failure: \(String(describing: pieced.failure)) vs \(String(describing: whole.failure))")
        Invariant.check(whole.items == reference.items, "items differ from the spec: \(whole.items) vs \(reference.items)")
        Invariant.check(whole.failure == reference.failure, "failure differs from the spec: \(String(describing: whole.failure)) vs \(String(describing: reference.failure))")
        if whole.failure == nil {
            Invariant.check(pieced.buffered == reference.buffered && whole.buffered == reference.buffered,
                            "buffered \(pieced.buffered) / \(whole.buffered), spec \(reference.buffered)")
        }
        return pieced
    }

    private static func parse(_ input: FuzzInput, pieces: [Range<Int>]) -> ParseOutcome {
        var parser = FrameParser(expectPreface: input.expectPreface, maxFrameSize: input.maxFrameSize)
        var outcome = ParseOutcome()
        feeding: for piece in pieces {
            parser.append(ByteBuffer(bytes: input.wire[piece]))
            while true {
                let item: FrameParser.Item?
                do {
                    item = try parser.next()
                } catch {
                    outcome.failure = error
                    break feeding
                }
                guard let item else { break }
                if case .frame(let frame) = item {
                    Invariant.check(frame.payload.readableBytes <= input.maxFrameSize,
                                    "a \(frame.payload.readableBytes)-byte frame passed the \(input.maxFrameSize)-byte limit")
                }
                outcome.items.append(item)
            }
            Invariant.check(parser.hasPartialFrame == (parser.bufferedBytes > 0), "hasPartialFrame disagrees with bufferedBytes")
            Invariant.check(parser.bufferedBytes < FrameHeader.size + max(input.maxFrameSize, Preface.size),
                            "\(parser.bufferedBytes) bytes buffered after draining, limit \(input.maxFrameSize)")
        }
        outcome.buffered = parser.bufferedBytes
        return outcome
    }
}
