/// One fuzz input: a control byte, then the bytes a peer sends.
///
/// Control byte: bit 0 expects a client preface first (the server side); bits 1-2 pick the
/// frame size limit; bits 3-7 seed the split points at which the bytes reach the parser, so the
/// same wire bytes are tried in many different pieces.
struct FuzzInput {
    /// The limits tried: the default 4 MiB, the pre-authentication HELLO size, a tiny limit
    /// (most frames are oversize) and zero (only empty payloads pass).
    static let frameLimits = [4 * 1024 * 1024, 16 * 1024, 64, 0]

    let expectPreface: Bool
    let maxFrameSize: Int
    let splitSeed: UInt8
    let wire: [UInt8]

    init(_ bytes: UnsafeRawBufferPointer) {
        let control = bytes.first ?? 0
        expectPreface = control & 1 != 0
        maxFrameSize = Self.frameLimits[Int(control >> 1) & 3]
        splitSeed = control >> 3
        wire = Array(bytes.dropFirst())
    }

    /// Consecutive ranges covering `wire`: seed 0 is one piece, other seeds mix single bytes,
    /// short and long pieces, chosen by a generator seeded from the control byte and the length.
    func pieces() -> [Range<Int>] {
        guard splitSeed != 0 else { return [0..<wire.count] }
        var random = SplitMix64(seed: UInt64(splitSeed) << 32 | UInt64(wire.count))
        var ranges: [Range<Int>] = []
        var start = 0
        while start < wire.count {
            let left = wire.count - start
            let length: Int
            switch random.next() % 4 {
            case 0: length = 1
            case 1: length = 1 + Int(random.next() % 12)
            case 2: length = 1 + Int(random.next() % 64)
            default: length = 1 + Int(random.next() % UInt64(left))
            }
            let end = start + min(length, left)
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }
}

/// A small deterministic generator (the split points must be a function of the input).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
