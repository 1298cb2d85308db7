/// Reading Unicode scalars out of a Swift string's UTF-8 (valid by construction), and skipping
/// over the scalars no match can start with.
enum RegexUTF8 {
    /// The scalar whose UTF-8 starts at `offset` and its width in bytes; `nil` at the end.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (Unicode.Scalar?, Int) {
        guard offset < bytes.count else { return (nil, 0) }
        let lead = UInt32(bytes[offset])
        if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
        func continuation(_ index: Int) -> UInt32 { UInt32(bytes[offset + index]) & 0x3F }
        let value: UInt32
        let width: Int
        if lead < 0xE0 {
            (value, width) = ((lead & 0x1F) << 6 | continuation(1), 2)
        } else if lead < 0xF0 {
            (value, width) = ((lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2), 3)
        } else {
            (value, width) = ((lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3), 4)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
    }

    /// The scalar that ends at `offset`; `nil` at the start.
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, before offset: Int) -> Unicode.Scalar? {
        guard offset > 0 else { return nil }
        var start = offset - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return decode(bytes, at: start).0
    }

    /// The first scalar boundary at or after `offset` whose scalar is in `first` (ASCII by its
    /// bit, others by `nonASCII`), or the end of the text.
    @inline(__always)
    static func skip(_ bytes: UnsafeBufferPointer<UInt8>, from offset: Int,
                     unless first: (low: UInt64, high: UInt64, nonASCII: Bool)) -> Int {
        var offset = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte < 64 {
                if first.low & (1 << UInt64(byte)) != 0 { return offset }
            } else if byte < 128 {
                if first.high & (1 << UInt64(byte - 64)) != 0 { return offset }
            } else if byte >= 0xC0 && first.nonASCII {
                return offset
            }
            offset += 1  // continuation bytes of a skipped scalar are passed over one by one
        }
        return offset
    }
}
