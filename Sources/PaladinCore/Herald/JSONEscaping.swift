/// Writes a string's UTF-8 as the inside of a JSON string literal.
enum JSONEscaping {
    /// Copies `utf8[start...]` to `destination`, escaping `"` and `\` with a backslash and
    /// U+0000–U+001F as `\b \f \n \r \t` or `\u00XX`; every other character, all of Unicode, passes
    /// through as is. Plain runs are found sixteen bytes at a time and copied in one go. Stops before
    /// an escape that would leave too little of `room` for the rest of the input; returns where it
    /// stopped and the bytes written (see `TextBuffer.append(_:through:)`).
    static func escape(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, into destination: UnsafeMutablePointer<UInt8>,
                       room: Int) -> (end: Int, written: Int) {
        guard let source = utf8.baseAddress else { return (start, 0) }
        let count = utf8.count
        var written = 0
        var index = start
        while true {
            let special = ByteScan.firstSpecial(
                source, from: index, count: count,
                wordMask: { ByteScan.less($0, than: 0x20) | ByteScan.equal($0, 0x22) | ByteScan.equal($0, 0x5C) },
                isSpecial: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C })
            (destination + written).update(from: source + index, count: special - index)
            written += special - index
            index = special
            guard index < count, written + 6 + (count - index - 1) <= room else { break }
            written += escapeByte(source[index], into: destination + written)
            index += 1
        }
        return (index, written)
    }

    private static func escapeByte(_ byte: UInt8, into out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = UInt8(ascii: "\\")
        switch byte {
        case 0x22, 0x5C: out[1] = byte
        case 0x08: out[1] = UInt8(ascii: "b")
        case 0x0C: out[1] = UInt8(ascii: "f")
        case 0x0A: out[1] = UInt8(ascii: "n")
        case 0x0D: out[1] = UInt8(ascii: "r")
        case 0x09: out[1] = UInt8(ascii: "t")
        default:
            let hex: StaticString = "0123456789abcdef"
            out[1] = UInt8(ascii: "u")
            out[2] = UInt8(ascii: "0")
            out[3] = UInt8(ascii: "0")
            out[4] = hex.utf8Start[Int(byte >> 4)]
            out[5] = hex.utf8Start[Int(byte & 0x0F)]
            return 6
        }
        return 2
    }
}
