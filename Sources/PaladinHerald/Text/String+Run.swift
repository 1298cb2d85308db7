extension String {
    /// `unit` written `count` times (none when `count` is not positive), built as UTF-8 bytes and
    /// decoded once: `String(repeating:count:)` appends one copy at a time, which made the rules
    /// and padding of a wide table most of its rendering.
    init(run unit: Character, count: Int) {
        guard count > 0 else {
            self = ""
            return
        }
        let bytes = Array(unit.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * count)
        for _ in 0..<count { out.append(contentsOf: bytes) }
        self = String(decoding: out, as: UTF8.self)
    }
}
